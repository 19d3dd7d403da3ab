#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:drbd and drbddisk on real DRBD 8.4 in two guests: the state is
# read from the kernel, changes go through drbdadm; promotion is refused
# without UpToDate data and while the peer is Primary (no
# allow-two-primaries); stop takes the resource down; ocf-tester; heartbeat's
# drbddisk; and a promotable clone in Pacemaker, promoted by our scores.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/vm/lib.sh"
vm_test drbdadm ipmi_sim corosync pacemakerd
ag() { # ag GUEST ACTION [VAR=VALUE...]: the agent as Pacemaker runs it; prints "rc=N"
    local g=$1 a=$2; shift 2
    vm "$g" "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=d0 \
        OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_CRM_meta_timeout=30000 $* \
        /usr/lib/ocf/resource.d/rampart/drbd $a; echo rc=\$?" | tail -n 1
}
t0=$SECONDS
rc "$VM" up 2
is "two guests boot" "$RC" 0
[ "$RC" = 0 ] || { tap_done; exit 1; }
vm_drbd_res r0 0 /dev/vda 7789

is "probe of a resource that is not up: 7" "$(ag n1 monitor)" rc=7
is "start on n1" "$(ag n1 start)" rc=0
is "start on n2" "$(ag n2 start)" rc=0
ok "... they connect" q vm n1 'for i in $(seq 100); do [ "$(drbdadm cstate r0)" = Connected ] && exit 0; sleep 0.2; done; exit 1'
is "start again: 0" "$(ag n1 start)" rc=0
is "monitor of a Secondary: 0" "$(ag n1 monitor OCF_RESKEY_CRM_meta_interval=20000)" rc=0
is "promote with Inconsistent data is refused (1)" "$(ag n1 promote)" rc=1
ok "... and n1 stays Secondary" q vm n1 '[ "$(drbdadm role r0)" = Secondary/Secondary ]'
q vm n1 'drbdadm new-current-uuid --clear-bitmap r0/0 && for i in $(seq 50); do [ "$(drbdadm dstate r0)" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; exit 1'
is "promote with UpToDate data" "$(ag n1 promote)" rc=0
ok "... n1 is Primary" q vm n1 '[ "$(drbdadm role r0)" = Primary/Secondary ]'
is "monitor of a Primary: 8" "$(ag n1 monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=8
is "probe of a Primary: 8" "$(ag n1 monitor)" rc=8
is "promote n2 while n1 is Primary (no allow-two-primaries): retried, then fails (1)" \
    "$(ag n2 promote OCF_RESKEY_CRM_meta_timeout=4000)" rc=1
t=$SECONDS
is "... with fail_promote_early_if_peer_primary: fails (1)" \
    "$(ag n2 promote OCF_RESKEY_fail_promote_early_if_peer_primary=true)" rc=1
ok "... at once ($((SECONDS - t)) s)" test $((SECONDS - t)) -lt 10
ok "... n2 stays Secondary" q vm n2 '[ "$(drbdadm role r0 | cut -d/ -f1)" = Secondary ]'
q vm n2 'drbdadm disconnect r0 && drbdadm outdate r0 && [ "$(drbdadm dstate r0 | cut -d/ -f1)" = Outdated ]'
is "promote with Outdated data is refused (1)" "$(ag n2 promote)" rc=1
ok "... n2 stays Secondary" q vm n2 '[ "$(drbdadm role r0 | cut -d/ -f1)" = Secondary ]'
q vm n2 'drbdadm connect r0 && for i in $(seq 100); do [ "$(drbdadm dstate r0)" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; exit 1'
q vm n1 'mkfs.ext4 -q -F /dev/drbd0 && mkdir -p /d && mount /dev/drbd0 /d && echo kept > /d/f && umount /d'
is "demote" "$(ag n1 demote)" rc=0
is "promote n2 now" "$(ag n2 promote)" rc=0
ok "... n2 reads what n1 wrote" q vm n2 'mkdir -p /d && mount /dev/drbd0 /d && grep -q kept /d/f'
is "demote of a Primary whose device is in use: fails (1), never claims Secondary" "$(ag n2 demote OCF_RESKEY_CRM_meta_timeout=3000)" rc=1
q vm n2 'umount /d'
is "stop of a Primary (demotes first)" "$(ag n2 stop)" rc=0
ok "... the resource is gone from the kernel" q vm n2 '! grep -q "^ 0:" /proc/drbd'
is "probe after stop: 7" "$(ag n2 monitor)" rc=7
is "stop when stopped: 0" "$(ag n2 stop)" rc=0
is "promote n1 alone (its peer is down)" "$(ag n1 promote)" rc=0
is "stop of a Primary with a drbd.conf drbdadm cannot read, and a bad adjust_master_score: still stops (0)" \
    "$(ag n1 stop OCF_RESKEY_drbdconf=/etc/drbd-missing.conf OCF_RESKEY_adjust_master_score=nonsense)" rc=0
