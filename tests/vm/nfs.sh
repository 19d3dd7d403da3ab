#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:exportfs on the real kernel NFS server in a guest (n1), mounted from
# another (n2): exports made by exportfs(8), monitor from etab, nfsd's threads and the
# process table with no child process; a dead rpc.mountd, an export removed or given
# another fsid behind the agent's back fail the monitor; a stale etab line without nfsd
# is not running; stop removes every line of ours and never claims stopped while one is
# left; several directories; bad input; ocf-tester.  Then ocf:rampart:nfsserver: the
# server itself with its state on shared storage, a dead mountd or zero threads a
# failure, stop leaves nothing.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/vm/lib.sh"
vm_test exportfs rpc.mountd
R=/usr/lib/ocf/resource.d/rampart
ex() { # ex ACTION [VAR=VALUE...]: exportfs of /srv/a/one to the guests' network, fsid 11
    local a=$1; shift
    vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=e0 \
        OCF_RESKEY_clientspec=10.79.0.0/24 OCF_RESKEY_directory=/srv/a/one OCF_RESKEY_fsid=11 \
        OCF_RESKEY_options=rw,no_root_squash OCF_RESKEY_CRM_meta_timeout=30000 $* \
        $R/exportfs $a 2>/tmp/err; echo rc=\$?" | tail -n 1
}
etab() { vm n1 "grep -c '^/srv/a/' /var/lib/nfs/etab || true"; }
t0=$SECONDS
rc "$VM" up 2
is "two guests boot" "$RC" 0
[ "$RC" = 0 ] || { tap_done; exit 1; }
nfsd_up='rpcbind -w 2>/dev/null; pgrep -x rpc.statd > /dev/null || rpc.statd --no-notify; rpc.mountd && rpc.nfsd 4'
ok "n1: the kernel NFS server runs, with ext4 on /srv/a" q vm n1 "modprobe nfsd && mount -t nfsd nfsd /proc/fs/nfsd &&
    mkdir -p /var/lib/nfs/rpc_pipefs /srv/a && mkfs.ext4 -q -F /dev/vda && mount /dev/vda /srv/a &&
    mkdir -p /srv/a/one /srv/a/two && $nfsd_up"

