#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:Xen on two real Xen 4.17 hosts (tests/vm/xvm.sh: QEMU guests under TCG
# booting the hypervisor and a Debian dom0), through libvirt's libxl driver in dom0:
# a PV domU from an xm-style file and a PVH domU from an xl file started, monitored
# (no child process) and shut down; a domU destroyed behind the agent's back (7); a
# domU that ignores the shutdown, destroyed within the deadline; libvirtd stopped
# (xenstore says whether the domU runs: monitor tells the truth, stop fails while it
# runs and succeeds once it is gone); a live migration of the PVH domU to the other
# host (migrate_to, migrate_from, the target's address from node_ip_attribute), the
# domU answering there; a domU started by xl, which libvirt does not know (running, by
# xenstore: never stopped); and Pacemaker's crm_resource driving the agent in dom0.
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "guests need root"
[ -n "${RAMPART_NO_CLUSTER:-}" ] && skip_all "RAMPART_NO_CLUSTER is set"
[ -x "$top_builddir/agents/Xen" ] || skip_all "Xen not built (libvirt-dev)"
command -v qemu-system-x86_64 > /dev/null || skip_all "qemu-system-x86 is not installed"
ls /boot/xen-4.17-amd64.gz > /dev/null 2>&1 || skip_all "no Xen hypervisor (tests/deps.sh test)"
command -v xl > /dev/null || skip_all "xl is not installed (xen-utils-4.17)"
ls /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so > /dev/null 2>&1 ||
    skip_all "libvirt's libxl driver is not installed (libvirt-daemon-driver-xen)"
heavy_lock
export VM_DIR VM_BUILD=$top_builddir
VM_DIR=$(mktemp -d /tmp/rampart-xen.XXXXXX)
XVM=$top_srcdir/tests/vm/xvm.sh
trap '"$XVM" down > /dev/null 2>&1; rm -rf "$VM_DIR"; tap_cleanup' EXIT
K=$(ls /lib/modules | sort -V | tail -n 1)
x() { "$XVM" run "$@"; }
# q CMD...: CMD's output only when it fails, as TAP comments
q() { "$@" > "$OUT.q" 2>&1 || { sed 's/^/# /' "$OUT.q" | tail -n 15; rm -f "$OUT.q"; return 1; }; rm -f "$OUT.q"; }
R=/usr/lib/ocf/resource.d/rampart/Xen
# ra HOST ACTION FILE DOMU [NAME=VALUE...]: the agent in HOST's dom0, as Pacemaker runs it;
# prints rc=N (its stderr in dom0's /tmp/err)
ra() {
    local h=$1 a=$2 f=$3 d=$4
    shift 4
    x "$h" "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$d \
        OCF_RESKEY_xmfile=/xfer/$f OCF_RESKEY_CRM_meta_timeout=60000 OCF_RESKEY_CRM_meta_interval=10000 \
        $* $R $a 2> /tmp/err; echo rc=\$?" | tail -n 1
}
# up HOST DOMU: the domU printed "domU up" on its console (waits up to 150 s)
up() {
    x "$1" "for i in \$(seq 300); do grep -q 'domU up' /var/log/xen/console/guest-$2*.log 2> /dev/null && exit 0; sleep 0.5; done; exit 1"
}
# alive HOST DOMU: the domU answers a sysrq on its console
alive() {
    x "$1" "n=\$(cat /var/log/xen/console/guest-$2*.log 2> /dev/null | grep -c show-memory); xl sysrq $2 h
        for i in \$(seq 60); do [ \$(cat /var/log/xen/console/guest-$2*.log 2> /dev/null | grep -c show-memory) -gt \$n ] && exit 0; sleep 0.5; done; exit 1"
}
listed() { x "$1" "xl list $2" > /dev/null 2>&1; }
gone() { ! listed "$@"; }

# the domUs: an xm-style PV file, an xl PVH file, an xl PV domU deaf to shutdown
t0=$SECONDS
mkdir -p "$VM_DIR/xa" "$VM_DIR/xb"
"$top_srcdir/tests/vm/mkdomu.sh" "$VM_DIR/domu.gz"
"$top_srcdir/tests/vm/mkdomu.sh" "$VM_DIR/deaf.gz" deaf
for h in xa xb; do
    cp "$VM_DIR/domu.gz" "$VM_DIR/deaf.gz" "$VM_DIR/$h/"
    cat > "$VM_DIR/$h/domu1.xm" << EOF
# xm-style: the PV domU
name = "domu1"
kernel = "/boot/vmlinuz-$K"
ramdisk = "/xfer/domu.gz"
extra = "console=hvc0 loglevel=4"
memory = 128
vcpus = 1
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
    cat > "$VM_DIR/$h/domu2.cfg" << EOF