ok "... n1 is down too (drbdsetup took it down)" q vm n1 '! grep -q "^ 0:" /proc/drbd'
is "a resource name drbdadm would not take: 6" "$(ag n1 start 'OCF_RESKEY_drbd_resource="r0;x"')" rc=6
is "a clone without notify=true: 6" "$(ag n1 start OCF_RESKEY_CRM_meta_clone_max=2)" rc=6
is "clone-node-max 2: 6" "$(ag n1 start OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_notify=true OCF_RESKEY_CRM_meta_clone_node_max=2)" rc=6
is "clone-max 3: 6" "$(ag n1 start OCF_RESKEY_CRM_meta_clone_max=3 OCF_RESKEY_CRM_meta_notify=true)" rc=6
is "promoted-max 2 without allow-two-primaries in r0: 6" "$(ag n1 start OCF_RESKEY_CRM_meta_promoted_max=2)" rc=6
is "a DRBD module older than require_drbd_module_version_ge: 5" \
    "$(ag n1 start OCF_RESKEY_require_drbd_module_version_ge=9.1.0)" rc=5
is "a DRBD module not below require_drbd_module_version_lt: 5" \
    "$(ag n1 start OCF_RESKEY_require_drbd_module_version_lt=8.4.11)" rc=5
ok "... none of them brought r0 up" q vm n1 '! grep -q "^ 0:" /proc/drbd'

# --- heartbeat v1's drbddisk
hb() { vm "$1" "ASAN_OPTIONS=detect_leaks=0 /etc/ha.d/resource.d/drbddisk r0 $2; echo rc=\$?"; }
q vm n2 'drbdadm up r0'
is "drbddisk r0 start: Primary" "$(hb n1 start | tail -n 1)" rc=0
ok "... n1 is Primary" q vm n1 '[ "$(drbdadm role r0 | cut -d/ -f1)" = Primary ]'
rc hb n1 status
ok "drbddisk r0 status of a Primary prints running (Primary), exits 0" grep -qx 'running (Primary)' "$OUT"
is "drbddisk r0 stop: Secondary" "$(hb n1 stop | tail -n 1)" rc=0
rc hb n1 status
ok "drbddisk r0 status of a Secondary prints stopped (Secondary)" grep -qx 'stopped (Secondary)' "$OUT"
ok "... and exits 3" grep -qx 'rc=3' "$OUT"
for n in n1 n2; do vm $n 'drbdadm down r0' > /dev/null 2>&1; done

# --- ocf-tester, on n1 (n2 up, so n1 can connect)
if vm n1 'command -v ocf-tester' > /dev/null 2>&1; then
    q vm n2 'drbdadm up r0'
    rc vm n1 'ASAN_OPTIONS=detect_leaks=0 ocf-tester -n d0 -o drbd_resource=r0 -o ignore_missing_notifications=true /usr/lib/ocf/resource.d/rampart/drbd'
    is "ocf-tester passes drbd" "$RC" 0
    grep -E 'passed|failed|error' "$OUT" | sed 's/^/# /'
    for n in n1 n2; do vm $n 'drbdadm down r0' > /dev/null 2>&1; done
fi

# --- split brain: both sides wrote while disconnected; the agent discards neither side's
# data unasked (no automatic --discard-my-data): each side keeps its own writes
for n in n1 n2; do vm $n 'drbdadm up r0' > /dev/null 2>&1; done
q vm n1 'for i in $(seq 100); do [ "$(drbdadm dstate r0)" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; exit 1'
for n in n1 n2; do vm $n 'drbdadm disconnect r0' > /dev/null 2>&1; done
for n in n1 n2; do
    is "split brain: $n promoted while disconnected" "$(ag $n promote)" rc=0
    q vm $n "mount /dev/drbd0 /d && echo $n > /d/sb-$n && umount /d"
    is "split brain: ... and demoted" "$(ag $n demote)" rc=0
