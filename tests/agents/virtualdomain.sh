#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:VirtualDomain against a real libvirtd of the test's own (a private mount
# namespace: tests/lib/libvirt.sh).  The test driver for the quick cases: start, monitor
# (no child process, no library: the daemon's own protocol), the domain known by its UUID
# (another domain of the same name is not ours), the configuration gone (the record
# still finds it), paused, destroyed behind the agent's back, monitor_scripts,
# utilization written once, libvirtd hung (SIGSTOP: an answer within the timeout) and
# stopped (the test driver's state cannot be proven: a failure, never "stopped").  Then
# QEMU guests that really boot (TCG): an ACPI shutdown, a guest that ignores it
# (destroyed within the deadline), force_stop, libvirtd stopped while the guest runs (its
# qemu process says it runs: monitor 0, stop fails), and a live migration between two
# libvirtds.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/libvirt.sh"
[ "$(id -u)" = 0 ] || skip_all "a private libvirtd needs root (mount namespace)"
A=$top_builddir/agents/VirtualDomain
[ -x "$A" ] || skip_all "VirtualDomain not built (libvirt-dev)"
command -v libvirtd > /dev/null || skip_all "libvirtd is not installed (tests/deps.sh test)"
command -v virsh > /dev/null || skip_all "virsh is not installed (tests/deps.sh test)"
T=$(mktemp -d /tmp/rampart-vd.XXXXXX)
cleanup() {
    local d
    for d in "$T"/a "$T"/b; do
        [ -s "$d/libvirtd.pid" ] && kill -CONT "$(cat "$d/libvirtd.pid")" 2> /dev/null
        lv_down "$d" > /dev/null 2>&1
    done
    # a qemu left by a libvirtd that was killed on purpose
    pkill -KILL -f -- "$T/" 2> /dev/null
    rm -rf "$T"
    tap_cleanup
}
trap cleanup EXIT
lv_up "$T/a" vd-a || { echo "Bail out! no private libvirtd"; exit 1; }
QU=$(lv_uri "$T/a")
TU=$(lv_uri "$T/a" test)
# the test driver forgets its domains when no client holds it open
lv_test_hold "$T/a"

# vd ACTION [NAME=VALUE...]: the agent, as Pacemaker's execd runs it
vd() {
    local action=$1
    shift
    rc env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf HA_RSCTMP="$T/rsc" \
        OCF_RESOURCE_INSTANCE=${INST:-vm} OCF_RESKEY_CRM_meta_timeout=${TMO:-20000} \
        OCF_RESKEY_CRM_meta_interval=${IVL:-10000} "$@" "$A" "$action"
}
state() { virsh -c "$1" domstate "$2" 2> /dev/null | head -n 1; }
execs() { # execs ACTION [NAME=VALUE...]: processes one action starts (itself excluded)
    local action=$1
    shift
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf HA_RSCTMP="$T/rsc" \
        OCF_RESOURCE_INSTANCE=${INST:-vm} OCF_RESKEY_CRM_meta_interval=10000 "$@" \
        strace -f -qq -e trace=execve,openat -o "$T/st" "$A" "$action" > /dev/null 2>&1
    echo "$(($(grep -c 'execve(' "$T/st") - 1)) $(grep -c 'libvirt\.so' "$T/st")"
}
testxml() { # testxml FILE NAME [UUID]
    printf "<domain type='test'>\n  <name>%s</name>\n%s  <memory>65536</memory>\n  <vcpu>2</vcpu>\n  <os><type>hvm</type></os>\n</domain>\n" \
        "$2" "${3:+  <uuid>$3</uuid>
}" > "$1"
}

# ---------------------------------------------------------------- configuration
testxml "$T/t1.xml" t1
C="OCF_RESKEY_config=$T/t1.xml OCF_RESKEY_hypervisor=$TU"
vd validate-all $C
is "validate-all accepts a domain XML" "$RC" 0
vd validate-all OCF_RESKEY_config="$T/none.xml"
is "validate-all: a missing config is OCF_ERR_INSTALLED" "$RC" 5
IVL=0 vd monitor OCF_RESKEY_config="$T/none.xml" OCF_RESKEY_hypervisor="$TU"
is "a probe with no config and no record of a start: not running" "$RC" 7
vd stop OCF_RESKEY_config="$T/none.xml" OCF_RESKEY_hypervisor="$TU"
is "stop with no config and no record of a start: nothing to stop" "$RC" 0
echo "<domain type='test'><memory>1024</memory></domain>" > "$T/noname.xml"
vd validate-all OCF_RESKEY_config="$T/noname.xml"
is "validate-all: a domain without a name is OCF_ERR_CONFIGURED" "$RC" 6
ok "... with the reason" grep -q "has no <name>" "$ERR"
vd validate-all $C OCF_RESKEY_shutdown_mode=acpi,reboot
is "validate-all: shutdown_mode=acpi,reboot is OCF_ERR_CONFIGURED" "$RC" 6
vd validate-all $C OCF_RESKEY_migrate_options=--bogus
is "validate-all: an unknown migrate option is OCF_ERR_CONFIGURED" "$RC" 6
vd validate-all $C OCF_RESKEY_force_stop=1 OCF_RESKEY_snapshot="$T"
is "validate-all: force_stop with snapshot is OCF_ERR_CONFIGURED" "$RC" 6

