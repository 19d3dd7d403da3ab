#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The guests themselves, proven in one boot of two: they reach each other and
# the switch; they show the build tree's agents where callers look; real DRBD
# replicates between them; the kernel NFS server exports the DRBD filesystem
# to the peer (NFSv3 and v4.2); LVM with udevd; heartbeat v1 runs a
# haresources line of ours; corosync + Pacemaker across both; and Pacemaker's
# fencer, through Rampart's fence_ipmilan and the guest's BMC, really powers
# a guest off and on again.  Nothing is left behind.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/vm/lib.sh"
[ -x /usr/libexec/heartbeat/heartbeat ] || skip_all "heartbeat is not installed"
vm_test busybox drbdadm pvcreate exportfs ipmi_sim corosync pacemakerd
t0=$SECONDS
rc "$VM" up 2
is "two guests boot ($((SECONDS - t0)) s)" "$RC" 0
[ "$RC" = 0 ] || { cat "$ERR" | sed 's/^/# /'; tap_done; exit 1; }
ok "the guests reach each other" q vm n1 'ping -c 1 -W 5 10.79.0.2'
ok "... and the switch reaches them" q "$VM" ns ping -c 1 -W 5 10.79.0.1
ok "the guest runs a real kernel of its own" q vm n1 "[ \"\$(uname -r)\" != '$(uname -r)' ] && modprobe drbd"
ok "the build tree's agents are where their callers look" q vm n1 \
    '/usr/lib/ocf/resource.d/rampart/Dummy meta-data | grep -q "<resource-agent name=\"Dummy\"" &&
     test -x /etc/ha.d/resource.d/IPaddr2 && /usr/sbin/fence_ipmilan -o metadata | grep -q fence_ipmilan'

# --- DRBD: replicated from n1 to n2
t=$SECONDS
ok "DRBD: a fresh pair connects, both UpToDate" q vm_drbd_pair r0
ok "DRBD: n1 Primary writes ext4" q vm n1 'drbdadm primary r0 && mkfs.ext4 -q -F /dev/drbd0 && mkdir -p /export &&
    mount /dev/drbd0 /export && echo replicated-by-drbd > /export/f && umount /export && drbdadm secondary r0'
ok "DRBD: n2 Primary reads what n1 wrote ($((SECONDS - t)) s)" q vm n2 'drbdadm primary r0 && mkdir -p /export &&
    mount /dev/drbd0 /export && grep -q replicated-by-drbd /export/f'

# --- the kernel NFS server on n2 exports it, n1 mounts it
t=$SECONDS
ok "NFS: n2's kernel server exports the DRBD filesystem" q vm n2 'modprobe nfsd && mount -t nfsd nfsd /proc/fs/nfsd &&
    mkdir -p /var/lib/nfs/rpc_pipefs && rpcbind -w && rpc.statd --no-notify && rpc.mountd && rpc.nfsd 2 &&
    exportfs -o rw,no_root_squash,fsid=0 10.79.0.0/24:/export'
ok "NFS: n1 mounts it over NFSv3" q vm n1 'rpcbind -w && rpc.statd --no-notify && mkdir -p /mnt/v3 &&
    mount -t nfs -o vers=3,soft,timeo=20 10.79.0.2:/export /mnt/v3 && grep -q replicated-by-drbd /mnt/v3/f && umount /mnt/v3'
ok "NFS: ... and over NFSv4.2 ($((SECONDS - t)) s)" q vm n1 'mkdir -p /mnt/v4 &&
    mount -t nfs -o vers=4.2,soft,timeo=20 10.79.0.2:/ /mnt/v4 && grep -q replicated-by-drbd /mnt/v4/f && umount /mnt/v4'
ok "NFS: n2 stops serving and hands DRBD back" q vm n2 'exportfs -ua && rpc.nfsd 0 && umount /export && drbdadm secondary r0'

# --- LVM on n1's second disk, with udevd
ok "LVM: a volume group and a logical volume, with its /dev/VG/LV" q vm n1 'modprobe dm-mod &&
    /lib/systemd/systemd-udevd --daemon && udevadm trigger && udevadm settle &&
    pvcreate -q /dev/vdb && vgcreate -q vmvg /dev/vdb && lvcreate -q -L 8M -n lv0 vmvg && udevadm settle &&
    test -b /dev/vmvg/lv0 && vgchange -q -an vmvg && ! test -e /dev/vmvg/lv0'

