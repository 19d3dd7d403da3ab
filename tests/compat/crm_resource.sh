#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pacemaker's own tools drive the agents without a cluster: crm_resource
# --validate and --force-start/--force-check/--force-stop.  Pacemaker looks
# for agents only under /usr/lib/ocf/resource.d, so the test shows ours
# there inside a private mount namespace; the host is never touched.
. "$top_srcdir/tests/lib/tap.sh"
command -v crm_resource >/dev/null || skip_all "crm_resource not installed (pacemaker-cli-utils)"
[ "$(id -u)" = 0 ] || skip_all "a private mount namespace needs root"
[ -d /usr/lib/ocf/resource.d ] || skip_all "no /usr/lib/ocf/resource.d to overlay"

if [ -z "$RA_IN_NS" ]; then
    exec env RA_IN_NS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
mkdir -p "$T/resource.d"
cp -a /usr/lib/ocf/resource.d/. "$T/resource.d/"
mkdir -p "$T/resource.d/rampart"
for a in $RA_AGENTS; do
    install -m 0755 "$top_builddir/agents/$a" "$T/resource.d/rampart/$a"
done
mount --bind "$T/resource.d" /usr/lib/ocf/resource.d
export HA_RSCTMP=$T/rsc

cr() { rc crm_resource --class ocf --provider rampart --agent "$@"; }
for a in $RA_AGENTS; do
    case $a in
    IPaddr*)
        # the address is the whole configuration; starting one is tests/agents/ipaddr2.sh
        cr "$a" --validate --option ip=192.0.2.10
        is "crm_resource --validate accepts $a ip=192.0.2.10" "$RC" 0
        cr "$a" --validate --option ip=999.1.1.1
        is "crm_resource --validate: $a ip=999.1.1.1 is OCF_ERR_CONFIGURED" "$RC" 6
        continue ;;
    Filesystem)
        cr "$a" --validate --option device=/dev/nonexistent --option directory=/srv/x --option fstype=ext4
        is "crm_resource --validate accepts $a" "$RC" 0
        cr "$a" --validate --option device=/dev/x --option directory=relative/path
        is "crm_resource --validate: $a directory=relative/path is OCF_ERR_CONFIGURED" "$RC" 6
        continue ;;
    drbd*)
        # starting one needs DRBD: tests/vm/drbd.sh
        cr "$a" --validate --option drbd_resource=r0
        is "crm_resource --validate accepts $a drbd_resource=r0" "$RC" 0
        cr "$a" --validate --option "drbd_resource=r0;x"
        is "crm_resource --validate: $a drbd_resource='r0;x' is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option drbd_resource=r0
        is "$a --force-check without the DRBD module: not running (7)" "$RC" 7
        continue ;;
    nfsserver)
        # starting one needs nfsd: tests/vm/nfs.sh
        cr "$a" --validate --option nfs_shared_infodir=/srv/nfsinfo
        is "crm_resource --validate accepts $a" "$RC" 0
        cr "$a" --validate --option nfs_shared_infodir=relative
        is "crm_resource --validate: $a nfs_shared_infodir=relative is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check
        is "$a --force-check without nfsd: not running (7)" "$RC" 7
        continue ;;
    mysql)
        # a server of its own: tests/agents/mysql.sh
        cr "$a" --validate --option binary=/nonexistent/mariadbd
        is "crm_resource --validate: $a binary missing is OCF_ERR_INSTALLED" "$RC" 5
        cr "$a" --validate --option 'test_table=t;DROP'
        is "crm_resource --validate: $a test_table='t;DROP' is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option datadir="$T/no-datadir"
        is "$a --force-check with no server of its datadir: not running (7)" "$RC" 7
        continue ;;
    mariadb)
        # a promotable clone in a cluster: tests/cluster/mariadb.sh
        cr "$a" --validate
        is "crm_resource --validate: $a without node_list is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --validate --option node_list="n1 n2" --option binary=/nonexistent/mariadbd
        is "crm_resource --validate: $a binary missing is OCF_ERR_INSTALLED" "$RC" 5
        cr "$a" --force-check --option node_list="n1 n2" --option datadir="$T/no-datadir"
        is "$a --force-check with no server of its datadir: not running (7)" "$RC" 7
        continue ;;
    apache)
        # a server of its own: tests/agents/apache.sh
        cr "$a" --validate --option configfile="$T/none.conf"
        is "crm_resource --validate: $a configfile missing is OCF_ERR_INSTALLED" "$RC" 5
        cr "$a" --validate --option configfile=/etc/hostname --option 'testregex=('
        is "crm_resource --validate: $a testregex='(' is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option configfile="$T/none.conf"
        is "$a --force-check with no server of that configuration: not running (7)" "$RC" 7
        continue ;;
    VirtualDomain)
        # a libvirtd of its own: tests/agents/virtualdomain.sh
        printf "<domain type='test'><name>crm-vd</name><memory>1024</memory><os><type>hvm</type></os></domain>\n" > "$T/vd.xml"
        cr "$a" --validate --option config="$T/vd.xml"
        is "crm_resource --validate accepts $a" "$RC" 0
        cr "$a" --validate --option config="$T/none.xml"
        is "crm_resource --validate: $a config missing is OCF_ERR_INSTALLED" "$RC" 5
        cr "$a" --validate --option config="$T/vd.xml" --option shutdown_mode=reboot
        is "crm_resource --validate: $a shutdown_mode=reboot is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option config="$T/vd.xml" --option hypervisor=test:///default
        is "$a --force-check of a domain the test driver does not have: not running (7)" "$RC" 7
        continue ;;
    Xen)
        # a Xen host: tests/vm/xen.sh
        printf 'name = "crm-xen"\nmemory = 128\n' > "$T/domu.cfg"
        cr "$a" --validate --option xmfile="$T/domu.cfg"
        is "crm_resource --validate accepts $a" "$RC" 0
        cr "$a" --validate --option xmfile="$T/domu.cfg" --option shutdown_timeout=soon
        is "crm_resource --validate: $a shutdown_timeout=soon is OCF_ERR_CONFIGURED" "$RC" 6
        continue ;;
    nfsnotify)
        # notifying needs statd and clients: tests/vm/nfs-stack.sh
        cr "$a" --validate --option source_host=10.0.0.5
        is "crm_resource --validate accepts $a source_host=10.0.0.5" "$RC" 0
        cr "$a" --validate --option 'source_host=10.0.0.5;id'
        is "crm_resource --validate: $a source_host='10.0.0.5;id' is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option source_host=10.0.0.5
        is "$a --force-check, never started here: not running (7)" "$RC" 7
        continue ;;
    exportfs)
        # exporting needs nfsd: tests/vm/nfs.sh
        cr "$a" --validate --option clientspec=10.0.0.0/24 --option directory=/ --option fsid=1
        is "crm_resource --validate accepts $a" "$RC" 0
        cr "$a" --validate --option clientspec=10.0.0.0/24 --option directory=/ --option fsid=0x10
        is "crm_resource --validate: $a fsid=0x10 is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option clientspec=10.0.0.0/24 --option directory=/srv/none --option fsid=1
        is "$a --force-check of a directory etab does not have: not running (7)" "$RC" 7
        continue ;;
    LVM*)
        # activating needs device-mapper: tests/vm/lvm.sh
        o=vgname; [ "$a" = LVM ] && o=volgrpname
        cr "$a" --validate --option $o=vg0 --option vg_access_mode=system_id
        is "crm_resource --validate accepts $a $o=vg0" "$RC" 0
        cr "$a" --validate --option $o=vg/0 --option vg_access_mode=system_id
        is "crm_resource --validate: $a $o=vg/0 is OCF_ERR_CONFIGURED" "$RC" 6
        cr "$a" --force-check --option $o=vg0 --option vg_access_mode=system_id
        is "$a --force-check of a VG with no device-mapper device: not running (7)" "$RC" 7
        continue ;;
    esac
    cr "$a" --validate
    is "crm_resource --validate accepts $a" "$RC" 0
    cr "$a" --validate --option state=relative
    ok "crm_resource --validate rejects a relative state path for $a (rc $RC)" test "$RC" -ne 0
    ok "... and shows our reason" grep -q "must be an absolute path" "$OUT" "$ERR"
    cr "$a" --force-check --option state="$T/$a.state"
    is "$a --force-check when stopped is not running (7)" "$RC" 7
    cr "$a" --force-start --option state="$T/$a.state"
    is "$a --force-start" "$RC" 0
    cr "$a" --force-check --option state="$T/$a.state"
    is "$a --force-check when started" "$RC" 0
    cr "$a" --force-stop --option state="$T/$a.state"
    is "$a --force-stop" "$RC" 0
    ok "$a state file is gone" test ! -e "$T/$a.state"
done
cr Dummy --validate --option op_sleep=soon
is "crm_resource --validate: a bad duration is OCF_ERR_CONFIGURED" "$RC" 6
cr Dummy --force-start --option op_sleep=10s --timeout 1s --option state="$T/x.state"
ok "an op_sleep beyond crm_resource's --timeout fails, not hangs (rc $RC)" test "$RC" -ne 0
rc crm_resource --show-metadata ocf:rampart:Stateful
is "crm_resource --show-metadata ocf:rampart:Stateful" "$RC" 0
ok "... is the OCF 1.1 form (Pacemaker speaks 1.1)" grep -q '<version>1.1</version>' "$OUT"
tap_done
