#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:apache against a real Apache httpd (Debian's apache2): private
# configurations on 127.0.0.1 with ports of the test's own, the status page
# found through an IncludeOptional, an envfile read but never run, start that
# returns once the status page answers, monitor at depth 0 and 10 (a page that
# stops matching, a test file with basic authentication) with no child
# process, httpd killed (7) or hung (SIGSTOP: a failure within the timeout),
# a stop that has to KILL, two instances that do not see each other, a
# configuration httpd rejects (6, with its own words), no httpd (5),
# ocf-tester.
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "httpd binds and changes user: root needed"
A=$top_builddir/agents/apache
[ -x "$A" ] || skip_all "apache not built"
HTTPD=/usr/sbin/apache2
[ -x "$HTTPD" ] || skip_all "apache2 is not installed (tests/deps.sh test)"
MODS=/usr/lib/apache2/modules
T=$(mktemp -d /tmp/rampart-apache.XXXXXX)
chmod 0755 "$T"
cleanup() {
    for p in $(pgrep -f "$T/" 2> /dev/null); do kill -CONT "$p" 2> /dev/null; kill -KILL "$p" 2> /dev/null; done
    sleep 0.2
    rm -rf "$T"
    tap_cleanup
}
trap cleanup EXIT
PW=web-s3cr3t-$$

