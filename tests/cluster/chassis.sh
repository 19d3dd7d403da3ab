#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# chassis_control program of a cluster node's BMC (ipmi_sim popen()s it with
# the BMC's state directory, BASE/bmc<i>, first).  The power state is kept by
# tests/sim/ipmi/ipmisim-chassis.sh; this wires it to node <i>: a change to
# off kills the node (cl.sh poweroff), a change to on boots it after a
# simulated POST of CL_BOOT_DELAY seconds.  Every power read is logged with
# the value it returned, so a timeline can show when the fence agent saw "off".
s=$1
here=$(cd "$(dirname "$0")" && pwd)
base=$(dirname "$s")
i=${s##*/bmc}
before=$(cat "$s/power" 2>/dev/null || echo 1)
"$here/../sim/ipmi/ipmisim-chassis.sh" "$@" || exit 1
after=$(cat "$s/power")
[ "$2" = get ] && echo "$(date +%s.%N) read power=$after" >> "$s/chassis.log"
export CL_BASE="$base"
if [ "$before" = 1 ] && [ "$after" = 0 ]; then
    "$here/cl.sh" poweroff "$i" > /dev/null 2>&1
elif [ "$before" = 0 ] && [ "$after" = 1 ]; then
    setsid sh -c "sleep ${CL_BOOT_DELAY:-5}; [ \"\$(cat '$s/power')\" = 1 ] && '$here/cl.sh' boot $i" \
        < /dev/null >> "$base/node$i/log/boot.out" 2>&1 &
    echo $! > "$base/node$i/boot.pid"
fi
exit 0
