# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for tests that run in guests (source it after setting VM_DIR):
#   vm GUEST 'CMDS'              vm.sh run, as a function (q vm ...: its output only on failure)
#   vm_drbd_conf RES MINOR DISK PORT [SECTIONS]  DRBD resource RES's configuration on n1
#                                and n2 (SECTIONS: "net { ... } disk { ... }" text)
#   vm_drbd_res RES MINOR DISK PORT [SECTIONS]  the same, with its metadata created
#   vm_drbd_pair RES             DRBD resource RES on /dev/vda of n1 and n2, as /dev/drbd0,
#                                connected, both UpToDate (a fresh pair: no initial sync)
#   vm_udevd GUEST               udevd running and settled (LVM needs it for /dev/VG/LV)
#   vm_pcmk_up GUEST...          corosync + Pacemaker on the guests, waits until all are online
#   vm_pcmk_start GUEST          corosync + Pacemaker started on GUEST (rejoining after a reboot)
#   vm_hb_up HARESOURCES GUEST...  heartbeat v1 on the guests with that haresources line
#   vm_hb_down GUEST...          heartbeat stopped (it gives its resources up)
#   vm_test CMD...               a guest test's prologue: skips unless root, guests allowed,
#                                qemu, CMD... and /dev/net/tun are there; a fresh VM_DIR
VM=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/vm.sh
vm() { "$VM" run "$@"; }
# q CMD...: CMD's output only when it fails, as TAP comments (tests/lib/tap.sh's $OUT)
q() { "$@" > "$OUT.q" 2>&1 || { sed 's/^/# /' "$OUT.q"; rm -f "$OUT.q"; return 1; }; rm -f "$OUT.q"; }
# every guest and its BMC go when the test ends, however it ends
# (only guests of this test's own VM_DIR: VM_OURS is set where it made one)
trap '[ -n "${VM_OURS:-}" ] && "$VM" down >/dev/null 2>&1; tap_cleanup' EXIT

vm_test() {
    local c
    [ "$(id -u)" = 0 ] || skip_all "guests need root (network namespace, tap devices)"
    [ -n "${RAMPART_NO_CLUSTER:-}" ] && skip_all "RAMPART_NO_CLUSTER is set"
    for c in qemu-system-x86_64 "$@"; do
        command -v "$c" > /dev/null || skip_all "$c is not installed (tests/deps.sh test)"
    done
    [ -e /dev/net/tun ] || skip_all "no /dev/net/tun"
    heavy_lock
    export VM_DIR VM_BUILD=$top_builddir VM_DISK=${VM_DISK:-64M}
    VM_DIR=$(mktemp -d /tmp/rampart-vm.XXXXXX)
    VM_OURS=1
}

# vm_drbd_conf RES MINOR DISK PORT [SECTIONS]: the resource's configuration on n1 and n2
vm_drbd_conf() {
    local res=$1 minor=$2 disk=$3 port=$4 sections=${5:-} n
    {
        echo "resource $res {"
        echo "  protocol C;"
        [ -n "$sections" ] && echo "  $sections"
        echo "  device /dev/drbd$minor; disk $disk; meta-disk internal;"
        echo "  on n1 { address 10.79.0.1:$port; }"
        echo "  on n2 { address 10.79.0.2:$port; }"
        echo "}"
    } > "$VM_DIR/$res.res"
    for n in n1 n2; do
        cp "$VM_DIR/$res.res" "$VM_DIR/$n/"
        vm $n "modprobe drbd && mkdir -p /etc/drbd.d && cp /xfer/$res.res /etc/drbd.d/" > /dev/null 2>&1 || return 1
    done
}

# vm_drbd_res RES MINOR DISK PORT [SECTIONS]: the configuration, and the metadata created
# (nothing brought up)
vm_drbd_res() {
    local n
    vm_drbd_conf "$@" || return 1
    for n in n1 n2; do
        vm $n "yes yes | drbdadm create-md --force $1" > /dev/null 2>&1 || return 1
    done
}

