#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm.sh: real-kernel guests for what this machine's own kernel cannot do
# (DRBD, the kernel NFS server, device-mapper).  Each guest boots Debian's
# kernel with the host's root filesystem read-only over virtio-9p under a
# tmpfs overlay, so every program installed on the host, and the agents of
# the build tree, run in it unchanged.
#
#   vm.sh up [N]            N guests (default 2), n1..nN at 10.79.0.1..N/24, on one switch: a
#                           bridge in a network namespace of ours, where the host side is
#                           10.79.0.254.  Each guest has two disks (/dev/vda, /dev/vdb) and a
#                           BMC: an ipmi_sim at 10.79.0.254, port 16400+i, user admin,
#                           password in $VM_DIR/bmc.pass, whose chassis power is the guest's.
#   vm.sh boot NAME         (re)boot a guest as it was set up; waits for its job loop
#   vm.sh run NAME 'CMDS'   run CMDS in the guest as root: its output, and its exit code
#   vm.sh halt NAME         power the guest off cleanly
#   vm.sh poweroff NAME     pull the plug: the guest's qemu is killed at once
#   vm.sh ns CMD...         run CMD in the switch's namespace (where the BMCs answer)
#   vm.sh down              every process in our namespace (qemus, BMCs, scheduled boots) killed,
#                           the namespace and VM_DIR removed (only a VM_DIR that vm.sh up made)
#   vm.sh leftovers         what of ours is still there (namespace, its processes, VM_DIR);
#                           nothing = clean
#
# A guest runs its jobs one at a time: a job that waits for another job on the same guest
# waits for ever.  VM_DIR must be empty or absent at up, and have no white space or comma.
#
# Environment: VM_DIR (state; one per set of guests), VM_MEM (MiB a guest, default 768),
# VM_DISK (each disk, default 64M), VM_BUILD (a build tree whose agents the guests show at
# /usr/lib/ocf/resource.d/rampart, /etc/ha.d/resource.d and /usr/sbin), VM_ACCEL (tcg;
# /dev/kvm exists on these machines but a Linux guest hangs at boot under it).
# Needs qemu-system-x86 linux-image-amd64 busybox-static openipmi (tests/deps.sh vm).
set -u
umask 077 # the BMC password, the guests' disks and mailboxes are ours alone
here=$(cd "$(dirname "$0")" && pwd)
VM_DIR=${VM_DIR:-${TMPDIR:-/tmp}/rampart-vm}
case $VM_DIR in /*) ;; *) VM_DIR=$PWD/$VM_DIR ;; esac
kver=${VM_KERNEL:-$(ls /lib/modules 2>/dev/null | sort -V | tail -n 1)}
die() { echo "vm.sh: $*" >&2; exit 1; }
# the namespace is named after VM_DIR, so it is found even when VM_DIR has gone
nsname() { echo "rvm$(printf '%s' "$VM_DIR" | md5sum | cut -c1-8)"; }
ns() { nsname; }
gpid() { cat "$VM_DIR/$1.pid" 2>/dev/null; }
alive() { local p; p=$(gpid "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
index() { echo "${1#n}"; }

boot() { # boot NAME: start its qemu in the namespace, wait until it runs jobs
    local n=$1 i g p
    i=$(index "$n"); g=$VM_DIR/$n
    alive "$n" && die "$n is already running"
    [ -e "$VM_DIR/.rampart-vm" ] || die "$VM_DIR is not set up (vm.sh up)"
    [ -e "$VM_DIR/down" ] && die "$VM_DIR is being taken down"
    mkdir -p "$g/jobs"; rm -f "$g/ready" "$g/halt" "$g"/jobs/*
    cp "$here/guest.sh" "$g/"
    ip netns exec "$(ns)" setsid qemu-system-x86_64 -accel "${VM_ACCEL:-tcg}" -cpu max \
        -m "${VM_MEM:-768}" -smp 1 -nographic -no-reboot \
        -kernel "/boot/vmlinuz-$kver" -initrd "$VM_DIR/initrd.gz" \
        -append "console=ttyS0 panic=-1 loglevel=3" \
        -fsdev local,id=r,path=/,security_model=none,readonly=on,multidevs=remap \
        -device virtio-9p-pci,fsdev=r,mount_tag=hostroot \
        -fsdev local,id=x,path="$g",security_model=none -device virtio-9p-pci,fsdev=x,mount_tag=xfer \
        -drive file="$VM_DIR/$n.vda",if=virtio,format=raw,cache=unsafe \
        -drive file="$VM_DIR/$n.vdb",if=virtio,format=raw,cache=unsafe \
        -netdev tap,id=net0,ifname="tap$i",script=no,downscript=no \
        -device virtio-net-pci,netdev=net0,mac="52:54:00:79:00:$(printf %02x "$i")" \
        > "$VM_DIR/$n.console" 2>&1 < /dev/null &
    echo $! > "$VM_DIR/$n.pid"
    rm -f "$VM_DIR/bmc$i/booting"
    for _ in $(seq 1200); do
        [ -e "$g/ready" ] && return 0
        p=$(gpid "$n"); kill -0 "$p" 2>/dev/null || { tail -n 20 "$VM_DIR/$n.console" >&2; die "$n: qemu exited"; }
        sleep 0.1
    done
    tail -n 20 "$VM_DIR/$n.console" >&2
    die "$n did not boot within 120 s"
}

poweroff() { # poweroff NAME: the plug pulled
    local p
    p=$(gpid "$1") || return 0
    kill -KILL "$p" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    rm -f "$VM_DIR/$1.pid" "$VM_DIR/$1/ready"
}

case ${1:-} in
up)
    count=${2:-2}
    [ -d "/lib/modules/$kver" ] && [ -e "/boot/vmlinuz-$kver" ] || die "no guest kernel (linux-image-amd64)"
    case $VM_DIR in *[[:space:],]*) die "VM_DIR must have no white space or comma (qemu, ipmi_sim)" ;; esac
    [ -e "$VM_DIR/.rampart-vm" ] && die "$VM_DIR is in use (vm.sh down first)"
    if [ -e "$VM_DIR" ] && [ -n "$(ls -A "$VM_DIR")" ]; then
        die "$VM_DIR is not empty: not ours to use"
    fi
    mkdir -p "$VM_DIR" && : > "$VM_DIR/.rampart-vm"
    name=$(nsname)
    ip netns add "$name" || die "cannot create network namespace $name"
    ip -n "$name" link set lo up
    ip -n "$name" link add br0 type bridge && ip -n "$name" link set br0 up &&
        ip -n "$name" addr add 10.79.0.254/24 dev br0 || die "cannot make the switch"
    [ -s "$VM_DIR/bmc.pass" ] || head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-12 > "$VM_DIR/bmc.pass"
    [ -f "$VM_DIR/initrd.gz" ] || "$here/mkinitrd.sh" "$VM_DIR/initrd.gz" "$kver" || die "cannot build the initramfs"
    for i in $(seq "$count"); do
        n=n$i
        ip -n "$name" tuntap add dev "tap$i" mode tap && ip -n "$name" link set "tap$i" master br0 &&
            ip -n "$name" link set "tap$i" up || die "cannot make tap$i"
        mkdir -p "$VM_DIR/$n" "$VM_DIR/bmc$i"
        echo "$n" > "$VM_DIR/$n/name"; echo "10.79.0.$i/24" > "$VM_DIR/$n/ip"
        echo "${VM_BUILD:-}" > "$VM_DIR/$n/builddir"
        for d in vda vdb; do truncate -s "${VM_DISK:-64M}" "$VM_DIR/$n.$d"; done
        echo "$n" > "$VM_DIR/bmc$i/guest"
        # the password goes by file, never on a command line
        ip netns exec "$name" env IPMISIM_ADDR=10.79.0.254 IPMISIM_NAME="bmc$i" \
            IPMISIM_CHASSIS="$here/chassis.sh" IPMISIM_PASS_FILE="$VM_DIR/bmc.pass" VM_DIR="$VM_DIR" \
            setsid sh "$here/../sim/ipmi/ipmisim.sh" start "$VM_DIR/bmc$i" $((16400 + i)) admin \
            > /dev/null || die "cannot start the BMC of $n"
    done
    # boot side by side: TCG boots take ~8 s each, mostly waiting
    for i in $(seq "$count"); do boot "n$i" & done
    fail=0
    for job in $(jobs -p); do wait "$job" || fail=1; done
    [ "$fail" = 0 ] || die "a guest did not boot"
    ;;
boot) [ $# -ge 2 ] || die "usage: vm.sh boot NAME"; boot "$2" ;;
run)
    [ $# -ge 3 ] || die "usage: vm.sh run NAME 'COMMANDS'"
    n=$2; shift 2
    [ -e "$VM_DIR/$n/ready" ] && alive "$n" || die "$n is not running"
    j=$VM_DIR/$n/jobs/$(date +%s%N)
    printf '%s\n' "$*" > "$j.tmp" && mv "$j.tmp" "$j.sh"
    while [ ! -e "$j.rc" ]; do
        alive "$n" || die "$n died while running a job"
        sleep 0.05
    done
    cat "$j.out"; rc=$(cat "$j.rc"); rm -f "$j".*; exit "$rc" ;;
halt)
    n=$2; p=$(gpid "$n") || exit 0
    touch "$VM_DIR/$n/halt"
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || { rm -f "$VM_DIR/$n.pid" "$VM_DIR/$n/ready"; exit 0; }; sleep 0.1; done
    poweroff "$n" ;;
poweroff) poweroff "$2" ;;
ns) shift; exec ip netns exec "$(ns)" "$@" ;;
down)
    # everything we started runs in our namespace: qemus, BMCs, boots the BMCs scheduled
    name=$(nsname)
    [ -d "$VM_DIR" ] && touch "$VM_DIR/down" 2>/dev/null
    for _ in $(seq 50); do
        pids=$(ip netns pids "$name" 2>/dev/null)
        [ -n "$pids" ] || break
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    ip netns del "$name" 2>/dev/null
    # only a directory vm.sh up made is removed
    if [ -e "$VM_DIR/.rampart-vm" ]; then rm -rf "$VM_DIR"; fi
    [ -z "$("$0" leftovers)" ] ;;
leftovers)
    name=$(nsname)
    if ip netns list | grep -qw "$name"; then
        echo "namespace: $name"
        for p in $(ip netns pids "$name" 2>/dev/null); do
            echo "process: $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)"
        done
    fi
    [ -e "$VM_DIR/.rampart-vm" ] && echo "directory: $VM_DIR"
    exit 0 ;;
*) die "usage: vm.sh up|boot|run|halt|poweroff|ns|down|leftovers ..." ;;
esac
