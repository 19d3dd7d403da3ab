#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demonstration: install what is needed, build, and walk Dummy and
# Stateful through their whole lives the way a cluster would, printing each
# call, its exit code and what the code means.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bash tests/deps.sh demo || exit 1
export PATH=$PATH:/usr/sbin:/sbin
b=$top/_build/demo
echo "== building Rampart (./autogen.sh, configure, make)"
if [ ! -f "$b/Makefile" ]; then
    ./autogen.sh >/dev/null 2>&1 && mkdir -p "$b" &&
        (cd "$b" && "$top/configure" -q >/dev/null) || { echo "configure failed"; exit 1; }
fi
make -C "$b" -s -j"$(nproc)" >/dev/null 2>&1 || { echo "build failed"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
export OCF_RESKEY_CRM_meta_timeout=20000

names=( [0]=OCF_SUCCESS [1]=OCF_ERR_GENERIC [2]=OCF_ERR_ARGS [3]=OCF_ERR_UNIMPLEMENTED
        [4]=OCF_ERR_PERM [5]=OCF_ERR_INSTALLED [6]=OCF_ERR_CONFIGURED [7]=OCF_NOT_RUNNING
        [8]=OCF_RUNNING_PROMOTED [9]=OCF_FAILED_PROMOTED )
say() { printf '\n== %s\n' "$*"; }
run() { # run [VAR=value ...] AGENT ACTION: show the call, its output, its code
    local shown=() a
    for a in "$@"; do a=${a/#$b\/agents\//}; shown+=("${a/#$b\/fence\//}"); done
    printf '$ %s\n' "${shown[*]}"
    env "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    sed 's/^/    /' "$T/out" | head -5
    grep -v '^ocf-exit-reason:' "$T/err" | sed 's/^/    (log) /'
    grep '^ocf-exit-reason:' "$T/err" | tail -n1 | sed 's/^/    /'
    if [[ "$*" == *fence_* ]]; then
        # the fence agent API: 0 success (status: on), 1 failure, 2 status: off
        printf '    -> exit %d (%s)\n' "$rc" "$(case $rc in 0) echo success;; 2) echo 'power is off';; *) echo failure;; esac)"
    elif [ "${!#}" = status ]; then
        # heartbeat and LSB status speak LSB: 0 running, 3 not running, 4 unknown
        printf '    -> exit %d (LSB: %s)\n' "$rc" "$([ $rc = 0 ] && echo running || { [ $rc = 3 ] && echo 'not running' || echo unknown; })"
    else
        printf '    -> exit %d (%s)\n' "$rc" "${names[$rc]:-code $rc}"
    fi
}
D=$b/agents/Dummy
S=$b/agents/Stateful
export OCF_RESOURCE_INSTANCE=web-dummy

say "ocf:rampart:Dummy: what Pacemaker sees first is the metadata (first lines)"
env "$D" meta-data | head -12 | sed 's/^/    /'

say "Dummy: probe, start twice, monitor, stop twice, monitor (the ocf-tester sequence)"
run OCF_RESKEY_CRM_meta_interval=0 "$D" monitor
run "$D" start
run "$D" start
run OCF_RESKEY_CRM_meta_interval=10000 "$D" monitor
echo "    state file: $(ls "$HA_RSCTMP")"
run "$D" stop
run "$D" stop
run OCF_RESKEY_CRM_meta_interval=10000 "$D" monitor

say "Dummy: bad configuration gets a one-line reason and the right code"
run OCF_RESKEY_op_sleep=soon "$D" start
run OCF_RESKEY_op_sleep=soon "$D" stop
echo "    (a stop with a configuration that could never start succeeds: nothing can be running)"
run "$D" frobnicate

say "Dummy: an operation never outlives its timeout (op_sleep=10s, timeout 1s)"
run OCF_RESKEY_op_sleep=10s OCF_RESKEY_CRM_meta_timeout=1000 "$D" start

say "Dummy as heartbeat v1 runs it (haresources: Dummy::$T/hb.state)"
run "$D" "$T/hb.state" start
run "$D" "$T/hb.state" status
run "$D" "$T/hb.state" stop
run "$D" "$T/hb.state" status

say "ocf:rampart:Stateful: a promotable clone instance, promotion scores in a CIB file"
export OCF_RESOURCE_INSTANCE=db:0 OCF_RESKEY_CRM_meta_on_node=node1 CIB_file=$T/cib.xml
cibadmin --empty > "$CIB_file"
cibadmin --create -o nodes --xml-text '<node id="1" uname="node1"/>' 2>/dev/null
cibadmin --create -o status --xml-text '<node_state id="1" uname="node1"/>' 2>/dev/null
score() { echo "    promotion score of db on node1: $(crm_attribute --promotion=db --node node1 --query --quiet 2>/dev/null || echo none)"; }
run "$S" start; score
run OCF_RESKEY_CRM_meta_interval=11000 "$S" monitor
run "$S" promote; score
run OCF_RESKEY_CRM_meta_interval=10000 "$S" monitor
run OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote "$S" notify
run "$S" demote; score
run "$S" stop; score
run OCF_RESKEY_CRM_meta_interval=11000 "$S" monitor
unset CIB_file OCF_RESKEY_CRM_meta_on_node

say "ocf:rampart:IPaddr2: a floating address moves between two nodes (network namespaces)"
. "$top/tests/lib/netns.sh"
if netns_up demo$$ >/dev/null 2>&1; then
    trap 'netns_down; rm -rf "$T"' EXIT
    I=$b/agents/IPaddr2
    export OCF_RESOURCE_INSTANCE=vip OCF_RESKEY_ip=10.203.0.100
    showaddr() { echo "    on $1: $(ip -n "$1" -o -4 addr show | awk '$4 ~ /^10.203.0.100/ { print $2, $4 }')"; }
    echo "    node A is $NS_A ($IF_A 10.203.0.1/24), node B is $NS_B ($IF_B 10.203.0.2/24)"
    run ip netns exec "$NS_A" "$I" monitor
    run ip netns exec "$NS_A" "$I" start
    showaddr "$NS_A"
    run ip netns exec "$NS_A" env OCF_RESKEY_CRM_meta_interval=10000 "$I" monitor
    echo "    (the address is deleted behind the agent's back)"
    ip -n "$NS_A" addr del 10.203.0.100/24 dev "$IF_A"
    run ip netns exec "$NS_A" env OCF_RESKEY_CRM_meta_interval=10000 "$I" monitor
    run ip netns exec "$NS_A" "$I" stop
    run ip netns exec "$NS_B" "$I" start
    showaddr "$NS_A"; showaddr "$NS_B"
    run ip netns exec "$NS_B" env OCF_RESKEY_ip=fd00:203::100 "$I" start
    echo "    on $NS_B: $(ip -n "$NS_B" -o -6 addr show | awk '$4 ~ /^fd00:203::100/ { print $2, $4 }')"
    run ip netns exec "$NS_A" env OCF_RESKEY_ip=fd00:203::100 "$I" start
    echo "    (duplicate address detection on A found B's address: start fails, nothing is left on A)"
    run ip netns exec "$NS_A" env OCF_RESKEY_ip=10.203.0.2 OCF_RESKEY_run_arping=true "$I" start
    run ip netns exec "$NS_A" env OCF_RESKEY_ip='1.2.3.4;reboot' "$I" start
    unset OCF_RESKEY_ip
else
    echo "    (skipped: network namespaces need root)"
fi

say "fence_ipmilan: fencing a node through a real IPMI BMC simulator (ipmi_sim on 127.0.0.1)"
FI=$b/fence/fence_ipmilan
if [ -x "$FI" ] && command -v ipmi_sim >/dev/null; then
    SIM=$top/tests/sim/ipmi/ipmisim.sh
    bash "$SIM" start "$T/bmc" 16298 admin demo-pw >/dev/null
    fo=(-a 127.0.0.1 -u 16298 -l admin -S "$T/pw.sh" --power-wait=0)
    printf '#!/bin/sh\necho demo-pw\n' > "$T/pw.sh" && chmod 700 "$T/pw.sh"
    echo "    (the password comes from a password_script; it is on no command line)"
    fdo() { run "$FI" "${fo[@]}" "$@"; }
    fdo -o status
    fdo -o off
    echo "    the simulator's power: $(bash "$SIM" power "$T/bmc")"
    fdo -o status
    fdo -o reboot
    echo "    what the BMC was told: $(grep -o 'set power [01]' "$T/bmc/chassis.log" | tr '\n' ';')"
    touch "$T/bmc/stuck"
    fdo -o off --power-timeout=2
    echo "    (the BMC accepted power off but the node stayed on: fencing is reported failed)"
    rm -f "$T/bmc/stuck"
    bash "$SIM" stop "$T/bmc"
else
    echo "    (skipped: fence_ipmilan or ipmi_sim missing)"
fi

say "ocf-tester (resource-agents) on both agents"
install -m 0755 "$D" "$S" "$T/" && chmod 755 "$T"
for a in Dummy Stateful; do
    # as ocf-tester is meant to run: no OCF version from the caller, so 1.0 metadata
    env -u OCF_RA_VERSION_MAJOR -u OCF_RA_VERSION_MINOR ocf-tester -n "demo-$a" "$T/$a" 2>&1 | tail -n 1 | sed "s|$T/||; s/^/    /"
done
echo
echo "Demonstration finished."
