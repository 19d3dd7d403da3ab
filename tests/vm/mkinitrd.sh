#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mkinitrd.sh OUT.gz [KVER]: the guests' initramfs.  busybox and the few
# modules that reach the host: virtio, 9p, overlay, virtio-net and -blk.  It
# mounts the host's root filesystem read-only over virtio-9p, lays a tmpfs
# over it, and runs /xfer/guest.sh as PID 1 in that root, so a guest runs the
# host's own programs (drbd-utils, pacemaker, the agents in a build tree) on
# Debian's kernel, which loads drbd, nfsd, dm-mod, ocfs2, gfs2 ...
# Needs busybox-static, linux-image-amd64, cpio, gzip.
set -eu
out=$1
kver=${2:-$(ls /lib/modules | sort -V | tail -n 1)}
mods=/lib/modules/$kver
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w"/{bin,mods,proc,sys,dev,host,new}
cp /bin/busybox "$w/bin/"
# insmod resolves nothing: each module after those it needs (modules.dep order)
order="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache
       9pnet 9pnet_virtio 9p overlay failover net_failover virtio_net virtio_blk"
for m in $order; do
    f=$(find "$mods" -name "$m.ko*" | head -n 1)
    [ -n "$f" ] || { echo "mkinitrd: no module $m in $mods" >&2; exit 1; }
    case $f in
    *.xz) xz -dc "$f" > "$w/mods/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$w/mods/$m.ko" ;;
    *) cp "$f" "$w/mods/$m.ko" ;;
    esac
done
cat > "$w/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(echo $order); do insmod /mods/\$m.ko || echo "vm: insmod \$m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /host || { echo "vm: no host root"; poweroff -f; }
mount -t tmpfs -o size=256m tmp /new
mkdir -p /new/up /new/work /new/root
mount -t overlay overlay -o lowerdir=/host,upperdir=/new/up,workdir=/new/work /new/root || { echo "vm: no overlay"; poweroff -f; }
r=/new/root
mount -t proc proc \$r/proc; mount -t sysfs sys \$r/sys; mount -t devtmpfs dev \$r/dev
mkdir -p \$r/dev/pts \$r/dev/shm; mount -t devpts devpts \$r/dev/pts; mount -t tmpfs tmpfs \$r/dev/shm
mount -t tmpfs tmpfs \$r/run; mount -t tmpfs tmpfs \$r/tmp
mkdir -p \$r/xfer; mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 xfer \$r/xfer || { echo "vm: no xfer"; poweroff -f; }
exec chroot \$r /bin/sh /xfer/guest.sh
INIT
chmod +x "$w/init"
( cd "$w" && find . | cpio -o -H newc 2>/dev/null | gzip -1 ) > "$out.tmp.$$"
mv "$out.tmp.$$" "$out" # atomic: guests booting side by side never read half a file
