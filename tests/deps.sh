#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install, with apt-get, what building and testing Rampart needs on Debian 12.
# Usage: tests/deps.sh build|test|bench|demo
set -e
build="autoconf automake autoconf-archive make gcc libc6-dev pkg-config
       libxml2-dev libvirt-dev libtirpc-dev libopenipmi-dev libssh2-1-dev libsnmp-dev libmount-dev
       libmariadb-dev"
test="mariadb-server mariadb-client apache2 apache2-utils curl libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libcmocka-dev libxml2-utils resource-agents pacemaker-cli-utils groff-base util-linux clang-format iproute2 strace openipmi fence-agents xfsprogs e2fsprogs btrfs-progs snmpd snmp python3 openssh-server openssh-client
      pacemaker corosync pcs iputils-ping
      qemu-system-x86 linux-image-amd64 busybox-static cpio drbd-utils lvm2 nfs-kernel-server
      rpcbind heartbeat
      xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libvirt-daemon-driver-xen libvirt-daemon-system"
bench="mariadb-server mariadb-client apache2 wget libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 linux-image-amd64 busybox-static cpio pacemaker-resource-agents resource-agents openipmi fence-agents cluster-glue ipmitool psmisc xfsprogs kmod
       pacemaker corosync iputils-ping e2fsprogs"
case "$1" in
    build) want="$build" ;;
    test)  want="$build $test $bench" ;;
    bench) want="$build $bench" ;;
    demo)  want="$build $test" ;;  # test includes openipmi (ipmi_sim)
    *) echo "usage: $0 build|test|bench|demo" >&2; exit 2 ;;
esac
missing=
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    # no service may start on the host (corosync, pacemaker, snmpd, sshd):
    # the tests run their own, in namespaces
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