# inst NAME PORT: a server's configuration under $T/NAME (the port from its envfile)
inst() {
    local d=$T/$1
    mkdir -p "$d/www/private" "$d/run" "$d/log" "$d/conf.d"
    cat > "$d/envvars" << EOF
# read for its variables, never run
unset HOME
if [ "\${APACHE_CONFDIR##/etc/apache2-}" != "\${APACHE_CONFDIR}" ] ; then
    SUFFIX="-\${APACHE_CONFDIR##/etc/apache2-}"
else
    SUFFIX=
fi
touch $d/ran-by-a-shell
export PWNED=\$(touch $d/ran-by-a-shell)
export TEST_PORT=$2
export TEST_DIR="$d"
EOF
    cat > "$d/httpd.conf" << EOF
ServerRoot "$d"
ServerName localhost
Listen 127.0.0.1:\${TEST_PORT}
PidFile \${TEST_DIR}/run/httpd.pid
DefaultRuntimeDir \${TEST_DIR}/run
LoadModule mpm_event_module $MODS/mod_mpm_event.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule authz_host_module $MODS/mod_authz_host.so
LoadModule authz_user_module $MODS/mod_authz_user.so
LoadModule authn_core_module $MODS/mod_authn_core.so
LoadModule authn_file_module $MODS/mod_authn_file.so
LoadModule auth_basic_module $MODS/mod_auth_basic.so
LoadModule dir_module $MODS/mod_dir.so
LoadModule status_module $MODS/mod_status.so
User www-data
Group www-data
ErrorLog $d/log/error.log
DocumentRoot $d/www
DirectoryIndex index.html
<Directory $d/www>
    Require all granted
</Directory>
<Directory $d/www/private>
    AuthType Basic
    AuthName test
    AuthUserFile $d/htpasswd
    Require valid-user
</Directory>
IncludeOptional conf.d/*.conf
EOF
    printf '<Location /server-status>\n    SetHandler server-status\n    Require local\n</Location>\n' > "$d/conf.d/status.conf"
    echo "<html><body>hello from $1</body></html>" > "$d/www/index.html"
    echo "<html><body>the private page</body></html>" > "$d/www/private/index.html"
    htpasswd -b -c "$d/htpasswd" tester "$PW" > /dev/null 2>&1
    chmod -R a+rX "$d"
}
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=web HA_RSCTMP=$T/rsc OCF_RESKEY_CRM_meta_timeout=20000
mkdir -p "$T/rsc"
env1() { echo "OCF_RESKEY_httpd=$HTTPD OCF_RESKEY_configfile=$T/$1/httpd.conf OCF_RESKEY_envfiles=$T/$1/envvars"; }
ag() { # ag NAME ACTION [VAR=VALUE...]: the agent on instance NAME; prints rc=N
    local n=$1 a=$2; shift 2
    env $(env1 "$n") OCF_RESOURCE_INSTANCE="web-$n" "$@" "$A" "$a" > "$T/out" 2> "$T/err"
    echo "rc=$?"
}
why() { grep '^ocf-exit-reason:' "$T/err" | tail -n 1; }
procs() { pgrep -f -- "-f $T/$1/httpd.conf" | wc -l; } # every process of instance NAME
get() { curl -s --max-time 5 "http://127.0.0.1:$1$2"; }

inst a 18081
inst b 18082
is "probe before anything: 7" "$(ag a monitor)" rc=7
t=$(date +%s%N)
is "start: 0" "$(ag a start)" rc=0
echo "# start: $((($(date +%s%N) - t) / 1000000)) ms"
ok "... the site answers" bash -c "curl -s http://127.0.0.1:18081/ | grep -q 'hello from a'"
ok "... httpd runs with our configuration, its processes found by it" test "$(procs a)" -ge 2
ok "... the envfile was read, never run" test ! -e "$T/a/ran-by-a-shell"
is "monitor: 0" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
n=$(env $(env1 a) OCF_RESOURCE_INSTANCE=web-a OCF_RESKEY_CRM_meta_interval=10000 ASAN_OPTIONS=detect_leaks=0 \
    strace -f -qq -e trace=execve,fork,vfork -o "$T/st" "$A" monitor > /dev/null 2>&1; grep -c . "$T/st")
is "monitor starts no process (strace: one execve, its own)" "$n" 1
is "the status page is the one the configuration names (server-status, via IncludeOptional)" \
    "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 'OCF_RESKEY_testregex=Apache Server Status')" rc=0
is "... a testregex the status page does not match: 1" \
    "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testregex=no-such-words)" rc=1
ok "... saying which URL" bash -c "grep -q 'http://127.0.0.1:18081/server-status' '$T/err'"
is "statusurl given as a path: 0" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_statusurl=/index.html OCF_RESKEY_testregex='hello from a')" rc=0
pid=$(cat "$T/a/run/httpd.pid")
is "start again: 0, no second server" "$(ag a start)" rc=0
is "... the same server" "$(cat "$T/a/run/httpd.pid")" "$pid"

# --- depth 10: testurl and testregex10, and a test file with a password
d10="OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testurl=/index.html"
is "depth 10, testurl matching: 0" "$(ag a monitor $d10 OCF_RESKEY_testregex10='hello from a')" rc=0
is "... matched without regard to case: 0" "$(ag a monitor $d10 OCF_RESKEY_testregex10='HELLO FROM A')" rc=0
is "... an extended regular expression: 0" "$(ag a monitor $d10 OCF_RESKEY_testregex10='hel+o from [ab]<')" rc=0
is "... one that does not match: 1" "$(ag a monitor $d10 OCF_RESKEY_testregex10='hel+o from [xy]')" rc=1
is "... matched line by line (^ and \$ at each line): 0" "$(ag a monitor $d10 OCF_RESKEY_testregex10='^<html><body>hello.*</html>$')" rc=0
echo "<html><body>changed</body></html>" > "$T/a/www/index.html"
is "... the page stops matching: 1" "$(ag a monitor $d10 OCF_RESKEY_testregex10='hello from a')" rc=1
ok "... saying so" bash -c "grep -q 'does not match' '$T/err'"
echo "<html><body>hello from a</body></html>" > "$T/a/www/index.html"
is "depth 10 without testurl: 6" "$(ag a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000)" rc=6
cat > "$T/tests.conf" << EOF
test public
url /index.html
match hello
end
test private
url http://127.0.0.1:18081/private/
user tester
password $PW
match the private page
end
EOF
chmod 0600 "$T/tests.conf"
is "a test file's first test: 0" "$(ag a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testconffile=$T/tests.conf)" rc=0
env $(env1 a) OCF_RESOURCE_INSTANCE=web-a OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testconffile="$T/tests.conf" \
    OCF_RESKEY_testname=private HA_debug=1 ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 4096 -e trace=execve -o "$T/st" \
    "$A" monitor > "$T/out" 2> "$T/err"
is "the test with basic authentication: 0" "$?" 0
ok "... the password in no argv and no log line" bash -c "! grep -q '$PW' '$T/st' '$T/out' '$T/err'"
sed "s/$PW/wrong/" "$T/tests.conf" > "$T/tests-wrong.conf"
is "... with a wrong password (401): 1" "$(ag a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testconffile=$T/tests-wrong.conf OCF_RESKEY_testname=private)" rc=1
is "... a test that is not there: 6" "$(ag a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testconffile=$T/tests.conf OCF_RESKEY_testname=none)" rc=6

# --- two instances do not see each other
is "b: probe while a runs: 7" "$(ag b monitor)" rc=7
is "b: start: 0" "$(ag b start)" rc=0
ok "... b answers on its own port" bash -c "curl -s http://127.0.0.1:18082/ | grep -q 'hello from b'"
is "b: stop: 0" "$(ag b stop)" rc=0
is "... nothing of b is left" "$(procs b)" 0
is "... a still runs" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0

# --- identity by the configuration, not the pid file
mv "$T/a/run/httpd.pid" "$T/a/run/httpd.pid.away"
is "a's pid file gone: the server is still found by its configuration (monitor 0)" \
    "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
sleep 300 & sp=$!
echo "$sp" > "$T/a/run/httpd.pid"
is "a pid file naming another process: the server is found all the same (0)" "$(ag a monitor)" rc=0
kill "$sp"; wait "$sp" 2> /dev/null
mv "$T/a/run/httpd.pid.away" "$T/a/run/httpd.pid"

# --- killed behind the agent's back: 7
pkill -KILL -f -- "-f $T/a/httpd.conf"
for _ in $(seq 50); do [ "$(procs a)" = 0 ] && break; sleep 0.1; done
is "httpd killed (KILL): monitor 7" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=7
is "... stop: 0" "$(ag a stop)" rc=0
is "stop when stopped: 0" "$(ag a stop)" rc=0

# --- what is not ours, and what is
tail -f "$T/a/httpd.conf" > /dev/null 2>&1 & tp=$!
is "a 'tail -f' of the configuration is not a server: probe 7" "$(ag a monitor)" rc=7
is "... stop: 0" "$(ag a stop)" rc=0
ok "... and the tail is left alone" kill -0 "$tp"
kill "$tp"; wait "$tp" 2> /dev/null
ln -s "$T/a/httpd.conf" "$T/link.conf"
is "start through a link to the configuration: 0" "$(ag a start OCF_RESKEY_configfile=$T/link.conf)" rc=0
is "... the server is found by the file, however it is named: monitor 0" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=0
is "... stop by the real name: 0" "$(ag a stop)" rc=0
is "... nothing left" "$(pgrep -f -- "-f $T/link.conf" | wc -l)" 0
is "start again: 0" "$(ag a start)" rc=0
is "an error page (404) never passes, whatever it says: 1" \
    "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_statusurl=/no-such-page OCF_RESKEY_testregex=html)" rc=1
ok "... saying so" grep -q 'answers HTTP 404' "$T/err"
is "stop: 0" "$(ag a stop)" rc=0

# --- hung (SIGSTOP): monitor fails within its timeout; stop has to KILL
is "start: 0" "$(ag a start)" rc=0
pkill -STOP -f -- "-f $T/a/httpd.conf"
t=$(date +%s%N)
is "httpd stopped (SIGSTOP): monitor fails (1)" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=5000)" rc=1
ms=$((($(date +%s%N) - t) / 1000000))
ok "... within its 5 s timeout (${ms} ms)" test "$ms" -lt 5000
t=$(date +%s%N)
is "stop of the hung httpd (it cannot act on WINCH or TERM): KILL, 0" "$(ag a stop OCF_RESKEY_CRM_meta_timeout=8000)" rc=0
echo "# that stop took $((($(date +%s%N) - t) / 1000000)) ms"
is "... nothing of it is left" "$(procs a)" 0

# --- bad input
cp "$T/a/httpd.conf" "$T/a/good.conf"
echo "NoSuchDirective here" >> "$T/a/httpd.conf"
is "a configuration httpd rejects: start 6" "$(ag a start)" rc=6
ok "... with httpd's own words" bash -c "grep ocf-exit-reason '$T/err' | grep -q 'NoSuchDirective'"
is "... and nothing started" "$(procs a)" 0
cp "$T/a/good.conf" "$T/a/httpd.conf"
is "a configuration file that is not there: start 5" "$(ag a start OCF_RESKEY_configfile=$T/none.conf)" rc=5
is "... stop with it: 0 (nothing can run with it)" "$(ag a stop OCF_RESKEY_configfile=$T/none.conf)" rc=0
r=$(unshare -m sh -c "for h in /usr/sbin/apache2 /usr/sbin/httpd /usr/sbin/httpd2 /sbin/httpd /sbin/httpd2 /usr/sbin/apache; do
        [ -e \$h ] && mount --bind /dev/null \$h; done
    env $(env1 a) OCF_RESOURCE_INSTANCE=web-a '$A' start > /dev/null 2>&1; echo \$?")
is "no httpd program anywhere: start 5" "$r" 5
is "a port that is not a port: 6" "$(ag a start OCF_RESKEY_port=99999)" rc=6
is "a testregex that is not a regular expression: 6" "$(ag a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_testregex='(')" rc=6
is "... in a probe: 7 (nothing can run with it)" "$(ag a monitor OCF_RESKEY_testregex='(')" rc=7

# --- a configuration whose includes loop back on themselves
mkdir -p "$T/a/conf.d/loop"
ln -s .. "$T/a/conf.d/loop/up"
ln -s . "$T/a/conf.d/loop/self"
cp "$T/a/httpd.conf" "$T/a/good.conf"
echo "IncludeOptional conf.d/loop" >> "$T/a/httpd.conf"
t=$(date +%s%N)
is "includes that loop: a probe answers (7), reading each directory once" "$(ag a monitor)" rc=7
ms=$((($(date +%s%N) - t) / 1000000))
ok "... at once (${ms} ms)" test "$ms" -lt 3000
cp "$T/a/good.conf" "$T/a/httpd.conf"
rm -rf "$T/a/conf.d/loop"

# --- ocf-tester
if command -v ocf-tester > /dev/null; then
    rc ocf-tester -n web -o httpd="$HTTPD" -o configfile="$T/a/httpd.conf" -o envfiles="$T/a/envvars" "$A"
    is "ocf-tester passes apache" "$RC" 0
    grep -E 'passed|failed|error|\*' "$OUT" | sed 's/^/# /'
fi
is "nothing of a is left" "$(procs a)" 0
tap_done
