#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rows in guests (tests/vm), side by side.  drbd: LINBIT's ocf:linbit:drbd and ours on the same DRBD 8.4
# resource, in two guests of tests/vm (real DRBD, TCG: every exec costs tens of ms,
# which is what the rows show).  Both run outside a cluster: LINBIT's agent still runs
# crm_master (which fails), ours knows there is no cluster and sets no score (inside one
# it runs crm_attribute only when the score changes).  The guest n1 runs abrun; n2 is the
# peer, always up.
# LVM-activate: both agents on one VG of two LVs on n1, system_id mode.  exportfs: both
# on one export of the kernel NFS server on n1.  nfsserver: both on the server itself.
# Usage: bench/vm.sh [ROUNDS] [BUILD_DIR]      (needs root; about 15 minutes at 15)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-15}
sections=${BENCH_VM:-drbd lvm exportfs nfsserver} # BENCH_VM="lvm nfsserver": only those (exportfs and nfsserver need lvm's VG)
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }
b=${2:-$top/_build/bench}
bash "$top/tests/deps.sh" bench > /dev/null
bash "$top/tests/deps.sh" test > /dev/null
. "$top/bench/lib.sh"
bench_build "$b"
L=/usr/lib/ocf/resource.d/linbit/drbd
[ -x "$L" ] || { echo "drbd rows need LINBIT's agent ($L, drbd-utils): skipped"; exit 0; }
export VM_DIR VM_BUILD=$b VM_DISK=64M
VM_DIR=$(mktemp -d /tmp/rampart-bench-vm.XXXXXX)
VM_OURS=1
OUT=$VM_DIR.q
tap_cleanup() { rm -f "$OUT"; }
. "$top/tests/vm/lib.sh"
T=$VM_DIR/n1 # what n1 sees as /xfer
"$VM" up 2 > /dev/null
vm_drbd_pair r0
cc -O2 -o "$T/noop" "$top/bench/noop.c"
cc -O2 -o "$T/abrun" "$top/bench/abrun.c"
R=/usr/lib/ocf/resource.d/rampart/drbd
# a promotable clone's meta attributes, as Pacemaker passes them (LINBIT's agent refuses
# to run without them)
env="OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=d0 OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_CRM_meta_timeout=60000
    OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone_node_max=1 OCF_RESKEY_CRM_meta_notify=true
    OCF_RESKEY_CRM_meta_master_max=1 OCF_RESKEY_CRM_meta_master_node_max=1
    OCF_RESKEY_CRM_meta_promoted_max=1 OCF_RESKEY_CRM_meta_promoted_node_max=1"
env=$(echo $env)
# grow LABEL [SUFFIX] GROUPS...: abrun in n1 over the groups (after the floor), then the row
grow() {
    local label=$1 sfx=$2; shift 2
    vm n1 "env $env /xfer/abrun $rounds -- floor /xfer/noop $*" > "$T/out"
    print_row "$label" "$sfx" "$T/out"
}
if want drbd; then
table_head "drbd on DRBD 8.4 in a guest (anchor: ocf:linbit:drbd; $rounds rounds, medians in ms)"
grow "drbd meta-data" "" -- anchor $L meta-data -- rampart $R meta-data
grow "drbd monitor (unpromoted)" "" -- anchor /usr/bin/env OCF_RESKEY_CRM_meta_interval=20000 $L monitor \
    -- rampart /usr/bin/env OCF_RESKEY_CRM_meta_interval=20000 $R monitor
vm n1 "env $env $R promote" > /dev/null
grow "drbd monitor (promoted)" "" -- anchor /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $L monitor \
    -- rampart /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $R monitor
vm n1 "env $env $R demote" > /dev/null
grp="-- anchor $L promote -- anchor-demote $L demote -- rampart $R promote -- rampart-demote $R demote"
grow "drbd promote" "" $grp
print_row "drbd demote" demote "$T/out"
grp="-- anchor $L stop -- anchor-start $L start -- rampart $R stop -- rampart-start $R start"
grow "drbd stop (Secondary, connected)" "" $grp
print_row "drbd start (the peer up: waits for it)" start "$T/out"
# the execs of one monitor: strace counts them
for who in anchor rampart; do
    a=$L; [ $who = rampart ] && a=$R
    n=$(vm n1 "env $env OCF_RESKEY_CRM_meta_interval=20000 strace -f -qq -e trace=execve -o /tmp/st $a monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st" || true)
    printf "%-44s %s\n" "execs in one monitor, $who" "$((n - 1))"
done

fi

# ---------------------------------------------------------------- LVM-activate
if want lvm || want exportfs || want nfsserver; then
# A VG on n1's second disk, system_id mode; both agents on the same VG.
vm_udevd n1 > /dev/null 2>&1
vm n1 'sed -i "s/^\t# system_id_source = \"none\"/\tsystem_id_source = \"uname\"/" /etc/lvm/lvm.conf &&
    pvcreate -q /dev/vdb && vgcreate -q vgb /dev/vdb && lvcreate -q -y -L 8M -n a vgb &&
    lvcreate -q -y -L 8M -n b vgb && vgchange -q -an vgb' > /dev/null 2>&1