vm_drbd_pair() {
    local res=$1 n
    vm_drbd_res "$res" 0 /dev/vda 7789 || return 1
    for n in n1 n2; do vm $n "drbdadm up $res" & done
    wait
    vm n1 "for i in \$(seq 150); do [ \"\$(drbdadm cstate $res)\" = Connected ] && break; sleep 0.2; done
           drbdadm new-current-uuid --clear-bitmap $res/0 &&
           for i in \$(seq 50); do [ \"\$(drbdadm dstate $res)\" = UpToDate/UpToDate ] && exit 0; sleep 0.2; done; exit 1"
}

vm_udevd() {
    vm "$1" '/lib/systemd/systemd-udevd --daemon && udevadm trigger && udevadm settle'
}

vm_pcmk_up() {
    local n
    {
        printf 'totem {\n version: 2\n cluster_name: rampartvm\n transport: knet\n'
        printf ' crypto_cipher: none\n crypto_hash: none\n token: 3000\n}\nnodelist {\n'
        for n in "$@"; do
            printf ' node {\n  ring0_addr: 10.79.0.%s\n  name: %s\n  nodeid: %s\n }\n' "${n#n}" "$n" "${n#n}"
        done
        printf '}\nquorum {\n provider: corosync_votequorum\n'
        [ "$#" = 2 ] && printf ' two_node: 1\n'
        printf '}\nlogging {\n to_stderr: no\n to_syslog: no\n to_logfile: yes\n'
        printf ' logfile: /var/log/corosync.log\n timestamp: hires\n}\n'
    } > "$VM_DIR/corosync.conf"
    for n in "$@"; do vm_pcmk_start "$n" & done
    wait
    vm "$1" "for i in \$(seq 240); do crm_mon -1 2>/dev/null | grep -q 'Online: \[ $* \]' && exit 0; sleep 0.5; done; crm_mon -1; exit 1"
}

vm_pcmk_start() {
    cp "$VM_DIR/corosync.conf" "$VM_DIR/$1/"
    vm "$1" 'mkdir -p /etc/corosync /var/lib/corosync /var/lib/pacemaker/cib /var/lib/pacemaker/pengine \
                 /var/lib/pacemaker/blackbox /var/lib/pacemaker/cores /var/log/pacemaker /run/crm &&
             chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker /run/crm &&
             cp /xfer/corosync.conf /etc/corosync/ &&
             (setsid corosync -f > /var/log/corosync.out 2>&1 &) && sleep 0.5 &&
             (setsid pacemakerd > /var/log/pacemakerd.out 2>&1 &)'
}

vm_hb_up() {
    local line=$1 n; shift
    printf 'logfile /var/log/ha-log\nkeepalive 1\ndeadtime 6\nwarntime 3\ninitdead 8\nbcast eth0\nauto_failback off\ncrm no\n' > "$VM_DIR/ha.cf"
    for n in "$@"; do echo "node $n" >> "$VM_DIR/ha.cf"; done
    for n in "$@"; do
        cp "$VM_DIR/ha.cf" "$VM_DIR/$n/"; echo "$line" > "$VM_DIR/$n/haresources"
        vm "$n" 'cp /xfer/ha.cf /xfer/haresources /etc/ha.d/ && printf "auth 1\n1 crc\n" > /etc/ha.d/authkeys &&
                 chmod 600 /etc/ha.d/authkeys && mkdir -p /var/lib/heartbeat /run/heartbeat/rsctmp &&
                 chown -R hacluster:haclient /var/lib/heartbeat /run/heartbeat &&
                 /usr/libexec/heartbeat/heartbeat > /dev/null 2>&1' &
    done
    wait
}

vm_hb_down() {
    local n
    for n in "$@"; do vm "$n" '/usr/libexec/heartbeat/heartbeat -k > /dev/null 2>&1; for i in $(seq 100); do pgrep -x heartbeat > /dev/null || exit 0; sleep 0.2; done; exit 1' & done
    wait
}