done
for n in n1 n2; do vm $n 'drbdadm connect r0' > /dev/null 2>&1; done
sb='for i in $(seq 100); do [ "$(drbdadm cstate r0)" = StandAlone ] && exit 0; sleep 0.2; done; drbdadm cstate r0; exit 1'
ok "split brain: DRBD sees it (StandAlone)" q vm n1 "$sb"
is "split brain: start (adjust) on n1: 0" "$(ag n1 start)" rc=0
is "split brain: start on n2: 0" "$(ag n2 start)" rc=0
ok "split brain: ... still StandAlone on both, nothing resynced" q vm n1 "sleep 2; $sb"
ok "split brain: ... (n2 too)" q vm n2 "$sb"
for n in n1 n2; do
    o=n1; [ $n = n1 ] && o=n2
    is "split brain: $n promotes" "$(ag $n promote)" rc=0
    ok "split brain: ... with its own write, not the peer's" q vm $n \
        "mount /dev/drbd0 /d && [ -e /d/sb-$n ] && [ ! -e /d/sb-$o ]; r=\$?; umount /d; exit \$r"
    is "split brain: ... demoted" "$(ag $n demote)" rc=0
done
vm n2 'drbdadm connect --discard-my-data r0' > /dev/null 2>&1
vm n1 'drbdadm connect r0' > /dev/null 2>&1
ok "split brain: resolved when told (n2 discards its data): UpToDate/UpToDate" q vm n1 \
    'for i in $(seq 150); do [ "$(drbdadm dstate r0)" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; drbdadm dstate r0; exit 1'
for n in n1 n2; do vm $n 'drbdadm down r0' > /dev/null 2>&1; done

# --- dual primary, where the configuration allows it
vm_drbd_res r1 1 /dev/vdb 7790 "net { allow-two-primaries yes; }"
D2="OCF_RESKEY_drbd_resource=r1 OCF_RESKEY_CRM_meta_promoted_max=2"
is "r1 (allow-two-primaries): start on n1" "$(ag n1 start $D2)" rc=0
is "r1: start on n2" "$(ag n2 start $D2)" rc=0
q vm n1 'for i in $(seq 100); do [ "$(drbdadm cstate r1)" = Connected ] && break; sleep 0.2; done; drbdadm new-current-uuid --clear-bitmap r1/0 && for i in $(seq 50); do [ "$(drbdadm dstate r1)" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; exit 1'
is "r1: promote n1" "$(ag n1 promote $D2)" rc=0
is "r1: promote n2 too (dual primary)" "$(ag n2 promote $D2)" rc=0
ok "r1: ... both are Primary" q vm n1 '[ "$(drbdadm role r1)" = Primary/Primary ]'
is "r1: promoted-max 3 is refused (6)" "$(ag n1 start OCF_RESKEY_drbd_resource=r1 OCF_RESKEY_CRM_meta_promoted_max=3)" rc=6
is "r1: stop n2" "$(ag n2 stop $D2)" rc=0
is "r1: stop n1" "$(ag n1 stop $D2)" rc=0

# --- a promotable clone in Pacemaker, promoted by our scores; r0 now fences its peer's data
# through Pacemaker (resource-only, LINBIT's crm-fence-peer handler) when the link breaks
vm_drbd_conf r0 0 /dev/vda 7789 'disk { fencing resource-only; } handlers {
    fence-peer "/usr/lib/drbd/crm-fence-peer.sh"; after-resync-target "/usr/lib/drbd/crm-unfence-peer.sh"; }'
