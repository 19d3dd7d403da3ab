# SPDX-License-Identifier: GPL-2.0-or-later
# A small TAP producer for the shell tests.  Source it, call the checks,
# end with tap_done.  Every check prints "ok N - name" or "not ok N - name"
# with the evidence as "#" lines.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
tap_n=0
tap_failed=0

ok() { # ok NAME CONDITION-COMMAND...: returns the condition's verdict
    local name=$1; shift
    tap_n=$((tap_n + 1))
    if "$@"; then
        echo "ok $tap_n - $name"
    else
        echo "not ok $tap_n - $name"
        tap_failed=$((tap_failed + 1))
        return 1
    fi
}

is() { # is NAME GOT WANT
    tap_n=$((tap_n + 1))
    if [ "$2" = "$3" ]; then
        echo "ok $tap_n - $1"
    else
        echo "not ok $tap_n - $1"
        echo "#   got:  '$2'"
        echo "#   want: '$3'"
        tap_failed=$((tap_failed + 1))
    fi
}

skip_all() {
    echo "1..0 # SKIP $*"
    exit 0
}

tap_done() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}

# rc CMD...: run CMD with stdout to $OUT and stderr to $ERR, and set $RC.
OUT=$(mktemp); ERR=$(mktemp)
rc() {
    "$@" >"$OUT" 2>"$ERR"
    RC=$?
}
# rc_stdin TEXT CMD...: the same, with TEXT on stdin (not a pipe: $RC must survive)
rc_stdin() {
    local text=$1; shift
    "$@" <<<"$text" >"$OUT" 2>"$ERR"
    RC=$?
}
# the exit reason Pacemaker would take: the last ocf-exit-reason line
reason() { grep '^ocf-exit-reason:' "$ERR" | tail -n 1 | sed 's/^ocf-exit-reason://'; }
tap_cleanup() { rm -f "$OUT" "$ERR"; }

# heavy_lock: the machine's one slot for a heavy test (QEMU guests under TCG, a Pacemaker
# cluster with 3 s tokens), held until the test exits, so that make -j runs one at a time.
# Bounded: a process that kept the lock file open cannot hang the suite.
heavy_lock() {
    local t=$SECONDS
    exec 9> "${TMPDIR:-/tmp}/rampart-heavy-tests.lock"
    flock -w 1500 9 || echo "# heavy_lock: still busy after $((SECONDS - t)) s, going on"
    [ $((SECONDS - t)) -lt 2 ] || echo "# heavy_lock: waited $((SECONDS - t)) s for another heavy test"
}
trap tap_cleanup EXIT
