#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:Filesystem against the real kernel: ext4 and xfs images on
# loop devices, tmpfs, a bind mount; busy stops with real holders (working
# directory, open file, mmap, a process that ignores TERM).  Everything lives
# under the test's own directory.
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "mounting needs root"
F=$top_builddir/agents/Filesystem
[ -x "$F" ] || skip_all "Filesystem not built (libmount missing)"
HOLD=$top_builddir/tests/tools/holder
T=$(mktemp -d)
LOOPS=()
cleanup() {
    pkill -KILL -f "$HOLD" 2>/dev/null
    for _ in 1 2 3; do
        grep -o " $T/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null; done
    done
    for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
    rm -rf "$T"
    tap_cleanup
}
trap cleanup EXIT
new_loop() { # new_loop NAME MKFS-ARGS...: an image with a filesystem, on a loop device
    local img=$T/$1.img; shift
    truncate -s 300M "$img" && "$@" "$img" >/dev/null 2>&1 || return 1
    LOOP=$(losetup -f --show "$img") || return 1
    LOOPS+=("$LOOP")
}
UUID=5e1c0a2b-7d4f-4c11-9a3e-0123456789ab
new_loop ext4 mkfs.ext4 -q -F -L rampart-ext4 -U "$UUID" || skip_all "no loop devices here"
EXT4=$LOOP
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=fs1
export OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000
mounted() { grep -q " $1 " /proc/mounts; }
fs() { rc env "$@" "$F" "${ACTION:?}"; }
act() { local a=$1; shift; ACTION=$a fs "$@"; }
holder() { # holder MODE PATH [--ignore-term]: start one, wait for it
    "$HOLD" "$@" > "$T/holder.out" 2>&1 &
    HOLDER=$!
    disown "$HOLDER" # its death by KILL is the point, not news
    for _ in $(seq 100); do grep -q ready "$T/holder.out" && return; sleep 0.02; done
}
alive() { kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 /proc/"$1"/stat 2>/dev/null)" != Z ]; }

E=(OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_fstype=ext4)
# --- the lifecycle, every depth
act monitor "${E[@]}";                                   is "ext4: probe while stopped is 7" "$RC" 7
act start "${E[@]}";                                     is "ext4: start" "$RC" 0
ok "ext4: the mount point was created and mounted" mounted "$T/mnt"
act start "${E[@]}";                                     is "ext4: start when mounted" "$RC" 0
act monitor "${E[@]}" OCF_RESKEY_CRM_meta_interval=20000; is "ext4: monitor depth 0" "$RC" 0
act monitor "${E[@]}" OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=10
is "ext4: monitor depth 10 (direct read of the first block)" "$RC" 0
act monitor "${E[@]}" OCF_RESKEY_CRM_meta_interval=20000 OCF_CHECK_LEVEL=20
is "ext4: monitor depth 20 (status file written, synced, read back)" "$RC" 0
ok "ext4: ... the status file is named after the resource and node" \
    test -f "$T/mnt/.Filesystem_status/fs1_$(uname -n)"
act stop "${E[@]}";                                      is "ext4: stop" "$RC" 0
ok "ext4: unmounted" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
act stop "${E[@]}";                                      is "ext4: stop when not mounted" "$RC" 0
act monitor "${E[@]}";                                   is "ext4: monitor after stop is 7" "$RC" 7

# --- the device by UUID and by label, in both spellings
for dev in "UUID=$UUID" "-U $UUID" "LABEL=rampart-ext4" "-L rampart-ext4"; do
    act start OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_fstype=ext4
    is "device '$dev': start" "$RC" 0
    act monitor OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_CRM_meta_interval=20000
    is "device '$dev': monitor finds it" "$RC" 0
    act stop OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$T/mnt"
    is "device '$dev': stop" "$RC" 0
done

