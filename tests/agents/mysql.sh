#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:mysql against real MariaDB servers (Debian's mariadb-server), private
# instances on 127.0.0.1 with their own datadirs, sockets and ports under the test's
# directory: enable_creation on an empty datadir, start that returns once the server
# answers, monitor at depth 0 and 10 with no child process and no password on any
# command line, a server killed (7) or hung (SIGSTOP: a failure within the timeout),
# a stop that has to KILL, mysqld_safe, a pid file of another server, bad input,
# ocf-tester.
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "the servers run as the mysql user: root needed"
M=$top_builddir/agents/mysql
[ -x "$M" ] || skip_all "mysql not built (libmariadb missing)"
SERVER=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$SERVER" ] || skip_all "mariadb-server is not installed (tests/deps.sh test)"
getent passwd mysql > /dev/null || skip_all "no mysql user"
T=$(mktemp -d /tmp/rampart-mysql.XXXXXX)
chmod 0755 "$T"
cleanup() {
    for p in $(pgrep -f "$T/" 2>/dev/null); do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
    sleep 0.2
    rm -rf "$T"
    tap_cleanup
}
trap cleanup EXIT
PASS=s3cr3t-Pw-$$
# inst NAME PORT: a server's files and configuration under $T/NAME
inst() {
    local d=$T/$1
    mkdir -p "$d/run" "$d/log"
    cat > "$d/my.cnf" << EOF
[mysqld]
bind-address=127.0.0.1
port=$2
innodb_buffer_pool_size=16M
innodb_log_file_size=8M
skip-name-resolve
EOF
    chown -R mysql:mysql "$d/run" "$d/log"
}
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=db1 HA_RSCTMP=$T/rsc OCF_RESKEY_CRM_meta_timeout=60000
env1() { # the agent's parameters for instance NAME
    echo "OCF_RESKEY_binary=$SERVER OCF_RESKEY_config=$T/$1/my.cnf OCF_RESKEY_datadir=$T/$1/data
          OCF_RESKEY_pid=$T/$1/run/mysqld.pid OCF_RESKEY_socket=$T/$1/run/mysqld.sock
          OCF_RESKEY_log=$T/$1/log/error.log"
}
my() { # my ACTION [VAR=VALUE...]: the agent on instance a; prints rc=N
    local a=$1; shift
    env $(env1 a) "$@" "$M" "$a" > "$T/out" 2> "$T/err"
    echo "rc=$?"
}
why() { grep '^ocf-exit-reason:' "$T/err" | tail -n 1; }
servers() { # the live servers whose working directory is $T/NAME/data
    local n=0 p
    for p in $(pgrep -x mariadbd; pgrep -x mysqld); do
        [ "$(readlink "/proc/$p/cwd")" = "$T/$1/data" ] && n=$((n + 1))
    done
    echo "$n"
}
sql() { mariadb --no-defaults -S "$T/a/run/mysqld.sock" -u root -N -e "$1"; }

inst a 13306
is "probe before anything: 7" "$(my monitor)" rc=7
t=$(date +%s%N)
is "start on an empty datadir with enable_creation=1" "$(my start OCF_RESKEY_enable_creation=1)" rc=0
echo "# start with the datadir's creation: $((($(date +%s%N) - t) / 1000000)) ms"
ok "... the datadir was created, owned by mysql" test "$(stat -c %U "$T/a/data/mysql")" = mysql
ok "... the server answers on its socket" sql 'SELECT 1'
is "... one server of the datadir" "$(servers a)" 1
ok "... it runs as mysql" test "$(ps -o user= -p "$(cat "$T/a/run/mysqld.pid")")" = mysql
pid=$(cat "$T/a/run/mysqld.pid")
ok "... in a session of its own, not holding the agent's output" \
    bash -c "[ \"\$(ps -o sid= -p $pid | tr -d ' ')\" = $pid ] && ! readlink /proc/$pid/fd/1 | grep -q pipe"
is "monitor: 0" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000)" rc=0
n=$(env $(env1 a) OCF_RESKEY_CRM_meta_interval=20000 ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,fork,vfork -o "$T/st" "$M" monitor > /dev/null 2>&1; grep -c . "$T/st")
is "monitor starts no process (strace: one execve, its own)" "$n" 1
is "start again: 0, no second server" "$(my start)" rc=0
is "... still one server" "$(servers a)" 1

# --- depth 10, a test user with a password: never on a command line, never logged
sql "CREATE DATABASE probe; CREATE TABLE probe.t (i INT); INSERT INTO probe.t VALUES (1);
     CREATE USER ratest@localhost IDENTIFIED BY '$PASS'; GRANT SELECT ON probe.* TO ratest@localhost;"