ok "Pacemaker: a cluster of the two guests" q vm_pcmk_up n1 n2
# the op timeouts LINBIT's metadata advises: its shell agent's start, on a guest just
# rebooted (TCG translating every one of its execs afresh), can outlast Pacemaker's 20 s
vm n1 'crm_attribute -t crm_config -n stonith-enabled -v false && crm_attribute -t crm_config -n no-quorum-policy -v ignore &&
    cibadmin -C -o resources -X "<clone id=\"drbd-clone\"><meta_attributes id=\"dc-m\">
      <nvpair id=\"dc-m1\" name=\"promotable\" value=\"true\"/><nvpair id=\"dc-m2\" name=\"promoted-max\" value=\"1\"/>
      <nvpair id=\"dc-m3\" name=\"notify\" value=\"true\"/><nvpair id=\"dc-m4\" name=\"clone-node-max\" value=\"1\"/></meta_attributes>
      <primitive id=\"d0\" class=\"ocf\" provider=\"rampart\" type=\"drbd\"><instance_attributes id=\"d-i\">
      <nvpair id=\"d-i1\" name=\"drbd_resource\" value=\"r0\"/></instance_attributes><operations>
      <op id=\"d-o1\" name=\"monitor\" interval=\"9s\" role=\"Promoted\"/><op id=\"d-o2\" name=\"monitor\" interval=\"11s\" role=\"Unpromoted\"/>
      <op id=\"d-o3\" name=\"start\" interval=\"0\" timeout=\"240s\"/><op id=\"d-o4\" name=\"stop\" interval=\"0\" timeout=\"100s\"/>
      <op id=\"d-o5\" name=\"promote\" interval=\"0\" timeout=\"90s\"/><op id=\"d-o6\" name=\"demote\" interval=\"0\" timeout=\"90s\"/>
      </operations></primitive></clone>"' > /dev/null 2>&1