# --- xfs, tmpfs, a bind mount, the type detected
if command -v mkfs.xfs >/dev/null && new_loop xfs mkfs.xfs -q -f; then
    X=(OCF_RESKEY_device="$LOOP" OCF_RESKEY_directory="$T/xfs" OCF_RESKEY_fstype=xfs)
    act start "${X[@]}";                                 is "xfs: start" "$RC" 0
    act monitor "${X[@]}" OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_interval=1;  is "xfs: monitor depth 20" "$RC" 0
    act stop "${X[@]}";                                  is "xfs: stop" "$RC" 0
    act start OCF_RESKEY_device="$LOOP" OCF_RESKEY_directory="$T/xfs"
    is "no fstype: detected (xfs)" "$RC" 0
    ok "... mounted as xfs" bash -c "grep ' $T/xfs ' /proc/mounts | grep -q ' xfs '"
    act stop OCF_RESKEY_device="$LOOP" OCF_RESKEY_directory="$T/xfs"
fi
TM=(OCF_RESKEY_device=tmpfs OCF_RESKEY_directory="$T/tmp" OCF_RESKEY_fstype=tmpfs OCF_RESKEY_options=size=8m)
act start "${TM[@]}";                                    is "tmpfs: start" "$RC" 0
act monitor "${TM[@]}" OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_interval=1; is "tmpfs: monitor depth 20" "$RC" 0
act stop "${TM[@]}";                                     is "tmpfs: stop" "$RC" 0
mkdir -p "$T/src" && echo hello > "$T/src/file"
B=(OCF_RESKEY_device="$T/src" OCF_RESKEY_directory="$T/bind" OCF_RESKEY_fstype=none OCF_RESKEY_options=bind)
act start "${B[@]}";                                     is "bind mount: start" "$RC" 0
is "bind mount: the source is visible" "$(cat "$T/bind/file" 2>/dev/null)" hello
act monitor "${B[@]}" OCF_RESKEY_CRM_meta_interval=1;    is "bind mount: monitor" "$RC" 0
act stop "${B[@]}";                                      is "bind mount: stop" "$RC" 0
ok "bind mount: the source is untouched" test -f "$T/src/file"

# --- busy stops: only the users of this mount are signalled
act start "${E[@]}"
echo data > "$T/mnt/file"
: > "$T/outside"
holder cwd "$T/mnt";  H1=$HOLDER
holder open "$T/mnt/file"; H2=$HOLDER
holder mmap "$T/mnt/file"; H3=$HOLDER
holder open "$T/outside"; H4=$HOLDER
act stop "${E[@]}"
is "busy stop (cwd, open file, mmap holders) succeeds" "$RC" 0
ok "busy stop: the mount is gone" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
ok "busy stop: the cwd holder was stopped" bash -c "! kill -0 $H1 2>/dev/null || [ \$(cut -d' ' -f3 /proc/$H1/stat) = Z ]"
ok "busy stop: the open-file holder was stopped" bash -c "! kill -0 $H2 2>/dev/null || [ \$(cut -d' ' -f3 /proc/$H2/stat) = Z ]"
ok "busy stop: the mmap holder was stopped" bash -c "! kill -0 $H3 2>/dev/null || [ \$(cut -d' ' -f3 /proc/$H3/stat) = Z ]"
ok "busy stop: a process using the parent filesystem survives" alive "$H4"
kill "$H4"; 
act start "${E[@]}"
holder cwd "$T/mnt" --ignore-term; H1=$HOLDER
t0=$(date +%s%N)
act stop "${E[@]}" OCF_RESKEY_CRM_meta_timeout=8000
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "a holder that ignores TERM: stop succeeds" "$RC" 0
ok "... it got KILL (${ms} ms, after the TERM grace)" bash -c "! kill -0 $H1 2>/dev/null || [ \$(cut -d' ' -f3 /proc/$H1/stat) = Z ]"
ok "... within the timeout" test "$ms" -lt 8000

act start "${E[@]}"
holder cwd "$T/mnt"; H1=$HOLDER
t0=$(date +%s%N)
act stop "${E[@]}" OCF_RESKEY_force_unmount=false OCF_RESKEY_CRM_meta_timeout=3000
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "force_unmount=false and busy: stop fails" "$RC" 1
ok "... before the timeout (${ms} ms)" test "$ms" -lt 3000
ok "... naming the pid that holds it" bash -c "reason() { grep '^ocf-exit-reason:' '$ERR' | tail -1; }; reason | grep -q 'held by pids.*$H1'"
ok "... the holder was not signalled" alive "$H1"
ok "... and the filesystem is still mounted (not reported stopped)" mounted "$T/mnt"
kill "$H1"; act stop "${E[@]}"

