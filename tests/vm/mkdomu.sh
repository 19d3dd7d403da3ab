#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mkdomu.sh OUT.gz [deaf]: a busybox initramfs for a tiny Xen domU.  It prints
# "domU up" on its console (hvc0) and powers off when the toolstack asks
# (xl shutdown, libvirt's shutdown: busybox init runs the kernel's poweroff).
# "deaf" makes a domU that ignores the request: the kernel's poweroff helper
# is /bin/false, so only a destroy ends it.
set -eu
OUT=$1 MODE=${2:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/bin "$W"/sbin "$W"/etc/init.d "$W"/proc "$W"/sys "$W"/dev "$W"/tmp
cp /bin/busybox "$W/bin/"
cat > "$W/etc/inittab" << 'T'
::sysinit:/etc/init.d/rcS
hvc0::respawn:/bin/sh
::shutdown:/bin/echo "domU: shutting down"
T
cat > "$W/etc/init.d/rcS" << 'T'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
hostname domU
T
[ "$MODE" = deaf ] && echo 'echo /bin/false > /proc/sys/kernel/poweroff_cmd' >> "$W/etc/init.d/rcS"
echo 'echo "domU up at $(cut -d" " -f1 /proc/uptime) s"' >> "$W/etc/init.d/rcS"
chmod +x "$W/etc/init.d/rcS"
(cd "$W/bin" && for a in $(./busybox --list); do [ "$a" = busybox ] || ln -s busybox "$a"; done)
ln -s /bin/busybox "$W/init"
ln -s ../bin/busybox "$W/sbin/init"
ln -s ../bin/busybox "$W/sbin/poweroff"
(cd "$W" && find . | cpio -o -H newc 2> /dev/null | gzip -1) > "$OUT.$$"
mv "$OUT.$$" "$OUT"
