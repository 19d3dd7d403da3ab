#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demonstration: install what is needed, build, start a real two-node
# Pacemaker cluster on this machine (each node in its own namespaces, each
# with a simulated IPMI board that can really power it off), run a service on
# it with Rampart's agents, crash the node that runs it, and print what
# happened, step by step, with times.  Then clean up.  Needs root.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
[ "$(id -u)" = 0 ] || { echo "the demonstration needs root (namespaces, mounts, a loop device)"; exit 1; }
say() { printf '\n== %s\n' "$*"; }
say "installing what is needed (apt-get, only what is missing)"
bash tests/deps.sh demo || exit 1
b=$top/_build/demo
say "building Rampart (./autogen.sh, configure, make)"
if [ ! -f "$b/Makefile" ]; then
    ./autogen.sh > /dev/null 2>&1 && mkdir -p "$b" &&
        (cd "$b" && "$top/configure" -q > /dev/null) || { echo "configure failed"; exit 1; }
fi
make -C "$b" -s -j"$(nproc)" > /dev/null 2>&1 || { echo "build failed"; exit 1; }
export top_builddir=$b
. "$top/tests/cluster/cl.sh"
W=$(mktemp -d /tmp/rampart-demo.XXXXXX)
trap 'cl_down > /dev/null 2>&1; rm -rf "$W"' EXIT
cl_init "$W" rpd 3 2 rampart || exit 1

say "starting a two-node cluster (corosync 3 + Pacemaker 2.1)"
cat << EOF
   node1 ($(cl_ip 1)) and node2 ($(cl_ip 2)) are network namespaces on one bridge.
   Each node has its own BMC, the board that powers a server on and off,
   simulated by ipmi_sim at $CL_NET.254: powering a node off kills every
   process in it.  Each node runs Rampart's fence_ipmilan to fence the other.
EOF
cl_up --stonith || exit 1
echo "   $(tail -n1 "$CL_BASE/events" | cut -d' ' -f2-)"

say "starting the service: an IP address, a filesystem on a shared disk, an application"
cl_disk && cl_conf || exit 1
cat << EOF
   ocf:rampart:IPaddr2    address $(cl_vip)
   ocf:rampart:Filesystem ext4 on $CL_LOOP (both nodes see the disk), mounted on $CL_BASE/data
   ocf:rampart:Dummy      the "application"
   They form a group: started in this order on one node, stopped in reverse.
   Pacemaker checks each one every 2 s (the filesystem also at depths 10 and 20).
EOF
cl_x 1 cibadmin --create -o resources --xml-text "$(cl_group_xml)" || exit 1
cl_wait 60 eval 'h=$(cl_holder); [ "$h" != 0 ] && cl_svc_on "$h"' || { echo "the service did not start"; exit 1; }
h=$(cl_holder)
o=1; [ "$h" = 1 ] && o=2
cl_x 1 crm_mon -1 2>/dev/null | sed -n '/Node List/,$p' | sed 's/^/   /'
echo "hello from node$h" > "$W/hello"
cl_x "$h" cp "$W/hello" "$CL_BASE/data/hello"
echo "   node$h wrote a file on the shared filesystem."

say "crashing node$h: every process on it is killed at once"
cat << EOF
   What is left of node$h still holds the address and the mount: until it is
   fenced, nobody may take them over.  node$o must notice, fence node$h
   through node$h's BMC, and only then start the service.
EOF
if cl_failover crash; then ok=1; else ok=0; fi

say "what happened (seconds after the crash)"
cl_timeline
echo
echo "   The BMC log of node$h (what the fence agent asked of it):"
awk -v t0="$(awk '$1 == "fault" { print $2 }' "$CL_BASE/timeline")" \
    '{ printf "     +%.2f s  %s %s %s\n", $1 - t0, $2, $3, $4 }' "$CL_BASE/bmc$h/chassis.log"
grep "node$h powered off" "$CL_BASE/events" | tail -n1 | cut -d' ' -f2- | sed 's/^/   BMC: /'

say "after the failover"
cl_x "$o" crm_mon -1 2>/dev/null | sed -n '/Node List/,$p' | sed 's/^/   /'
printf '   the file on the shared filesystem, read on node%s: ' "$o"
cl_x "$o" cat "$CL_BASE/data/hello" 2>/dev/null || echo "(missing!)"
cl_x "$o" stonith_admin --history "node$h" 2>/dev/null | sed 's/^/   /'

say "cleaning up"
cl_down > /dev/null 2>&1
left=$(cl_leftovers)
if [ -z "$left" ]; then
    echo "   nothing left behind: no namespace, process, mount or loop device"
else
    echo "   left behind:"; echo "$left" | sed 's/^/     /'
fi
if [ "$ok" = 1 ]; then
    printf '\nfailover complete: the service answered on node%s %s s after the crash\n' "$o" "$(cl_event service)"
else
    echo; echo "failover did NOT complete; logs were in $CL_BASE/node*/log"
fi
[ "$ok" = 1 ] && [ -z "$left" ]
