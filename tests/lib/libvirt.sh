# SPDX-License-Identifier: GPL-2.0-or-later
# A private libvirtd for tests, and tiny TCG guests to run under it.
#   lv_up DIR [NAME]     start libvirtd with all its state under DIR, in its own
#                        mount and UTS namespaces (hostname NAME); set
#                        LV_NETNS=<netns> to run it inside that network namespace
#                        and LV_MIGRATION_HOST to its address there (incoming
#                        migrations listen on it; loopback is refused by libvirt)
#   lv_down DIR          stop it and every process it started (idempotent)
#   lv_uri DIR [test]    print qemu+unix:///system?socket=... (or the test driver URI)
#   lv_test_hold DIR     keep the test driver's state alive between virsh calls
#   lv_guest_initrd OUT [ignore]
#                        busybox initramfs: prints "guest up", powers off on the
#                        ACPI power button (never, with "ignore")
#   lv_guest_xml NAME INITRD MEMMB SERIALLOG [UUID]
#                        print a diskless, NIC-less TCG domain XML booting it
# Only empty mount points (/var/lib/libvirt, /var/cache/libvirt,
# /var/log/libvirt) are ever created on the host; nothing is mounted there.
# After lv_up, LV_URI and LV_TEST_URI hold the URIs of the last daemon started.

LV_KVER=${LV_KVER:-$(ls /lib/modules | sort -V | tail -n 1)}
LV_KERNEL=${LV_KERNEL:-/boot/vmlinuz-$LV_KVER}
LV_CAPS_CACHE=${LV_CAPS_CACHE:-${TMPDIR:-/tmp}/lv-qemu-caps}

# lv_uri DIR [test]: the client URI of the daemon under DIR
lv_uri() {
    if [ "${2:-}" = test ]; then
        printf 'test+unix:///default?socket=%s/sock/libvirt-sock\n' "$1"
    else
        printf 'qemu+unix:///system?socket=%s/sock/libvirt-sock\n' "$1"
    fi
}