# ---------------------------------------------------------------- lifecycle (test driver)
IVL=0 vd monitor $C
is "probe before start: not running" "$RC" 7
vd start $C
is "start" "$RC" 0
is "... libvirt runs it" "$(state "$TU" t1)" running
ok "... and the agent recorded it" grep -q '^t1$' "$T/rsc/VirtualDomain-vm.domain"
vd monitor $C
is "monitor: running" "$RC" 0
is "monitor starts no process and loads no libvirt (execs, libvirt.so opens)" "$(execs monitor $C)" "0 0"
vd start $C
is "start when running: success" "$RC" 0
mv "$T/t1.xml" "$T/t1.xml.away"
vd monitor $C
is "config gone: monitor finds the domain by the record" "$RC" 0
vd stop $C
is "config gone: stop" "$RC" 0
ok "... and the domain is really gone" test "$(state "$TU" t1)" != running
ok "... the record too" test ! -e "$T/rsc/VirtualDomain-vm.domain"
IVL=0 vd monitor $C
is "config gone, after stop: a probe says not running" "$RC" 7
mv "$T/t1.xml.away" "$T/t1.xml"

# the file edited while the domain runs: what start recorded still finds it
vd start $C
testxml "$T/t1.xml" t1-renamed
IVL=0 vd monitor $C
is "config renamed while running: a probe still sees the domain started (0)" "$RC" 0
vd start $C
is "... start refuses to run a second one beside it" "$RC" 1
vd stop $C
is "... stop stops the one that runs" "$RC" 0
ok "... it is really gone" test "$(state "$TU" t1)" != running
testxml "$T/t1.xml" t1
# a UUID is one domain's, whatever it is called
testxml "$T/r1.xml" r1 22222222-2222-3333-4444-555555555555
testxml "$T/r1-as.xml" r1-other-name 22222222-2222-3333-4444-555555555555
virsh -c "$TU" create "$T/r1-as.xml" > /dev/null 2>&1
IVL=0 vd monitor "OCF_RESKEY_config=$T/r1.xml" OCF_RESKEY_hypervisor="$TU"
is "our UUID under another name: ours (probe 0)" "$RC" 0
vd stop "OCF_RESKEY_config=$T/r1.xml" OCF_RESKEY_hypervisor="$TU"
is "... stop stops it" "$RC" 0
ok "... gone" test "$(state "$TU" r1-other-name)" != running

# the UUID says which domain: another of the same name is somebody else's
testxml "$T/u1.xml" u1 11111111-2222-3333-4444-555555555555
testxml "$T/u1-other.xml" u1 99999999-2222-3333-4444-555555555555
virsh -c "$TU" create "$T/u1-other.xml" > /dev/null 2>&1
U="OCF_RESKEY_config=$T/u1.xml OCF_RESKEY_hypervisor=$TU"
vd monitor $U
is "a domain of our name with another UUID: not ours (7)" "$RC" 7
vd stop $U
is "... stop leaves it alone" "$RC" 0
is "... it still runs" "$(state "$TU" u1)" running
vd start $U
is "... and start fails rather than take it over" "$RC" 1
ok "... with libvirt's reason" grep -q "ocf-exit-reason:cannot start u1" "$ERR"
virsh -c "$TU" destroy u1 > /dev/null 2>&1

# paused, then destroyed behind our back
vd start $C
virsh -c "$TU" suspend t1 > /dev/null 2>&1
vd monitor $C
is "paused: monitor says running (as the anchor)" "$RC" 0
t0=$SECONDS
vd stop $C
is "paused: stop" "$RC" 0
ok "... at once (a paused guest cannot shut down: destroyed)" test $((SECONDS - t0)) -lt 5
vd start $C
virsh -c "$TU" destroy t1 > /dev/null 2>&1
vd monitor $C
is "destroyed behind the agent's back: monitor 7" "$RC" 7