# xl: the PVH domU (TCG's SVM: native TSC, no RDTSCP)
name = "domu2"
type = "pvh"
kernel = "/boot/vmlinuz-$K"
ramdisk = "/xfer/domu.gz"
extra = "console=hvc0 loglevel=4"
memory = 128
vcpus = 1
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
tsc_mode = "native"
cpuid = "host,rdtscp=0"
EOF
    sed -e 's/domu2/domu3/' -e 's/"pvh"/"pv"/' -e 's#/xfer/domu.gz#/xfer/deaf.gz#' \
        -e '/tsc_mode\|cpuid/d' "$VM_DIR/$h/domu2.cfg" > "$VM_DIR/$h/domu3.cfg"
done
P=$((18000 + RANDOM % 1000))
"$XVM" boot xa 10.77.0.1/24 -netdev socket,id=n,listen=127.0.0.1:$P \
    -device virtio-net-pci,netdev=n,mac=52:54:00:77:03:01 > "$VM_DIR/boot-xa.log" 2>&1 &
sleep 0.5
rc "$XVM" boot xb 10.77.0.2/24 -netdev socket,id=n,connect=127.0.0.1:$P \
    -device virtio-net-pci,netdev=n,mac=52:54:00:77:03:02
wait $!
ra_=$?
ok "two Xen hosts boot" test "$RC" = 0 -a "$ra_" = 0 || { cat "$VM_DIR/boot-xa.log" "$ERR" | sed 's/^/# /'; tap_done; exit 1; }
ok "xenstored, xenconsoled and libvirtd (libxl) in both dom0s" q bash -c \
    '"$0" xen xa & "$0" xen xb && wait $! && { "$0" libvirt xa & "$0" libvirt xb && wait $!; }' "$XVM"
for h in xa xb; do x "$h" 'printf "10.77.0.1 xa\n10.77.0.2 xb\n" >> /etc/hosts' > /dev/null; done
echo "# Xen hosts ready after $((SECONDS - t0)) s"

# ---------------------------------------------------------------- PV from an xm file
is "probe before start: 7" "$(ra xa monitor domu1.xm vm1 OCF_RESKEY_CRM_meta_interval=0)" rc=7
is "start the PV domU from its xm-style file" "$(ra xa start domu1.xm vm1)" rc=0
ok "... it boots" up xa domu1
is "monitor: 0" "$(ra xa monitor domu1.xm vm1)" rc=0
n=$(x xa "env ASAN_OPTIONS=detect_leaks=0 OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=vm1 OCF_RESKEY_xmfile=/xfer/domu1.xm \
    OCF_RESKEY_CRM_meta_interval=10000 strace -f -qq -e trace=execve -o /tmp/st $R monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st")
is "monitor starts no process (one execve: its own)" "$n" 1
t1=$SECONDS
is "stop: the domU shuts down" "$(ra xa stop domu1.xm vm1)" rc=0
ok "... xl no longer lists it ($((SECONDS - t1)) s)" gone xa domu1
ok "... it shut down by itself (no destroy)" q x xa "grep -q 'shutting down' /var/log/xen/console/guest-domu1.log && ! grep -q destroying /tmp/err"

# ---------------------------------------------------------------- PVH from an xl file
is "start the PVH domU from its xl file" "$(ra xa start domu2.cfg vm2)" rc=0
ok "... it boots" up xa domu2
x xa 'xl destroy domu2' > /dev/null 2>&1
is "destroyed behind the agent's back: monitor 7" "$(ra xa monitor domu2.cfg vm2)" rc=7
is "... stop: 0" "$(ra xa stop domu2.cfg vm2)" rc=0
# a domU that xl started: libvirt does not know it, xenstore does
q x xa 'xl create -q /xfer/domu2.cfg'
is "started by xl, outside libvirt: a probe says it runs (0)" "$(ra xa monitor domu2.cfg vm2 OCF_RESKEY_CRM_meta_interval=0)" rc=0
is "... a recurring monitor fails (1)" "$(ra xa monitor domu2.cfg vm2)" rc=1
is "... stop fails rather than call it stopped" "$(ra xa stop domu2.cfg vm2)" rc=1
ok "... saying why" q x xa 'grep -q "ocf-exit-reason:domu2 runs outside libvirt" /tmp/err'
is "... start refuses a second domU of that name" "$(ra xa start domu2.cfg vm2)" rc=1
q x xa 'xl destroy domu2'
is "... once xl destroyed it: probe 7" "$(ra xa monitor domu2.cfg vm2 OCF_RESKEY_CRM_meta_interval=0)" rc=7