d10="OCF_CHECK_LEVEL=10 OCF_RESKEY_test_table=probe.t OCF_RESKEY_test_user=ratest"
is "depth 10 as ratest: 0" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_passwd=$PASS)" rc=0
env $(env1 a) OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_passwd=$PASS HA_debug=1 \
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 4096 -e trace=execve -o "$T/st" "$M" monitor > "$T/out" 2> "$T/err"
ok "... the password is in no argv (strace -e execve)" bash -c "! grep -q '$PASS' '$T/st'"
ok "... nor in its output or log lines (HA_debug=1)" bash -c "! grep -q '$PASS' '$T/out' '$T/err'"
is "depth 10 with a wrong password: fails (1)" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_passwd=wrong)" rc=1
ok "... saying access was denied, without the password" bash -c "grep -q 'Access denied' '$T/err' && ! grep -q wrong '$T/err'"
is "depth 0 with a wrong password: 0 (the server answered)" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_test_user=ratest OCF_RESKEY_test_passwd=wrong)" rc=0
is "depth 10 on \`probe\`.\`t\` (backticks): 0" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=10 'OCF_RESKEY_test_table=`probe`.`t`')" rc=0
is "depth 10 on a table that does not exist: fails (1)" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=10 OCF_RESKEY_test_table=probe.none)" rc=1
ok "... saying which table" grep -q "probe.none" "$T/err"
# the session is ours to speak (mysql_native_password) or libmariadb's (ed25519)
loads() { # loads VAR=VALUE...: does one depth-10 monitor load libmariadb?
    env $(env1 a) OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=10 OCF_RESKEY_test_table=probe.t "$@" \
        ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat -o "$T/st" "$M" monitor > /dev/null 2>&1 || echo failed
    grep -q 'libmariadb' "$T/st" && echo library || echo own
}
is "... as ratest (mysql_native_password): spoken without libmariadb" \
    "$(loads OCF_RESKEY_test_user=ratest OCF_RESKEY_test_passwd=$PASS)" own
is "... as root (unix_socket): without libmariadb too" "$(loads)" own
sql "CREATE USER nopw@localhost; GRANT SELECT ON probe.* TO nopw@localhost;"
is "... as a user with no password: 0, without libmariadb" "$(loads OCF_RESKEY_test_user=nopw)" own
is "... with a password that user does not have: fails (1)" \
    "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_user=nopw OCF_RESKEY_test_passwd=$PASS)" rc=1
if sql "INSTALL SONAME 'auth_ed25519'" 2> /dev/null; then
    sql "CREATE USER edtest@localhost IDENTIFIED VIA ed25519 USING PASSWORD('$PASS'); GRANT SELECT ON probe.* TO edtest@localhost;"
    is "... as an ed25519 user: 0, through libmariadb" "$(loads OCF_RESKEY_test_user=edtest OCF_RESKEY_test_passwd=$PASS)" library
    is "... with a wrong password: fails (1)" \
        "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_user=edtest OCF_RESKEY_test_passwd=wrong)" rc=1
else
    ok "ed25519 logins # SKIP auth_ed25519 cannot be installed" true
    ok "ed25519 refusals # SKIP auth_ed25519 cannot be installed" true
fi
before=$(grep -c 'Aborted connection' "$T/a/log/error.log")
for _ in 1 2 3; do
    my monitor OCF_RESKEY_CRM_meta_interval=20000 > /dev/null
    my monitor OCF_RESKEY_CRM_meta_interval=20000 $d10 OCF_RESKEY_test_passwd=$PASS > /dev/null
done
sleep 0.2
is "monitors leave no 'Aborted connection' line in the server's log (they log out)" \
    "$(grep -c 'Aborted connection' "$T/a/log/error.log")" "$before"

