#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:LVM-activate and LVM (heartbeat's LVM::vg) on real device-mapper in a
# guest: activation through LVM's tools, monitor from device-mapper's state with no
# child process, a partly active VG is a failure, stop names what holds an LV and never
# claims stopped while one is active, a VG owned by another system ID is refused,
# tagging, the LV mode, bad input, ocf-tester.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/vm/lib.sh"
vm_test lvm
R=/usr/lib/ocf/resource.d/rampart
la() { # la ACTION [VAR=VALUE...]: LVM-activate on vgt as Pacemaker runs it; prints "rc=N"
    local a=$1; shift
    vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=lv0 \
        OCF_RESKEY_vgname=vgt OCF_RESKEY_vg_access_mode=system_id OCF_RESKEY_CRM_meta_timeout=30000 $* \
        $R/LVM-activate $a 2>/tmp/err; echo rc=\$?" | tail -n 1
}
why() { vm n1 'grep ocf-exit-reason /tmp/err' 2>/dev/null; }
active() { vm n1 'cat /sys/block/dm-*/dm/name 2>/dev/null | grep "^vgt-" | sort | tr "\n" " "'; }
t0=$SECONDS
rc "$VM" up 1
is "a guest boots" "$RC" 0
[ "$RC" = 0 ] || { tap_done; exit 1; }
q vm_udevd n1
ok "a VG with two LVs (one with a dash in its name), owned by system ID n1" q vm n1 \
    'sed -i "s/^\t# system_id_source = \"none\"/\tsystem_id_source = \"uname\"/" /etc/lvm/lvm.conf &&
     lvm systemid | grep -q n1 && pvcreate -q /dev/vda && vgcreate -q vgt /dev/vda &&
     lvcreate -q -y -L 8M -n a vgt && lvcreate -q -y -L 8M -n b-x vgt && vgchange -q -an vgt'

is "probe of an inactive VG: 7" "$(la monitor)" rc=7
is "start" "$(la start)" rc=0
is "... both LVs are active" "$(active)" "vgt-a vgt-b--x "
is "monitor: 0" "$(la monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "monitor at OCF_CHECK_LEVEL 10 (reads each device): 0" "$(la monitor OCF_RESKEY_CRM_meta_interval=30000 OCF_CHECK_LEVEL=10)" rc=0
n=$(vm n1 "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=lv0 OCF_RESKEY_vgname=vgt OCF_RESKEY_vg_access_mode=system_id \
    OCF_RESKEY_CRM_meta_interval=30000 strace -f -qq -e trace=execve,fork,vfork -o /tmp/st $R/LVM-activate monitor 2>/dev/null; grep -c . /tmp/st")
is "monitor starts no process (strace: one execve, its own)" "$n" 1
is "start again: 0" "$(la start)" rc=0
q vm n1 'lvchange -q -an vgt/b-x'
is "one LV deactivated behind the agent's back: monitor fails (1)" "$(la monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=1
ok "... naming it" q vm n1 'grep -q "vgt-b--x" /tmp/err'
is "... a probe says failed (1), never 'not running': something of it is active" "$(la monitor)" rc=1
q vm n1 'lvchange -q -ay vgt/b-x && mkdir -p /m && mkfs.ext4 -q -F /dev/vgt/a && mount /dev/vgt/a /m'
is "stop while an LV is mounted: fails (1) before the deadline" "$(la stop OCF_RESKEY_CRM_meta_timeout=4000)" rc=1
ok "... and says what holds it" q vm n1 'grep "ocf-exit-reason" /tmp/err | grep -q "mounted on /m"'
ok "... the LV is still active (never claimed stopped)" q vm n1 'grep -qx vgt-a /sys/block/dm-*/dm/name'
q vm n1 'umount /m'
is "stop" "$(la stop)" rc=0
is "... nothing of vgt is left in device-mapper" "$(active)" ""
is "probe after stop: 7" "$(la monitor)" rc=7
is "stop when stopped: 0" "$(la stop)" rc=0

# --- one LV only
is "lvname=b-x: start" "$(la start OCF_RESKEY_lvname=b-x)" rc=0
is "... only that LV is active" "$(active)" "vgt-b--x "
is "... monitor: 0" "$(la monitor OCF_RESKEY_lvname=b-x OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "... the whole VG's probe sees it too (0)" "$(la monitor OCF_RESOURCE_INSTANCE=other)" rc=0
is "... stop" "$(la stop OCF_RESKEY_lvname=b-x)" rc=0
is "... nothing left" "$(active)" ""

# --- identity by uuid: an LV renamed while active is still ours
is "lvname=a: start" "$(la start OCF_RESKEY_lvname=a)" rc=0
q vm n1 'lvrename -q vgt a c'
is "... renamed while active (lvrename): still ours, monitor 0" "$(la monitor OCF_RESKEY_lvname=a OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "... stop cannot deactivate it by its old name: fails (1), never 0" "$(la stop OCF_RESKEY_lvname=a OCF_RESKEY_CRM_meta_timeout=3000)" rc=1
q vm n1 'lvchange -q -an vgt/c && lvrename -q vgt c a'
is "... once it is down: stop 0" "$(la stop OCF_RESKEY_lvname=a)" rc=0