# monitor_scripts: argv, no shell, the first line of a failure as the reason
printf '#!/bin/sh\necho "db is down"\nexit 3\n' > "$T/bad.sh"
printf '#!/bin/sh\nexit 0\n' > "$T/good.sh"
chmod +x "$T/bad.sh" "$T/good.sh"
vd start $C
vd monitor $C OCF_RESKEY_monitor_scripts="$T/good.sh"
is "monitor_scripts that pass: 0" "$RC" 0
vd monitor $C OCF_RESKEY_monitor_scripts="$T/good.sh $T/bad.sh"
is "a monitor script that fails: 1" "$RC" 1
ok "... with its words as the reason" grep -q "ocf-exit-reason:monitor script $T/bad.sh for domain t1 returned 3: db is down" "$ERR"
is "... and the monitor ran exactly that script (execs)" "$(execs monitor $C OCF_RESKEY_monitor_scripts=$T/good.sh | cut -d' ' -f1)" 1

# utilization: written when it changes, not at every monitor
cibadmin --empty > "$T/cib.xml"
CIB_file=$T/cib.xml cibadmin -C -o resources \
    -X '<primitive id="vm" class="ocf" provider="rampart" type="VirtualDomain"/>'
vd monitor $C CIB_file="$T/cib.xml"
is "monitor in a cluster: 0" "$RC" 0
is "... cpu utilization set from the domain (2 vCPUs)" \
    "$(CIB_file=$T/cib.xml crm_resource -r vm -z -g cpu -Q 2> /dev/null)" 2
is "... host_memory in MiB" "$(CIB_file=$T/cib.xml crm_resource -r vm -z -g host_memory -Q 2> /dev/null)" 64
is "... a steady monitor writes nothing again (execs, libvirt.so)" "$(execs monitor $C CIB_file=$T/cib.xml)" "0 0"

# libvirtd hung: an answer within the timeout, and never "stopped"
LVPID=$(cat "$T/a/libvirtd.pid")
kill -STOP "$LVPID"
t0=$SECONDS
TMO=4000 vd monitor $C
is "libvirtd hung: monitor fails" "$RC" 1
ok "... within its timeout ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 4
t0=$SECONDS
TMO=4000 vd stop $C
is "libvirtd hung: stop fails (unsure is not stopped)" "$RC" 1
ok "... within its timeout ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 4
kill -CONT "$LVPID"
vd stop $C
is "libvirtd back: stop" "$RC" 0

# libvirtd stopped: the test driver's domains cannot be proven gone
vd start $C
kill "$LVPID"
for i in $(seq 50); do [ -S "$T/a/sock/libvirt-sock" ] && kill -0 "$LVPID" 2> /dev/null || break; sleep 0.1; done
vd monitor $C
is "libvirtd stopped, test driver: monitor cannot tell (1)" "$RC" 1
ok "... and says why" grep -q "nothing can tell whether a domain of test" "$ERR"
vd stop $C
is "libvirtd stopped, test driver: stop fails" "$RC" 1
lv_down "$T/a" > /dev/null 2>&1
lv_up "$T/a" vd-a || echo "# libvirtd did not come back"

# ---------------------------------------------------------------- QEMU guests (TCG)
GUEST=${RAMPART_NO_GUESTS:+no}
command -v qemu-system-x86_64 > /dev/null || GUEST=no
[ -e "$LV_KERNEL" ] || GUEST=no
if [ "$GUEST" = no ]; then
    echo "# QEMU guests skipped (qemu-system-x86, linux-image-amd64 or RAMPART_NO_GUESTS)"
    tap_done
    exit
fi
heavy_lock
lv_guest_initrd "$T/acpi.gz" || echo "# no initramfs"
lv_guest_initrd "$T/deaf.gz" ignore || echo "# no initramfs"
lv_guest_xml g1 "$T/acpi.gz" 96 "$T/g1.log" 6a1b2c3d-0000-4000-8000-00000000a001 > "$T/g1.xml"
lv_guest_xml g2 "$T/deaf.gz" 96 "$T/g2.log" 6a1b2c3d-0000-4000-8000-00000000a002 > "$T/g2.xml"
G1="OCF_RESKEY_config=$T/g1.xml OCF_RESKEY_hypervisor=$QU OCF_RESKEY_shutdown_mode=acpi"
G2="OCF_RESKEY_config=$T/g2.xml OCF_RESKEY_hypervisor=$QU"
booted() { # booted LOG: the guest printed "guest up" (waits up to 90 s)
    local i
    for i in $(seq 900); do grep -q "guest up" "$1" 2> /dev/null && return 0; sleep 0.1; done
    return 1
}
qemu_pid() { pgrep -f -- "-uuid $1" | head -n 1; }

