#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's pcs creates every Rampart resource and fence device offline
# (pcs -f FILE), checking each option against the agent's own metadata: an
# unknown option and a missing required one are refused, as users would see.
# Inside a private mount namespace, overlays show our agents where pcs and
# Pacemaker look (/usr/lib/ocf/resource.d/rampart, /usr/sbin); the host is
# never touched.
. "$top_srcdir/tests/lib/tap.sh"
command -v pcs > /dev/null || skip_all "pcs not installed"
command -v cibadmin > /dev/null || skip_all "cibadmin not installed (pacemaker-cli-utils)"
[ "$(id -u)" = 0 ] || skip_all "a private mount namespace needs root"
if [ -z "$RA_IN_NS" ]; then
    exec env RA_IN_NS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
mkdir -p "$T/ocf/rampart" "$T/sbin"
for a in $RA_AGENTS; do install -m 0755 "$top_builddir/agents/$a" "$T/ocf/rampart/$a"; done
for a in $FENCE_AGENTS; do install -m 0755 "$top_builddir/fence/$a" "$T/sbin/$a"; done
mount -t overlay rp-ocf -o "lowerdir=$T/ocf:/usr/lib/ocf/resource.d" /usr/lib/ocf/resource.d &&
    mount -t overlay rp-sbin -o "lowerdir=$T/sbin:/usr/sbin" /usr/sbin || skip_all "overlayfs not available"
cib=$T/cib.xml
cibadmin --empty > "$cib"
p() { rc pcs -f "$cib" "$@"; }

for a in $RA_AGENTS; do
    case $a in
    IPaddr*) set -- ip=192.0.2.10 cidr_netmask=24 ;;
    Filesystem) set -- device=/dev/disk/by-label/data directory=/srv/data fstype=ext4 ;;
    drbd*) set -- drbd_resource=r0 ;;
    LVM-activate) set -- vgname=vg0 vg_access_mode=system_id ;;
    LVM) set -- volgrpname=vg0 ;;
    exportfs) set -- clientspec=10.0.0.0/24 directory=/srv fsid=1 ;;
    mariadb) set -- node_list="node1 node2" ;;
    apache) set -- configfile=/etc/apache2/apache2.conf ;;
    VirtualDomain) set -- config=/etc/libvirt/qemu/vm1.xml hypervisor=qemu:///system ;;
    Xen) set -- xmfile=/etc/xen/vm1.cfg ;;
    *) set -- ;;
    esac
    extra=
    case $a in Stateful | drbd | mariadb) extra="promotable notify=true" ;; esac
    p resource create "r-$a" "ocf:rampart:$a" "$@" op monitor interval=10s $extra
    is "pcs -f resource create ocf:rampart:$a $*" "$RC" 0
done
p resource create bad1 ocf:rampart:IPaddr2 ip=192.0.2.10 no_such_option=1
ok "pcs refuses an option IPaddr2 does not have (rc $RC)" test "$RC" -ne 0
ok "... and names it" grep -q "no_such_option" "$OUT" "$ERR"
p resource create bad2 ocf:rampart:Filesystem directory=/srv/data
ok "pcs refuses a Filesystem without its required device (rc $RC)" test "$RC" -ne 0
ok "... and names it" grep -q "device" "$OUT" "$ERR"

for a in $FENCE_AGENTS; do
    case $a in
    fence_ssh) set -- ip=192.0.2.30 username=root identity_file=/root/.ssh/id_ed25519 ;;
    *snmp) set -- ip=192.0.2.31 community=private ;;
    *) set -- ip=192.0.2.32 username=admin password=secret lanplus=1 ;;
    esac
    p stonith create "f-$a" "$a" "$@" pcmk_host_list=node1
    is "pcs -f stonith create $a $*" "$RC" 0
done
p stonith create f-bad fence_ipmilan ip=192.0.2.32 no_such_option=1
ok "pcs refuses an option fence_ipmilan does not have (rc $RC)" test "$RC" -ne 0

n=$(grep -c 'provider="rampart"' "$cib")
is "the CIB holds one primitive per Rampart resource agent" "$n" "$(echo $RA_AGENTS | wc -w)"
rc crm_verify -x "$cib"
is "crm_verify accepts the CIB pcs wrote" "$RC" 0
tap_done
