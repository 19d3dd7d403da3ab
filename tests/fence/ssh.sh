#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fence_ssh against a real sshd: a private OpenSSH instance on loopback whose
# shell records power commands instead of running them, regenerates the boot
# id on reboot, and goes silent after poweroff (tests/sim/ssh/).
. "$top_srcdir/tests/lib/tap.sh"
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || skip_all "sshd not installed (openssh-server)"
F=$top_builddir/fence/fence_ssh
[ -x "$F" ] || skip_all "fence_ssh not built (libssh2 missing)"
[ "$(id -u)" = 0 ] || skip_all "the simulated nodes need root"
SIM=$top_srcdir/tests/sim/ssh/sshsim.sh
T=$(mktemp -d)
chmod 755 "$T" # the password user's sessions read the node's state in here
export SSHSIM_DIR=$T/ssh SSHSIM_NODES=node1 SSHSIM_PORT_BASE=$((12300 + $$ % 400))
export SSHSIM_PW_USER=rampfence SSHSIM_PW_PASS=Ramp-Fence-Pw-7
PORT=$SSHSIM_PORT_BASE
trap 'bash "$SIM" stop >/dev/null 2>&1; bash "$SIM" deluser >/dev/null 2>&1; rm -rf "$T"; tap_cleanup' EXIT
bash "$SIM" start >/dev/null 2>&1 || skip_all "the simulated node did not start"
C=$SSHSIM_DIR/client
STATE=$SSHSIM_DIR/node1/state
K=(-a 127.0.0.1 -u "$PORT" -l root -k "$C/id_ed25519" --known-hosts="$C/known_hosts"
   --stonith-status-sleep=0.2 --power-wait=0.5 --power-timeout=5)
powers() { grep -o 'POWER mode=[a-z]* cmd=.*' "$SSHSIM_DIR/events.log" | grep -o 'cmd=.*' | tr '\n' ';'; }
clear_log() { : > "$SSHSIM_DIR/events.log"; }
node_on() { rm -f "$STATE/off" "$STATE/ignore-power"; }

# --- metadata
rc "$F" -o metadata
if [ -f /usr/share/cluster/relaxng/metadata.rng ]; then
    ok "metadata is valid against fence-agents' metadata.rng" \
        xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng "$OUT"
fi
ok "metadata equals meta-data/fence_ssh.xml" diff -q "$top_srcdir/meta-data/fence_ssh.xml" "$OUT"
ok "metadata says what ssh fencing cannot do" grep -q 'alive enough to obey' "$OUT"

# --- status, reboot verified by the boot id, off verified by silence
rc "$F" "${K[@]}" -o status;                    is "key login (ed25519): status is on" "$RC" 0
rc "$F" "${K[@]}" -k "$C/id_ecdsa" -o status;   is "key login (ECDSA)" "$RC" 0
before=$(cat "$STATE/boot_id")
clear_log
rc "$F" "${K[@]}" -o reboot;                    is "reboot" "$RC" 0
is "reboot: the node was sent the reboot command" "$(powers)" "cmd=/sbin/reboot -nf;"
ok "reboot: the node came back with a new boot id" test "$(cat "$STATE/boot_id")" != "$before"
touch "$STATE/ignore-power"
t0=$(date +%s%N)
rc "$F" "${K[@]}" --power-timeout=2 -o reboot
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
node_on
is "a node that ignores the reboot: fails" "$RC" 1
ok "... after power_timeout (${ms} ms)" test "$ms" -ge 1900 -a "$ms" -lt 5000
ok "... saying the boot id never changed" grep -q 'new boot id' "$ERR"
clear_log
rc "$F" "${K[@]}" -o off;                        is "off" "$RC" 0
is "off: the node was sent the poweroff command" "$(powers)" "cmd=/sbin/poweroff -nf;"
rc "$F" "${K[@]}" -o status
is "status of a silent node is 1 (unknown), never 2 (off)" "$RC" 1
rc "$F" "${K[@]}" -o reboot
is "a node already down before fencing: reboot fails" "$RC" 1
rc "$F" "${K[@]}" -o off
is "a node already down before fencing: off fails" "$RC" 1
node_on
clear_log
rc "$F" "${K[@]}" --power-timeout=1.5 -o reboot --reboot-command='/sbin/reboot -f' --wait-for-return=false
is "wait_for_return=false: a node that never goes silent is not counted as rebooted" "$RC" 1
is "... though it was sent the custom command" "$(powers)" "cmd=/sbin/reboot -f;"
rc "$F" "${K[@]}" -o on
is "on of a node that answers: already on" "$RC" 0

# --- authentication and host keys
rc "$F" -a 127.0.0.1 -u "$PORT" -l root -k "$C/id_rsa_pem" --known-hosts="$C/known_hosts" -o status
ok "a key the node does not accept fails (rc $RC)" test "$RC" = 1
ssh-keygen -q -t ed25519 -N '' -f "$T/stranger" >/dev/null
rc "$F" "${K[@]}" -k "$T/stranger" -o status
is "a key not in authorized_keys fails" "$RC" 1
ok "... saying the login was refused" grep -q 'refused the login' "$ERR"
: > "$T/empty_known_hosts"
rc "$F" "${K[@]}" --known-hosts="$T/empty_known_hosts" -o status
is "an unknown host key is refused" "$RC" 1
ok "... naming its fingerprint" grep -q 'SHA256:' "$ERR"
ssh-keygen -q -t ed25519 -N '' -f "$T/otherhost" >/dev/null
for t in ed25519 ecdsa rsa; do echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/otherhost.pub" | sed "s/^ssh-ed25519/$(grep -o "^[^ ]* ssh-$t\|ecdsa-sha2-nistp256\|ssh-rsa" /dev/null || echo ssh-ed25519)/")"; done | head -1 > "$T/changed_known_hosts"
rc "$F" "${K[@]}" --known-hosts="$T/changed_known_hosts" -o status
is "a changed host key is refused" "$RC" 1
ok "... and said to have changed" grep -q 'CHANGED' "$ERR"
rc "$F" "${K[@]}" --known-hosts="$T/empty_known_hosts" --ignore-host-key -o status
is "ignore_host_key logs loudly but connects" "$RC" 0
ok "... with a warning" grep -q 'NOT checking the host key' "$ERR"

