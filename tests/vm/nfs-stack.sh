#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed 003's storage pair, whole, moving between two guests under a client that keeps
# writing and holds a lock: DRBD (drbddisk) under LVM (LVM-activate, tagging), two ext4
# LVs (Filesystem), the kernel NFS server with its state on the shared storage
# (nfsserver), one export per LV with a fixed fsid (exportfs), and the address clients
# use (IPaddr2).  n1 and n2 serve, n3 is the client (NFSv3, a hard mount of each
# export).  The stack is stopped in order on one node and started on the other, twice
# (n1 -> n2 -> n1): the client's mounts survive (no stale file handle), every write it
# saw acknowledged is there, in order, what it reads back is what it wrote, and the lock
# it holds is reclaimed on the new server (statd's notification, NLM's grace period).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/vm/lib.sh"
vm_test exportfs rpc.mountd drbdadm
R=/usr/lib/ocf/resource.d/rampart
VIP=10.79.0.100
t0=$SECONDS
rc "$VM" up 3
is "three guests boot" "$RC" 0
[ "$RC" = 0 ] || { tap_done; exit 1; }

# ag NODE AGENT INSTANCE ACTION [VAR=VALUE...]: an OCF agent as Pacemaker runs it; "rc=N"
ag() {
    local n=$1 a=$2 i=$3 act=$4; shift 4
    vm "$n" "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$i \
        OCF_RESKEY_CRM_meta_timeout=90000 $* $R/$a $act 2>>/tmp/err.$i; echo rc=\$?" | tail -n 1
}
# The stack, bottom up, as "AGENT INSTANCE PARAMS".  The address comes after the exports,
# so that no client reaches a server that does not export yet (it would answer "stale
# file handle"); the clients are told by nfsnotify after it, since sm-notify sends from
# the address (nfsserver's own notification is off)
stack=(
    "drbddisk r0 -"
    "LVM-activate vg OCF_RESKEY_vgname=storage OCF_RESKEY_vg_access_mode=tagging OCF_RESKEY_tag=seed003"
    "Filesystem web OCF_RESKEY_device=/dev/storage/web_files OCF_RESKEY_directory=/srv/web_files OCF_RESKEY_fstype=ext4 OCF_RESKEY_options=nosuid,usrquota,noatime"
    "Filesystem other OCF_RESKEY_device=/dev/storage/other_files OCF_RESKEY_directory=/srv/other_files OCF_RESKEY_fstype=ext4 OCF_RESKEY_options=nosuid,usrquota,noatime"
    "nfsserver nfs OCF_RESKEY_nfs_shared_infodir=/srv/other_files/nfsinfo OCF_RESKEY_nfs_no_notify=true"
    "exportfs exw OCF_RESKEY_clientspec=10.79.0.0/24 OCF_RESKEY_directory=/srv/web_files OCF_RESKEY_fsid=1 OCF_RESKEY_options=rw,no_root_squash,sync"
    "exportfs exo OCF_RESKEY_clientspec=10.79.0.0/24 OCF_RESKEY_directory=/srv/other_files OCF_RESKEY_fsid=2 OCF_RESKEY_options=rw,no_root_squash,sync"
    "IPaddr2 ip OCF_RESKEY_ip=$VIP OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=eth0"
    "nfsnotify notify OCF_RESKEY_source_host=$VIP"
)
# one ACTION NODE ENTRY: that resource's ACTION on NODE; "rc=N"
one() {
    local act=$1 n=$2 a i p
    read -r a i p <<< "$3"
    if [ "$a" = drbddisk ]; then
        vm "$n" "/etc/ha.d/resource.d/drbddisk $i $act > /dev/null 2>>/tmp/err.$i; echo rc=\$?" | tail -n 1
    else
        ag "$n" "$a" "$i" "$act" "$p"
    fi
}
# up NODE / down NODE: the whole stack started bottom up / stopped top down, each step checked
up() {
    local e t
    for e in "${stack[@]}"; do
        t=$SECONDS
        is "$1: start ${e%% *} ${e#* }" "$(one start "$1" "$e")" rc=0
        echo "#   $((SECONDS - t)) s"
    done
}
down() {
    local k t
    for ((k = ${#stack[@]} - 1; k >= 0; k--)); do
        t=$SECONDS
        is "$1: stop $(cut -d' ' -f1,2 <<< "${stack[k]}")" "$(one stop "$1" "${stack[k]}")" rc=0
        echo "#   $((SECONDS - t)) s"
    done
}
probe_all() { # probe_all NODE: every resource's probe says 7
    local e a i p r bad=""
    for e in "${stack[@]}"; do
        read -r a i p <<< "$e"
        [ "$a" = drbddisk ] && continue
        r=$(ag "$1" "$a" "$i" monitor "$p")
        [ "$r" = rc=7 ] || bad="$bad $i:$r"
    done
    echo "${bad:-none}"
}

# --- the storage: DRBD on vda, LVM sees only DRBD devices (never the backing disk)
# NFS's grace period (90 s by default: no new lock meanwhile, only reclaims) made 10 s,
# the way an administrator would: nfs.conf for nfsd, the sysctl for lockd
for n in n1 n2; do
    vm "$n" 'sed -i "s|^\t# global_filter = .*|\tglobal_filter = [ \"a\|^/dev/drbd\|\", \"r\|.*\|\" ]|" /etc/lvm/lvm.conf &&
             mkdir -p /srv/web_files /srv/other_files &&
             sed -i "s/^# grace-time=90/grace-time=10/; s/^# lease-time=90/lease-time=10/" /etc/nfs.conf &&
             modprobe lockd && echo 10 > /proc/sys/fs/nfs/nlm_grace_period' > /dev/null 2>&1 &
done
wait
# the service's name: sm-notify sends the name the address resolves to
for n in n1 n2 n3; do vm "$n" "echo '$VIP nfs-vip' >> /etc/hosts" > /dev/null & done
wait
rc vm_drbd_pair r0
is "DRBD r0 connected and UpToDate on n1 and n2" "$RC" 0
for n in n1 n2; do q vm_udevd $n & done
wait
ok "n1 Primary: a VG 'storage' on /dev/drbd0, LVs web_files and other_files, ext4 on each" q vm n1 \
    'drbdadm primary r0 && pvcreate -q /dev/drbd0 && vgcreate -q storage /dev/drbd0 &&
     lvcreate -q -y -L 20M -n web_files storage && lvcreate -q -y -L 20M -n other_files storage &&
     mkfs.ext4 -q /dev/storage/web_files && mkfs.ext4 -q /dev/storage/other_files &&
     vgchange -q -an storage && drbdadm secondary r0'
ok "n3, the client: rpcbind and rpc.statd (NLM needs them)" q vm n3 \
    'rpcbind -w && rpc.statd && mkdir -p /mnt/w /mnt/o'

# --- the stack on n1; the client mounts both exports through the address
up n1
is "n2: every probe says not running" "$(probe_all n2)" none
ok "n3 mounts both exports from $VIP (NFSv3, hard)" q vm n3 \
    "mount -t nfs -o vers=3,hard,timeo=10,retrans=2 $VIP:/srv/web_files /mnt/w &&
     mount -t nfs -o vers=3,hard,timeo=10,retrans=2 $VIP:/srv/other_files /mnt/o"
# the writer: a numbered line per write, each O_SYNC (acknowledged = on the server's
# disk); the number of the last acknowledged write in /tmp/acked; each line read back
# through the mount; any error (a stale handle above all) in /tmp/errors
cat > "$VM_DIR/n3/writer.sh" << 'EOF'
i=0
: > /tmp/errors
while [ ! -e /tmp/stop-writer ]; do
    i=$((i + 1))
    if ! out=$(echo "$i" | dd of=/mnt/w/log oflag=append,sync conv=notrunc status=none 2>&1); then
        echo "write $i: $out" >> /tmp/errors; sleep 0.2; i=$((i - 1)); continue
    fi
    echo "$i" > /tmp/acked
    echo "$i $(date +%s.%N)" >> /tmp/acklog
    last=$(tail -n 1 /mnt/w/log 2>&1) || echo "read after $i: $last" >> /tmp/errors
    [ "$last" = "$i" ] || echo "read after $i: got '$last'" >> /tmp/errors
    sleep 0.05
done
EOF
ok "the client starts writing /mnt/w/log" q vm n3 \
    '(setsid sh /xfer/writer.sh > /dev/null 2>&1 < /dev/null &) ;
     for i in $(seq 100); do [ -s /tmp/acked ] && exit 0; sleep 0.1; done; exit 1'
t=$SECONDS
ok "... and takes a lock on /mnt/o/lockfile (flock over NFSv3: an NLM lock; granted once the grace period ends)" q vm n3 \
    '(setsid flock -x /mnt/o/lockfile -c "echo held > /tmp/locked; exec sleep 100000" > /dev/null 2>&1 < /dev/null &) ;
     for i in $(seq 600); do [ -s /tmp/locked ] && exit 0; sleep 0.1; done; exit 1'
echo "#   the lock was granted after $((SECONDS - t)) s"
# server_locked NODE: the server's kernel has a POSIX lock (lockd's, for the client) on
# the lock file's inode
server_locked() {
    vm "$1" 'ino=$(stat -c %i /srv/other_files/lockfile) &&
             for i in $(seq '"${2:-1}"'); do grep -q "POSIX.*:$ino " /proc/locks && exit 0; sleep 1; done; exit 1'
}
ok "n1's kernel holds the client's lock" server_locked n1
ok "n1's statd monitors the client (its record in the shared info dir)" q vm n1 \
    'ls /srv/other_files/nfsinfo/sm | grep -q .'
acked_before=$(vm n3 'cat /tmp/acked')

# move NODE-FROM NODE-TO: the stack stopped on one, started on the other, while the client writes
move() {
    local from=$1 to=$2 t a1 a2
    t=$SECONDS
    down "$from"
    is "$from: every probe says not running after the stop" "$(probe_all "$from")" none
    ok "$from: nothing of the stack left (no mount, no LV, DRBD Secondary, no nfsd thread)" q vm "$from" \
        '! grep -q " /srv/\| /var/lib/nfs " /proc/self/mountinfo && ! ls /sys/block/dm-* > /dev/null 2>&1 &&
         [ "$(drbdadm role r0)" = Secondary/Secondary ] && [ "$(cat /proc/fs/nfsd/threads)" = 0 ]'
    up "$to"
    echo "# the stack moved $from -> $to in $((SECONDS - t)) s"
    a1=$(vm n3 'cat /tmp/acked')
    ok "the client writes again through $to (within 120 s)" vm n3 \
        "for i in \$(seq 600); do [ \"\$(cat /tmp/acked)\" -gt $((a1 + 5)) ] && exit 0; sleep 0.2; done; exit 1"
    echo "# client: $(vm n3 'cat /tmp/acked') writes acknowledged"
    t=$SECONDS
    ok "$to's kernel holds the client's lock again (reclaimed after statd's notification, within 120 s)" \
        server_locked "$to" 120
    echo "#   reclaimed within $((SECONDS - t)) s of the client writing again"
    ok "... $to's statd monitors the client (its record back in sm/, for the next move)" q vm "$to" \
        'ls /var/lib/nfs/sm | grep -q .'
    ok "... the client's flock never let go" q vm n3 'pgrep -f "flock -x /mnt/o/lockfile" && [ -s /tmp/locked ]'
    is "no error on the client (no stale file handle, reads match writes)" "$(vm n3 'cat /tmp/errors')" ""
}
move n1 n2
move n2 n1

# --- the client's view at the end: every acknowledged write there, in order
ok "the writer stops" q vm n3 'touch /tmp/stop-writer; for i in $(seq 100); do pgrep -f writer.sh > /dev/null || exit 0; sleep 0.1; done; exit 1'
acked=$(vm n3 'cat /tmp/acked')
echo "# $acked writes acknowledged ($acked_before before the first move); the client's longest wait for one: \
$(vm n3 "awk 'NR > 1 && \$2 - t > m { m = \$2 - t } { t = \$2 } END { printf \"%.1f s\", m }' /tmp/acklog")"
ok "every acknowledged write is in the file, in order (1..$acked)" q vm n3 \
    "head -n $acked /mnt/w/log > /tmp/h && seq 1 $acked > /tmp/s && cmp /tmp/h /tmp/s"
ok "... and the server's own copy says the same" q vm n1 \
    "head -n $acked /srv/web_files/log > /tmp/h && seq 1 $acked > /tmp/s && cmp /tmp/h /tmp/s"
ok "the client's mounts are still there" q vm n3 'grep -q " /mnt/w nfs " /proc/mounts && grep -q " /mnt/o nfs " /proc/mounts'
q vm n3 'pkill -f "flock -x /mnt/o/lockfile"; pkill -x sleep; sleep 0.5; umount /mnt/w; umount /mnt/o'
down n1

"$VM" down
is "nothing left behind" "$("$VM" leftovers)" ""
echo "# whole nfs-stack test: $((SECONDS - t0)) s"
tap_done