# --- heartbeat v1 runs one of our agents from haresources
t=$SECONDS
q vm_hb_up "n1 Dummy::/run/hb.state" n1 n2
ok "heartbeat v1: n1 starts Dummy::/run/hb.state from haresources" q vm n1 \
    'for i in $(seq 200); do [ -e /run/hb.state ] && exit 0; sleep 0.2; done; tail -20 /var/log/ha-log; exit 1'
ok "heartbeat v1: ... which it ran as /etc/ha.d/resource.d/Dummy /run/hb.state start ($((SECONDS - t)) s)" q vm n1 \
    'grep -q "resource.d/Dummy /run/hb.state start" /var/log/ha-log'
q vm_hb_down n1 n2
ok "heartbeat v1: stopping it stops the resource" q vm n1 'test ! -e /run/hb.state'

# --- corosync + Pacemaker across the guests
t=$SECONDS
ok "Pacemaker: a cluster of the two guests" q vm_pcmk_up n1 n2
echo "# Pacemaker up in $((SECONDS - t)) s"
# the password goes into the CIB from a file in the mailbox, never on a command line
pw=$(cat "$VM_DIR/bmc.pass")
printf '%s\n' '<primitive id="fence-n2" class="stonith" type="fence_ipmilan">' \
    '<instance_attributes id="f2"><nvpair id="f2-ip" name="ip" value="10.79.0.254"/>' \
    '<nvpair id="f2-port" name="ipport" value="16402"/><nvpair id="f2-user" name="username" value="admin"/>' \
    "<nvpair id=\"f2-pw\" name=\"password\" value=\"$pw\"/>" \
    '<nvpair id="f2-hosts" name="pcmk_host_list" value="n2"/></instance_attributes></primitive>' \
    > "$VM_DIR/n1/fence.xml"
vm n1 'crm_attribute -t crm_config -n no-quorum-policy -v ignore && cibadmin -C -o resources -x /xfer/fence.xml' > /dev/null
ok "Pacemaker: the fence device of n2 runs (its monitor reached the BMC)" q vm n1 \
    'for i in $(seq 120); do crm_mon -1 2>/dev/null | grep -q "fence-n2.*Started" && exit 0; sleep 0.5; done; crm_mon -1; exit 1'
boot_id=$(vm n2 'cat /proc/sys/kernel/random/boot_id')
qemu_pid=$(cat "$VM_DIR/n2.pid")
t=$SECONDS
rc vm n1 'stonith_admin --reboot n2 --timeout 60'
is "fencing: stonith_admin --reboot n2, through fence_ipmilan and n2's BMC" "$RC" 0
ok "fencing: the BMC was told off, then on" bash -c "grep -q 'set power 0' '$VM_DIR/bmc2/chassis.log' && grep -q 'set power 1' '$VM_DIR/bmc2/chassis.log'"
ok "fencing: n2 really lost its power and boots again ($((SECONDS - t)) s)" bash -c \
    "for i in \$(seq 300); do [ -e '$VM_DIR/n2/ready' ] && exit 0; sleep 0.1; done; exit 1"
ok "fencing: ... in a new qemu process (the old one was killed)" bash -c \
    "! kill -0 $qemu_pid 2>/dev/null && [ \"\$(cat '$VM_DIR/n2.pid')\" != $qemu_pid ]"
ok "fencing: ... as a new boot" bash -c "[ \"\$('$VM' run n2 'cat /proc/sys/kernel/random/boot_id')\" != '$boot_id' ]"

# --- the BMC's power is the guest's own
"$VM" poweroff n2
rc "$VM" ns "$top_builddir/fence/fence_ipmilan" -o status -a 10.79.0.254 -u 16402 -l admin -S "cat $VM_DIR/bmc.pass"
is "a guest whose qemu is gone: its BMC reads power off (2)" "$RC" 2

# --- nothing left behind, and nothing that is not ours removed
"$VM" down
mkdir -p "$VM_DIR.other" && echo keep > "$VM_DIR.other/file"
VM_DIR=$VM_DIR.other "$VM" down > /dev/null 2>&1
is "vm.sh down leaves a directory vm.sh up did not make alone" "$(cat "$VM_DIR.other/file" 2>/dev/null)" keep
rm -rf "$VM_DIR.other"
is "vm.sh down leaves no qemu, BMC, namespace or directory" "$("$VM" leftovers)" ""
echo "# whole self-test: $((SECONDS - t0)) s"
tap_done
