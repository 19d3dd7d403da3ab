#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One binary, every caller: heartbeat v1 haresources lines, an LSB init
# script with a parameter file, and rgmanager's way of calling (an
# environment built from scratch, no PATH, "status" with a depth).
. "$top_srcdir/tests/lib/tap.sh"
D=$top_builddir/agents/Dummy
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT

# --- heartbeat v1: "Dummy::/path/state" in haresources runs "Dummy /path/state start"
hb() { rc env -i HA_RSCTMP="$T/rsc" "$@"; }
hb $D "$T/hb.state" start;   is "heartbeat: positional start" "$RC" 0
ok "heartbeat: the positional argument is the state parameter" test -f "$T/hb.state"
hb $D "$T/hb.state" status;  is "heartbeat: status of a running resource exits 0" "$RC" 0
is "heartbeat: ... and prints 'running'" "$(cat "$OUT")" running
hb $D "$T/hb.state" stop;    is "heartbeat: stop" "$RC" 0
hb $D "$T/hb.state" status;  is "heartbeat: status of a stopped resource exits 3" "$RC" 3
is "heartbeat: ... and prints 'stopped'" "$(cat "$OUT")" stopped
hb $D "$T/hb.state" extra start; is "heartbeat: too many arguments is an argument error" "$RC" 2
# installed as /etc/ha.d/resource.d/Dummy, with no arguments at all
mkdir -p "$T/etc/ha.d/resource.d" && ln -s "$D" "$T/etc/ha.d/resource.d/Dummy"
hb "$T/etc/ha.d/resource.d/Dummy" start; is "heartbeat: resource.d script with no arguments starts" "$RC" 0
ok "heartbeat: ... its state is named after the agent" test -f "$T/rsc/Dummy-Dummy_default.state"
hb "$T/etc/ha.d/resource.d/Dummy" status
is "heartbeat: ... status prints running" "$(cat "$OUT")" running

# --- LSB: an init script with its parameters in a file
cat > "$T/web.conf" <<CONF
# parameters of the "web" service
state = "$T/lsb.state"
fake='value with spaces'
CONF
lsb() { rc env -i RAMPART_CONF="$T/web.conf" HA_RSCTMP="$T/rsc" $D "$@"; }
lsb status;        is "LSB: status when stopped is 3" "$RC" 3
ok "LSB: ... and says so" grep -q 'is stopped' "$OUT"
lsb start;         is "LSB: start" "$RC" 0
ok "LSB: parameters come from the file" test -f "$T/lsb.state"
lsb start;         is "LSB: start when running is 0" "$RC" 0
lsb status;        is "LSB: status when running is 0" "$RC" 0
lsb restart;       is "LSB: restart" "$RC" 0
lsb force-reload;  is "LSB: force-reload" "$RC" 0
lsb try-restart;   is "LSB: try-restart" "$RC" 0
lsb stop;          is "LSB: stop" "$RC" 0
lsb stop;          is "LSB: stop when stopped is 0" "$RC" 0
lsb status;        is "LSB: status after stop is 3" "$RC" 3
lsb frobnicate;    is "LSB: an unknown action is 3" "$RC" 3
printf 'state = "%s"\nop_sleep = notatime\n' "$T/lsbbad.state" > "$T/bad.conf"
echo running > "$T/lsbbad.state"
rc env -i RAMPART_CONF="$T/bad.conf" HA_RSCTMP="$T/rsc" $D restart
is "LSB: restart with a parameter that does not validate is not configured (6)" "$RC" 6
ok "LSB: ... and neither stop nor start ran" test -f "$T/lsbbad.state"
echo 'this is not a parameter line' >> "$T/web.conf"
lsb start;         is "LSB: a malformed parameter file is not configured (6)" "$RC" 6
ok "LSB: ... with the line named" grep -q 'line 4: expected name=value' "$ERR"
# installed as /etc/init.d/NAME: the file is /etc/rampart/NAME.conf
ln -s "$D" "$T/web"
rc env -i HA_RSCTMP="$T/rsc" RAMPART_CONF="$T/missing.conf" "$T/web" start
is "LSB: a missing parameter file is not configured (6)" "$RC" 6

# --- rgmanager: execle() with only OCF variables, no PATH; status with depth
rgm() { rc env -i OCF_ROOT=/usr/share/cluster OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=0 \
        OCF_RESOURCE_INSTANCE=dummy:rg1 OCF_RESOURCE_TYPE=Dummy OCF_RESKEY_state="$T/rg.state" \
        HA_RSCTMP="$T/rsc" "$@"; }
rgm $D start;                       is "rgmanager: start with no PATH" "$RC" 0
rgm env OCF_CHECK_LEVEL=10 $D status; is "rgmanager: status at depth 10 of a running resource" "$RC" 0
ok "rgmanager: status prints nothing heartbeat would parse" test ! -s "$OUT"
echo damaged > "$T/rg.state"
rgm env OCF_CHECK_LEVEL=10 $D status; is "rgmanager: status at depth 10 sees damage" "$RC" 1
rgm $D recover;                     is "rgmanager: recover restarts in place" "$RC" 0
ok "rgmanager: ... and repairs the state" grep -qx running "$T/rg.state"
rgm $D verify-all;                  is "rgmanager: verify-all validates" "$RC" 0
rgm $D stop;                        is "rgmanager: stop" "$RC" 0
rgm $D status;                      is "rgmanager: status when stopped is OCF_NOT_RUNNING (7)" "$RC" 7
rgm $D migrate node2;               is "rgmanager: migrate <target> is migrate_to" "$RC" 0
tap_done
