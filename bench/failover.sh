#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Failover, side by side: two real two-node Pacemaker clusters in namespaces
# (tests/cluster/cl.sh), one running Rampart's agents (ocf:rampart:IPaddr2,
# Filesystem, Dummy; Rampart's fence_ipmilan), the other the agents users run
# today (ocf:heartbeat:IPaddr2, Filesystem, Dummy; fence-agents'
# fence_ipmilan), with the same group, the same monitors, the same fence
# device settings (lanplus, cipher 3, power_wait 2) and the same BMC
# simulator.  The node holding the group crashes (every process killed); the
# survivor fences it and starts the group.  Runs alternate between the two
# clusters; the table gives each step's median, seconds after the fault.
# Usage: bench/failover.sh [RUNS] [BUILD_DIR]      (needs root)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
b=${2:-$top/_build/bench}
bash "$top/tests/deps.sh" bench || exit 1
. "$top/bench/lib.sh"
bench_build "$b" || exit 1
for a in agents/Filesystem fence/fence_ipmilan; do
    [ -x "$b/$a" ] || { echo "$b/$a was not built (see configure's summary)" >&2; exit 1; }
done
export top_builddir=$b
. "$top/tests/cluster/cl.sh"
W=$(mktemp -d /tmp/rampart-failover.XXXXXX)
flavours="anchor rampart"
down_all() {
    local f
    for f in $flavours; do CL_BASE=$W/$f cl_down > /dev/null 2>&1; done
    rm -rf "$W"
}
trap down_all EXIT

n=0
for f in $flavours; do
    n=$((n + 1))
    cl_init "$W/$f" "rpf$n" $((4 + n)) 2 "$f" || exit 1
    cl_up --stonith || { echo "the $f cluster did not come up" >&2; exit 1; }
    cl_disk && cl_conf && cl_x 1 cibadmin --create -o resources --xml-text "$(cl_group_xml)" || exit 1
    cl_wait 60 eval 'h=$(cl_holder); [ "$h" != 0 ] && cl_svc_on "$h"' || { echo "the $f group did not start" >&2; exit 1; }
    echo "$f cluster up; group on node$(cl_holder)"
done

for r in $(seq 1 "$runs"); do
    for f in $flavours; do
        CL_BASE=$W/$f
        cl_conf
        if cl_failover crash; then
            printf 'run %d %-8s service after %6s s, rejoined after %6s s\n' "$r" "$f" "$(cl_event service)" "$(cl_event rejoined)"
        else
            printf 'run %d %-8s FAILED (timeline kept in results)\n' "$r" "$f"
        fi
        awk -v f="$f" -v r="$r" '{ print f, r, $1, $2 }' "$CL_BASE/timeline" >> "$W/results"
    done
done

echo
printf 'Failover after a crash of the node holding the group: %d runs each, alternating; median seconds after the fault\n' "$runs"
awk -F'\t' '
    NR == FNR { k[++n] = $1; d[$1] = $2; next }
    { split($0, f, " "); t[f[1], f[2], f[3]] = f[4]; runs[f[2]] = 1 }
    function median(fl, a, z,    m, r, v, i, j, x) { # median over the runs of z - a
        m = 0
        for (r in runs)
            if (((fl, r, a) in t) && ((fl, r, z) in t)) v[++m] = t[fl, r, z] - t[fl, r, a]
        if (m == 0) return "-"
        for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
        return sprintf("%.2f", m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2)
    }
    END {
        printf "%-62s %8s %8s\n", "event", "anchor", "rampart"
        for (i = 1; i <= n; i++)
            printf "%-62s %8s %8s\n", d[k[i]], median("anchor", "fault", k[i]), median("rampart", "fault", k[i])
        printf "%-62s %8s %8s\n", "  the fence agent at work (fencing asked -> reported done)",
            median("anchor", "fence-request", "fenced"), median("rampart", "fence-request", "fenced")
        printf "%-62s %8s %8s\n", "  the three starts (fencing done -> application started)",
            median("anchor", "fenced", "started-app"), median("rampart", "fenced", "started-app")
    }' <(cl_events) "$W/results"