# the promoted node is read in the same loop that waits for it: a second look could land
# on a recovery in between
p=$(vm n1 'for i in $(seq 180); do p=$(crm_mon -1 2>/dev/null | sed -n "s/.*Promoted: \[ \(n[12]\) \].*/\1/p");
    [ -n "$p" ] && echo "$p" && exit 0; sleep 0.5; done; crm_mon -1 >&2; exit 1')
ok "Pacemaker: the clone is promoted on one guest (${p:-none})" test -n "$p"
ok "Pacemaker: ... and no operation of ours failed on the way" q vm n1 \
    'crm_mon -1 | grep -q "Failed Resource Actions" && { crm_mon -1 --show-detail; exit 1; }; exit 0'
ok "Pacemaker: ... which is DRBD Primary there ($p)" q vm "${p:-n1}" '[ "$(drbdadm role r0 | cut -d/ -f1)" = Primary ]'
ok "Pacemaker: the scores are ours (10000 on each UpToDate node)" q vm n1 \
    'for n in n1 n2; do crm_attribute -N $n -n master-d0 -l reboot -G -q 2>/dev/null | grep -qx 10000 || exit 1; done'

# --- the seed's stack on it: Filesystem and IPaddr2 on the promoted side, fencing through
# the guests' BMCs; the promoted node loses its power: the survivor fences it, then is
# promoted, mounts the data written before the failure and takes the address
pw=$(cat "$VM_DIR/bmc.pass")
for i in 1 2; do
    printf '%s\n' "<primitive id=\"fence-n$i\" class=\"stonith\" type=\"fence_ipmilan\">" \
        "<instance_attributes id=\"f$i\"><nvpair id=\"f$i-ip\" name=\"ip\" value=\"10.79.0.254\"/>" \
        "<nvpair id=\"f$i-port\" name=\"ipport\" value=\"$((16400 + i))\"/><nvpair id=\"f$i-user\" name=\"username\" value=\"admin\"/>" \
        "<nvpair id=\"f$i-pw\" name=\"password\" value=\"$pw\"/><nvpair id=\"f$i-w\" name=\"power_wait\" value=\"1\"/>" \
        "<nvpair id=\"f$i-hosts\" name=\"pcmk_host_list\" value=\"n$i\"/></instance_attributes></primitive>" \
        > "$VM_DIR/n1/fence$i.xml"
done
cat > "$VM_DIR/n1/stack.xml" <<'XML'
<group id="svc">
  <primitive id="fs" class="ocf" provider="rampart" type="Filesystem"><instance_attributes id="fs-i">
    <nvpair id="fs-i1" name="device" value="/dev/drbd0"/><nvpair id="fs-i2" name="directory" value="/d"/>
    <nvpair id="fs-i3" name="fstype" value="ext4"/></instance_attributes>
    <operations><op id="fs-o1" name="monitor" interval="10s"/></operations></primitive>
  <primitive id="vip" class="ocf" provider="rampart" type="IPaddr2"><instance_attributes id="vip-i">
    <nvpair id="vip-i1" name="ip" value="10.79.0.100"/><nvpair id="vip-i2" name="cidr_netmask" value="24"/>
    <nvpair id="vip-i3" name="arp_count" value="1"/></instance_attributes>
    <operations><op id="vip-o1" name="monitor" interval="10s"/></operations></primitive>
</group>
XML
cat > "$VM_DIR/n1/cons.xml" <<'XML'
<constraints>
  <rsc_colocation id="svc-with-promoted" rsc="svc" with-rsc="drbd-clone" with-rsc-role="Promoted" score="INFINITY"/>
  <rsc_order id="svc-after-promote" first="drbd-clone" first-action="promote" then="svc" then-action="start"/>
</constraints>
XML
vm n1 'cibadmin -C -o resources -x /xfer/fence1.xml && cibadmin -C -o resources -x /xfer/fence2.xml &&
    cibadmin -C -o resources -x /xfer/stack.xml && cibadmin -R -o constraints -x /xfer/cons.xml &&
    crm_attribute -t crm_config -n stonith-enabled -v true' > /dev/null 2>&1
ok "stack: Filesystem and IPaddr2 run on the promoted node ($p)" q vm "${p:-n1}" \
    'for i in $(seq 120); do grep -q " /d " /proc/mounts && ip -o addr | grep -q 10.79.0.100/ && exit 0; sleep 0.5; done; crm_mon -1; exit 1'
s=n1; [ "$p" = n1 ] && s=n2
[ -n "$p" ] || { p=n2; echo "# no promoted node seen: using $p anyway"; }

# --- the replication link breaks while the cluster is fine: the Primary's handler bans a
# promotion of the peer in the CIB and marks its data Outdated; when the link is back the
# peer resyncs and its after-resync-target handler lifts the ban
cut='modprobe -a sch_prio cls_u32 act_gact && tc qdisc add dev eth0 root handle 1: prio &&
    tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dport 7789 0xffff action drop &&
    tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip sport 7789 0xffff action drop'
ok "link cut: DRBD's port blocked on $p" q vm "$p" "$cut"
ok "link cut: the handler fenced the peer's data (constraint placed, peer Outdated)" q vm "$p" \
    'for i in $(seq 120); do [ "$(drbdadm dstate r0)" = UpToDate/Outdated ] && cibadmin -Q -o constraints | grep -q drbd-fence-by-handler && exit 0; sleep 0.5; done
     drbdadm cstate r0; drbdadm dstate r0; cibadmin -Q -o constraints; exit 1'
ok "link cut: ... $p stays the only promoted node" q vm "$p" "echo cut > /d/cut && sync && crm_mon -1 | grep -q 'Promoted: \[ $p \]'"
ok "link back: $s resyncs and the ban is lifted" q vm "$p" \
    'tc qdisc del dev eth0 root && for i in $(seq 120); do [ "$(drbdadm dstate r0)" = UpToDate/UpToDate ] && ! cibadmin -Q -o constraints | grep -q drbd-fence-by-handler && exit 0; sleep 0.5; done
     drbdadm cstate r0; drbdadm dstate r0; cibadmin -Q -o constraints; exit 1'

# what Pacemaker did, when a check fails
why='crm_mon -1 --show-detail; drbdadm cstate r0; drbdadm dstate r0; grep -E "error|warning: |Scheduling|fenc" /var/log/pacemaker/pacemaker.log | grep -v debug | tail -n 25'

# failover AGENT: the promoted node $p loses its power; the survivor $s fences it through its
# BMC, then is promoted, mounts the data written before the failure and takes the address
failover() {
    local a=$1 t
    ok "failover ($a): ... with the data DRBD replicated before" q vm "$p" "grep -q kept /d/f && echo 'written before the failure ($a)' > /d/g && sync"
    t=$SECONDS
    "$VM" poweroff "$p"
    ok "failover ($a): $s fences $p through its BMC" q vm "$s" \
        "for i in \$(seq 240); do stonith_admin --history $p 2>/dev/null | grep -q 'successful' && exit 0; sleep 0.5; done; stonith_admin --history '*'; exit 1"
    ok "failover ($a): ... the BMC of $p read its power off, then was told on (a reboot)" \
        grep -q 'set power 1' "$VM_DIR/bmc${p#n}/chassis.log"
    q vm "$s" 'for i in $(seq 240); do [ "$(drbdadm role r0 | cut -d/ -f1)" = Primary ] && grep -q " /d " /proc/mounts && ip -o addr | grep -q 10.79.0.100/ && exit 0; sleep 0.25; done; '"$why"'; exit 1'
    r=$?
    ok "failover ($a): $s is promoted, mounts the data and takes the address ($((SECONDS - t)) s after the power loss)" test $r = 0
    ok "failover ($a): ... and the data written before the failure is there" q vm "$s" "grep -q 'written before the failure ($a)' /d/g"
    ok "failover ($a): promoted only after the fence (fence done before the promote)" q vm "$s" \
        "f=\$(grep -m1 -n 'Operation.*reboot.*$p.*OK\|fenced.*$p.*OK\|Peer $p was terminated' /var/log/pacemaker/pacemaker.log | cut -d: -f1); pr=\$(grep -m1 -n 'Result of promote operation for d0' /var/log/pacemaker/pacemaker.log | cut -d: -f1); echo fence=\$f promote=\$pr; [ -n \"\$f\" ] && [ -n \"\$pr\" ] && [ \"\$f\" -lt \"\$pr\" ]"
    ok "failover ($a): notifications reached the agent, and none failed" q vm "$s" \
        "grep -q 'Result of notify operation for d0' /var/log/pacemaker/pacemaker.log && ! grep 'Result of notify operation for d0' /var/log/pacemaker/pacemaker.log | grep -qv ': ok'"
}
failover rampart

# --- the same with LINBIT's ocf:linbit:drbd: the fenced node comes back (its BMC powered it
# on), rejoins, resyncs; d0 becomes LINBIT's agent; then the promoted node loses its power
ok "linbit: $p is back after its reboot" q bash -c "for i in \$(seq 120); do '$VM' run $p true && exit 0; sleep 1; done; exit 1"
q vm "$s" 'crm_resource -r drbd-clone --meta -p target-role -v Stopped'
ok "linbit: our agent stops the clone on $s" q vm "$s" \
    'for i in $(seq 240); do ! grep -q "^ 0:" /proc/drbd && ! grep -q " /d " /proc/mounts && exit 0; sleep 0.5; done; '"$why"'; exit 1'
q vm "$s" 'cibadmin --modify -o resources -X "<primitive id=\"d0\" provider=\"linbit\"/>"'
q vm_drbd_conf r0 0 /dev/vda 7789 'disk { fencing resource-only; } handlers {
    fence-peer "/usr/lib/drbd/crm-fence-peer.sh"; after-resync-target "/usr/lib/drbd/crm-unfence-peer.sh"; }'
