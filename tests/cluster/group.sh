#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real two-node Pacemaker cluster (tests/cluster/cl.sh) runs a group of
# Rampart agents: ocf:rampart:IPaddr2 + ocf:rampart:Filesystem (ext4 on a loop
# device both nodes see; monitors at depths 0, 10 and 20) + ocf:rampart:Dummy,
# with Rampart's fence_ipmilan fencing through each node's simulated BMC.
# Scenarios: failures behind the cluster's back recovered in place; a node
# whose processes are killed, and one whose cable is cut, fenced (the BMC
# really powers it off) and the group started on the survivor; a stop that
# fails gets its node fenced.  Every failover's timeline is printed.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cluster/cl.sh"
cl_test group 1 mkfs.ext4 ping
CL_FS_STOP_TIMEOUT=10s # the failing stop below fails at its deadline

show() { # the evidence when a check fails: state and the end of the logs
    cl_x "${1:-1}" crm_mon -1 -o 2>&1 | sed 's/^/# /' | tail -40
    tail -5 "$CL_BASE/events" | sed 's/^/# /'
}
other() { [ "$1" = 1 ] && echo 2 || echo 1; }
timeline() { # LABEL: the failover's timeline as TAP comments
    echo "# $1:"
    cl_timeline | sed 's/^/# /'
}

ok "a two-node cluster with fencing comes up" cl_up --stonith || { show; tap_done; exit 1; }
ok "the shared disk is ready" cl_disk && cl_conf
cl_x 1 cibadmin --create -o resources --xml-text "$(cl_group_xml)"
ok "the group starts on one node: address answers, disk mounted, app running" \
    cl_wait 60 eval 'h=$(cl_holder); [ "$h" != 0 ] && cl_svc_on "$h"' || show
h=$(cl_holder)
o=$(other "$h")
mon=$(cl_x 1 crm_mon -1 2>&1)
ok "... with Rampart's agents" grep -q 'vip.*(ocf:rampart:IPaddr2):.*Started node'"$h" <<< "$mon"
ok "... all three" test "$(grep -c "(ocf:rampart:[A-Za-z0-9]*):.*Started node$h" <<< "$mon")" = 3
ok "... and nothing of it on the other node" eval '! cl_has_vip '"$o"' && ! cl_has_fs '"$o"
ok "each node runs the fence device of the other" grep -q "fence-node$h.*(stonith:fence_ipmilan):.*Started node$o" <<< "$mon"
ok "the fence agent is Rampart's (the overlay)" cl_x "$o" cmp -s /usr/sbin/fence_ipmilan "$CL_BUILD/fence/fence_ipmilan"

# the recurring monitors, depth 20 included, run and succeed
ok "depth-20 monitor wrote its status file on the shared disk" \
    cl_wait 15 cl_x "$h" test -s "$CL_BASE/data/.Filesystem_status/fs_node$h"
# crm_mon lists the recurring operations that ran (failed ones go to "Failed
# Resource Actions")
ops=$(cl_x "$h" crm_mon -1 -o 2>&1 | sed -n '/\* fs: /,/\* [a-z0-9-]*: migration/p')
for iv in 2000 3000 5000; do
    ok "fs monitor every ${iv}ms (depths 0, 10, 20) has run" grep -q "monitor: interval=\"${iv}ms\"" <<< "$ops"
done
ok "... and no operation has failed" eval '! cl_x '"$h"' crm_mon -1 2>&1 | grep -q "Failed Resource Actions"'
# crm_resource drives the agents of a running cluster too
rc cl_x "$h" crm_resource --force-check -r vip
is "crm_resource --force-check -r vip where it runs" "$RC" 0
rc cl_x "$o" crm_resource --force-check -r fs
is "crm_resource --force-check -r fs where it does not" "$RC" 7
rc cl_x "$h" crm_resource --validate -r fs
is "crm_resource --validate -r fs" "$RC" 0
echo "written on node$h" > "$CL_BASE/d.txt"
cl_x "$h" cp "$CL_BASE/d.txt" "$CL_BASE/data/payload"
ok "data written through node$h's mount" cl_x "$h" test -s "$CL_BASE/data/payload"

# ---- failures behind the cluster's back are recovered on the same node
t0=$(cl_now)
ip -n "$CL_NAME$h" addr del "$(cl_vip)/24" dev eth0
ok "address deleted by hand: recovered on node$h" cl_wait 30 cl_svc_on "$h"
echo "# address deleted -> service back on node$h: $(cl_since "$t0") s"
fc=$(cl_x "$h" crm_failcount --query -r vip -N "node$h" -q 2>/dev/null)
ok "... and counted as a failure of vip (fail-count $fc)" test "${fc:-0}" -ge 1
t0=$(cl_now)
cl_x "$h" umount "$CL_BASE/data"
ok "filesystem unmounted by hand: detected" cl_wait 15 eval '[ "$(cl_x '"$h"' crm_failcount --query -r fs -N node'"$h"' -q 2>/dev/null)" -ge 1 ]'
ok "... and recovered on node$h" cl_wait 30 cl_svc_on "$h"
echo "# filesystem unmounted -> service back on node$h: $(cl_since "$t0") s"
cl_x "$h" crm_resource --cleanup > /dev/null 2>&1
cl_wait 10 cl_svc_on "$h"