# lv_up DIR [NAME]: write configs under DIR, start libvirtd, wait for it to answer
lv_up() {
    local dir name uuid i pid
    dir=$(realpath -m "$1") name=${2:-lv-$(basename "$1")}
    LV_URI=$(lv_uri "$dir") LV_TEST_URI=$(lv_uri "$dir" test)
    # already running: a second daemon would fail on the pid file.  (The qemus of
    # a daemon that was killed may still run: the new one takes them over.)
    if [ -s "$dir/libvirtd.pid" ] && [ -n "$(lv_alive "$(cat "$dir/libvirtd.pid")")" ]; then
        virsh -c "$LV_URI" version > /dev/null 2>&1 && return 0
        echo "lv_up: a daemon under $dir runs but does not answer" >&2
        return 1
    fi
    mkdir -p "$dir"/sock "$dir"/run "$dir"/lib "$dir"/cache "$dir"/log "$dir"/etc || return 1
    mkdir -p /var/lib/libvirt /var/cache/libvirt /var/log/libvirt || return 1
    # host_uuid differs per daemon, so libvirt does not refuse migration as
    # "to the same host"; it stays the same across restarts of one DIR
    [ -s "$dir/host_uuid" ] || cat /proc/sys/kernel/random/uuid > "$dir/host_uuid"
    uuid=$(cat "$dir/host_uuid")
    cp /etc/libvirt/libvirt.conf /etc/libvirt/libvirt-admin.conf "$dir/etc/" 2>/dev/null || :
    cat > "$dir/etc/libvirtd.conf" <<EOF
unix_sock_dir = "$dir/sock"
unix_sock_rw_perms = "0770"
auth_unix_rw = "none"
auth_unix_ro = "none"
host_uuid = "$uuid"
log_outputs = "3:file:$dir/log/libvirtd.log"
EOF
    cat > "$dir/etc/qemu.conf" <<EOF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
EOF
    # without it the destination sends its hostname, which nobody resolves;
    # libvirt rejects loopback here, so it is for the LV_NETNS case
    if [ -n "${LV_MIGRATION_HOST:-}" ]; then
        echo "migration_host = \"$LV_MIGRATION_HOST\"" >> "$dir/etc/qemu.conf"
    fi
    # the qemu driver parses its compiled-in user "libvirt-qemu" before it
    # reads qemu.conf, so the namespace sees passwd/group copies that have it
    { cat /etc/passwd; getent passwd libvirt-qemu > /dev/null ||
        echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin'
    } > "$dir/etc/passwd"
    { cat /etc/group; getent group libvirt-qemu > /dev/null || echo 'libvirt-qemu:x:64055:'
    } > "$dir/etc/group"
    # probing qemu's capabilities takes about 8 s under TCG: share the cache
    # between daemons (libvirt re-probes by itself when qemu or libvirt change)
    if [ -d "$LV_CAPS_CACHE" ] && [ ! -d "$dir/cache/qemu/capabilities" ]; then
        mkdir -p "$dir/cache/qemu" && cp -r "$LV_CAPS_CACHE" "$dir/cache/qemu/capabilities"
    fi
    rm -f "$dir/libvirtd.pid" "$dir/sock/libvirt-sock"
    # the mount namespace: a private /run, and DIR bound over every libvirt path
    cat > "$dir/ns.sh" <<EOF
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/libvirt /run/lock
mount --bind "$dir/run" /run/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mount --bind "$dir/cache" /var/cache/libvirt
mount --bind "$dir/log" /var/log/libvirt
mount --bind "$dir/etc" /etc/libvirt
mount --bind "$dir/etc/passwd" /etc/passwd
mount --bind "$dir/etc/group" /etc/group
hostname "$name"
echo "$dir" > /run/lv-dir
readlink /proc/self/ns/mnt >> "$dir/mntns"
exec libvirtd -p "$dir/libvirtd.pid" -f "$dir/etc/libvirtd.conf"
EOF
    # setsid: the daemon must not die with the test's terminal or process
    # group; -w keeps $! alive as long as the daemon even if setsid forks
    ${LV_NETNS:+ip netns exec "$LV_NETNS"} setsid -w unshare -m -u bash "$dir/ns.sh" \
        < /dev/null >> "$dir/log/libvirtd.out" 2>&1 &
    pid=$!
    for i in $(seq 150); do
        if virsh -c "$LV_URI" version > /dev/null 2>&1; then
            if [ ! -d "$LV_CAPS_CACHE" ] && [ -n "$(ls "$dir/cache/qemu/capabilities" 2>/dev/null)" ]; then
                cp -r "$dir/cache/qemu/capabilities" "$LV_CAPS_CACHE.$$" &&
                    mv -T "$LV_CAPS_CACHE.$$" "$LV_CAPS_CACHE" 2>/dev/null
                rm -rf "$LV_CAPS_CACHE.$$"
            fi
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    echo "lv_up: libvirtd under $dir did not answer" >&2
    tail -n 20 "$dir/log/libvirtd.out" "$dir/log/libvirtd.log" >&2 2>/dev/null
    lv_down "$dir"
    return 1
}

# lv_test_hold DIR: keep one test-driver connection open in the background.
# The daemon refcounts the test driver's default state: with no open
# connection, every virsh sees a fresh "test" domain again.  lv_down ends it.
lv_test_hold() {
    local dir i
    dir=$(realpath -m "$1")
    if [ -s "$dir/test-holder.pid" ] && [ -n "$(lv_alive "$(cat "$dir/test-holder.pid")")" ]; then
        return 0
    fi
    virsh -c "$(lv_uri "$dir" test)" event --all --loop \
        < /dev/null > "$dir/log/test-holder.out" 2>&1 &
    echo $! > "$dir/test-holder.pid"
    for i in $(seq 50); do
        virt-admin -q -c "libvirtd:///system?socket=$dir/sock/libvirt-admin-sock" \
            srv-clients-list libvirtd 2>/dev/null | grep -q . && break
        sleep 0.1
    done
    sleep 0.2
}

# lv_pids DIR: pids of every process in the mount namespaces of DIR's daemons
# (the daemon, its qemus, anything they forked; DIR/mntns lists every namespace
# a daemon of DIR had).  A namespace's inode number can be reused once it is
# gone, so each one must also see /run/lv-dir naming DIR.
lv_pids() {
    local dir=$1 ns p
    [ -s "$dir/mntns" ] || return 0
    for p in /proc/[0-9]*; do
        ns=$(readlink "$p/ns/mnt" 2>/dev/null) || continue
        grep -qxF "$ns" "$dir/mntns" &&
            [ "$(cat "$p/root/run/lv-dir" 2>/dev/null)" = "$dir" ] && echo "${p#/proc/}"
    done
    return 0
}

# lv_alive PID...: those of PID... that still exist and are not zombies
lv_alive() {
    local p st
    for p in "$@"; do
        st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$p/status" 2>/dev/null)
        [ -n "$st" ] && [ "$st" != Z ] && echo "$p"
    done
    return 0
}

