#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what is needed, build with ASan and UBSan and warnings as errors,
# run every test (unit, metadata, agents, real callers), check the banned
# calls, run make distcheck, and end with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
t_start=$(date +%s)
phase() { echo "# $1 done after $(($(date +%s) - t_start)) s"; } # for a slow run's log
bash tests/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
phase "installing the test packages"

passed=0
failed=0
step() { # step NAME CMD...: one pass/fail item of its own
    local name=$1; shift
    if "$@"; then
        passed=$((passed + 1)); echo "PASS: $name"
    else
        failed=$((failed + 1)); echo "FAIL: $name"
    fi
}

step "autogen" ./autogen.sh >/dev/null 2>&1
b=$top/_build/asan
rm -rf "$b" && mkdir -p "$b"
step "configure (werror, address+undefined sanitizers)" \
    bash -c "cd '$b' && '$top/configure' -q --enable-werror --enable-sanitizers=address,undefined CFLAGS='-O1 -g'"
step "build" make -C "$b" -j"$(nproc)" -s
phase "the build"
rm -f "$b/test-times"
make -C "$b" -j"$(nproc)" -k check >"$b/check.out" 2>&1
phase "make check"
sort -rn "$b/test-times" 2>/dev/null | head -12 | sed 's/^/#   s: /'
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$b/check.out" | grep -v '^PASS' || true
for trs in $(find "$b/tests" -name '*.trs'); do
    p=$(grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)' "$trs")
    f=$(grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        echo "--- ${trs%.trs}.log"; grep -v '^ok' "${trs%.trs}.log" | head -60
    fi
done
step "check-src (banned calls)" make -C "$b" -s check-src
step "check-format (clang-format)" make -C "$b" -s check-format
d=$top/_build/dist
rm -rf "$d" && mkdir -p "$d"
# distcheck repeats the suite from the tarball; the cluster scenarios
# (minutes, and already run above) are left out of that second pass
step "make distcheck" bash -c "cd '$d' && '$top/configure' -q && RAMPART_NO_CLUSTER=1 make -s distcheck >distcheck.out 2>&1 || { tail -40 distcheck.out; exit 1; }"

phase "make distcheck"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
