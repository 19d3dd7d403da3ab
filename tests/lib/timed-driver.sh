#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The test driver, timed: runs automake's tap-driver.sh with its arguments
# and appends "SECONDS TEST" to test-times in the build directory, so that
# tests/run-all.sh can say which tests took the time.
name=
prev=
for a in "$@"; do
    [ "$prev" = --test-name ] && name=$a
    prev=$a
done
t0=$(date +%s)
"$@"
rc=$?
echo "$(($(date +%s) - t0)) $name" >> test-times
exit $rc