# --- what answers on the socket, faked: a refusal of one more connection is an
# answer, a server shutting down is not, and one that trickles its greeting is cut
# off at the deadline (the server of the datadir runs; only the socket is another)
fake() { # MODE: a one-connection-at-a-time fake server on $T/fake.sock
    python3 -c '
import socket, sys, time, os
mode, path = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(8)
def err(code, text):
    body = b"\xff" + code.to_bytes(2, "little") + b"#HY000" + text
    return len(body).to_bytes(3, "little") + b"\x00" + body
while True:
    c, _ = s.accept()
    try:
        if mode == "toomany": c.sendall(err(1040, b"Too many connections"))
        elif mode == "shutdown": c.sendall(err(1053, b"Server shutdown in progress"))
        else:
            while True: c.sendall(b"\x00"); time.sleep(0.5)
    except OSError: pass
    c.close()' "$1" "$T/fake.sock" &
    echo $! > "$T/fake.pid"
    for _ in $(seq 50); do [ -S "$T/fake.sock" ] && break; sleep 0.05; done
}
unfake() { kill "$(cat "$T/fake.pid")" 2> /dev/null; wait "$(cat "$T/fake.pid")" 2> /dev/null; rm -f "$T/fake.sock"; }
fake toomany
is "a server refusing one more connection: depth 0 answers (0)" \
    "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_socket=$T/fake.sock)" rc=0
is "... at depth 10 that is a failure (1)" \
    "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=10 OCF_RESKEY_socket=$T/fake.sock)" rc=1
unfake
fake shutdown
is "a server shutting down: depth 0 fails (1)" \
    "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_socket=$T/fake.sock)" rc=1
ok "... with the server's own words" grep -q 'shutdown in progress' "$T/err"
unfake
fake trickle
t=$(date +%s%N)
is "a greeting that trickles in a byte at a time: fails (1)" \
    "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_socket=$T/fake.sock)" rc=1
ms=$((($(date +%s%N) - t) / 1000000))
ok "... within its 3 s timeout (${ms} ms)" test "$ms" -lt 3500
unfake

# --- identity: the server is the datadir's, whatever the pid file says
is "a probe with another pid file path: the server is found by its datadir (0)" \
    "$(my monitor OCF_RESKEY_pid=$T/a/run/other.pid)" rc=0
is "start with another pid file path: 0, no second server" "$(my start OCF_RESKEY_pid=$T/a/run/other.pid)" rc=0
is "... still one server" "$(servers a)" 1

# --- killed behind the agent's back: 7; stop cleans up
kill -KILL "$(cat "$T/a/run/mysqld.pid")"
for _ in $(seq 50); do [ "$(servers a)" = 0 ] && break; sleep 0.1; done
is "server killed (KILL): monitor 7" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000)" rc=7
is "... stop: 0" "$(my stop)" rc=0
ok "... the stale pid file and socket are gone" test ! -e "$T/a/run/mysqld.pid" -a ! -e "$T/a/run/mysqld.sock"
is "stop when stopped: 0" "$(my stop)" rc=0

# --- hung (SIGSTOP): monitor fails within its timeout; stop has to KILL
is "start" "$(my start)" rc=0
pid=$(cat "$T/a/run/mysqld.pid")
kill -STOP "$pid"
t=$(date +%s%N)
is "server stopped (SIGSTOP): monitor fails (1)" "$(my monitor OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=6000)" rc=1
ms=$((($(date +%s%N) - t) / 1000000))
ok "... within the 6 s timeout ($ms ms)" test "$ms" -lt 6000
is "... a probe is not 7 either" "$(my monitor OCF_RESKEY_CRM_meta_timeout=6000 | grep -c rc=7)" 0
t=$(date +%s%N)
r=$(my stop OCF_RESKEY_CRM_meta_timeout=10000)
is "stop of the hung server (TERM cannot act): KILL, 0" "$r" rc=0
[ "$r" = rc=0 ] || sed 's/^/#   /' "$T/err"
echo "# that stop took $((($(date +%s%N) - t) / 1000000)) ms"
ok "... the process is gone (or a zombie for its new parent to reap)" \
    bash -c "s=\$(ps -o stat= -p $pid); [ -z \"\$s\" ] || [ \"\${s#Z}\" != \"\$s\" ]"
is "... no server of the datadir" "$(servers a)" 0

# --- a clean start and stop, timed
t=$(date +%s%N)
is "start" "$(my start)" rc=0
echo "# start: $((($(date +%s%N) - t) / 1000000)) ms"
ok "... the committed row is still there" test "$(sql 'SELECT COUNT(*) FROM probe.t')" = 1
t=$(date +%s%N)
is "stop" "$(my stop)" rc=0
echo "# stop: $((($(date +%s%N) - t) / 1000000)) ms"
ok "... a clean shutdown (the log says so)" grep -q "Shutdown complete" "$T/a/log/error.log"

