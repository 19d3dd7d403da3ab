#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# chassis_control program of a guest's BMC (ipmi_sim popen()s it with the
# BMC's state directory, VM_DIR/bmc<i>, first).  tests/sim/ipmi keeps the
# power state; this wires it to the guest: its power reads on while its qemu
# runs (or a boot is on its way), off pulls the plug of its qemu, on boots it
# again after a simulated POST of VM_POST seconds (default 1).
s=$1
here=$(cd "$(dirname "$0")" && pwd)
export VM_DIR
VM_DIR=$(dirname "$s")
g=$(cat "$s/guest")
# the power is the guest's own: on while its qemu runs, or while a boot is on its way
if [ "$2" = get ]; then
    p=$(cat "$VM_DIR/$g.pid" 2>/dev/null)
    if { [ -n "$p" ] && kill -0 "$p" 2>/dev/null; } || [ -e "$s/booting" ]; then
        echo 1 > "$s/power"
    else
        echo 0 > "$s/power"
    fi
fi
before=$(cat "$s/power" 2>/dev/null || echo 1)
"$here/../sim/ipmi/ipmisim-chassis.sh" "$@" || exit 1
after=$(cat "$s/power")
if [ "$before" = 1 ] && [ "$after" = 0 ]; then
    "$here/vm.sh" poweroff "$g" > /dev/null 2>&1
elif [ "$before" = 0 ] && [ "$after" = 1 ]; then
    : > "$s/booting" # vm.sh boot removes it once the qemu runs
    setsid sh -c "sleep ${VM_POST:-1}; [ \"\$(cat '$s/power')\" = 1 ] && '$here/vm.sh' boot $g" \
        < /dev/null >> "$VM_DIR/$g.boots" 2>&1 &
fi
exit 0