INST=g1 TMO=60000 vd start $G1
is "qemu guest: start" "$RC" 0
ok "... it boots (guest up on its console)" booted "$T/g1.log"
INST=g1 vd monitor $G1
is "... monitor 0" "$RC" 0
is "... with no process and no libvirt (execs, libvirt.so)" "$(INST=g1 execs monitor $G1)" "0 0"
p1=$(qemu_pid 6a1b2c3d-0000-4000-8000-00000000a001)
ok "... its qemu carries the UUID ($p1)" test -n "$p1"
t0=$SECONDS
INST=g1 TMO=60000 vd stop $G1
is "ACPI shutdown: stop" "$RC" 0
ok "... the guest heard the power button" grep -q "power button" "$T/g1.log"
ok "... and it took less than the destroy fallback ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 30
ok "... its qemu is gone" bash -c "! kill -0 $p1 2> /dev/null || grep -q Z /proc/$p1/stat"

INST=g2 TMO=60000 vd start $G2
is "a guest that ignores ACPI: start" "$RC" 0
booted "$T/g2.log" > /dev/null
t0=$SECONDS
INST=g2 TMO=15000 vd stop $G2 OCF_RESKEY_shutdown_mode=acpi
is "... stop with a 15 s timeout" "$RC" 0
ok "... destroyed within the timeout ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 15
ok "... after giving it most of the time" test $((SECONDS - t0)) -ge 8
is "... libvirt has it off" "$(state "$QU" g2)" ""

INST=g2 TMO=60000 vd start $G2
t0=$SECONDS
INST=g2 vd stop $G2 OCF_RESKEY_force_stop=true
is "force_stop: stop" "$RC" 0
ok "... at once ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 5

# libvirtd stopped while the guest runs: its qemu process is the proof
INST=g1 TMO=60000 vd start $G1
booted "$T/g1.log" > /dev/null
LVPID=$(cat "$T/a/libvirtd.pid")
kill "$LVPID"
for i in $(seq 50); do kill -0 "$LVPID" 2> /dev/null || break; sleep 0.1; done
INST=g1 vd monitor $G1
is "libvirtd stopped, guest running: monitor 0 (its qemu process)" "$RC" 0
INST=g1 IVL=0 vd monitor $G1
is "... a probe too" "$RC" 0
INST=g1 vd stop $G1
is "... stop fails: nothing can stop it without libvirtd" "$RC" 1
ok "... and says so" grep -q "libvirtd cannot be reached and g1 still runs" "$ERR"
lv_up "$T/a" vd-a || echo "# libvirtd did not come back"
INST=g1 TMO=60000 vd stop $G1
is "libvirtd back: stop" "$RC" 0
INST=g1 vd monitor $G1
is "... monitor 7" "$RC" 7
kill -STOP "$(cat "$T/a/libvirtd.pid")" 2> /dev/null
kill -9 "$(cat "$T/a/libvirtd.pid")" 2> /dev/null
sleep 0.5
INST=g1 vd stop $G1
is "libvirtd killed, the guest gone: stop proves it by the processes (0)" "$RC" 0

# live migration between two libvirtds (two hosts to libvirt: their own UUIDs and names)
lv_up "$T/a" vd-a > /dev/null 2>&1
if lv_up "$T/b" vd-b; then
    QB=$(lv_uri "$T/b")
    INST=g1 TMO=60000 vd start $G1
    booted "$T/g1.log" > /dev/null
    INST=g1 TMO=120000 vd migrate_to $G1 OCF_RESKEY_CRM_meta_migrate_target=vd-b \
        OCF_RESKEY_CRM_meta_migrate_source=vd-a OCF_RESKEY_remoteuri="$QB" \
        OCF_RESKEY_migrateuri=tcp:127.0.0.1:49213
    is "migrate_to the second libvirtd" "$RC" 0
    [ "$RC" = 0 ] || sed 's/^/# /' "$ERR" | tail -n 5
    INST=g1 vd migrate_from "OCF_RESKEY_config=$T/g1.xml" OCF_RESKEY_hypervisor="$QB" \
        OCF_RESKEY_CRM_meta_migrate_source=vd-a
    is "migrate_from there" "$RC" 0
    INST=g1 vd monitor $G1
    is "the source reports 7 afterwards" "$RC" 7
    is "the target runs it" "$(state "$QB" g1)" running
    INST=g1 TMO=60000 vd stop "OCF_RESKEY_config=$T/g1.xml" OCF_RESKEY_hypervisor="$QB" OCF_RESKEY_force_stop=1
    is "stop on the target" "$RC" 0
else
    echo "# the second libvirtd did not start: migration not tried"
fi
tap_done