# ---------------------------------------------------------------- deaf to shutdown
is "start a domU that ignores shutdown" "$(ra xa start domu3.cfg vm3)" rc=0
ok "... it boots" up xa domu3
t1=$SECONDS
is "stop with shutdown_timeout=6 and a 40 s timeout" "$(ra xa stop domu3.cfg vm3 OCF_RESKEY_shutdown_timeout=6 OCF_RESKEY_CRM_meta_timeout=40000)" rc=0
d=$((SECONDS - t1))
ok "... destroyed after the graceful wait, within the timeout ($d s)" test "$d" -ge 6 -a "$d" -lt 40
ok "... gone" gone xa domu3

# ---------------------------------------------------------------- libvirtd stopped
is "start the PVH domU again" "$(ra xa start domu2.cfg vm2)" rc=0
up xa domu2 > /dev/null
q x xa 'pkill -x libvirtd; for i in $(seq 100); do pgrep -x libvirtd > /dev/null || exit 0; sleep 0.1; done; exit 1'
is "libvirtd stopped, domU running: monitor 0 (xenstore)" "$(ra xa monitor domu2.cfg vm2)" rc=0
is "... a probe too" "$(ra xa monitor domu2.cfg vm2 OCF_RESKEY_CRM_meta_interval=0)" rc=0
is "... stop fails: it runs and nothing can stop it" "$(ra xa stop domu2.cfg vm2)" rc=1
ok "... saying so" q x xa 'grep -q "ocf-exit-reason:libvirtd cannot be reached and domu2 still runs" /tmp/err'
is "... and a domU that is not there: monitor 7" "$(ra xa monitor domu1.xm vm1)" rc=7
is "... stop 0, proven by xenstore" "$(ra xa stop domu1.xm vm1)" rc=0
ok "libvirtd back" q "$XVM" libvirt xa
is "... stop: 0" "$(ra xa stop domu2.cfg vm2)" rc=0

# ---------------------------------------------------------------- live migration
is "start the PVH domU for migration" "$(ra xa start domu2.cfg vm2)" rc=0
ok "... it boots" up xa domu2
# the target's address from a node attribute, as a cluster would hold it
q x xa 'cibadmin --empty > /tmp/cib.xml && CIB_file=/tmp/cib.xml cibadmin -C -o nodes -X "<node id=\"2\" uname=\"xb\"/>" &&
    CIB_file=/tmp/cib.xml crm_attribute --type nodes --node xb -n migration_ip -v 10.77.0.2'
t1=$SECONDS
is "migrate_to xb (over xen+tcp, address from node_ip_attribute)" "$(ra xa migrate_to domu2.cfg vm2 \
    OCF_RESKEY_CRM_meta_migrate_target=xb OCF_RESKEY_CRM_meta_migrate_source=xa \
    OCF_RESKEY_node_ip_attribute=migration_ip OCF_RESKEY_migration_transport=tcp CIB_file=/tmp/cib.xml \
    OCF_RESKEY_CRM_meta_timeout=120000)" rc=0
ok "... to the address of the attribute" q x xa 'grep -q "xb is using address 10.77.0.2" /tmp/err || { cat /tmp/err; exit 1; }'
x xa 'grep ocf-exit-reason /tmp/err' | sed 's/^/# /'
echo "# migrate_to took $((SECONDS - t1)) s"
is "... the source reports 7 afterwards" "$(ra xa monitor domu2.cfg vm2)" rc=7
is "migrate_from on xb" "$(ra xb migrate_from domu2.cfg vm2 OCF_RESKEY_CRM_meta_migrate_source=xa)" rc=0
is "... monitor on xb: 0" "$(ra xb monitor domu2.cfg vm2)" rc=0
ok "... the domU answers there" alive xb domu2
is "stop on xb" "$(ra xb stop domu2.cfg vm2)" rc=0

# ---------------------------------------------------------------- a real caller
ok "crm_resource --force-start / --force-check / --force-stop in dom0" q x xb \
    "export ASAN_OPTIONS=detect_leaks=0; c='crm_resource --class ocf --provider rampart --agent Xen --option xmfile=/xfer/domu1.xm --timeout 90s'
     \$c --force-start && \$c --force-check && \$c --force-stop && { \$c --force-check; [ \$? = 7 ]; }"
echo "# whole test $((SECONDS - t0)) s"
for h in xa xb; do "$XVM" halt "$h" > /dev/null 2>&1 & done
wait
tap_done