# --- mysqld_safe as the binary: stop leaves neither
if [ -x /usr/bin/mysqld_safe ]; then
    is "binary=mysqld_safe: start" "$(my start OCF_RESKEY_binary=/usr/bin/mysqld_safe)" rc=0
    ok "... mysqld_safe runs" pgrep -f "mysqld_safe --defaults-file=$T/a/my.cnf"
    is "... monitor: 0" "$(my monitor OCF_RESKEY_binary=/usr/bin/mysqld_safe OCF_RESKEY_CRM_meta_interval=20000)" rc=0
    kill -KILL "$(cat "$T/a/run/mysqld.pid")"
    sleep 0.3
    is "... the server killed (mysqld_safe starts it again): a probe is not 7" \
        "$(my monitor OCF_RESKEY_binary=/usr/bin/mysqld_safe | grep -c rc=7)" 0
    is "... stop" "$(my stop OCF_RESKEY_binary=/usr/bin/mysqld_safe)" rc=0
    # (a zombie waits for its parent, which is no longer us: it is gone)
    is "... no mysqld_safe left" "$(ps -eo stat=,args= | grep -v '^Z' | grep -c "[m]ysqld_safe --defaults-file=$T/a/my.cnf")" 0
    is "... no server left" "$(servers a)" 0
fi

# --- a pid file that names a live server of another datadir
inst b 13307
is "a second instance: start" "$(env $(env1 b) OCF_RESKEY_enable_creation=1 OCF_RESOURCE_INSTANCE=db2 "$M" start > /dev/null 2>&1; echo rc=$?)" rc=0
is "a start whose pid file names b's live server: refused (1)" "$(my start OCF_RESKEY_pid=$T/b/run/mysqld.pid)" rc=1
ok "... saying so" bash -c "grep -q 'another datadir' '$T/err'"
is "... b's server untouched" "$(servers b)" 1
is "... a probe of a with b's pid file: 7 (b's server is not a's)" "$(my monitor OCF_RESKEY_pid=$T/b/run/mysqld.pid)" rc=7
is "a stop of a with b's pid file and socket: 0 (nothing of a's datadir runs)" \
    "$(my stop OCF_RESKEY_pid=$T/b/run/mysqld.pid OCF_RESKEY_socket=$T/b/run/mysqld.sock)" rc=0
ok "... b's pid file and socket are still there, and b answers" bash -c \
    "test -e $T/b/run/mysqld.pid && test -S $T/b/run/mysqld.sock && mariadb --no-defaults -S $T/b/run/mysqld.sock -u root -e 'SELECT 1' > /dev/null"
is "b: stop" "$(env $(env1 b) OCF_RESOURCE_INSTANCE=db2 "$M" stop > /dev/null 2>&1; echo rc=$?)" rc=0

# --- bad input
is "binary missing: 5" "$(my start OCF_RESKEY_binary=/nonexistent/mariadbd)" rc=5
is "config missing: 5" "$(my start OCF_RESKEY_config=$T/none.cnf)" rc=5
mkdir -p "$T/nobody-data" && chown nobody "$T/nobody-data" && chmod 0700 "$T/nobody-data"
is "datadir owned by another user (nobody, 0700): 4" "$(my start OCF_RESKEY_datadir=$T/nobody-data)" rc=4
ok "... naming the directory" bash -c "grep -q 'nobody-data is not writable by mysql' '$T/err'"
cp "$T/a/my.cnf" "$T/root-only.cnf" && chmod 0600 "$T/root-only.cnf"
is "config readable by root only (mysql cannot): 4" "$(my start OCF_RESKEY_config=$T/root-only.cnf)" rc=4
ok "... saying so" bash -c "grep -q 'root-only.cnf is not readable by mysql' '$T/err'"
is "test_table='t; DROP DATABASE x': 6" "$(my start 'OCF_RESKEY_test_table=t;DROP')" rc=6
is "additional_parameters with \$(id): 6" "$(my start 'OCF_RESKEY_additional_parameters=--x=$(id)')" rc=6
is "additional_parameters=--datadir=/x (its own parameter): 6" "$(my start OCF_RESKEY_additional_parameters=--datadir=/x)" rc=6
is "user that does not exist: 5" "$(my start OCF_RESKEY_user=no-such-user)" rc=5
is "... stop with bad input still looks for the server: 0" "$(my stop OCF_RESKEY_binary=/nonexistent/mariadbd)" rc=0

# --- ocf-tester
if command -v ocf-tester > /dev/null; then
    rc ocf-tester -n db1 -o binary="$SERVER" -o config="$T/a/my.cnf" -o datadir="$T/a/data" \
        -o pid="$T/a/run/mysqld.pid" -o socket="$T/a/run/mysqld.sock" -o log="$T/a/log/error.log" "$M"
    is "ocf-tester passes mysql" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi
is "nothing of a is left" "$(servers a)" 0
tap_done