# ---- node failures: fenced through the BMC, the group moves
for kind in crash cut; do
    h=$(cl_holder)
    o=$(other "$h")
    case $kind in
    crash) what="every process of node$h killed" ;;
    cut) what="node$h's cable cut" ;;
    esac
    ok "$what: the service moves to node$o and node$h rejoins" cl_failover "$kind" || show "$o"
    timeline "$what"
    ok "... the fence agent powered node$h off through its BMC" grep -q '^bmc-off ' "$CL_BASE/timeline"
    ok "... which killed a node that was still running" \
        awk -v t="$(cl_event bmc-off)" '/node'"$h"' powered off \(init pid [0-9]* was alive\)/ { f = 1 } END { exit !f }' "$CL_BASE/events"
    ok "... fencing finished before the address started on node$o" \
        awk '{ t[$1] = $2 } END { exit !("fenced" in t && t["fenced"] <= t["started-vip"]) }' "$CL_BASE/timeline"
    ok "... node$o was never powered off" \
        awk -v t0="$(awk '$1 == "fault" { print $2 }' "$CL_BASE/timeline")" \
        '$1 >= t0 && $2 == "set" && $4 == "0" { f = 1 } END { exit f }' <(cat "$CL_BASE/bmc$o/chassis.log" 2>/dev/null)
    ok "... the data written on the failed node is there" cl_x "$o" grep -q "written on" "$CL_BASE/data/payload"
    hist=$(cl_x "$o" stonith_admin --history "node$h" 2>&1)
    ok "... stonith_admin --history: node$h rebooted" grep -q "reboot of node$h successful" <<< "$hist"
    ok "... the group stays on node$o when node$h is back (stickiness)" cl_svc_on "$o"
    echo "# $what: fault -> service on node$o: $(cl_event service) s"
done

# ---- a stop that fails gets its node fenced (Pacemaker's on-fail=fence for
# stop): the filesystem is held open and may not be forced off
h=$(cl_holder)
o=$(other "$h")
t0=$(cl_now)
cl_x "$h" crm_resource -r fs -p force_unmount -v false > /dev/null 2>&1
ok "force_unmount=false applied (fs restarted in place)" \
    cl_wait 30 eval '[ -n "$(cl_log_time "$CL_BASE/node$h/log/pacemaker.log" " app start \(call [0-9]+, PID [0-9]+\) exited with status 0" "$t0")" ] && cl_svc_on "$h"'
cl_x "$h" bash -c "cd '$CL_BASE/data' && exec sleep 600" < /dev/null > /dev/null 2>&1 &
cl_wait 5 eval 'cl_x '"$h"' pgrep -x sleep > /dev/null'
: > "$CL_BASE/bmc$h/chassis.log"
t0=$(cl_now)
cl_x "$o" crm_resource --move -r svc -N "node$o" > /dev/null 2>&1
ok "a move whose fs stop fails: node$h is fenced and the group runs on node$o" \
    cl_wait 90 eval 'grep -q "set power 0" "$CL_BASE/bmc'"$h"'/chassis.log" && cl_svc_on '"$o" || show "$o"
echo "# failed stop: move requested -> service on node$o: $(cl_since "$t0") s"
plog=$CL_BASE/node$o/log/pacemaker.log
ok "... Pacemaker saw our stop fail" \
    grep -Eq "Result of stop operation for fs on node$h: (error|Timed Out)|fs_stop_0.*node$h.*(error|failed)" "$CL_BASE"/node*/log/pacemaker.log
ok "... and fenced node$h for it" grep -Eq "(Requesting fencing|Scheduling node).*node$h|node$h will be fenced" "$plog"
ok "... our exit reason reached the cluster" grep -q "cannot unmount $CL_BASE/data before the deadline" "$CL_BASE"/node*/log/pacemaker.log
ok "node$h reboots and rejoins" cl_wait 60 cl_online "$o"
cl_x "$o" crm_resource --clear -r svc > /dev/null 2>&1

# ---- teardown leaves nothing behind
cl_down > /dev/null 2>&1
left=$(cl_leftovers)
is "after cl.sh down: no namespace, process, mount or loop device left" "$left" ""
tap_done
