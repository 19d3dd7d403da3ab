#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# PID 1 of one simulated cluster node (started by cl.sh boot inside the
# node's network namespace and new mount, UTS and PID namespaces).  It gives
# the node private state and the overlays with Rampart's agents, runs
# corosync and pacemakerd, and, like a kernel, stays up when they die: only
# an orderly shutdown (cl.sh down) or the BMC's power off ends the node.
base=$1 i=$2
. "$base/conf"
d=$base/node$i
log() { echo "$(date +%s.%N) node$i init: $*" >> "$base/events"; }
hostname "node$i"
mount --bind "$d/etc-corosync" /etc/corosync
mount --bind "$d/lib-pacemaker" /var/lib/pacemaker
mount --bind "$d/lib-corosync" /var/lib/corosync
mount --bind "$d/log-pacemaker" /var/log/pacemaker
mount -t tmpfs -o mode=0755 node-run /run
# a test's per-node files (a database's datadir) at one path on every node
[ -d "$d/srv" ] && mount --bind "$d/srv" /srv
mkdir -p /run/crm /run/resource-agents /run/lock
chown hacluster:haclient /run/crm && chmod 0750 /run/crm && chmod 1777 /run/lock
mount -t tmpfs -o mode=1777 node-shm /dev/shm
# /sys as this network namespace sees it (/sys/class/net: eth0, lo)
umount -l /sys && mount -t sysfs node-sys /sys
mount -t overlay node-ocf -o "lowerdir=$base/ocf-extra:/usr/lib/ocf/resource.d" /usr/lib/ocf/resource.d
if [ -n "$(ls -A "$base/sbin-extra")" ]; then
    mount -t overlay node-sbin -o "lowerdir=$base/sbin-extra:/usr/sbin" /usr/sbin
fi
ip link set lo up
corosync -f -c /etc/corosync/corosync.conf >> "$d/log/corosync.out" 2>&1 &
cpid=$!
for _ in $(seq 1 100); do
    timeout 2 corosync-cfgtool -s > /dev/null 2>&1 && break
    sleep 0.1
done
PCMK_logfile=$d/log/pacemaker.log PCMK_logfacility=none PCMK_blackbox=no \
    pacemakerd >> "$d/log/pacemakerd.out" 2>&1 &
ppid_=$!
log "corosync $cpid, pacemakerd $ppid_"
# reap orphans (bash does on SIGCHLD) until an orderly shutdown has ended
# both daemons
while ! { [ -e "$d/stopping" ] && ! kill -0 "$cpid" 2>/dev/null && ! kill -0 "$ppid_" 2>/dev/null; }; do
    sleep 0.5
done
log "orderly shutdown complete"
