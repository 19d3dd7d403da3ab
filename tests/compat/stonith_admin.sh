#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pacemaker's stonith_admin reads our fence agents' metadata and validates
# their options, without a cluster.  The fencer looks for agents in
# /usr/sbin, so inside a private mount namespace an overlay shows ours there
# (names fence-agents lacks, like fence_ssh, too); the host is never touched.
. "$top_srcdir/tests/lib/tap.sh"
command -v stonith_admin >/dev/null || skip_all "stonith_admin not installed (pacemaker-cli-utils)"
[ "$(id -u)" = 0 ] || skip_all "a private mount namespace needs root"
[ -n "$FENCE_AGENTS" ] || skip_all "no fence agent built"
if [ -z "$RA_IN_NS" ]; then
    exec env RA_IN_NS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
for a in $FENCE_AGENTS; do install -m 0755 "$top_builddir/fence/$a" "$T/$a"; done
mount -t overlay rp-sbin -o "lowerdir=$T:/usr/sbin" /usr/sbin || skip_all "overlayfs not available"
for a in $FENCE_AGENTS; do
    rc stonith_admin --metadata -a "$a"
    is "stonith_admin --metadata -a $a" "$RC" 0
    ok "... is ours" grep -qE 'OpenIPMI library|net-snmp library|libssh2' "$OUT"
    rc stonith_admin --validate -a "$a" -o ip=127.0.0.1 -o username=admin -o password=x -o plug=1
    is "stonith_admin --validate -a $a" "$RC" 0
    rc stonith_admin --validate -a "$a" -o ip=127.0.0.1 -o ipport=99999
    ok "stonith_admin --validate -a $a rejects ipport=99999 (rc $RC)" test "$RC" -ne 0
    ok "... with our reason" grep -q "parameter 'ipport' must be a port number" "$OUT" "$ERR"
done
tap_done
