#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# resource-agents' ocf-tester, unmodified, on every Rampart resource agent:
# metadata as nobody and against the DTD, validate-all, the probe, the
# start/stop/monitor (and promote/demote) sequence.
. "$top_srcdir/tests/lib/tap.sh"
command -v ocf-tester >/dev/null || skip_all "ocf-tester not installed (Debian resource-agents)"
[ "$(id -u)" = 0 ] || skip_all "ocf-tester needs root"
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"; tap_cleanup' EXIT
export HA_RSCTMP=$T/rsc
for a in $RA_AGENTS; do
    # these need a network or a device: tests/agents/{ipaddr2,filesystem}.sh run ocf-tester
    # drbd needs DRBD, LVM device-mapper, exportfs, nfsserver and nfsnotify nfsd, mysql a server: tests/vm/{drbd,lvm,nfs}.sh and tests/agents/mysql.sh run ocf-tester
    # mariadb needs a cluster (tests/cluster/mariadb.sh), apache a configuration (tests/agents/apache.sh),
    # VirtualDomain a libvirtd (tests/agents/virtualdomain.sh), Xen a Xen host (tests/vm/xen.sh)
    case $a in IPaddr* | Filesystem | drbd* | LVM* | exportfs | nfsserver | nfsnotify | mysql | mariadb | apache | VirtualDomain | Xen) continue ;; esac
    # ocf-tester runs meta-data as nobody: the binary must be reachable by nobody
    install -m 0755 "$top_builddir/agents/$a" "$T/$a"
    rc ocf-tester -n "t-$a" "$T/$a"
    is "ocf-tester passes $a" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
    rc ocf-tester -n "t-$a" -o state="$T/explicit-$a.state" "$T/$a"
    is "ocf-tester passes $a with an explicit state file" "$RC" 0
done
tap_done
