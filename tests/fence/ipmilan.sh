#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fence_ipmilan against a real BMC: OpenIPMI's ipmi_sim on loopback, whose
# chassis control writes the power state and every command to files the
# test reads (tests/sim/ipmi/).
. "$top_srcdir/tests/lib/tap.sh"
command -v ipmi_sim >/dev/null || skip_all "ipmi_sim not installed (Debian openipmi)"
F=$top_builddir/fence/fence_ipmilan
[ -x "$F" ] || skip_all "fence_ipmilan not built (OpenIPMI missing)"
SIM=$top_srcdir/tests/sim/ipmi/ipmisim.sh
T=$(mktemp -d)
S=$T/bmc
PORT=$((16300 + $$ % 400))
PW=Fh7-tEst-pw
trap 'bash "$SIM" stop "$S" >/dev/null 2>&1; rm -rf "$T"; tap_cleanup' EXIT
bash "$SIM" start "$S" "$PORT" admin "$PW" >/dev/null || skip_all "ipmi_sim did not start"
O=(-a 127.0.0.1 -u "$PORT" -l admin -p "$PW" --power-wait=0 --stonith-status-sleep=0.2)
power() { bash "$SIM" power "$S"; }
sets() { grep -o ' set .*' "$S/chassis.log" | sed 's/^ //' | tr '\n' ';'; }
clear_log() { : > "$S/chassis.log"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# --- metadata
rc "$F" -o metadata
is "metadata exits 0" "$RC" 0
if [ -f /usr/share/cluster/relaxng/metadata.rng ]; then
    ok "metadata is valid against fence-agents' metadata.rng" \
        xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng "$OUT"
fi
if diff -u "$top_srcdir/meta-data/fence_ipmilan.xml" "$OUT" > "$T/diff"; then
    ok "metadata equals meta-data/fence_ipmilan.xml" true
else
    ok "metadata equals meta-data/fence_ipmilan.xml" false; sed 's/^/# /' "$T/diff" | head -30
fi
ok "metadata marks ipaddr deprecated and ip obsoletes it" \
    bash -c "grep -q 'name=\"ipaddr\" unique=\"0\" required=\"0\" deprecated=\"1\"' '$OUT' && grep -q 'obsoletes=\"ipaddr\"' '$OUT'"
rc_stdin "action=metadata" "$F"
ok "metadata on stdin" grep -q '<resource-agent name="fence_ipmilan"' "$OUT"
rc "$top_builddir/fence/fence_ipmilanplus" -o metadata
ok "fence_ipmilanplus defaults lanplus to 1" grep -A3 'name="lanplus"' "$OUT" -q
ok "... (default=\"1\")" bash -c "grep -A2 'name=\"lanplus\"' '$OUT' | grep -q 'default=\"1\"'"

# --- status, off, on, reboot, and exactly what the BMC saw
rc "$F" "${O[@]}" -o status
is "status of a powered node is 0" "$RC" 0
is "... and says Status: ON" "$(cat "$OUT")" "Status: ON"
clear_log
rc "$F" "${O[@]}" -o off
is "off" "$RC" 0
is "off: the node is off" "$(power)" off
is "off: the BMC saw one power-off" "$(sets)" "set power 0;"
rc "$F" "${O[@]}" -o status
is "status of an off node is 2" "$RC" 2
clear_log
rc "$F" "${O[@]}" -o off
is "off when off succeeds" "$RC" 0
is "... without touching the power" "$(sets)" ""
clear_log
rc "$F" "${O[@]}" -o on
is "on" "$RC" 0
is "on: the node is on" "$(power)" on
is "on: the BMC saw one power-on" "$(sets)" "set power 1;"
clear_log
rc "$F" "${O[@]}" -o reboot
is "reboot (onoff)" "$RC" 0
is "reboot: off, verified, then on" "$(sets)" "set power 0;set power 1;"
is "reboot: the node is on again" "$(power)" on
clear_log
rc "$F" "${O[@]}" -m cycle -o reboot
is "reboot with method=cycle" "$RC" 0
is "cycle: one chassis power cycle (the simulator does it as off, on)" "$(sets)" "set power 0;set power 1;"

# --- lanplus (RMCP+), cipher suites, the second names
rc "$F" "${O[@]}" -P -C 3 -o status;            is "lanplus, cipher 3" "$RC" 0
rc "$F" "${O[@]}" -P -o status;                 is "lanplus, default cipher" "$RC" 0
rc "$top_builddir/fence/fence_ipmilanplus" "${O[@]}" -o status
is "fence_ipmilanplus (lanplus by default)" "$RC" 0
rc "$F" "${O[@]}" -P -C 17 -o status
is "cipher 17 (SHA-256, not in OpenIPMI) is refused before connecting" "$RC" 1

# --- input forms
rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=admin\npassword=%s\n' "$PORT" "$PW")" "$F"
is "stdin key=value" "$RC" 0
rc_stdin "$(printf '# the fencer\n\naction=status\nipaddr=127.0.0.1\nipport=%s\npower-wait=0\nlogin=admin\npasswd="%s"\nunknown_thing=1\n' "$PORT" "$PW")" "$F"
is "stdin: old names, dashes, quotes, comments, an unknown key" "$RC" 0
ok "... the unknown key is warned about" grep -q "ignoring unknown option 'unknown_thing'" "$ERR"
clear_log
rc_stdin "$(printf 'agent=fence_ipmilan\nipaddr=127.0.0.1\nipport=%s\nlogin=admin\npasswd=%s\nport=node1\noption=off\npower_wait=0\n' "$PORT" "$PW")" "$F"
is "rgmanager form (option=off) powers off, not reboot" "$RC" 0
is "... the BMC saw only a power-off" "$(sets)" "set power 0;"
rc "$F" "${O[@]}" -o on
clear_log
rc_stdin "$(printf 'action=reboot\nnodename=node1\nport=node1\nip=127.0.0.1\nipport=%s\nusername=admin\npassword=%s\npower_wait=0\nstonith_status_sleep=0.2\n' "$PORT" "$PW")" \
    env PCMK_service=pacemaker-fenced "$F"
is "Pacemaker's fencer form (nodename, port, PCMK_service)" "$RC" 0
is "... rebooted the node" "$(sets)" "set power 0;set power 1;"

# --- failures, each bounded
t0=$(date +%s%N)
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -p not-the-pw -P -o status
is "wrong password over lanplus fails" "$RC" 1
ok "... at once ($(ms_since "$t0") ms)" test "$(ms_since "$t0")" -lt 2000
ok "... saying the login was refused" grep -q 'refused the login' "$ERR"
t0=$(date +%s%N)
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -p not-the-pw --login-timeout=2 -o status
is "wrong password over IPMI 1.5 (the BMC stays silent) fails" "$RC" 1
ok "... within login_timeout ($(ms_since "$t0") ms)" test "$(ms_since "$t0")" -lt 3000
ok "... and says a wrong password can look like silence" grep -q 'wrong password looks like this' "$ERR"
bash "$SIM" freeze "$S"
t0=$(date +%s%N)
rc "$F" "${O[@]}" --login-timeout=2 -o off
ms=$(ms_since "$t0")
bash "$SIM" thaw "$S"
is "frozen BMC: off fails" "$RC" 1
ok "... within login_timeout (${ms} ms)" test "$ms" -lt 3000
ok "... and says the BMC did not answer" grep -q 'no answer from the BMC' "$ERR"
touch "$S/fail-set"
t0=$(date +%s%N)
rc "$F" "${O[@]}" -o off
ms=$(ms_since "$t0")
rm -f "$S/fail-set"
is "BMC refusing the command: off fails" "$RC" 1
ok "... at once, not after power_timeout (${ms} ms)" test "$ms" -lt 2000
ok "... with the BMC's completion code" grep -q 'completion code 0xff' "$ERR"
touch "$S/stuck"
t0=$(date +%s%N)
rc "$F" "${O[@]}" --power-timeout=2 -o off
ms=$(ms_since "$t0")
rm -f "$S/stuck"
is "power stuck on: off fails" "$RC" 1
ok "... after power_timeout, not before and not much after (${ms} ms)" test "$ms" -ge 1900 -a "$ms" -lt 4000
is "... and the node is not reported off" "$(grep -c 'Powered OFF' "$OUT")" 0
touch "$S/fail-get"
rc "$F" "${O[@]}" -o status
rm -f "$S/fail-get"
is "BMC unable to read the power: status is 1 (unknown), never 2 (off)" "$RC" 1
# a late answer belongs to its own request: the Chassis Control reply that comes after the
# step gave up must not be taken as the answer to the Get Chassis Status sent next
bash "$SIM" power "$S" off
echo 1.5 > "$S/slow-set"
clear_log
rc "$F" "${O[@]}" --shell-timeout=1 --retry-on=2 -o on
rm -f "$S/slow-set"
is "a late reply is not credited to the next request: on succeeds on the second try" "$RC" 0
ok "... the first try timed out" grep -q 'no answer to power on within shell_timeout' "$ERR"
ok "... the chassis status was read, not taken from the late reply" bash -c "! grep -q 'too short\|refused Get Chassis' '$ERR'"
is "... the node is on" "$(power)" on
is "... and the BMC saw one power-on" "$(sets)" "set power 1;"

# --- secrets: never in any process's argv, never in a log line
touch "$S/stuck"
printf 'action=off\nip=127.0.0.1\nipport=%s\nusername=admin\npassword=%s\npower_timeout=2\nverbose=1\ndebug_file=%s\n' \
    "$PORT" "$PW" "$T/debug.log" | "$F" > "$T/out" 2> "$T/err" &
pid=$!
found=0
for _ in $(seq 15); do
    for c in /proc/[0-9]*/cmdline; do
        tr '\0' ' ' < "$c" 2>/dev/null | grep -qF -- "$PW" && found=1
    done
    sleep 0.1
done
wait "$pid"
rm -f "$S/stuck"
is "during a run, no /proc/PID/cmdline holds the password" "$found" 0
ok "the debug log has content" test -s "$T/debug.log"
ok "... and never the password" bash -c "! grep -qF -- '$PW' '$T/debug.log' '$T/out' '$T/err'"
printf '#!/bin/sh\necho %s\necho not-the-password\n' "$PW" > "$T/pw.sh"
chmod 700 "$T/pw.sh"
rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=admin\npassword_script=%s --unused-arg\n' "$PORT" "$T/pw.sh")" "$F"
is "password_script supplies the password (a plain command)" "$RC" 0
# what fence-agents' os.popen accepts: shell syntax goes to /bin/sh -c
printf '#!/bin/sh\necho not-the-password\necho %s\n' "$PW" > "$T/pw-last.sh"
chmod 700 "$T/pw-last.sh"
rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=admin\nlanplus=1\npassword_script=%s | tail -1\n' "$PORT" "$T/pw-last.sh")" "$F"
is "password_script with a pipe (through /bin/sh -c)" "$RC" 0
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -S "printf ''" -o status
is "a password_script that prints nothing: no login is tried with an empty password (1)" "$RC" 1
ok "... saying so" grep -q "printed no password" "$ERR"
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -S "head -c 200000 /dev/zero | tr '\\0' x" -o status
is "a password_script that prints too much: refused (1)" "$RC" 1
ok "... saying so" grep -q "printed too much" "$ERR"
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -S "echo not-it | cat" -P -o status
is "... and its output is what counts (a wrong one fails)" "$RC" 1
rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=admin\npassword="%s"\n' "$PORT" "$PW")" "$F"
is "stdin: a double-quoted value loses its quotes" "$RC" 0
rc_stdin "$(printf "action=status\nip=127.0.0.1\nipport=%s\nusername=admin\npassword='%s'\nlogin_timeout=1\nlanplus=1\n" "$PORT" "$PW")" "$F"
is "stdin: a single-quoted value keeps its quotes, as in fencing.py (so this password is wrong)" "$RC" 1
if command -v strace >/dev/null; then
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -o "$T/trace" \
        "$F" -a 127.0.0.1 -u "$PORT" -l admin -S "$T/pw.sh" -o status >/dev/null 2>&1
    ok "a plain password_script is run directly" grep -qF "execve(\"$T/pw.sh\"" "$T/trace"
    ok "... not through a shell" bash -c "! grep -qF '\"-c\"' '$T/trace'"
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 256 -e trace=execve -o "$T/trace" \
        "$F" -a 127.0.0.1 -u "$PORT" -l admin -S "$T/pw.sh | head -1" -o status >/dev/null 2>&1
    ok "one with a pipe runs as /bin/sh -c SCRIPT" grep -qF "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"$T/pw.sh | head -1\"]" "$T/trace"
    ok "... and the password is in no argv" bash -c "! grep -qF -- '$PW' '$T/trace'"
fi

# --- validation and actions
rc "$F" -o validate-all -l admin -p x
is "validate-all without ip fails" "$RC" 1
rc "$F" "${O[@]}" -o validate-all
is "validate-all" "$RC" 0
rc "$F" "${O[@]}" -o frobnicate
is "an unknown action fails" "$RC" 1
rc "$F" "${O[@]}" --no-such-option -o status
is "an unknown option fails" "$RC" 1
clear_log
rc "$F" -a 127.0.0.1 -u "$PORT" -l admin -p "$PW" --delay=0.5 statuss
is "a stray word (a typo of an action) fails" "$RC" 1
ok "... naming it" grep -q "'statuss'" "$ERR"
ok "... before any delay before fencing" bash -c "! grep -q 'delay' '$ERR'"
rc "$F" "${O[@]}" -- status
is "a word after -- fails too" "$RC" 1
is "... and the BMC saw no power command" "$(sets)" ""
is "... the node is still on" "$(power)" on
rc "$F" "${O[@]}" -o monitor
is "monitor: the BMC answers" "$RC" 0
rc "$F" "${O[@]}" -o list
is "list is not supported by a single-node device" "$RC" 1
rc "$F" "${O[@]}" -o diag
ok "diag is answered by the BMC one way or the other (rc $RC)" test "$RC" -le 1

# --- cluster-glue external plugin protocol
ext() { rc env hostlist="node1 node2" ip=127.0.0.1 ipport="$PORT" username=admin password="$PW" \
            power_wait=0 stonith_status_sleep=0.2 "$F" "$@"; }
ext gethosts;                 is "external: gethosts" "$(tr '\n' ' ' < "$OUT")" "node1 node2 "
ext getconfignames;           ok "external: getconfignames lists ip" grep -qx ip "$OUT"
ext getinfo-devid;            is "external: getinfo-devid" "$(cat "$OUT")" fence_ipmilan
ext getinfo-xml;              ok "external: getinfo-xml is XML" xmllint --noout "$OUT"
ext status;                   is "external: status" "$RC" 0
clear_log
ext reset node1;              is "external: reset node1" "$RC" 0
is "external: ... was a verified off, then on" "$(sets)" "set power 0;set power 1;"
ext reset node9;              is "external: reset of a host not in hostlist fails" "$RC" 1

# --- no child process
if command -v strace >/dev/null; then
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$T/trace" \
        "$F" "${O[@]}" -o status >/dev/null 2>&1
    is "status runs no child process (one execve, no fork)" "$(grep -cE 'execve|clone|fork' "$T/trace")" 1
fi
tap_done
