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
ok "options with shell metacharacters go to libmount as they are: refused there" test "$RC" = 1
ok "... nothing ran and nothing mounted" bash -c "test ! -e '$T/pwned' && ! grep -q ' $T/mnt ' /proc/mounts"
act start "${E[@]}" OCF_RESKEY_options="noatime,username=svc,password=Sw0rdf1sh"
ok "a mount password in options: the failed mount says why" test "$RC" = 1
ok "... and the password is in no line of its output" bash -c "! grep -q Sw0rdf1sh '$ERR' '$OUT'"
ok "... its exit reason hides it" bash -c "grep '^ocf-exit-reason:' '$ERR' | grep -q 'hidden' || ! grep -q password '$ERR'"
act stop OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory=relative/path
is "stop with an invalid directory succeeds" "$RC" 0
act start "${E[@]}" OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone=0
is "ext4 as a clone: refused (6)" "$RC" 6
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_CRM_meta_clone_max=2
is "a clone without fstype: refused (6), an unset type is not a cluster type" "$RC" 6
ok "... and nothing mounted" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
act start "${E[@]}"
act stop "${E[@]}" OCF_RESKEY_CRM_meta_clone_max=2
is "a mounted ext4 made a clone afterwards: stop still unmounts it" "$RC" 0
ok "... and it is gone" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
act start "${E[@]}"
act stop "${E[@]}" OCF_RESKEY_fast_stop=maybe
is "a boolean the anchor reads as false (fast_stop=maybe): stop still unmounts" "$RC" 0
ok "... and it is gone" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
act start "${E[@]}" OCF_RESKEY_fast_stop=maybe
is "... while start refuses it (6)" "$RC" 6
for bad in run_fsck=maybe statusfile_prefix=/abs force_unmount=bogus; do
    act start "${E[@]}"
    act monitor "${E[@]}" OCF_RESKEY_$bad;  is "$bad: a probe still finds it mounted (0)" "$RC" 0
    act stop "${E[@]}" OCF_RESKEY_$bad;     is "$bad: stop still unmounts" "$RC" 0
    ok "... and it is gone" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
done
act start "${TM[@]}" OCF_RESKEY_CRM_meta_clone_max=2
is "tmpfs as a clone: allowed" "$RC" 0
act stop "${TM[@]}" OCF_RESKEY_CRM_meta_clone_max=2
act start "${E[@]}" OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_force_clones=true
is "ext4 as a clone with force_clones: starts" "$RC" 0
act stop "${E[@]}"
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="/"
is "directory=/ is refused" "$RC" 6

