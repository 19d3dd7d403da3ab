#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PID 1 of a guest (vm.sh copies it into the guest's /xfer).  It names the
# guest and gives eth0 its address from /xfer, shows the build tree's agents
# where their callers look for them (in the guest's own tmpfs layer: nothing
# is installed on the host), then runs each job the host drops in
# /xfer/jobs/: JOB.sh -> JOB.run (running) -> JOB.out and JOB.rc.
# /xfer/halt powers the guest off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mkdir -p /run/lock /run/lvm /run/udev /run/rpcbind /run/crm /var/lib/drbd
hostname "$(cat /xfer/name)"
ip link set lo up
if [ -s /xfer/ip ] && ip link show eth0 >/dev/null 2>&1; then
    ip link set eth0 up && ip addr add "$(cat /xfer/ip)" dev eth0
fi
b=$(cat /xfer/builddir 2>/dev/null)
if [ -n "$b" ] && [ -d "$b/agents" ]; then
    mkdir -p /usr/lib/ocf/resource.d/rampart /etc/ha.d/resource.d
    for a in "$b"/agents/*; do
        case $a in *.o) continue ;; esac
        [ -x "$a" ] || continue
        ln -sf "$a" /usr/lib/ocf/resource.d/rampart/
        ln -sf "$a" /etc/ha.d/resource.d/
    done
    for f in "$b"/fence/fence_*; do
        case $f in *.o) continue ;; esac
        [ -x "$f" ] || continue
        ln -sf "$f" /usr/sbin/
    done
fi
echo "vm: $(hostname) up at $(cut -d' ' -f1 /proc/uptime) s" > /dev/console
touch /xfer/ready
while :; do
    for j in /xfer/jobs/*.sh; do
        [ -e "$j" ] || break
        n=${j%.sh}
        mv "$j" "$n.run"
        sh "$n.run" > "$n.out" 2>&1 < /dev/null
        echo $? > "$n.rc.tmp"; mv "$n.rc.tmp" "$n.rc"
    done
    if [ -e /xfer/halt ]; then sync; poweroff -f; fi
    sleep 0.05
done
