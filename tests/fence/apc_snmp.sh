#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fence_apc_snmp against a real SNMP agent: net-snmp's snmpd on loopback,
# whose APC subtree is served by a pass_persist script keeping the outlets
# in a file (tests/sim/pdu/), for every device personality the agent knows.
. "$top_srcdir/tests/lib/tap.sh"
command -v snmpd >/dev/null || skip_all "snmpd not installed"
F=$top_builddir/fence/fence_apc_snmp
[ -x "$F" ] || skip_all "fence_apc_snmp not built (net-snmp missing)"
SIM=$top_srcdir/tests/sim/pdu/pdusim.sh
T=$(mktemp -d)
export PDUSIM_DIR=$T/pdu PDUSIM_PORT=$((16400 + $$ % 400)) PDUSIM_PY=$(command -v python3)
export HA_RSCTMP=$T/rsc
trap 'bash "$SIM" stop >/dev/null 2>&1; rm -rf "$T"; tap_cleanup' EXIT
sim_start() { # sim_start MODEL
    bash "$SIM" stop >/dev/null 2>&1
    rm -rf "$PDUSIM_DIR"
    PDUSIM_MODEL=$1 bash "$SIM" start >/dev/null 2>&1
}
sim_start rpdu || skip_all "the simulated PDU did not start"
C=(-a 127.0.0.1 -u "$PDUSIM_PORT" --power-wait=0 --stonith-status-sleep=0.2)
V2=("${C[@]}" -d 2c -c private)
sets() { grep -o 'SET outlet=[0-9]* name=[^ ]* action=[a-z]*' "$PDUSIM_DIR/events.log" | sed 's/ name=[^ ]*//' | tr '\n' ';'; }
clear_log() { : > "$PDUSIM_DIR/events.log"; }
state_set() { # state_set PYTHON-EXPR: edit the simulator's state file (st is the dict)
    python3 - "$PDUSIM_DIR/state.json" "$1" <<'PY'
import json, sys
p, expr = sys.argv[1], sys.argv[2]
st = json.load(open(p))
exec(expr)
json.dump(st, open(p, "w"), indent=1)
PY
}

# --- metadata
rc "$F" -o metadata
if [ -f /usr/share/cluster/relaxng/metadata.rng ]; then
    ok "metadata is valid against fence-agents' metadata.rng" \
        xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng "$OUT"
fi
ok "metadata equals meta-data/fence_apc_snmp.xml" diff -q "$top_srcdir/meta-data/fence_apc_snmp.xml" "$OUT"

# --- the rack PDU: status, off, on, reboot, by number and by name, and the exact SETs
rc "$F" "${V2[@]}" -n 3 -o status;           is "rPDU: status of an on outlet is 0" "$RC" 0
clear_log
rc "$F" "${V2[@]}" -n 3 -o off;              is "rPDU: off" "$RC" 0
is "rPDU: the PDU saw one SET off on outlet 3" "$(sets)" "SET outlet=3 action=off;"
rc "$F" "${V2[@]}" -n 3 -o status;           is "rPDU: status of an off outlet is 2" "$RC" 2
clear_log
rc "$F" "${V2[@]}" -n node3 -o on;           is "rPDU: on, the outlet named by its name" "$RC" 0
is "rPDU: ... SET on outlet 3" "$(sets)" "SET outlet=3 action=on;"
clear_log
rc "$F" "${V2[@]}" -n 5 -o reboot;           is "rPDU: reboot" "$RC" 0
is "rPDU: ... off then on" "$(sets)" "SET outlet=5 action=off;SET outlet=5 action=on;"
clear_log
rc "$F" "${V2[@]}" -n 1,2 -o off;            is "rPDU: two plugs at once" "$RC" 0
is "rPDU: ... both switched" "$(sets)" "SET outlet=1 action=off;SET outlet=2 action=off;"
rc "$F" "${V2[@]}" -n 1,2 -o on
rc "$F" "${V2[@]}" -o list;                  is "rPDU: list" "$RC" 0
is "rPDU: list prints outlet,name" "$(head -2 "$OUT" | tr '\n' ';')" "1,node1;2,node2;"
rc "$F" "${V2[@]}" -n 4 -o off
rc "$F" "${V2[@]}" -o list-status;           is "rPDU: list-status" "$RC" 0
is "rPDU: list-status prints outlet,name,state" "$(sed -n 3,4p "$OUT" | tr '\n' ';')" "3,node3,ON;4,node4,OFF;"
rc "$F" "${V2[@]}" -n 4 -o on
rc "$F" "${V2[@]}" -o monitor;               is "rPDU: monitor" "$RC" 0
rc "$F" "${V2[@]}" -n no-such-outlet -o status
is "rPDU: an unknown outlet name fails" "$RC" 1

