#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every agent's metadata: valid against resource-agents' ra-api-1.dtd (the
# check ocf-tester makes) in OCF 1.0 form, valid against our OCF 1.1 schema
# in 1.1 form, equal to the golden copy in meta-data/, produced with an empty
# environment and as an unprivileged user; and a man page for each.
. "$top_srcdir/tests/lib/tap.sh"
command -v xmllint >/dev/null || skip_all "xmllint not installed"
DTD=/usr/share/resource-agents/ra-api-1.dtd
RNG=$top_srcdir/meta-data/ra-api-1.1.rng

for a in $RA_AGENTS; do
    bin=$top_builddir/agents/$a
    rc env -i "$bin" meta-data
    is "$a meta-data with an empty environment exits 0" "$RC" 0
    ok "$a meta-data prints nothing on stderr" test ! -s "$ERR"
    if [ -f "$DTD" ]; then
        ok "$a OCF 1.0 metadata is valid against ra-api-1.dtd" \
            xmllint --noout --dtdvalid "$DTD" "$OUT"
    else
        ok "$a OCF 1.0 metadata is well-formed (no DTD installed)" xmllint --noout "$OUT"
    fi
    ok "$a OCF 1.0 metadata carries the DOCTYPE ocf-tester needs" \
        grep -q '^<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">$' "$OUT"
    rc env -i OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 "$bin" meta-data
    ok "$a OCF 1.1 metadata is valid against meta-data/ra-api-1.1.rng" \
        xmllint --noout --relaxng "$RNG" "$OUT"
    if diff -u "$top_srcdir/meta-data/$a.xml" "$OUT" >"$ERR.diff"; then
        ok "$a OCF 1.1 metadata equals meta-data/$a.xml" true
    else
        ok "$a OCF 1.1 metadata equals meta-data/$a.xml" false
        sed 's/^/# /' "$ERR.diff" | head -40
    fi
    rm -f "$ERR.diff"
    if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
        rc setpriv --reuid=nobody --regid=nogroup --clear-groups env -i \
            OCF_TESTER_FAIL_HAVE_BINARY=1 "$bin" meta-data
        is "$a meta-data works as user nobody" "$RC" 0
    fi
    man=$top_builddir/man/ocf_rampart_$a.7
    ok "$a has a generated man page" grep -q "^\.TH OCF_RAMPART_" "$man"
    ok "$a man page lists every parameter" bash -c '
        for p in $(xmllint --xpath "//parameter/@name" "$1" | sed "s/name=\"\([^\"]*\)\"/\1/g"); do
            grep -q "^\\\\fB$p\\\\fR" "$2" || { echo "# missing $p"; exit 1; }
        done' _ "$OUT" "$man"
    if command -v groff >/dev/null; then
        ok "$a man page renders without warnings" \
            bash -c '! groff -man -Tutf8 -ww "$1" 2>&1 >/dev/null | grep -q .' _ "$man"
    fi
done
# fence agents: fence-agents' schema, the golden copy, a man page (section 8)
FRNG=/usr/share/cluster/relaxng/metadata.rng
for a in $FENCE_AGENTS; do
    bin=$top_builddir/fence/$a
    rc env -i "$bin" -o metadata
    is "$a metadata with an empty environment exits 0" "$RC" 0
    if [ -f "$FRNG" ]; then
        ok "$a metadata is valid against fence-agents' metadata.rng" xmllint --noout --relaxng "$FRNG" "$OUT"
    fi
    if [ -f "$top_srcdir/meta-data/$a.xml" ]; then
        ok "$a metadata equals meta-data/$a.xml" diff -q "$top_srcdir/meta-data/$a.xml" "$OUT"
    fi
    ok "$a has a generated man page" grep -q '^\.TH FENCE_' "$top_builddir/man/$a.8"
done
tap_done