# --- monitor reaches the node and logs in: nothing listening, or a refused login, is a failure
free_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rc "$F" "${K[@]}" -o monitor;                   is "monitor: the node answers and lets us in" "$RC" 0
rc_stdin "$(printf 'action=monitor\nip=127.0.0.1\nipport=%s\n' "$free_port")" "$F"
is "monitor with nothing listening fails" "$RC" 1
ok "... saying the node does not answer" grep -q 'does not answer' "$ERR"
rc "$F" "${K[@]}" -u "$free_port" -o monitor;   is "... (command line form)" "$RC" 1
rc "$F" "${K[@]}" -k "$T/stranger" -o monitor;  is "monitor with a key the node refuses fails" "$RC" 1
ok "... saying the login was refused" grep -q 'refused the login' "$ERR"
rc "$F" "${K[@]}" -l nosuchuser -o monitor;     is "monitor as a user the node does not know fails" "$RC" 1
rc "$F" "${K[@]}" --known-hosts="$T/empty_known_hosts" -o monitor
is "monitor of a node with an unknown host key fails" "$RC" 1
rc env hostlist=127.0.0.1 ipport="$free_port" identity_file="$C/id_ed25519" known_hosts="$C/known_hosts" "$F" status
is "external: status with nothing listening fails" "$RC" 1

# --- password login, and the password nowhere to be seen
if bash "$SIM" adduser >/dev/null 2>&1; then
    P=(-a 127.0.0.1 -u "$PORT" -l "$SSHSIM_PW_USER" --known-hosts="$C/known_hosts" --stonith-status-sleep=0.2 --power-wait=0.5)
    rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=%s\npassword=%s\nknown_hosts=%s\n' "$PORT" "$SSHSIM_PW_USER" "$SSHSIM_PW_PASS" "$C/known_hosts")" "$F"
    is "password login (stdin)" "$RC" 0
    rc_stdin "$(printf 'action=status\nip=127.0.0.1\nipport=%s\nusername=%s\npassword=not-it\nknown_hosts=%s\n' "$PORT" "$SSHSIM_PW_USER" "$C/known_hosts")" "$F"
    is "a wrong password fails" "$RC" 1
    touch "$STATE/ignore-power"
    printf 'action=reboot\nip=127.0.0.1\nipport=%s\nusername=%s\npassword=%s\nknown_hosts=%s\npower_timeout=2\nverbose=1\ndebug_file=%s\n' \
        "$PORT" "$SSHSIM_PW_USER" "$SSHSIM_PW_PASS" "$C/known_hosts" "$T/debug.log" | "$F" > "$T/out" 2> "$T/err" &
    pid=$!
    found=0
    for _ in $(seq 12); do
        for c in /proc/[0-9]*/cmdline; do
            { tr '\0' ' ' < "$c"; } 2>/dev/null | grep -qF -- "$SSHSIM_PW_PASS" && found=1
        done
        sleep 0.1
    done
    wait "$pid"
    node_on
    is "no /proc/PID/cmdline holds the password during a run" "$found" 0
    ok "the debug log has content and no password" bash -c "test -s '$T/debug.log' && ! grep -qF -- '$SSHSIM_PW_PASS' '$T/debug.log' '$T/err' '$T/out'"
fi

# --- cluster-glue's external plugin protocol, and stdin
ext() { rc env hostlist="127.0.0.1" ipport="$PORT" identity_file="$C/id_ed25519" \
            known_hosts="$C/known_hosts" stonith_status_sleep=0.2 power_wait=0.5 "$F" "$@"; }
ext gethosts;                  is "external: gethosts" "$(cat "$OUT")" "127.0.0.1"
ext getconfignames;            ok "external: getconfignames lists hostlist" grep -qx hostlist "$OUT"
ext status;                    is "external: status" "$RC" 0
before=$(cat "$STATE/boot_id")
ext reset 127.0.0.1;           is "external: reset 127.0.0.1" "$RC" 0
ok "external: ... the node came back with a new boot id" test "$(cat "$STATE/boot_id")" != "$before"
ext reset 10.99.99.99;         is "external: reset of a host not in hostlist fails" "$RC" 1
rc_stdin "$(printf 'action=reboot\nip=127.0.0.1\nipport=%s\nidentity_file=%s\nknown_hosts=%s\nstonith_status_sleep=0.2\n' "$PORT" "$C/id_ed25519" "$C/known_hosts")" "$F"
is "stdin: reboot" "$RC" 0

# --- no child process (no ssh(1))
if command -v strace >/dev/null; then
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$T/trace" \
        "$F" "${K[@]}" -o status >/dev/null 2>&1
    is "status runs no child process (no ssh client)" "$(grep -cE 'execve|clone|fork' "$T/trace")" 1
fi
tap_done