# --- an outlet whose state is neither on nor off (outletStatusUnknown) is unreadable, never off
state_set 'st["outlets"][2]["state"] = "unknown"'
clear_log
rc "$F" "${V2[@]}" -n 3 -o status
is "unknown state: status fails (1), never off (2)" "$RC" 1
ok "... saying the state is neither on nor off" grep -q 'neither on' "$ERR"
ok "... and never Status: OFF" bash -c "! grep -q 'Status: OFF' '$OUT'"
rc "$F" "${V2[@]}" -n 3 -o off
is "unknown state: off fails" "$RC" 1
ok "... and does not say Already OFF" bash -c "! grep -q 'Already OFF' '$OUT'"
rc "$F" "${V2[@]}" -o list-status
is "unknown state: list-status still lists" "$RC" 0
ok "... the outlet as UNKNOWN" grep -qx '3,node3,UNKNOWN' "$OUT"
state_set 'st["outlets"][2]["state"] = "on"'

# --- SNMP versions and v3 security levels
rc "$F" "${C[@]}" -d 1 -c private -n 2 -o status;  is "SNMP v1" "$RC" 0
rc "$F" "${C[@]}" -c private -n 2 -o status;       is "a community alone (v2c implied)" "$RC" 0
V3=("${C[@]}" -d 3)
rc "$F" "${V3[@]}" -l fencenoauth -E noAuthNoPriv -n 2 -o status
is "v3 noAuthNoPriv" "$RC" 0
rc "$F" "${V3[@]}" -l fenceauth -p fenceauth123 -b SHA -E authNoPriv -n 2 -o status
is "v3 authNoPriv (SHA)" "$RC" 0
rc "$F" "${V3[@]}" -l fenceuser -p fenceauth123 -b SHA -P fencepriv123 -B AES -E authPriv -n 2 -o status
is "v3 authPriv (SHA, AES)" "$RC" 0
rc "$F" "${V3[@]}" -l fencemd5 -p fenceauth123 -b MD5 -P fencepriv123 -B DES -n 2 -o status
is "v3 authPriv (MD5, DES), the level implied by both passwords" "$RC" 0
clear_log
rc "$F" "${V3[@]}" -l fenceuser -p fenceauth123 -b SHA -P fencepriv123 -B AES -n 6 -o off
is "v3 authPriv: off" "$RC" 0
is "v3 authPriv: ... SET off on outlet 6" "$(sets)" "SET outlet=6 action=off;"
rc "$F" "${V3[@]}" -l fenceuser -p wrong-auth-pw -b SHA -P fencepriv123 -B AES -n 6 -o status --shell-timeout=2
is "v3 with a wrong password fails" "$RC" 1

