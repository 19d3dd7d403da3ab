# SPDX-License-Identifier: GPL-2.0-or-later
# What the benchmark scripts share (sourced; $top is the source tree).

# bench_build DIR: an -O2 build of the tree in DIR, configured once, made up to date
bench_build() {
    local b=$1
    if [ ! -f "$b/Makefile" ]; then
        (cd "$top" && ./autogen.sh > /dev/null 2>&1)
        mkdir -p "$b" && (cd "$b" && "$top/configure" -q CFLAGS='-O2' > /dev/null) || return 1
    fi
    make -C "$b" -s -j"$(nproc)" > /dev/null
}

# print_row LABEL [SUFFIX] [FILE]: one table row from abrun's output in FILE ($T/out):
# floor, anchor, rampart (with SUFFIX the groups anchor-SUFFIX and rampart-SUFFIX), with
# the non-zero exits of either agent flagged, so a failing run never passes for fast
print_row() {
    awk -v label="$1" -v sfx="${2:+-$2}" -F'\t' '{ med[$1] = $2 / 1000; fail[$1] = $5 }
        END {
            a = "anchor" sfx; r = "rampart" sfx
            printf "%-44s %8.2f %8.2f %8.2f %8.1fx %8.2fx\n", label, med["floor"], med[a],
                   med[r], med[a] / med[r], med[r] / med["floor"]
            if (fail[a] + fail[r] > 0)
                printf "%-44s   (non-zero exits: anchor %d, rampart %d)\n", "", fail[a], fail[r]
        }' "${3:-$T/out}"
}

# table_head TITLE: a section's title and the column names
table_head() {
    echo
    echo "$1"
    printf "%-44s %8s %8s %8s %9s %9s\n" "operation" "floor" "anchor" "rampart" "speedup" "vs floor"
}