# --- a snapshot that existed at start, removed later on purpose: not a failure
q vm n1 'lvcreate -q -y -s -L 8M -n snap vgt/a && vgchange -q -an vgt'
is "a VG with a snapshot: start" "$(la start)" rc=0
q vm n1 'lvremove -q -y vgt/snap'
is "... the snapshot removed (lvremove): monitor 0" "$(la monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "... stop" "$(la stop)" rc=0
is "... nothing left" "$(active)" ""

# --- a raid1 LV: its hidden images are part of it
ok "a raid1 LV on two loop devices (vgr/r)" q vm n1 'modprobe -a dm-raid loop && truncate -s 40M /tmp/p1 /tmp/p2 &&
    A=$(losetup -f --show /tmp/p1) && B=$(losetup -f --show /tmp/p2) && pvcreate -q $A $B &&
    vgcreate -q vgr $A $B && lvcreate -q -y --type raid1 -m1 -L 8M -n r vgr && vgchange -q -an vgr'
RR="OCF_RESKEY_vgname=vgr OCF_RESKEY_lvname=r OCF_RESOURCE_INSTANCE=lvr"
is "lvname=r: start" "$(la start $RR)" rc=0
q vm n1 '(setsid sleep 600 < /dev/mapper/vgr-r_rimage_1 > /dev/null 2>&1 &)'
is "... a hidden image held open: stop fails (1)" "$(la stop $RR OCF_RESKEY_CRM_meta_timeout=4000)" rc=1
ok "... and says so" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q "vgr-r_rimage_1.*open in pids"'
q vm n1 'pkill -f "sleep 600"; sleep 0.3'
is "... released: stop" "$(la stop $RR)" rc=0
ok "... nothing of vgr left" q vm n1 '! grep -q "^vgr-" /sys/block/dm-*/dm/name'

# --- system_id: a VG another host owns is not taken while that host is not known gone
q vm n1 'vgchange -q -y --systemid other vgt'
is "a VG owned by system ID 'other' (no cluster says it left): start refused (1)" "$(la start)" rc=1
ok "... saying whose it is" q vm n1 'grep ocf-exit-reason /tmp/err | grep -q "system ID other"'
is "... and nothing of it is active" "$(active)" ""
q vm n1 'vgchange -q -y --config "local/extra_system_ids=[\"other\"]" --systemid n1 vgt'

# --- bad input: one line naming the parameter, OCF_ERR_CONFIGURED
for bad in "OCF_RESKEY_vg_access_mode=bogus" "OCF_RESKEY_vgname=a/b" "OCF_RESKEY_lvname=-x" \
    "OCF_RESKEY_activation_mode=shared" "OCF_RESKEY_activation_mode=many" "OCF_RESKEY_tag=a,b" \
    "OCF_RESKEY_vg_access_mode="; do
    is "start with $bad: 6" "$(la start "$bad")" rc=6
done
is "no VG of that name: start fails (1)" "$(la start OCF_RESKEY_vgname=novg)" rc=1
is "start, then stop with vg_access_mode=bogus: still deactivates (0)" "$(la start)$(la stop OCF_RESKEY_vg_access_mode=bogus)" rc=0rc=0
is "... nothing left" "$(active)" ""

# --- tagging: our tag on the VG while active, gone after stop
is "tagging: start" "$(la start OCF_RESKEY_vg_access_mode=tagging OCF_RESKEY_tag=clu1)" rc=0
ok "... the VG carries the tag" q vm n1 'vgs --noheadings -o tags vgt | grep -qw clu1'
is "... stop" "$(la stop OCF_RESKEY_vg_access_mode=tagging OCF_RESKEY_tag=clu1)" rc=0
ok "... the tag is gone, nothing active" q vm n1 '! vgs --noheadings -o tags vgt | grep -qw clu1 && ! grep -q "^vgt-" /sys/block/dm-*/dm/name'

# --- heartbeat's LVM::vgt
hb() { vm n1 "ASAN_OPTIONS=detect_leaks=0 /etc/ha.d/resource.d/LVM vgt $1; echo rc=\$?"; }
is "LVM vgt start" "$(hb start | tail -n 1)" rc=0
is "... both LVs active" "$(active)" "vgt-a vgt-b--x "
ok "LVM vgt status prints running" bash -c "'$VM' run n1 'ASAN_OPTIONS=detect_leaks=0 /etc/ha.d/resource.d/LVM vgt status' | grep -qx running"
is "LVM vgt stop" "$(hb stop | tail -n 1)" rc=0
ok "LVM vgt status prints stopped" bash -c "'$VM' run n1 'ASAN_OPTIONS=detect_leaks=0 /etc/ha.d/resource.d/LVM vgt status' | grep -qx stopped"
is "... nothing left" "$(active)" ""

# --- ocf-tester
if vm n1 'command -v ocf-tester' > /dev/null 2>&1; then
    rc vm n1 "ASAN_OPTIONS=detect_leaks=0 ocf-tester -n lv0 -o vgname=vgt -o vg_access_mode=system_id $R/LVM-activate"
    is "ocf-tester passes LVM-activate" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
    rc vm n1 "ASAN_OPTIONS=detect_leaks=0 ocf-tester -n lv1 -o volgrpname=vgt $R/LVM"
    is "ocf-tester passes LVM" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi
"$VM" down
is "nothing left behind" "$("$VM" leftovers)" ""
echo "# whole lvm test: $((SECONDS - t0)) s"
tap_done
