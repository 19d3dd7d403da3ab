#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input through the real binaries: each gets a one-line reason and the
# right exit code; never a crash, never a shell.
. "$top_srcdir/tests/lib/tap.sh"
D=$top_builddir/agents/Dummy
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bad
export OCF_RESKEY_CRM_meta_interval=10000

one_line_reason() { [ "$(grep -c '^ocf-exit-reason:' "$ERR")" = 1 ] && [ -n "$(reason)" ]; }
not_crashed() { [ "$RC" -lt 128 ]; }

OCF_RESKEY_op_sleep=soon rc $D start
is "wrong type: start is OCF_ERR_CONFIGURED" "$RC" 6
ok "wrong type: one reason line" one_line_reason
is "wrong type: the reason names the parameter" "$(reason)" \
   "parameter 'op_sleep' must be a duration such as 30, 30s, 500ms or 2min, not 'soon'"
OCF_RESKEY_op_sleep=soon rc $D stop
is "wrong type: stop still succeeds (nothing can be running)" "$RC" 0
OCF_RESKEY_op_sleep=soon OCF_RESKEY_CRM_meta_interval=0 rc $D monitor
is "wrong type: a probe is OCF_NOT_RUNNING" "$RC" 7
OCF_RESKEY_op_sleep=soon rc $D monitor
is "wrong type: a recurring monitor reports it" "$RC" 6
OCF_RESKEY_op_sleep=soon rc $D validate-all
is "wrong type: validate-all reports it" "$RC" 6

OCF_RESKEY_state='relative/path' rc $D start
is "relative path: OCF_ERR_CONFIGURED" "$RC" 6

OCF_RESKEY_fake=$'line one\nocf-exit-reason:forged' rc $D start
is "newline in a value: OCF_ERR_CONFIGURED" "$RC" 6
ok "newline in a value: still exactly one reason line" one_line_reason
is "newline in a value: the reason" "$(reason)" "parameter 'fake' contains a control character"

OCF_RESKEY_state=$'/tmp/\xff\xfe' rc $D start
is "non-UTF-8 value: OCF_ERR_CONFIGURED" "$RC" 6
is "non-UTF-8 value: the reason" "$(reason)" "parameter 'state' is not valid UTF-8"

big=$(head -c 100000 /dev/zero | tr '\0' a)
OCF_RESKEY_fake=$big rc $D start
is "100 kB value: OCF_ERR_CONFIGURED" "$RC" 6
is "100 kB value: a short reason" "$(reason)" "parameter 'fake' is too long (100000 bytes, at most 4096)"

touchme=$T/pwned
OCF_RESKEY_fake="\$(touch $touchme); \`touch $touchme\` | touch $touchme" rc $D start
is "shell metacharacters: plain text, start succeeds" "$RC" 0
ok "shell metacharacters: nothing was executed" test ! -e "$touchme"
rc $D stop

OCF_RESKEY_passwd=$'hunter2\n' rc $D start
is "bad secret: OCF_ERR_CONFIGURED" "$RC" 6
ok "bad secret: its value appears nowhere" bash -c '! grep -q hunter2 "$1" "$2"' _ "$OUT" "$ERR"

rc $D ''
is "empty action: unimplemented" "$RC" 3
rc $D 'start;reboot'
is "action with metacharacters: unimplemented" "$RC" 3
is "... and the reason quotes it safely" "$(reason)" "unknown action 'start;reboot'"
rc $D $'start\nstop'
is "action with a newline: unimplemented" "$RC" 3
ok "... and one reason line" one_line_reason
rc $D
is "no action: OCF_ERR_ARGS" "$RC" 2

for v in -1 99999999999999999999 0x10 ' 5' '5 ' 1e3 '' ; do
    OCF_RESKEY_op_sleep=$v rc $D monitor
    ok "op_sleep='$v' never crashes (rc $RC)" not_crashed
done
OCF_CHECK_LEVEL=$'10\n' rc $D monitor
ok "a garbage OCF_CHECK_LEVEL never crashes" not_crashed
OCF_RESKEY_CRM_meta_timeout=garbage rc $D monitor
is "a garbage timeout falls back to the action's default" "$RC" 7
OCF_RESOURCE_INSTANCE='../../../etc/x' rc $D start
ok "an instance name cannot escape HA_RSCTMP" test -f "$T/rsc/Dummy-.._.._.._etc_x.state"
tap_done