# lv_down DIR: destroy running guests, stop libvirtd, kill any leftover, and
# wait until every one of them is gone
lv_down() {
    local dir i d pids all
    dir=$(realpath -m "$1")
    [ -d "$dir" ] || return 0
    if [ -S "$dir/sock/libvirt-sock" ]; then
        for d in $(timeout 10 virsh -c "$(lv_uri "$dir")" list --name 2>/dev/null); do
            timeout 10 virsh -c "$(lv_uri "$dir")" destroy "$d" > /dev/null 2>&1
        done
    fi
    all="$(cat "$dir/test-holder.pid" 2>/dev/null) $(lv_pids "$dir")"
    [ -n "${all// }" ] && kill $all 2>/dev/null || :
    for i in $(seq 100); do
        all=$(printf '%s\n' $all $(lv_pids "$dir") | sort -u)
        pids=$(lv_alive $all)
        [ -z "$pids" ] && break
        [ "$i" = 50 ] && kill -9 $pids 2>/dev/null || :
        sleep 0.1
    done
    rm -f "$dir/mntns" "$dir/libvirtd.pid" "$dir/test-holder.pid" "$dir/sock/libvirt-sock" \
          "$dir/sock/libvirt-sock-ro" "$dir/sock/libvirt-admin-sock"
    [ -z "$pids" ]
}

# lv_guest_initrd OUT [ignore]: a busybox initramfs for $LV_KERNEL.  /init loads
# button and evdev (modules in the Debian config, no dependencies), finds the
# "Power Button" input device, prints "guest up" on the console, blocks on one
# event from it and powers off.  With "ignore" it prints "guest up" and sleeps.
lv_guest_initrd() {
    local out=$1 mode=${2:-} m=/lib/modules/$LV_KVER w mod f
    w=$(mktemp -d) || return 1
    mkdir -p "$w"/bin "$w"/mods "$w"/proc "$w"/sys "$w"/dev
    cp /bin/busybox "$w/bin/" || { rm -rf "$w"; return 1; }
    for mod in button evdev; do
        f=$(find "$m" -name "$mod.ko*" -print -quit)
        [ -n "$f" ] || { echo "lv_guest_initrd: no $mod in $m" >&2; rm -rf "$w"; return 1; }
        case $f in
        *.xz) xz -dc "$f" > "$w/mods/$mod.ko" ;;
        *.zst) zstd -qdc "$f" > "$w/mods/$mod.ko" ;;
        *) cp "$f" "$w/mods/$mod.ko" ;;
        esac
    done
    cat > "$w/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in button evdev; do insmod /mods/$m.ko 2>/dev/null; done
ev=
for i in $(seq 100); do
    for n in /sys/class/input/event*/device/name; do
        [ "$(cat "$n" 2>/dev/null)" = "Power Button" ] || continue
        ev=${n%/device/name}; ev=/dev/input/${ev##*/}; break
    done
    [ -n "$ev" ] && [ -c "$ev" ] && break
    ev=; sleep 0.1
done
EOF
    if [ "$mode" = ignore ]; then
        cat >> "$w/init" <<'EOF'
echo "guest up"
while :; do sleep 3600; done
EOF
    else
        cat >> "$w/init" <<'EOF'
[ -n "$ev" ] || echo "guest: no Power Button input device"
echo "guest up"
[ -n "$ev" ] && dd if="$ev" of=/dev/null bs=24 count=1 2>/dev/null
echo "guest: power button, powering off"
poweroff -f
while :; do sleep 3600; done
EOF
    fi
    chmod +x "$w/init"
    ( cd "$w" && find . | cpio -o -H newc 2>/dev/null | gzip -1 ) > "$out.tmp.$$" &&
        mv "$out.tmp.$$" "$out"
    rm -rf "$w"
    [ -s "$out" ]
}

# lv_guest_xml NAME INITRD MEMMB SERIALLOG [UUID]: a TCG domain booting
# $LV_KERNEL with INITRD, no disk, no NIC, the serial console appended to
# SERIALLOG (append keeps the log across a migration), destroyed on power-off
lv_guest_xml() {
    cat <<EOF
<domain type='qemu'>
  <name>$1</name>
${5:+  <uuid>$5</uuid>
}  <memory unit='MiB'>$3</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LV_KERNEL</kernel>
    <initrd>$2</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'>
      <source path='$4' append='on'/>
      <target port='0'/>
    </serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}