# --- failures, each bounded
rc "$F" "${C[@]}" -d 2c -c public -n 6 -o on
is "a read-only community: the write is refused" "$RC" 1
ok "... saying so" grep -q 'refused the write' "$ERR"
t0=$(date +%s%N)
rc "$F" "${C[@]}" -d 2c -c not-the-community -n 6 -o status --login-timeout=2
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "a wrong community fails" "$RC" 1
ok "... within login_timeout (${ms} ms)" test "$ms" -lt 3500
ok "... and says it had no answer" grep -q 'no answer from the PDU' "$ERR"
rc "$F" "${V2[@]}" -n 6 -o on
state_set 'st["outlets"][6]["stuck"] = True'
t0=$(date +%s%N)
rc "$F" "${V2[@]}" -n 7 -o off --power-timeout=2
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
state_set 'st["outlets"][6]["stuck"] = False'
is "an outlet that ignores commands: off fails" "$RC" 1
ok "... after power_timeout (${ms} ms)" test "$ms" -ge 1900 -a "$ms" -lt 4500
state_set 'st["deny_set"] = True'
t0=$(date +%s%N)
rc "$F" "${V2[@]}" -n 7 -o off --power-timeout=10
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
state_set 'st["deny_set"] = False'
is "writes refused: off fails" "$RC" 1
ok "... at once (${ms} ms)" test "$ms" -lt 2000
kill -STOP "$(cat "$PDUSIM_DIR/snmpd.pid")"
t0=$(date +%s%N)
rc "$F" "${V2[@]}" -n 7 -o off --login-timeout=2
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill -CONT "$(cat "$PDUSIM_DIR/snmpd.pid")"
is "a PDU that does not answer: off fails" "$RC" 1
ok "... bounded (${ms} ms)" test "$ms" -lt 3500
# nothing at all on the port: the first answer is waited for login_timeout, not shell_timeout
free_port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t0=$(date +%s%N)
rc "$F" -a 127.0.0.1 -u "$free_port" -d 2c -c private -n 1 -o status --login-timeout=1 --shell-timeout=20
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "nothing listening: status fails" "$RC" 1
ok "... within login_timeout=1, not shell_timeout=20 (${ms} ms)" test "$ms" -lt 3000

# --- input forms
rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\ncommunity=private\nsnmp_version=2c\nport=3\n' "$PDUSIM_PORT")" "$F"
is "stdin" "$RC" 0
clear_log
rc_stdin "$(printf 'action=reboot\nnodename=node2\nport=node2\nip=127.0.0.1\nipport=%s\ncommunity=private\npower_wait=0\nstonith_status_sleep=0.2\n' "$PDUSIM_PORT")" \
    env PCMK_service=pacemaker-fenced "$F"
is "Pacemaker's form (port from a host map, nodename)" "$RC" 0
is "... rebooted outlet 2" "$(sets)" "SET outlet=2 action=off;SET outlet=2 action=on;"

# --- secrets: never in any process's argv or any log line
state_set 'st["outlets"][7]["stuck"] = True'
"$F" "${C[@]}" -d 3 -l fenceuser -p fenceauth123 -b SHA -P fencepriv123 -B AES -n 8 -o off \
    --power-timeout=2 -v -D "$T/debug.log" > "$T/out" 2> "$T/err" < /dev/null &
pid=$!
# (the test passed them on the command line itself: scan every process but the agent's parent shell)
found=0
for _ in $(seq 12); do
    for c in /proc/[0-9]*/cmdline; do
        p=${c#/proc/}; p=${p%/cmdline}
        [ "$p" = "$pid" ] && continue
        tr '\0' ' ' < "$c" 2>/dev/null | grep -q 'fencepriv123' && found=1
    done
    sleep 0.1
done
wait "$pid"
state_set 'st["outlets"][7]["stuck"] = False'
is "no other process's cmdline holds the v3 passphrase" "$found" 0
ok "the debug log has content and no passphrase" bash -c "test -s '$T/debug.log' && ! grep -q 'fencepriv123\|fenceauth123' '$T/debug.log' '$T/err' '$T/out'"

# --- every device personality
for model in ms6 msp ms; do
    sim_start "$model" || { ok "$model: simulator starts" false; continue; }
    plug=3; [ "$model" = msp ] && plug=1:3
    clear_log
    rc "$F" "${V2[@]}" -n "$plug" -o off
    is "$model: off outlet $plug" "$RC" 0
    rc "$F" "${V2[@]}" -n "$plug" -o status
    is "$model: status reads it back off" "$RC" 2
    rc "$F" "${V2[@]}" -n node3 -o on
    is "$model: on by name" "$RC" 0
    ok "$model: the PDU saw off then on for outlet 3" bash -c "grep -c 'outlet=3' '$PDUSIM_DIR/events.log' | grep -qx 2"
    rc "$F" "${V2[@]}" -o list
    ok "$model: list names outlet 3" grep -q "^${plug},node3$" "$OUT"
done

# --- no child process
if command -v strace >/dev/null; then
    sim_start rpdu
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$T/trace" \
        "$F" "${V2[@]}" -n 1 -o status >/dev/null 2>&1
    is "status runs no child process" "$(grep -cE 'execve|clone|fork' "$T/trace")" 1
fi
tap_done