# --- is this mount ours? identity, never the spelling of a path
mkdir -p "$T/real" && ln -s "$T/real" "$T/lnk"
L=(OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/lnk/data" OCF_RESKEY_fstype=ext4)
act start "${L[@]}";                                     is "directory through a symlink: start" "$RC" 0
act monitor "${L[@]}";                                   is "... probe finds it running" "$RC" 0
act stop "${L[@]}";                                      is "... stop" "$RC" 0
ok "... and it is unmounted" bash -c "! grep -q ' $T/real/data ' /proc/mounts"
D=(OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T//dbl/./data/" OCF_RESKEY_fstype=ext4)
act start "${D[@]}";                                     is "directory with // and /./: start" "$RC" 0
act monitor "${D[@]}";                                   is "... probe finds it running" "$RC" 0
act stop "${D[@]}";                                      is "... stop" "$RC" 0
ok "... and it is unmounted" bash -c "! grep -q ' $T/dbl/data ' /proc/mounts"

truncate -s 64M "$T/image.img" && mkfs.ext4 -q -F "$T/image.img" >/dev/null 2>&1
for o in loop noatime; do # an image file, with -o loop and without
    I=(OCF_RESKEY_device="$T/image.img" OCF_RESKEY_directory="$T/img" OCF_RESKEY_options="$o")
    act start "${I[@]}";                                 is "image file (options=$o): start" "$RC" 0
    act monitor "${I[@]}";                               is "... probe finds it running" "$RC" 0
    act monitor "${I[@]}" OCF_RESKEY_CRM_meta_interval=1 OCF_CHECK_LEVEL=20; is "... depth 20" "$RC" 0
    act stop "${I[@]}";                                  is "... stop" "$RC" 0
    ok "... and it is unmounted" bash -c "! grep -q ' $T/img ' /proc/mounts"
    ok "... and its loop device detached" bash -c "! losetup -j '$T/image.img' | grep -q ."
done
cp "$T/image.img" "$T/other.img"
act start OCF_RESKEY_device="$T/other.img" OCF_RESKEY_directory="$T/img"
act monitor "${I[@]}"
is "another image on the same mount point: not ours (7)" "$RC" 7
act stop "${I[@]}"
ok "... and stop leaves it alone" mounted "$T/img"
act stop OCF_RESKEY_device="$T/other.img" OCF_RESKEY_directory="$T/img"

ln -s "$EXT4" "$T/by-id-link"
V=(OCF_RESKEY_device="$T/by-id-link" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_fstype=ext4)
act start "${V[@]}";                                     is "device given as a symlink: start" "$RC" 0
rm "$T/by-id-link"
act monitor "${V[@]}"
is "the symlink vanished: the probe is unsure, a failure (1), not 7" "$RC" 1
act monitor "${V[@]}" OCF_RESKEY_CRM_meta_interval=20000
is "... and so is the recurring monitor" "$RC" 1
act monitor OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/mnt" OCF_RESKEY_fstype=nfs
is "a block device with a wrong fstype (nfs) is still matched as a device (0)" "$RC" 0
act stop "${V[@]}";                                      is "... stop unmounts what is on the mount point" "$RC" 0
ok "... and nothing is left there" bash -c "! grep -q ' $T/mnt ' /proc/mounts"

act start "${E[@]}"
mount -t tmpfs cover "$T/mnt"
act monitor "${E[@]}";                                   is "ours covered by another mount: probe says running" "$RC" 0
act stop "${E[@]}";                                      is "... stop" "$RC" 0
ok "... unmounts the cover and ours" bash -c "! grep -q ' $T/mnt ' /proc/mounts"
mkdir -p "$T/under" && mount -t tmpfs under "$T/under"
act start OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/under" OCF_RESKEY_fstype=ext4
is "a mount point that holds another filesystem: start refused" "$RC" 1
act stop OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/under" OCF_RESKEY_fstype=ext4
is "... stop succeeds: nothing of ours is there" "$RC" 0
ok "... and the other filesystem is left alone" mounted "$T/under"
umount "$T/under"

act start "${E[@]}"
mkdir -p "$T/mnt/sub" && mount -t tmpfs subm "$T/mnt/sub" && mount -t tmpfs cover2 "$T/mnt"
act stop "${E[@]}"
is "ours with a submount, both covered by another mount: stop" "$RC" 0
ok "... unmounts all three, in an order that can be done" bash -c "! grep -q ' $T/mnt' /proc/mounts"
act start "${E[@]}"
mkdir -p "$T/moved" && mount --move "$T/mnt" "$T/moved"
act monitor "${E[@]}"
is "our device moved to another mount point: a probe fails (1), not 7" "$RC" 1
act stop "${E[@]}";                                      is "... stop" "$RC" 0
ok "... unmounts it where it is" bash -c "! grep -q ' $T/moved ' /proc/mounts"
P=(OCF_RESKEY_device="$EXT4" OCF_RESKEY_directory="$T/gone/../dd" OCF_RESKEY_fstype=ext4)
act start "${P[@]}";                                     is "directory with '..': start" "$RC" 0
rmdir "$T/gone"
act monitor "${P[@]}";                                   is "... the part before '..' removed: the probe still finds it" "$RC" 0
act stop "${P[@]}";                                      is "... stop" "$RC" 0
ok "... and it is unmounted" bash -c "! grep -q ' $T/dd ' /proc/mounts"
# two devices with one UUID (DRBD's backing disk and /dev/drbdN, multipath, a cloned image)
dd if="$T/ext4.img" of="$T/twin.img" bs=1M count=300 status=none 2>/dev/null && TWIN=$(losetup -f --show "$T/twin.img") && {
    LOOPS+=("$TWIN")
    mkdir -p "$T/tw" && mount "$TWIN" "$T/tw"
    TW=(OCF_RESKEY_device="UUID=$UUID" OCF_RESKEY_directory="$T/tw" OCF_RESKEY_fstype=ext4)
    act monitor "${TW[@]}"
    is "UUID= names two devices, the other one is mounted: the probe finds it (0)" "$RC" 0
    act stop "${TW[@]}";                                 is "... stop" "$RC" 0
    ok "... unmounts it" bash -c "! grep -q ' $T/tw ' /proc/mounts"
    # the same image behind two loop devices, the device given as the loop device
    TWIN2=$(losetup -f --show "$T/twin.img") && LOOPS+=("$TWIN2") && mount "$TWIN2" "$T/tw"
    act monitor OCF_RESKEY_device="$TWIN" OCF_RESKEY_directory="$T/tw"
    is "device is one loop device, the same file is mounted through another: probe 0" "$RC" 0
    act stop OCF_RESKEY_device="$TWIN" OCF_RESKEY_directory="$T/tw"
    is "... stop" "$RC" 0
    ok "... unmounts it" bash -c "! grep -q ' $T/tw ' /proc/mounts"
}

# btrfs shows an anonymous 0:N device number; across several devices, any member names it
if command -v mkfs.btrfs >/dev/null && grep -qw btrfs /proc/filesystems; then
    for i in 1 2; do truncate -s 300M "$T/bt$i.img"; BT[$i]=$(losetup -f --show "$T/bt$i.img") && LOOPS+=("${BT[$i]}"); done
    if mkfs.btrfs -q -f "${BT[1]}" >/dev/null 2>&1; then
        BR=(OCF_RESKEY_device="${BT[1]}" OCF_RESKEY_directory="$T/bt" OCF_RESKEY_fstype=btrfs)
        act start "${BR[@]}";                            is "btrfs: start" "$RC" 0
        act monitor "${BR[@]}";                          is "btrfs: probe finds it (anonymous device number)" "$RC" 0
        act stop "${BR[@]}";                             is "btrfs: stop" "$RC" 0
        ok "btrfs: ... unmounted" bash -c "! grep -q ' $T/bt ' /proc/mounts"
    fi
    if mkfs.btrfs -q -f -d raid1 -m raid1 "${BT[1]}" "${BT[2]}" >/dev/null 2>&1; then
        btrfs device scan "${BT[1]}" "${BT[2]}" >/dev/null 2>&1
        mkdir -p "$T/bt" && mount -t btrfs "${BT[1]}" "$T/bt"
        B2=(OCF_RESKEY_device="${BT[2]}" OCF_RESKEY_directory="$T/bt" OCF_RESKEY_fstype=btrfs)
        act monitor "${B2[@]}"
        is "btrfs on two devices, device= the member not shown as the source: probe finds it" "$RC" 0
        act stop "${B2[@]}";                             is "... stop" "$RC" 0
        ok "... unmounted" bash -c "! grep -q ' $T/bt ' /proc/mounts"
    fi
fi

# --- the depth-20 status file never follows a link out of the filesystem
act start "${E[@]}"
echo keep > "$T/victim"
mkdir -p "$T/mnt/.Filesystem_status" && ln -sf "$T/victim" "$T/mnt/.Filesystem_status/fs1_$(uname -n)"
act monitor "${E[@]}" OCF_RESKEY_CRM_meta_interval=1 OCF_CHECK_LEVEL=20
is "status file planted as a symlink: depth 20 still works" "$RC" 0
is "... and the file it pointed at is untouched" "$(cat "$T/victim")" keep
ok "... the status file is a regular file now" test -f "$T/mnt/.Filesystem_status/fs1_$(uname -n)" -a ! -L "$T/mnt/.Filesystem_status/fs1_$(uname -n)"
rm -rf "$T/mnt/.Filesystem_status" && mkdir -p "$T/elsewhere" && ln -s "$T/elsewhere" "$T/mnt/.Filesystem_status"
act monitor "${E[@]}" OCF_RESKEY_CRM_meta_interval=1 OCF_CHECK_LEVEL=20
is "status directory planted as a symlink: depth 20 fails" "$RC" 1
ok "... and wrote nothing outside the filesystem" bash -c "[ -z \"\$(ls -A '$T/elsewhere')\" ]"
rm -f "$T/mnt/.Filesystem_status"
act stop "${E[@]}"

# --- force_unmount signals no process of another mount namespace
if command -v unshare >/dev/null; then
    act start "${E[@]}"
    mkdir -p "$T/mnt/work"
    # a container with its own tmpfs at the same path, its shell working in it
    unshare -m --propagation private bash -c "umount -l '$T/mnt' && mount -t tmpfs ctr '$T/mnt' && cd '$T/mnt' && echo ready > '$T/ctr.out' && exec sleep 60" &
    CTR=$!
    for _ in $(seq 100); do [ -s "$T/ctr.out" ] && break; sleep 0.02; done
    holder cwd "$T/mnt/work"; H1=$HOLDER
    act stop "${E[@]}"
    is "busy stop beside a container using the same path" "$RC" 0
    ok "... our holder was stopped" bash -c "! kill -0 $H1 2>/dev/null || [ \$(cut -d' ' -f3 /proc/$H1/stat) = Z ]"
    ok "... the container's process (another mount namespace) was not signalled" alive "$CTR"
    kill "$CTR" 2>/dev/null; wait "$CTR" 2>/dev/null
fi

# --- two operations at once on one resource are serialised
act start "${E[@]}"
holder cwd "$T/mnt" --ignore-term; H1=$HOLDER
( ACTION=stop fs "${E[@]}"; echo "$RC" > "$T/stop.rc" ) &
sleep 0.1
act start "${E[@]}"
wait
is "start racing a busy stop: the stop succeeds" "$(cat "$T/stop.rc")" 0
is "... the start, run after it, succeeds" "$RC" 0
ok "... and the filesystem is mounted once, by the start" test "$(grep -c " $T/mnt " /proc/mounts)" = 1
for i in 1 2 3 4 5 6; do # monitors are not serialised: six depth-20 ones at once are harmless
    ( ACTION=monitor fs "${E[@]}" OCF_RESKEY_CRM_meta_interval=1 OCF_CHECK_LEVEL=20; echo "$RC" > "$T/mon$i.rc" ) &
done
wait
is "six depth-20 monitors at once all succeed" "$(cat "$T"/mon?.rc | sort -u | tr -d '\n')" 0
act stop "${E[@]}"

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
