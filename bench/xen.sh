#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen rows, in dom0 of two real Xen 4.17 hosts (tests/vm/xvm.sh: QEMU TCG guests, where an
# exec costs tens of ms, which is what the anchor pays): ocf:heartbeat:Xen (xl) and ours
# (libvirt's libxl driver; the monitor through libvirtd's own protocol) on the same PVH
# domU from the same xl file.  start/stop: the domU created, then shut down (both wait
# for the domU's own poweroff); migrate: migrate_to the other host and back, each agent
# in turn (the anchor's xl migrate goes over ssh, ours over libvirt's xen+tcp).
# Usage: bench/xen.sh [ROUNDS] [BUILD_DIR]      (needs root; about 10 minutes at 10)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-10}
b=${2:-$top/_build/bench}
bash "$top/tests/deps.sh" bench > /dev/null
bash "$top/tests/deps.sh" test > /dev/null
. "$top/bench/lib.sh"
bench_build "$b"
export VM_DIR VM_BUILD=$b
VM_DIR=$(mktemp -d /tmp/rampart-bench-xen.XXXXXX)
X=$top/tests/vm/xvm.sh
trap '"$X" down > /dev/null 2>&1; rm -rf "$VM_DIR"' EXIT
K=$(ls /lib/modules | sort -V | tail -n 1)
"$top/tests/vm/mkdomu.sh" "$VM_DIR/domu.gz"
for h in xa xb; do
    mkdir -p "$VM_DIR/$h"
    cp "$VM_DIR/domu.gz" "$VM_DIR/$h/"
    printf '%s\n' 'name = "benchdomu"' 'type = "pvh"' "kernel = \"/boot/vmlinuz-$K\"" \
        'ramdisk = "/xfer/domu.gz"' 'extra = "console=hvc0 loglevel=4"' 'memory = 128' 'vcpus = 1' \
        'on_poweroff = "destroy"' 'on_reboot = "destroy"' 'on_crash = "destroy"' \
        'tsc_mode = "native"' 'cpuid = "host,rdtscp=0"' > "$VM_DIR/$h/domu.cfg"
    # ours has a domU of its own: one that xl started is not libvirt's to manage
    sed 's/benchdomu/benchdomr/' "$VM_DIR/$h/domu.cfg" > "$VM_DIR/$h/domr.cfg"
    cc -O2 -o "$VM_DIR/$h/noop" "$top/bench/noop.c"
    cc -O2 -o "$VM_DIR/$h/abrun" "$top/bench/abrun.c"
done
P=$((19000 + RANDOM % 1000))
"$X" boot xa 10.77.0.1/24 -netdev socket,id=n,listen=127.0.0.1:$P -device virtio-net-pci,netdev=n,mac=52:54:00:77:04:01 &
sleep 0.5
"$X" boot xb 10.77.0.2/24 -netdev socket,id=n,connect=127.0.0.1:$P -device virtio-net-pci,netdev=n,mac=52:54:00:77:04:02
wait
for h in xa xb; do "$X" xen $h > /dev/null & done
wait
for h in xa xb; do "$X" libvirt $h > /dev/null & done
wait
# ssh between the dom0s for xl migrate (the anchor's transport)
for h in xa xb; do "$X" run $h 'printf "10.77.0.1 xa\n10.77.0.2 xb\n" >> /etc/hosts; mkdir -p /run/sshd /root/.ssh' > /dev/null; done
ssh-keygen -q -t ed25519 -N '' -f "$VM_DIR/key"
for h in xa xb; do
    cp "$VM_DIR/key" "$VM_DIR/key.pub" "$VM_DIR/$h/"
    "$X" run $h 'cp /xfer/key /root/.ssh/id_ed25519 && cp /xfer/key.pub /root/.ssh/authorized_keys && chmod 600 /root/.ssh/*
        printf "StrictHostKeyChecking no\nUserKnownHostsFile /dev/null\n" > /root/.ssh/config
        ssh-keygen -A > /dev/null 2>&1; /usr/sbin/sshd' > /dev/null