q vm_pcmk_start "$p"
ok "linbit: $p rejoins the cluster" q vm "$s" \
    "for i in \$(seq 240); do crm_mon -1 | grep -q 'Online: \[ n1 n2 \]' && exit 0; sleep 0.5; done; $why; exit 1"
q vm "$s" 'crm_resource -r drbd-clone --meta -d target-role'
ok "linbit: LINBIT's agent promotes $s (the newer data), $p resyncs, the stack runs on $s" q vm "$s" \
    "for i in \$(seq 240); do crm_mon -1 | grep -q 'Promoted: \[ $s \]' && [ \"\$(drbdadm dstate r0)\" = UpToDate/UpToDate ] &&
        grep -q ' /d ' /proc/mounts && ip -o addr | grep -q 10.79.0.100/ && ! cibadmin -Q -o constraints | grep -q drbd-fence-by-handler &&
        exit 0; sleep 0.5; done; $why; exit 1"
ok "linbit: ... d0 is ocf:linbit:drbd now" q vm "$s" 'crm_resource -r d0 -q | grep -q "provider=\"linbit\""'
x=$p; p=$s; s=$x
failover linbit
"$VM" down
is "nothing left behind" "$("$VM" leftovers)" ""
echo "# whole drbd test: $((SECONDS - t0)) s"
tap_done