# --- submounts, deepest first
act start "${E[@]}"
mkdir -p "$T/mnt/a/b"
mount -t tmpfs none "$T/mnt/a"
mkdir -p "$T/mnt/a/b"
mount -t tmpfs none "$T/mnt/a/b"
holder cwd "$T/mnt/a/b"; H1=$HOLDER
act stop "${E[@]}"
is "stop with submounts (one busy)" "$RC" 0
ok "... all three unmounted" bash -c "! grep -q ' $T/mnt' /proc/mounts"

# --- refusals and bad input, with no side effect
mkdir -p "$T/m2/sub" && mount -t tmpfs none "$T/m2/sub"
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/m2" OCF_RESKEY_fstype=ext4
is "something mounted below the mount point: refused (6)" "$RC" 6
ok "... and nothing mounted over it" bash -c "! grep -q ' $T/m2 ' /proc/mounts"
umount "$T/m2/sub"
act start OCF_RESKEY_device=/dev/rampart-no-such-device OCF_RESKEY_directory="$T/nodev" OCF_RESKEY_fstype=ext4
is "missing device: OCF_ERR_INSTALLED" "$RC" 5
ok "... no mount point created" test ! -e "$T/nodev"
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory=relative/path
is "directory=relative/path: OCF_ERR_CONFIGURED" "$RC" 6
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/badtype" OCF_RESKEY_fstype=notafs
is "unknown fstype: OCF_ERR_INSTALLED" "$RC" 5
ok "... no mount point created" test ! -e "$T/badtype"
act start "${E[@]}" OCF_RESKEY_options="noatime;touch $T/pwned"
is "options with shell metacharacters: OCF_ERR_CONFIGURED" "$RC" 6
ok "... nothing ran and nothing mounted" bash -c "test ! -e '$T/pwned' && ! grep -q ' $T/mnt ' /proc/mounts"
act stop OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory=relative/path
is "stop with an invalid directory succeeds" "$RC" 0
act start "${E[@]}" OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone=0
is "ext4 as a clone: refused (6)" "$RC" 6
act start "${E[@]}" OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_force_clones=true
is "ext4 as a clone with force_clones: starts" "$RC" 0
act stop "${E[@]}"
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="/"
is "directory=/ is refused" "$RC" 6

# --- heartbeat v1: Filesystem::device::directory::fstype::options
rc "$F" "$EXT4" "$T/hb" ext4 noatime start
is "heartbeat: positional start" "$RC" 0
ok "heartbeat: ... with its options" bash -c "grep ' $T/hb ' /proc/mounts | grep -q noatime"
rc "$F" "$EXT4" "$T/hb" ext4 noatime status
is "heartbeat: status prints running" "$(cat "$OUT")" running
rc "$F" "$EXT4" "$T/hb" ext4 noatime stop
is "heartbeat: stop" "$RC" 0

# --- monitor runs no child process and loads no libmount
act start "${E[@]}"
if command -v strace >/dev/null; then
    env "${E[@]}" OCF_RESKEY_CRM_meta_interval=20000 ASAN_OPTIONS=detect_leaks=0 \
        strace -f -qq -e trace=execve,clone,clone3,fork,vfork,openat -o "$T/trace" "$F" monitor
    is "monitor: one execve and no fork" "$(grep -cE 'execve|clone|fork' "$T/trace")" 1
    ok "monitor: libmount is not loaded" bash -c "! grep -q libmount '$T/trace'"
fi
act stop "${E[@]}"

# --- ocf-tester
if command -v ocf-tester >/dev/null; then
    install -m 0755 "$F" "$T/Filesystem" && chmod 755 "$T"
    rc env -u OCF_RA_VERSION_MAJOR -u OCF_RA_VERSION_MINOR ocf-tester -n fs1 \
        -o device="$EXT4" -o directory="$T/ot" -o fstype=ext4 "$T/Filesystem"
    is "ocf-tester passes Filesystem" "$RC" 0
    grep -E 'passed|failed|error' "$OUT" | sed 's/^/# /'
fi
tap_done