is "probe, nothing exported: 7" "$(ex monitor)" rc=7
is "start" "$(ex start)" rc=0
ok "... etab has it, with fsid 11" q vm n1 'grep -q "^/srv/a/one	10.79.0.0/24(.*fsid=11" /var/lib/nfs/etab'
is "monitor: 0" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
n=$(vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=e0 OCF_RESKEY_clientspec=10.79.0.0/24 \
    OCF_RESKEY_directory=/srv/a/one OCF_RESKEY_fsid=11 OCF_RESKEY_CRM_meta_interval=10000 \
    strace -f -qq -e trace=execve,fork,vfork -o /tmp/st $R/exportfs monitor 2>/dev/null; grep -c . /tmp/st")
is "monitor starts no process (strace: one execve, its own)" "$n" 1
ok "n2 mounts it (NFSv3) and writes" q vm n2 'rpcbind -w && rpc.statd --no-notify && mkdir -p /mnt/a &&
    mount -t nfs -o vers=3,soft,timeo=20 10.79.0.1:/srv/a/one /mnt/a && echo from-n2 > /mnt/a/f && umount /mnt/a'
ok "... n1 has the file" q vm n1 'grep -qx from-n2 /srv/a/one/f'
is "start again: 0" "$(ex start)" rc=0

q vm n1 'pkill -x rpc.mountd; for i in $(seq 50); do pgrep -x rpc.mountd > /dev/null || exit 0; sleep 0.1; done; exit 1'
is "rpc.mountd killed behind the agent's back: monitor fails (1)" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
ok "... naming it" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q rpc.mountd'
q vm n1 'rpc.mountd'
is "mountd back: monitor 0" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0

q vm n1 'exportfs -u 10.79.0.0/24:/srv/a/one'
is "unexported behind the agent's back: monitor 7" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=7
q vm n1 'exportfs -o rw,fsid=99 10.79.0.0/24:/srv/a/one'
is "exported again with another fsid: monitor fails (1)" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
ok "... naming the fsid" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q fsid'
is "stop removes that line too (it is our directory and client)" "$(ex stop)" rc=0
is "... etab has nothing of /srv/a" "$(etab)" 0
is "probe after stop: 7" "$(ex monitor)" rc=7
is "stop when stopped: 0" "$(ex stop)" rc=0

# --- several directories: fsid, fsid+1
is "two directories: start" "$(ex start 'OCF_RESKEY_directory="/srv/a/one /srv/a/two"' OCF_RESKEY_fsid=20)" rc=0
ok "... fsid 20 and 21" q vm n1 'grep -q "^/srv/a/one	.*fsid=20" /var/lib/nfs/etab && grep -q "^/srv/a/two	.*fsid=21" /var/lib/nfs/etab'
q vm n1 'exportfs -u 10.79.0.0/24:/srv/a/two'
is "... one unexported behind its back: monitor fails (1), not 7" \
    "$(ex monitor 'OCF_RESKEY_directory="/srv/a/one /srv/a/two"' OCF_RESKEY_fsid=20 OCF_RESKEY_CRM_meta_interval=10000)" rc=1
is "... stop" "$(ex stop 'OCF_RESKEY_directory="/srv/a/one /srv/a/two"' OCF_RESKEY_fsid=20)" rc=0
is "... nothing left" "$(etab)" 0

# --- a stale etab line: nfsd gone (a reboot keeps etab on shared storage)
is "start" "$(ex start)" rc=0
q vm n1 'rpc.nfsd 0 && pkill -x rpc.mountd; sleep 0.5'
is "nfsd and mountd gone, the etab line stays: a probe says not running (7)" "$(ex monitor)" rc=7
is "... a recurring monitor fails (1)" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
is "... start refuses without nfsd (1)" "$(ex start OCF_RESOURCE_INSTANCE=e9 OCF_RESKEY_fsid=12 OCF_RESKEY_directory=/srv/a/two)" rc=1
ok "... saying so" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q nfsserver'
is "... stop removes the stale line (0)" "$(ex stop)" rc=0
is "... nothing left" "$(etab)" 0
q vm n1 "$nfsd_up"

# --- after review: bad fsids in stop and probes, IPv6, a host alias, a subnet written otherwise
is "start" "$(ex start)" rc=0
is "a probe with no fsid, a line of ours there: fails (1), never 7" "$(ex monitor 'OCF_RESKEY_fsid=')" rc=1
is "stop with a bad fsid (0x10): still unexports (0)" "$(ex stop OCF_RESKEY_fsid=0x10)" rc=0
is "... nothing left" "$(etab)" 0
is "IPv6 client [fd00::5]: start" "$(ex start 'OCF_RESKEY_clientspec=[fd00::5]')" rc=0
is "... stop" "$(ex stop 'OCF_RESKEY_clientspec=[fd00::5]')" rc=0
is "... nothing left" "$(etab)" 0
q vm n1 'echo "10.79.0.2 n2.test nfsc" >> /etc/hosts'
is "a host alias (nfsc, canonical n2.test): start" "$(ex start OCF_RESKEY_clientspec=nfsc)" rc=0
ok "... etab has the canonical name" q vm n1 'grep -q "^/srv/a/one	n2.test(" /var/lib/nfs/etab'
is "... monitor: 0" "$(ex monitor OCF_RESKEY_clientspec=nfsc OCF_RESKEY_CRM_meta_interval=10000)" rc=0
q vm n1 'rm -f /run/resource-agents/exportfs-e0.client'
is "... stop without what start learnt: still unexports (0)" "$(ex stop OCF_RESKEY_clientspec=nfsc)" rc=0
is "... nothing left" "$(etab)" 0
q vm n1 'exportfs -o rw,fsid=11 10.79.0.0/255.255.255.0:/srv/a/one'
is "the same network written as /255.255.255.0 by hand: monitor 0 (ours)" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
is "... stop removes it" "$(ex stop)" rc=0
is "... nothing left" "$(etab)" 0
is "start" "$(ex start)" rc=0
q vm n1 'mv /srv/a/one /srv/a/moved'
is "the directory moved away while exported: a recurring monitor fails (1), not 6" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
is "... stop: 0" "$(ex stop)" rc=0
is "... nothing left" "$(etab)" 0
q vm n1 'mv /srv/a/moved /srv/a/one'

# --- a filesystem the kernel cannot export: exportfs(8) warns and writes etab all the same
is "a directory on procfs: start fails (1)" "$(ex start OCF_RESKEY_directory=/proc/sys OCF_RESKEY_fsid=50)" rc=1
ok "... with exportfs's own words" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q "does not support NFS export"'
is "... and no line of it is left in etab" "$(vm n1 "grep -c '^/proc/sys' /var/lib/nfs/etab || true")" 0

# --- nfs.conf's state-directory-path: etab where nfs-utils keeps it
q vm n1 'mkdir -p /etc/nfs.conf.d /srv/a/state && printf "[mountd]\nstate-directory-path=/srv/a/state\n" > /etc/nfs.conf.d/state.conf &&
    pkill -x rpc.mountd; sleep 0.3; rpc.mountd'
is "state-directory-path=/srv/a/state in nfs.conf.d: start" "$(ex start)" rc=0
ok "... the line is in /srv/a/state/etab, not /var/lib/nfs/etab" q vm n1 \
    'grep -q "^/srv/a/one	10.79.0.0/24(.*fsid=11" /srv/a/state/etab && ! grep -q "^/srv/a/one" /var/lib/nfs/etab'
is "... monitor: 0" "$(ex monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
is "... stop" "$(ex stop)" rc=0
is "... nothing left there" "$(vm n1 "grep -c '^/srv/a/' /srv/a/state/etab || true")" 0
is "... probe: 7" "$(ex monitor)" rc=7
q vm n1 'rm /etc/nfs.conf.d/state.conf && pkill -x rpc.mountd; sleep 0.3; rpc.mountd'

# --- bad input
for bad in OCF_RESKEY_fsid=0x10 OCF_RESKEY_fsid=1,2 OCF_RESKEY_fsid=-1 'OCF_RESKEY_clientspec="a b"' \
    OCF_RESKEY_directory=relative OCF_RESKEY_directory=/srv/a/none 'OCF_RESKEY_options="rw sync"' \
    'OCF_RESKEY_directory="/srv/a/one /srv/a/two" OCF_RESKEY_fsid=0123456789abcdef0123456789abcdef'; do
    is "start with $bad: 6" "$(ex start "$bad")" rc=6
done
is "stop of a directory that does not exist: 0" "$(ex stop OCF_RESKEY_directory=/srv/a/none)" rc=0
is "fsid root: start (NFSv4's pseudo-root)" "$(ex start OCF_RESKEY_fsid=root)" rc=0
ok "... n2 mounts it as / over NFSv4.2" q vm n2 'mkdir -p /mnt/v4 && mount -t nfs -o vers=4.2,soft,timeo=20 10.79.0.1:/ /mnt/v4 &&
    grep -qx from-n2 /mnt/v4/f && umount /mnt/v4'
# (the stop's own timeout, 120 s: the kernel's export cache can keep an entry while an
# NFSv4 client's state holds it, and stop waits for it to go)
t=$SECONDS
r=$(ex stop OCF_RESKEY_fsid=root OCF_RESKEY_CRM_meta_timeout=120000)
is "... stop" "$r" rc=0
[ "$r" = rc=0 ] || vm n1 'grep ocf-exit-reason /tmp/err; cat /var/lib/nfs/etab /proc/fs/nfsd/exports /proc/net/rpc/nfsd.export/content' | sed 's/^/# /'
echo "# that stop took $((SECONDS - t)) s"

# --- ocf-tester
if vm n1 'command -v ocf-tester' > /dev/null 2>&1; then
    rc vm n1 "ASAN_OPTIONS=detect_leaks=0 ocf-tester -n e0 -o clientspec=10.79.0.0/24 -o directory=/srv/a/one -o fsid=11 $R/exportfs"
    is "ocf-tester passes exportfs" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi
# --- nfsserver: the server itself, its state on the shared storage (/srv/a/nfsinfo)
q vm n1 'exportfs -ua; rpc.nfsd 0; pkill -x rpc.mountd; pkill -x rpc.statd; sleep 0.5'
ns() { # ns ACTION [VAR=VALUE...]: nfsserver with its info dir on /srv/a
    local a=$1; shift
    vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=nfs \
        OCF_RESKEY_nfs_shared_infodir=/srv/a/nfsinfo OCF_RESKEY_nfs_ip=10.79.0.1 \
        OCF_RESKEY_nfs_smnotify_retry_time=1 OCF_RESKEY_CRM_meta_timeout=40000 $* \
        $R/nfsserver $a 2>/tmp/err; echo rc=\$?" | tail -n 1
}
is "nfsserver: probe, nothing running: 7" "$(ns monitor)" rc=7
is "nfsserver: start" "$(ns start)" rc=0
ok "... nfsd has threads, mountd and statd run, /var/lib/nfs is the info dir" q vm n1 \
    '[ "$(cat /proc/fs/nfsd/threads)" -gt 0 ] && pgrep -x rpc.mountd && pgrep -x rpc.statd &&
     [ "$(stat -c %d:%i /var/lib/nfs)" = "$(stat -c %d:%i /srv/a/nfsinfo)" ]'
is "... monitor: 0" "$(ns monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
n=$(vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=nfs OCF_RESKEY_nfs_shared_infodir=/srv/a/nfsinfo \
    OCF_RESKEY_CRM_meta_interval=10000 strace -f -qq -e trace=execve,fork,vfork -o /tmp/st $R/nfsserver monitor 2>/dev/null; grep -c . /tmp/st")
is "... monitor starts no process (strace: one execve, its own)" "$n" 1
is "exportfs on it: start" "$(ex start)" rc=0
ok "... n2 mounts it (NFSv3) and reads" q vm n2 'mount -t nfs -o vers=3,soft,timeo=20 10.79.0.1:/srv/a/one /mnt/a &&
    grep -qx from-n2 /mnt/a/f && umount /mnt/a'
q vm n1 'pkill -x rpc.mountd; for i in $(seq 50); do pgrep -x rpc.mountd > /dev/null || exit 0; sleep 0.1; done; exit 1'
is "rpc.mountd killed behind its back: monitor fails (1)" "$(ns monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
ok "... naming it" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q rpc.mountd'
is "... start brings it back" "$(ns start)" rc=0
q vm n1 'echo 0 > /proc/fs/nfsd/threads'
is "nfsd's threads stopped behind its back: monitor fails (1)" "$(ns monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
is "... start again" "$(ns start)" rc=0
is "exportfs: stop" "$(ex stop)" rc=0
is "nfsserver: stop" "$(ns stop)" rc=0
ok "... no threads, no mountd, no statd, /var/lib/nfs no longer the info dir" q vm n1 \
    '[ "$(cat /proc/fs/nfsd/threads)" = 0 ] && ! pgrep -x rpc.mountd && ! pgrep -x rpc.statd &&
     [ "$(stat -c %d:%i /var/lib/nfs)" != "$(stat -c %d:%i /srv/a/nfsinfo)" ]'
is "... probe after stop: 7" "$(ns monitor)" rc=7
is "... stop when stopped: 0" "$(ns stop)" rc=0
is "start, then nfsd's filesystem unmounted behind its back" "$(ns start)" rc=0
q vm n1 'umount /proc/fs/nfsd'
is "... a probe still sees the nfsd threads: not 7" "$(ns monitor | grep -c rc=7)" 0
is "... stop mounts it again to stop the threads (0)" "$(ns stop)" rc=0
ok "... no nfsd thread is left" q vm n1 '! pgrep -x nfsd'
q vm n1 'rpc.statd --no-notify'
old=$(vm n1 'pgrep -x rpc.statd')
is "a statd of the node's own, running before start: start" "$(ns start)" rc=0
ok "... that statd was restarted (a new pid): its records now go to the info dir" q vm n1 \
    "p=\$(pgrep -x rpc.statd) && [ -n \"\$p\" ] && [ \"\$p\" != '$old' ]"
q vm n1 'pkill -x rpcbind; sleep 0.3'
is "rpcbind killed behind its back: monitor fails (1)" "$(ns monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=1
ok "... naming it" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q rpcbind'
is "... start brings it back" "$(ns start)" rc=0
# statd's record of a client: kept by stop in sm.ha, put back by start (lockd would have
# made statd delete it when nfsd stopped)
q vm n1 'printf "0100007f 000186b5 00000003 00000010 0000000000000000000000000000000000000000 10.79.0.9 n1\n" > /var/lib/nfs/sm/10.79.0.9'
is "a client's record in sm/: stop" "$(ns stop)" rc=0
ok "... kept in the info dir's sm.ha/sm" q vm n1 'test -s /srv/a/nfsinfo/sm.ha/sm/10.79.0.9'
q vm n1 'rm -f /srv/a/nfsinfo/sm/10.79.0.9'
is "... gone from sm/ (as lockd and statd do): start" "$(ns start)" rc=0
ok "... the record is back (in sm/, or in sm.bak/ while sm-notify tries the client)" q vm n1 \
    'test -s /var/lib/nfs/sm/10.79.0.9 || test -s /var/lib/nfs/sm.bak/10.79.0.9'
is "... stop" "$(ns stop)" rc=0
is "nfs_server_scope=scope-n1.test: start" "$(ns start OCF_RESKEY_nfs_server_scope=scope-n1.test)" rc=0
ok "... nfsd has threads, and the guest's own host name stays n1" q vm n1 \
    '[ "$(cat /proc/fs/nfsd/threads)" -gt 0 ] && [ "$(hostname)" = n1 ]'
is "... stop" "$(ns stop)" rc=0
# --- nfsnotify: the clients told from an address of this node (which must resolve)
nn() { # nn ACTION [VAR=VALUE...]: nfsnotify from 10.79.0.1
    local a=$1; shift
    vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=nn \
        OCF_RESKEY_source_host=10.79.0.1 OCF_RESKEY_notify_args='-m 1' OCF_RESKEY_CRM_meta_timeout=30000 $* \
        $R/nfsnotify $a 2>/tmp/err; echo rc=\$?" | tail -n 1
}
q vm n1 'echo "10.79.0.1 n1.test" >> /etc/hosts'
is "nfsserver: start, without its own notification" "$(ns start OCF_RESKEY_nfs_no_notify=true)" rc=0
is "nfsnotify: probe, never started: 7" "$(nn monitor)" rc=7
is "nfsnotify: start from 10.79.0.1" "$(nn start)" rc=0
is "... monitor: 0" "$(nn monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
n=$(vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=nn OCF_RESKEY_source_host=10.79.0.1 \
    OCF_RESKEY_CRM_meta_interval=30000 strace -f -qq -e trace=execve,fork,vfork -o /tmp/st $R/nfsnotify monitor 2>/dev/null; grep -c . /tmp/st")
is "... monitor starts no process (strace: one execve, its own)" "$n" 1
is "source_host 10.79.0.77, not an address of this node: start fails (1)" "$(nn start OCF_RESOURCE_INSTANCE=nn2 OCF_RESKEY_source_host=10.79.0.77)" rc=1
ok "... saying so" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q "10.79.0.77 is not an address of this node"'
q vm n1 'pkill -x rpc.statd; sleep 0.3; rpc.statd --no-notify'
is "rpc.statd replaced behind its back: monitor fails (1)" "$(nn monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=1
ok "... saying the clients must be told again" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q "told again"'
is "... start tells them again: 0" "$(nn start)" rc=0
is "... monitor: 0" "$(nn monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "... stop" "$(nn stop)" rc=0
is "... probe after stop: 7" "$(nn monitor)" rc=7
for bad in 'OCF_RESKEY_source_host=",,"' 'OCF_RESKEY_source_host="a;b"' \
    "OCF_RESKEY_notify_args='$(echo {1..17})'" 'OCF_RESKEY_notify_args="-m \$(id)"'; do
    is "nfsnotify start with $bad: 6" "$(nn start "$bad")" rc=6
done
ok "... no sm-notify left" q vm n1 '! pgrep -x sm-notify'
if vm n1 'command -v ocf-tester' > /dev/null 2>&1; then
    rc vm n1 "ASAN_OPTIONS=detect_leaks=0 ocf-tester -n nn -o source_host=10.79.0.1 $R/nfsnotify"
    is "ocf-tester passes nfsnotify" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi
is "nfsserver: stop" "$(ns stop)" rc=0
is "nfsv4_only: start" "$(ns start OCF_RESKEY_nfsv4_only=true)" rc=0
ok "... no statd" q vm n1 '! pgrep -x rpc.statd'
is "... monitor: 0" "$(ns monitor OCF_RESKEY_nfsv4_only=true OCF_RESKEY_CRM_meta_interval=10000)" rc=0
is "... stop" "$(ns stop OCF_RESKEY_nfsv4_only=true)" rc=0
if vm n1 'command -v ocf-tester' > /dev/null 2>&1; then
    rc vm n1 "ASAN_OPTIONS=detect_leaks=0 ocf-tester -n nfs -o nfs_shared_infodir=/srv/a/nfsinfo $R/nfsserver"
    is "ocf-tester passes nfsserver" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi

"$VM" down
is "nothing left behind" "$("$VM" leftovers)" ""
echo "# whole nfs test: $((SECONDS - t0)) s"
tap_done