HL=/usr/lib/ocf/resource.d/heartbeat/LVM-activate
RL=/usr/lib/ocf/resource.d/rampart/LVM-activate
env="OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=lv0 OCF_RESKEY_vgname=vgb OCF_RESKEY_vg_access_mode=system_id OCF_RESKEY_CRM_meta_timeout=60000"
table_head "LVM-activate on device-mapper in a guest (anchor: ocf:heartbeat:LVM-activate; $rounds rounds)"
grow "LVM-activate meta-data" "" -- anchor $HL meta-data -- rampart $RL meta-data
vm n1 "env $env $RL start" > /dev/null
grow "LVM-activate monitor (2 LVs active)" "" -- anchor /usr/bin/env OCF_RESKEY_CRM_meta_interval=30000 $HL monitor \
    -- rampart /usr/bin/env OCF_RESKEY_CRM_meta_interval=30000 $RL monitor
grp="-- anchor $HL stop -- anchor-start $HL start -- rampart $RL stop -- rampart-start $RL start"
grow "LVM-activate stop" "" $grp
print_row "LVM-activate start" start "$T/out"
for who in anchor rampart; do
    a=$HL; [ $who = rampart ] && a=$RL
    n=$(vm n1 "env $env OCF_RESKEY_CRM_meta_interval=30000 strace -f -qq -e trace=execve -o /tmp/st $a monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st" || true)
    printf "%-44s %s\n" "execs in one LVM-activate monitor, $who" "$((n - 1))"
done

fi

# ---------------------------------------------------------------- exportfs
if want exportfs; then
# The kernel NFS server on n1, an ext4 on its LV a; both agents on the same export.
vm n1 'modprobe nfsd && mount -t nfsd nfsd /proc/fs/nfsd && mkdir -p /var/lib/nfs/rpc_pipefs /srv/e &&
    mkfs.ext4 -q -F /dev/vgb/a && mount /dev/vgb/a /srv/e && rpcbind -w && rpc.statd --no-notify &&
    rpc.mountd && rpc.nfsd 4' > /dev/null 2>&1
HE=/usr/lib/ocf/resource.d/heartbeat/exportfs
RE=/usr/lib/ocf/resource.d/rampart/exportfs
env="OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=e0 OCF_RESKEY_clientspec=10.79.0.0/24 OCF_RESKEY_directory=/srv/e OCF_RESKEY_fsid=7 OCF_RESKEY_options=rw OCF_RESKEY_CRM_meta_timeout=60000"
table_head "exportfs on the kernel NFS server in a guest (anchor: ocf:heartbeat:exportfs; $rounds rounds)"
grow "exportfs meta-data" "" -- anchor $HE meta-data -- rampart $RE meta-data
vm n1 "env $env $HE start && env $env $RE start" > /dev/null
grow "exportfs monitor (exported)" "" -- anchor /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $HE monitor \
    -- rampart /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $RE monitor
grp="-- anchor $HE stop -- anchor-start $HE start -- rampart $RE stop -- rampart-start $RE start"
grow "exportfs stop" "" $grp
print_row "exportfs start" start "$T/out"
for who in anchor rampart; do
    a=$HE; [ $who = rampart ] && a=$RE
    n=$(vm n1 "env $env OCF_RESKEY_CRM_meta_interval=10000 strace -f -qq -e trace=execve -o /tmp/st $a monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st" || true)
    printf "%-44s %s\n" "execs in one exportfs monitor, $who" "$((n - 1))"
done
fi
# ---------------------------------------------------------------- nfsserver
if want nfsserver; then
# Both agents on one server on n1, its state on the LV (/srv/e/nfsinfo); what the exportfs
# rows set up is taken down first.  The anchor runs Debian's init script
# (/etc/init.d/nfs-kernel-server), as it does on Debian, where that script exists.
vm n1 'exportfs -ua; rpc.nfsd 0; pkill -x rpc.mountd; pkill -x rpc.statd; sleep 0.5
    grep -q " /srv/e " /proc/mounts || { mkdir -p /srv/e && { mount /dev/vgb/a /srv/e ||
        { mkfs.ext4 -q -F /dev/vgb/a && mount /dev/vgb/a /srv/e; }; }; }' > /dev/null 2>&1
HN=/usr/lib/ocf/resource.d/heartbeat/nfsserver
RN=/usr/lib/ocf/resource.d/rampart/nfsserver
env="OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=nfs OCF_RESKEY_nfs_shared_infodir=/srv/e/nfsinfo OCF_RESKEY_nfs_ip=10.79.0.1 OCF_RESKEY_CRM_meta_timeout=60000"
table_head "nfsserver, the kernel NFS server in a guest (anchor: ocf:heartbeat:nfsserver; $rounds rounds)"
grow "nfsserver meta-data" "" -- anchor $HN meta-data -- rampart $RN meta-data
vm n1 "env $env $RN start" > /dev/null
grow "nfsserver monitor (running)" "" -- anchor /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $HN monitor \
    -- rampart /usr/bin/env OCF_RESKEY_CRM_meta_interval=10000 $RN monitor
grp="-- anchor $HN stop -- anchor-start $HN start -- rampart $RN stop -- rampart-start $RN start"
grow "nfsserver stop" "" $grp
print_row "nfsserver start" start "$T/out"
for who in anchor rampart; do
    a=$HN; [ $who = rampart ] && a=$RN
    n=$(vm n1 "env $env OCF_RESKEY_CRM_meta_interval=10000 strace -f -qq -e trace=execve -o /tmp/st $a monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st" || true)
    printf "%-44s %s\n" "execs in one nfsserver monitor, $who" "$((n - 1))"
done
fi
"$VM" down > /dev/null
rm -rf "$VM_DIR"
