#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VirtualDomain's own reader of libvirtd's protocol (lib/virt.c, ra_virt_peek) against a
# hostile libvirtd (tests/sim/libvirt/fake-libvirtd.py, a test double): silent, garbage,
# cut, oversized and out-of-order answers, a bare error code, a close that never comes
# back.  Whatever it says, a probe never answers "not running" and a stop never
# "stopped" unless the daemon said so in a whole answer; each within its 3 s timeout,
# never a crash.  The well-formed answers are read right (running, shut off).
. "$top_srcdir/tests/lib/tap.sh"
A=$top_builddir/agents/VirtualDomain
[ -x "$A" ] || skip_all "VirtualDomain not built (libvirt-dev)"
command -v python3 > /dev/null || skip_all "python3 is not installed"
T=$(mktemp -d)
FAKE=
trap '[ -n "$FAKE" ] && kill "$FAKE" 2> /dev/null; rm -rf "$T"; tap_cleanup' EXIT
printf "<domain type='kvm'>\n  <name>wire1</name>\n  <uuid>11111111-1111-1111-1111-111111111111</uuid>\n</domain>\n" > "$T/d.xml"
fake() { # fake MODE [NAME=VALUE...]: a fake daemon answering as MODE
    local mode=$1
    shift
    [ -n "$FAKE" ] && kill "$FAKE" 2> /dev/null && wait "$FAKE" 2> /dev/null
    rm -f "$T/sock"
    env "$@" python3 "$top_srcdir/tests/sim/libvirt/fake-libvirtd.py" "$T/sock" "$mode" &
    FAKE=$!
    for _ in $(seq 50); do [ -S "$T/sock" ] && break; sleep 0.1; done
}
vd() { # vd ACTION INTERVAL: the agent against the fake, 3 s timeout
    local t0=$SECONDS
    rc timeout 20 env -i OCF_ROOT=/usr/lib/ocf HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=w \
        OCF_RESKEY_config="$T/d.xml" OCF_RESKEY_hypervisor="qemu+unix:///system?socket=$T/sock" \
        OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_CRM_meta_interval="$2" "$A" "$1"
    TOOK=$((SECONDS - t0))
}
fake ok FAKE_STATE=1
vd monitor 0
is "a whole answer, running: probe 0" "$RC" 0
fake ok FAKE_STATE=5
vd monitor 0
is "a whole answer, shut off: probe 7" "$RC" 7
vd stop 0
is "... stop 0" "$RC" 0
for mode in silent garbage shortlen hugelen trunc flood badstatus authhuge lookuphuge lookuptrunc \
    errtrunc errhugemsg statetrunc stateweird statenostate handover-closehang; do
    fake "$mode"
    vd monitor 0
    ok "$mode: a probe is neither running nor stopped but failed (rc $RC)" test "$RC" = 1
    ok "$mode: ... within its timeout ($TOOK s)" test "$TOOK" -le 3
    ok "$mode: ... no crash" bash -c "! grep -q Sanitizer '$ERR'"
    vd stop 0
    ok "$mode: stop fails (rc $RC)" test "$RC" = 1
    ok "$mode: ... within its timeout ($TOOK s)" test "$TOOK" -le 3
done
tap_done
