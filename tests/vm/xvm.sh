#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# xvm.sh: Xen hosts for the Xen agent's tests.  Each is a QEMU guest (TCG,
# -cpu max) that boots Debian's Xen 4.17 hypervisor with a Debian dom0 on the
# host's root filesystem (tests/vm/mkinitrd.sh, tests/vm/guest.sh: the same
# job mailbox as vm.sh), so xl, oxenstored, libvirt's libxl driver and the
# build tree's agents run in dom0 unchanged.  Recipe and evidence:
# ../shared/peers/xen/README.md.
#
#   xvm.sh boot NAME IP/PREFIX [QEMU ARGS]  boot Xen and dom0 NAME; returns once dom0 runs jobs
#   xvm.sh xen NAME        oxenstored and xenconsoled in dom0 (domU consoles in
#                          /var/log/xen/console/guest-DOMU.log)
#   xvm.sh libvirt NAME    virtlogd and libvirtd (libxl driver; listening on TCP, no auth)
#   xvm.sh run NAME CMDS   CMDS in dom0 as root: their output and exit code
#   xvm.sh halt NAME       dom0 powered off (Xen follows); its qemu killed after 20 s
#   xvm.sh down            every Xen host of VM_DIR killed
#
# The settings that matter (each proven in the recipe): smap=0 smep=0 (dom0 dies at its
# first instruction under TCG otherwise), -cpu max (SVM with nested paging: PVH domUs, so
# live migration: Debian's Xen has no shadow paging, so PV domUs cannot migrate live),
# the unpacked xen ELF (QEMU's multiboot loader), and "sep" dropped from libvirt's kvm64
# CPU model in dom0's own overlay (TCG has no VME and Xen hides SEP on AMD: libxl's
# driver finds no CPU model otherwise).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
VM_DIR=${VM_DIR:?VM_DIR must be set}
K=${VM_KERNEL:-$(ls /lib/modules | sort -V | tail -n 1)}
XEN_GZ=${XEN_GZ:-$(ls /boot/xen-4.17-amd64.gz /boot/xen-*.gz 2> /dev/null | head -n 1)}
die() { echo "xvm.sh: $*" >&2; exit 1; }
job() { # job NAME CMDS
    local n=$1 j
    shift
    j=$VM_DIR/$n/jobs/$(date +%s%N)
    [ -e "$VM_DIR/$n/ready" ] || die "$n is not running"
    printf '%s\n' "$*" > "$j.tmp" && mv "$j.tmp" "$j.sh"
    while [ ! -e "$j.rc" ]; do
        kill -0 "$(cat "$VM_DIR/$n.pid")" 2> /dev/null || die "$n died while running a job"
        sleep 0.05
    done
    cat "$j.out"
    return "$(cat "$j.rc")"
}
case ${1:-} in
boot)
    [ $# -ge 3 ] || die "usage: xvm.sh boot NAME IP/PREFIX [QEMU ARGS]"
    n=$2 ip=$3
    shift 3
    [ -n "$XEN_GZ" ] || die "no Xen hypervisor in /boot (xen-hypervisor-4.17-amd64)"
    if [ ! -s "$VM_DIR/initrd.gz" ]; then
        "$HERE/mkinitrd.sh" "$VM_DIR/initrd.gz" "$K" > /dev/null || die "cannot build the initramfs"
    fi
    if [ ! -s "$VM_DIR/xen.elf" ]; then
        zcat "$XEN_GZ" > "$VM_DIR/xen.elf.$$" && mv "$VM_DIR/xen.elf.$$" "$VM_DIR/xen.elf" || die "cannot unpack $XEN_GZ"
    fi
    G=$VM_DIR/$n
    mkdir -p "$G/jobs"
    rm -f "$G/ready" "$G/halt" "$G"/jobs/*
    cp "$HERE/guest.sh" "$G/"
    echo "$n" > "$G/name"
    echo "$ip" > "$G/ip"
    [ -n "${VM_BUILD:-}" ] && echo "$VM_BUILD" > "$G/builddir"
    setsid qemu-system-x86_64 -accel tcg -cpu max -machine pc -m "${VM_MEM:-2048}" -smp 1 \
        -nographic -no-reboot -nic none -kernel "$VM_DIR/xen.elf" \
        -append "console=com1 com1=115200,8n1 noreboot dom0_mem=${DOM0_MEM:-1024M},max:${DOM0_MEM:-1024M} smap=0 smep=0" \
        -initrd "/boot/vmlinuz-$K console=hvc0 earlyprintk=xen panic=-1 loglevel=3,$VM_DIR/initrd.gz" \
        -fsdev local,id=r,path=/,security_model=none,readonly=on,multidevs=remap \
        -device virtio-9p-pci,fsdev=r,mount_tag=hostroot \
        -fsdev local,id=x,path="$G",security_model=none -device virtio-9p-pci,fsdev=x,mount_tag=xfer \
        "$@" > "$VM_DIR/$n.console" 2>&1 < /dev/null &
    echo $! > "$VM_DIR/$n.pid"
    for _ in $(seq 3000); do
        [ -e "$G/ready" ] && exit 0
        kill -0 "$(cat "$VM_DIR/$n.pid")" 2> /dev/null || { tail -n 20 "$VM_DIR/$n.console" >&2; die "$n: qemu exited"; }
        sleep 0.1
    done
    tail -n 20 "$VM_DIR/$n.console" >&2
    die "$n did not boot within 300 s"
    ;;
xen)
    job "$2" 'mkdir -p /var/log/xen/console /var/lib/xen /run/xen
XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console" /etc/init.d/xen start > /dev/null && xl list > /dev/null'
    ;;
libvirt)
    job "$2" 'mkdir -p /run/libvirt /var/log/libvirt /var/lib/libvirt
sed -i "/name=.sep./d" /usr/share/libvirt/cpu_map/x86_kvm64.xml
printf "listen_tls = 0\nlisten_tcp = 1\nauth_tcp = \"none\"\nlog_outputs = \"3:file:/var/log/libvirt/libvirtd.log\"\n" > /etc/libvirt/libvirtd.conf
pgrep -x virtlogd > /dev/null || setsid /usr/sbin/virtlogd -d
setsid /usr/sbin/libvirtd -d --listen || exit 1
for i in $(seq 240); do virsh -c xen:///system version > /dev/null 2>&1 && exit 0; sleep 0.5; done
tail -n 20 /var/log/libvirt/libvirtd.log; exit 1'
    ;;
run)
    [ $# -ge 3 ] || die "usage: xvm.sh run NAME CMDS"
    n=$2
    shift 2
    job "$n" "$*"
    exit $?
    ;;
halt)
    n=$2
    p=$(cat "$VM_DIR/$n.pid" 2> /dev/null) || exit 0
    touch "$VM_DIR/$n/halt"
    for _ in $(seq 200); do
        kill -0 "$p" 2> /dev/null || { rm -f "$VM_DIR/$n.pid"; exit 0; }
        sleep 0.1
    done
    kill -9 "$p" 2> /dev/null
    rm -f "$VM_DIR/$n.pid"
    ;;
down)
    for f in "$VM_DIR"/*.pid; do
        [ -e "$f" ] || continue
        kill -9 "$(cat "$f")" 2> /dev/null
        rm -f "$f"
    done
    ;;
*) die "usage: xvm.sh boot|xen|libvirt|run|halt|down ..." ;;
esac