done
E="OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=120000 OCF_RESKEY_CRM_meta_interval=10000"
# each agent with its own domU (same file but the name)
HX="env OCF_RESOURCE_INSTANCE=benchdomu OCF_RESKEY_xmfile=/xfer/domu.cfg /usr/lib/ocf/resource.d/heartbeat/Xen"
RX="env OCF_RESOURCE_INSTANCE=benchdomr OCF_RESKEY_xmfile=/xfer/domr.cfg /usr/lib/ocf/resource.d/rampart/Xen"
up='for d in benchdomu benchdomr; do for i in $(seq 600); do grep -q "domU up" /var/log/xen/console/guest-$d*.log 2> /dev/null && break; sleep 0.2; done; done'
HXB=/usr/lib/ocf/resource.d/heartbeat/Xen
RXB=/usr/lib/ocf/resource.d/rampart/Xen
# the rows: both agents on ours's domU (xl sees every domain, so the anchor can monitor it)
run() { "$X" run xa "env $E OCF_RESOURCE_INSTANCE=benchdomr OCF_RESKEY_xmfile=/xfer/domr.cfg /xfer/abrun $* > /xfer/out"; }
echo "rounds: $rounds (in dom0 of Xen under TCG; alternating floor, anchor, rampart; medians in ms)"
table_head "Xen in dom0 (anchor: ocf:heartbeat:Xen, xl)"
T=$VM_DIR/xa
run "$rounds" -- floor /xfer/noop -- anchor $HXB meta-data -- rampart $RXB meta-data
print_row "Xen meta-data" "" "$T/out"
"$X" run xa "env $E $RX start > /dev/null 2>&1; env $E $HX start > /dev/null 2>&1; $up"
run "$rounds" -- floor /xfer/noop -- anchor $HXB monitor -- rampart $RXB monitor
print_row "Xen monitor (running)" "" "$T/out"
for who in anchor rampart; do
    a=$HXB; [ $who = rampart ] && a=$RXB
    n=$("$X" run xa "env $E OCF_RESOURCE_INSTANCE=benchdomr OCF_RESKEY_xmfile=/xfer/domr.cfg strace -f -qq -e trace=execve -o /tmp/st $a monitor > /dev/null 2>&1; grep -c 'execve(' /tmp/st")
    printf "%-44s %s\n" "execs in one Xen monitor, $who" "$((n - 1))"
done
# migration there and back, anchor and ours in turn
: > "$VM_DIR/mig"
for i in $(seq "${XEN_MIGRATE_ROUNDS:-2}"); do
    for who in anchor rampart; do
        a=$HX; [ $who = rampart ] && a=$RX
        for dir in "xa xb" "xb xa"; do
            set -- $dir
            s0=$(date +%s%N)
            "$X" run "$1" "env $E OCF_RESKEY_CRM_meta_migrate_target=$2 OCF_RESKEY_migration_transport=tcp $a migrate_to > /dev/null 2>&1" &&
                "$X" run "$2" "env $E $a migrate_from > /dev/null 2>&1" || echo "$who migration $1 -> $2 failed" >&2
            echo "$who $((($(date +%s%N) - s0) / 1000))" >> "$VM_DIR/mig"
        done
        "$X" run xa "$up" > /dev/null
    done
done
awk '{ v[$1] = v[$1] " " $2 } END {
    for (w in v) { n = split(substr(v[w], 2), a, " "); asort(a); m[w] = a[int((n + 1) / 2)] / 1000 }
    printf "%-44s %8s %8.2f %8.2f %8.1fx\n", "Xen live migration, PVH (one way)", "-", m["anchor"], m["rampart"], m["anchor"] / m["rampart"] }' "$VM_DIR/mig"
"$X" run xa "env $E $RX stop > /dev/null 2>&1; env $E $HX stop > /dev/null 2>&1"
# start, then a stop of the booted domU (the time of its own poweroff is in both)
srounds=${XEN_START_ROUNDS:-3}
: > "$VM_DIR/ss"
for i in $(seq "$srounds"); do
    for who in anchor rampart; do
        a=$HX; [ $who = rampart ] && a=$RX
        s0=$(date +%s%N)
        "$X" run xa "rm -f /var/log/xen/console/guest-benchdom*.log; env $E $a start > /dev/null 2>&1"
        s1=$(date +%s%N)
        "$X" run xa "for i in \$(seq 600); do grep -q 'domU up' /var/log/xen/console/guest-benchdom*.log 2> /dev/null && break; sleep 0.2; done" > /dev/null
        s2=$(date +%s%N)
        "$X" run xa "env $E $a stop > /dev/null 2>&1"
        s3=$(date +%s%N)
        echo "$who-start $(((s1 - s0) / 1000))" >> "$VM_DIR/ss"
        echo "$who-stop $(((s3 - s2) / 1000))" >> "$VM_DIR/ss"
    done
done
awk '{ v[$1] = v[$1] " " $2 } END {
    for (w in v) { n = split(substr(v[w], 2), a, " "); asort(a); m[w] = a[int((n + 1) / 2)] / 1000 }
    printf "%-44s %8s %8.2f %8.2f %8.1fx\n", "Xen start (PVH, returns when it runs)", "-", m["anchor-start"], m["rampart-start"], m["anchor-start"] / m["rampart-start"]
    printf "%-44s %8s %8.2f %8.2f %8.1fx\n", "Xen stop (graceful, the domU powers off)", "-", m["anchor-stop"], m["rampart-stop"], m["anchor-stop"] / m["rampart-stop"] }' "$VM_DIR/ss"
for h in xa xb; do "$X" halt $h > /dev/null 2>&1 & done
wait
