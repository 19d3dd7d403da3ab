#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real Pacemaker 2.1 / corosync 3 cluster on one machine, for the cluster
# tests, the failover benchmark and the demonstration.
#
# Each node is a network namespace <name><i> (eth0 = <net>.<i>/24, cabled to a
# bridge in namespace <name>net) plus its own mount, UTS and PID namespaces,
# whose PID 1 is node-init.sh: private /etc/corosync, /var/lib/pacemaker,
# /run, ... and read-only overlays that show Rampart's agents where
# Pacemaker looks (/usr/lib/ocf/resource.d/rampart, /usr/sbin/fence_ipmilan).
# Nothing is installed on the host.  Node i has a BMC: ipmi_sim on
# <net>.254:16240+i in the bridge namespace, its chassis power wired to the
# node (chassis.sh): power off kills the node's PID namespace, power on boots
# it again after a simulated POST.
#
# Every file lives under CL_BASE; every address inside the namespaces.
#   cl.sh init BASE NAME NETBYTE N FLAVOUR   write BASE/conf (FLAVOUR: rampart|anchor)
#   cl.sh up [--stonith]                     network, BMCs, seeded CIB, nodes; wait until online
#   cl.sh down                               stop everything, remove the namespaces and loop device
#   cl.sh x I CMD...                         run CMD inside node I
#   cl.sh poweroff I | boot I                what the BMC does
#   cl.sh leftovers                          print what "down" left behind (nothing, normally)
# (all but init read CL_BASE from the environment).  Sourced, it defines the
# same as functions cl_<command>, plus helpers the scenarios share.
CL_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CL_SIM=$CL_HERE/../sim/ipmi
CL_BMC_PORT=16240
CL_BOOT_DELAY=${CL_BOOT_DELAY:-5} # simulated POST; a node that rejoins before
# the fencer has confirmed its reboot is told "we were allegedly just fenced"
CL_BMC_USER=admin
CL_BMC_PASS=clusterpw

cl_now() { date +%s.%N; }
cl_since() { awk -v a="$1" -v b="$(cl_now)" 'BEGIN { printf "%.2f", b - a }'; }
cl_log() { echo "$(cl_now) $*" >> "$CL_BASE/events"; }
cl_conf() {
    [ -n "${CL_BASE:-}" ] && [ -f "$CL_BASE/conf" ] || { echo "cl.sh: CL_BASE/conf missing" >&2; return 1; }
    . "$CL_BASE/conf"
}
cl_node() { echo "node$1"; }
cl_ip() { echo "$CL_NET.$1"; }
cl_init_pid() { cat "$CL_BASE/node$1/init.pid" 2>/dev/null; }
cl_alive() { local p; p=$(cl_init_pid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# cl_wait LIMIT_S CMD...: poll every 50 ms until CMD succeeds
cl_wait() {
    local lim=$1 t0; shift; t0=$(cl_now)
    while :; do
        "$@" && return 0
        [ "$(awk -v a="$t0" -v b="$(cl_now)" -v l="$lim" 'BEGIN { print (b - a < l) }')" = 1 ] || return 1
        sleep 0.05
    done
}

cl_init() { # BASE NAME NETBYTE N FLAVOUR
    local base=$1 name=$2 netbyte=$3 n=$4 flavour=$5 build=${top_builddir:?}
    mkdir -p "$base" || return 1
    CL_BASE=$(cd "$base" && pwd)
    chmod 0755 "$CL_BASE" # Pacemaker's daemons run as hacluster and log under it
    cat > "$CL_BASE/conf" <<EOF
CL_BASE=$CL_BASE
CL_NAME=$name
CL_NET=10.204.$netbyte
CL_N=$n
CL_FLAVOUR=$flavour
CL_BUILD=$(cd "$build" && pwd)
EOF
    . "$CL_BASE/conf"
    # the overlays: Rampart's resource agents always (provider "rampart" is
    # new), its fence agent only when it is the one under test
    mkdir -p "$CL_BASE/ocf-extra/rampart" "$CL_BASE/sbin-extra"
    local a
    for a in Dummy Stateful IPaddr2 IPaddr Filesystem; do
        cp -L "$CL_BUILD/agents/$a" "$CL_BASE/ocf-extra/rampart/$a" || return 1
    done
    for a in mysql mariadb; do # built where libmariadb is
        [ ! -e "$CL_BUILD/agents/$a" ] || cp -L "$CL_BUILD/agents/$a" "$CL_BASE/ocf-extra/rampart/$a" || return 1
    done
    if [ "$flavour" = rampart ]; then
        cp -L "$CL_BUILD/fence/fence_ipmilan" "$CL_BASE/sbin-extra/" || return 1
    fi
    : > "$CL_BASE/events"
}

cl_corosync_conf() { # I
    local i
    printf 'totem {\n  version: 2\n  cluster_name: %s\n  transport: knet\n' "$CL_NAME"
    printf '  crypto_cipher: none\n  crypto_hash: none\n  token: 3000\n}\nnodelist {\n'
    for i in $(seq 1 "$CL_N"); do
        printf '  node {\n    ring0_addr: %s\n    name: %s\n    nodeid: %d\n  }\n' "$(cl_ip "$i")" "$(cl_node "$i")" "$i"
    done
    printf '}\nquorum {\n  provider: corosync_votequorum\n'
    [ "$CL_N" = 2 ] && printf '  two_node: 1\n'
    printf '}\nlogging {\n  to_stderr: no\n  to_syslog: no\n  to_logfile: yes\n'
    printf '  logfile: %s/node%s/log/corosync.log\n  timestamp: hires\n}\n' "$CL_BASE" "$1"
    # state_dir is the node's private /var/lib/corosync; no realtime priority
    # on a small machine
    printf 'system {\n  state_dir: /var/lib/corosync\n  sched_rr: no\n  allow_knet_handle_fallback: yes\n}\n'
}

# The CIB every node starts from: dc-deadtime 2 s instead of 20 s, so that
# the cluster is up in ~5 s, and, with --stonith, one fence_ipmilan device
# per node, never run on the node it fences.
cl_seed() { # STONITH(true|false)
    local out=$CL_BASE/seed.xml i
    cibadmin --empty > "$out" || return 1
    (
        export CIB_file=$out
        crm_attribute -t crm_config -n stonith-enabled -v "$1" &&
        crm_attribute -t crm_config -n dc-deadtime -v 2s &&
        crm_attribute -t crm_config -n cluster-recheck-interval -v 1min &&
        cibadmin --modify -o rsc_defaults --xml-text '<rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-stickiness" name="resource-stickiness" value="100"/></meta_attributes></rsc_defaults>' || exit 1
        [ "$1" = true ] || exit 0
        for i in $(seq 1 "$CL_N"); do
            cibadmin --create -o resources --xml-text "$(cl_fence_xml "$i")" &&
            cibadmin --create -o constraints --xml-text \
                "<rsc_location id=\"l-fence-$i\" rsc=\"fence-node$i\" node=\"node$i\" score=\"-INFINITY\"/>" || exit 1
        done
    ) >/dev/null
}

cl_nvpairs() { # ID name=value...: <instance_attributes> for a primitive
    local id=$1 kv; shift
    printf '<instance_attributes id="%s-ia">' "$id"
    for kv in "$@"; do
        printf '<nvpair id="%s-%s" name="%s" value="%s"/>' "$id" "${kv%%=*}" "${kv%%=*}" "${kv#*=}"
    done
    printf '</instance_attributes>'
}

cl_fence_xml() { # I: the same device for both flavours (same waits, same BMC)
    local id=fence-node$1
    printf '<primitive id="%s" class="stonith" type="fence_ipmilan">' "$id"
    cl_nvpairs "$id" ip="$CL_NET.254" ipport=$((CL_BMC_PORT + $1)) username=$CL_BMC_USER \
        password=$CL_BMC_PASS lanplus=1 cipher=3 power_wait=2 pcmk_host_list="node$1"
    printf '<operations><op id="%s-mon" name="monitor" interval="60s" timeout="20s"/></operations></primitive>' "$id"
}

cl_net_up() {
    local i ns
    ip netns add "${CL_NAME}net" || return 1
    ip -n "${CL_NAME}net" link set lo up
    ip -n "${CL_NAME}net" link add br0 type bridge
    ip -n "${CL_NAME}net" addr add "$CL_NET.254/24" dev br0
    ip -n "${CL_NAME}net" link set br0 up
    for i in $(seq 1 "$CL_N"); do
        ns=$CL_NAME$i
        ip netns add "$ns" || return 1
        ip -n "$ns" link set lo up
        ip -n "$ns" link add eth0 type veth peer name "vn$i" netns "${CL_NAME}net"
        ip -n "${CL_NAME}net" link set "vn$i" master br0 up
        cl_reset_nic "$i"
    done
}

# A power cycle loses what the NIC held.  The network namespace outlives the
# node's processes, so addresses added at run time (IPaddr2's) go here.
cl_reset_nic() {
    ip -n "$CL_NAME$1" addr flush dev eth0 2>/dev/null
    ip -n "$CL_NAME$1" addr add "$(cl_ip "$1")/24" dev eth0
    ip -n "$CL_NAME$1" link set eth0 up
}

cl_bmc_start() { # I
    local s=$CL_BASE/bmc$1
    IPMISIM_ADDR=$CL_NET.254 IPMISIM_NAME=bmc$1 IPMISIM_CHASSIS=$CL_HERE/chassis.sh \
        setsid ip netns exec "${CL_NAME}net" \
        "$CL_SIM/ipmisim.sh" start "$s" $((CL_BMC_PORT + $1)) "$CL_BMC_USER" "$CL_BMC_PASS" > /dev/null
}

cl_boot() { # I: start node I (what the BMC does on power on)
    cl_conf || return 1
    local i=$1 d=$CL_BASE/node$1 upid ipid
    cl_alive "$i" && return 0
    [ -e "$CL_BASE/down" ] && return 1 # a boot the BMC scheduled before cl_down
    mkdir -p "$d"/{etc-corosync,lib-corosync,log,log-pacemaker} "$d"/lib-pacemaker/{cib,pengine,blackbox,cores} &&
    chown -R hacluster:haclient "$d/lib-pacemaker" "$d/log-pacemaker" "$d/log" &&
    chmod 0775 "$d/log" || return 1
    cl_corosync_conf "$i" > "$d/etc-corosync/corosync.conf"
    [ -e "$d/lib-pacemaker/cib/cib.xml" ] ||
        install -o hacluster -g haclient -m 0600 "$CL_BASE/seed.xml" "$d/lib-pacemaker/cib/cib.xml"
    rm -f "$d/stopping"
    setsid nsenter --net="/run/netns/$CL_NAME$i" \
        unshare --mount --uts --pid --fork --mount-proc --propagation private --kill-child=SIGKILL \
        "$CL_HERE/node-init.sh" "$CL_BASE" "$i" < /dev/null >> "$d/log/init.out" 2>&1 &
    upid=$!
    for _ in $(seq 1 100); do
        ipid=$(pgrep -P "$upid" | head -1)
        [ -n "$ipid" ] && break
        sleep 0.02
    done
    [ -n "$ipid" ] || return 1
    echo "$ipid" > "$d/init.pid"
    cl_log "node$i booted (init pid $ipid)"
}

cl_poweroff() { # I: every process of the node dies at once, as at power loss
    cl_conf || return 1
    local i=$1 p
    p=$(cl_init_pid "$i")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        cl_log "node$i powered off (init pid $p was alive)"
        kill -KILL "$p"
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.02; done
    else
        cl_log "node$i powered off (it was already dead)"
    fi
    cl_reset_nic "$i"
}

cl_x() { # I CMD...: run inside node I (its network, mounts, hostname and PIDs)
    local p
    p=$(cl_init_pid "$1") || return 1
    shift
    nsenter -t "$p" --net --mount --uts --pid --wd=/ -- "$@"
}

cl_online() { # I: does node I see every node online?
    local want i
    want=$(for i in $(seq 1 "$CL_N"); do printf 'node%s ' "$i"; done)
    cl_x "$1" timeout 10 crm_mon -1 2>/dev/null | grep -q "Online: \[ ${want}\]"
}

cl_up() { # [--stonith]
    cl_conf || return 1
    local stonith=false i t0
    [ "${1:-}" = --stonith ] && stonith=true
    rm -f "$CL_BASE/down"
    cl_net_up || return 1
    for i in $(seq 1 "$CL_N"); do cl_bmc_start "$i" || return 1; done
    cl_seed "$stonith" || return 1
    t0=$(cl_now)
    for i in $(seq 1 "$CL_N"); do cl_boot "$i" || return 1; done
    if cl_wait 120 cl_online 1; then
        cl_log "cluster of $CL_N up after $(cl_since "$t0") s"
        return 0
    fi
    echo "cl.sh: the cluster did not come up; logs in $CL_BASE/node*/log" >&2
    return 1
}

cl_stop_node() { # I: orderly shutdown (resources stopped), bounded
    local i=$1
    cl_alive "$i" || return 0
    touch "$CL_BASE/node$i/stopping"
    cl_x "$i" timeout 60 pacemakerd --shutdown > /dev/null 2>&1
    # pacemakerd holds its corosync connection a moment after -S returns
    for _ in $(seq 1 100); do cl_x "$i" pgrep -x pacemakerd > /dev/null || break; sleep 0.1; done
    for _ in 1 2 3 4 5; do cl_x "$i" timeout 10 corosync-cfgtool -H > /dev/null 2>&1 && break; sleep 0.5; done
    cl_wait 30 eval '! cl_alive '"$i" || cl_poweroff "$i"
}

cl_down() {
    cl_conf || return 1
    local i p
    # no node boots after this: not one the BMC has scheduled, not one a
    # fence agent still running asks for
    touch "$CL_BASE/down"
    for i in $(seq 1 "$CL_N"); do
        ip netns exec "${CL_NAME}net" "$CL_SIM/ipmisim.sh" stop "$CL_BASE/bmc$i" 2>/dev/null
        p=$(cat "$CL_BASE/node$i/boot.pid" 2>/dev/null) && kill "$p" 2>/dev/null
        rm -f "$CL_BASE/node$i/boot.pid"
    done
    # in parallel; wait for these jobs only: the nodes cl_boot started are
    # this shell's children too, and another cluster's may still run
    local stops=()
    for i in $(seq 1 "$CL_N"); do
        cl_stop_node "$i" &
        stops+=($!)
    done
    wait "${stops[@]}"
    for i in $(seq 1 "$CL_N"); do ip netns del "$CL_NAME$i" 2>/dev/null; done
    ip netns del "${CL_NAME}net" 2>/dev/null
    [ -f "$CL_BASE/disk.img" ] && losetup -j "$CL_BASE/disk.img" -O NAME -n | while read -r p; do
        losetup -d "$p"
    done
    return 0
}

cl_leftovers() { # what is left outside CL_BASE: namespaces, processes, mounts, loop devices
    cl_conf || return 1
    local p
    ip netns list | awk '{ print $1 }' | grep -E "^${CL_NAME}(net|[0-9]+)\$" | sed 's/^/netns /'
    for p in /proc/[0-9]*; do
        tr '\0' ' ' 2>/dev/null < "$p/cmdline" | grep -qF "$CL_BASE" && echo "process ${p#/proc/}"
    done
    grep -F " $CL_BASE" /proc/self/mountinfo | awk '{ print "mount " $5 }'
    [ -f "$CL_BASE/disk.img" ] && losetup -j "$CL_BASE/disk.img" -O NAME -n | sed 's/^/loop /'
    return 0
}

# ---------------------------------------------------------------- scenarios
# cl_test NAME NETBYTE [TOOL...]: the start of a cluster test (after tap.sh):
# skip where no cluster can run, then a fresh two-node cluster directory,
# torn down and removed at exit (kept, for a look, with CL_KEEP=1)
cl_test() {
    local name=$1 net=$2 t
    shift 2
    [ "$(id -u)" = 0 ] || skip_all "namespaces and mounts need root"
    for t in corosync pacemakerd ipmi_sim "$@"; do
        command -v "$t" > /dev/null || skip_all "$t not installed"
    done
    [ -z "${RAMPART_NO_CLUSTER:-}" ] || skip_all "RAMPART_NO_CLUSTER is set"
    heavy_lock
    CL_TMP=$(mktemp -d "/tmp/rampart-$name.XXXXXX")
    cl_init "$CL_TMP" "rp${name:0:1}" "$net" 2 rampart || { echo "Bail out! cl_init"; exit 1; }
    trap 'cl_down > /dev/null 2>&1; [ -n "${CL_KEEP:-}" ] || rm -rf "$CL_TMP"; tap_cleanup' EXIT
}

# cl_disk: an ext4 filesystem on a loop device both nodes see (one kernel,
# so one block device) and the directory it is mounted on.
cl_disk() {
    truncate -s 64M "$CL_BASE/disk.img" &&
    CL_LOOP=$(losetup --find --show "$CL_BASE/disk.img") &&
    mkfs.ext4 -q -F -L clusterdata "$CL_LOOP" &&
    mkdir -p "$CL_BASE/data" &&
    echo "CL_LOOP=$CL_LOOP" >> "$CL_BASE/conf"
}

# cl_group_xml: the service the scenarios move around: an address, the
# filesystem on the shared disk (checked at depths 0, 10 and 20) and an
# application, in this order.  Provider rampart or the anchors' heartbeat.
CL_VIP_HOST=100
cl_group_xml() {
    local prov=heartbeat
    [ "$CL_FLAVOUR" = rampart ] && prov=rampart
    printf '<group id="svc">'
    printf '<primitive id="vip" class="ocf" provider="%s" type="IPaddr2">' "$prov"
    cl_nvpairs vip ip="$CL_NET.$CL_VIP_HOST" cidr_netmask=24 nic=eth0
    printf '<operations><op id="vip-mon" name="monitor" interval="2s" timeout="20s"/></operations></primitive>'
    printf '<primitive id="fs" class="ocf" provider="%s" type="Filesystem">' "$prov"
    cl_nvpairs fs device="$CL_LOOP" directory="$CL_BASE/data" fstype=ext4 ${CL_FS_EXTRA:-}
    printf '<operations>'
    printf '<op id="fs-start" name="start" interval="0" timeout="60s"/>'
    printf '<op id="fs-stop" name="stop" interval="0" timeout="%s"/>' "${CL_FS_STOP_TIMEOUT:-60s}"
    printf '<op id="fs-mon" name="monitor" interval="2s" timeout="20s"/>'
    printf '<op id="fs-mon10" name="monitor" interval="3s" timeout="20s"><instance_attributes id="fs-mon10-ia"><nvpair id="fs-mon10-lvl" name="OCF_CHECK_LEVEL" value="10"/></instance_attributes></op>'
    printf '<op id="fs-mon20" name="monitor" interval="5s" timeout="20s"><instance_attributes id="fs-mon20-ia"><nvpair id="fs-mon20-lvl" name="OCF_CHECK_LEVEL" value="20"/></instance_attributes></op>'
    printf '</operations></primitive>'
    printf '<primitive id="app" class="ocf" provider="%s" type="Dummy">' "$prov"
    printf '<operations><op id="app-mon" name="monitor" interval="2s" timeout="20s"/></operations></primitive>'
    printf '</group>'
}

cl_vip() { echo "$CL_NET.$CL_VIP_HOST"; }
cl_has_vip() { ip -n "$CL_NAME$1" -br addr show dev eth0 2>/dev/null | grep -qw "$(cl_vip)"; }
cl_vip_answers() { ip netns exec "${CL_NAME}net" ping -n -c1 -W0.3 "$(cl_vip)" > /dev/null 2>&1; }
cl_has_fs() { # I: is the shared disk mounted in node I's mount namespace?
    local p
    p=$(cl_init_pid "$1") && grep -qF " $CL_BASE/data " "/proc/$p/mountinfo" 2>/dev/null
}
cl_holder() { # which node holds the address (0: none)
    local i
    for i in $(seq 1 "$CL_N"); do cl_has_vip "$i" && { echo "$i"; return; }; done
    echo 0
}
# where the cluster says a resource runs: node numbers, one per line
cl_where() { # I RSC
    cl_x "$1" timeout 10 crm_resource --locate -r "$2" 2>/dev/null | sed -n 's/.*running on: node\([0-9]*\).*/\1/p'
}
cl_svc_on() { # I: the whole group runs on node I and answers
    [ "$(cl_where "$1" app)" = "$1" ] && cl_has_vip "$1" && cl_has_fs "$1" && cl_vip_answers
}

# cl_settled: every node online, the service running and, with fencing on,
# every fence device started: a fault injected now meets a cluster at rest
cl_settled() {
    local h m
    h=$(cl_holder)
    [ "$h" != 0 ] && cl_online "$h" && cl_svc_on "$h" || return 1
    m=$(cl_x "$h" timeout 10 crm_mon -1 2>/dev/null) || return 1
    ! grep -q 'stonith:' <<< "$m" ||
        [ "$(grep -c '(stonith:[a-z_]*):.*Started' <<< "$m")" = "$CL_N" ]
}

# cl_log_time FILE REGEX [AFTER]: epoch of the first line of a Pacemaker or
# corosync log (both "Mon DD HH:MM:SS.mmm ...") matching REGEX, at or after AFTER
cl_log_time() {
    local line
    line=$(grep -E "$2" "$1" 2>/dev/null | while read -r mon day hms _; do
        t=$(date -d "$mon $day $hms" +%s.%N 2>/dev/null) || continue
        awk -v t="$t" -v a="${3:-0}" 'BEGIN { exit !(t >= a - 0.001) }' && { echo "$t"; break; }
    done)
    echo "${line:-}"
}

# cl_failover KIND: break the node that holds the service and follow the
# failover to the end.  KIND: crash (every process of the node killed at
# once; the address and the mount it held stay until it is fenced) or cut
# (its cable pulled; it keeps running, cut off).  Writes the timeline to
# $CL_BASE/timeline (name epoch, one per line; t0 = fault) and returns 0 when
# the service answers on the survivor, the BMC powered the node off and the
# fenced node is online again.
cl_failover() {
    local kind=$1 h o t0 tl=$CL_BASE/timeline e r
    cl_wait 60 cl_settled || { echo "cl_failover: the cluster is not at rest" >&2; return 1; }
    h=$(cl_holder)
    [ "$h" != 0 ] || { echo "cl_failover: nobody holds the service" >&2; return 1; }
    o=1; [ "$h" = 1 ] && o=2
    echo "$h" > "$CL_BASE/failed-node"
    : > "$CL_BASE/bmc$h/chassis.log"
    t0=$(cl_now)
    case $kind in
    crash) cl_x "$h" kill -KILL -1 ;; # every process but init: the kernel is all that is left
    cut) ip -n "${CL_NAME}net" link set "vn$h" down ;;
    esac
    {
        echo "fault $t0"
        cl_wait 90 cl_svc_on "$o" && echo "service $(cl_now)"
    } > "$tl"
    [ "$kind" = cut ] && ip -n "${CL_NAME}net" link set "vn$h" up
    cl_wait 120 cl_online "$o" && echo "rejoined $(cl_now)" >> "$tl"
    local plog=$CL_BASE/node$o/log/pacemaker.log clog=$CL_BASE/node$o/log/corosync.log
    {
        e=$(cl_log_time "$clog" 'A processor failed' "$t0") && [ -n "$e" ] && echo "detected $e"
        e=$(cl_log_time "$clog" 'Members\[1\]' "$t0") && [ -n "$e" ] && echo "membership $e"
        e=$(cl_log_time "$plog" "Requesting fencing \([a-z]*\) targeting node node$h|Client .* wants to fence \([a-z]*\) node$h" "$t0") &&
            [ -n "$e" ] && echo "fence-request $e"
        awk '$2 == "set" && $3 == "power" && $4 == "0" { print "bmc-off " $1; exit }' "$CL_BASE/bmc$h/chassis.log"
        awk '$2 == "set" && $3 == "power" && $4 == "0" { off = 1; next }
             off && $2 == "read" && $3 == "power=0" { print "off-confirmed " $1; exit }' "$CL_BASE/bmc$h/chassis.log"
        e=$(cl_log_time "$plog" "Operation '?(reboot|off)'? .*targeting node$h .*(OK|successful)|node$h was terminated|Peer node$h was terminated" "$t0") &&
            [ -n "$e" ] && echo "fenced $e"
        for r in vip fs app; do
            e=$(cl_log_time "$plog" "Result of start operation for $r on node$o: ok| $r start \(call [0-9]+, PID [0-9]+\) exited with status 0" "$t0") &&
                [ -n "$e" ] && echo "started-$r $e"
        done
    } >> "$tl"
    grep -q '^service ' "$tl" && grep -q '^bmc-off ' "$tl" && grep -q '^rejoined ' "$tl"
}

# cl_events: the timeline's events in order, with what each one means
cl_events() {
    cat << 'EOF'
detected	the survivor notices its peer is silent (corosync token lost)
membership	membership re-formed without the failed node
fence-request	Pacemaker asks for the failed node to be fenced
bmc-off	the fence agent tells the node's BMC: power off
off-confirmed	the fence agent reads the power state back: off
fenced	fencing reported done: the failed node cannot touch the data
started-vip	survivor: IP address started
started-fs	survivor: filesystem mounted
started-app	survivor: application started
service	the service answers on the survivor (ping, mount, app)
rejoined	the fenced node has rebooted and rejoined the cluster
EOF
}

# cl_timeline: the timeline, seconds after the fault, in a form a newcomer reads
cl_timeline() {
    awk -F'\t' 'NR == FNR { k[++n] = $1; d[$1] = $2; next }
        { split($0, f, " "); t[f[1]] = f[2] }
        END {
            printf "  %8s  %s\n", "+0.00 s", "fault injected"
            for (i = 1; i <= n; i++)
                if (k[i] in t) printf "  %8s  %s\n", sprintf("+%.2f s", t[k[i]] - t["fault"]), d[k[i]]
        }' <(cl_events) "$CL_BASE/timeline"
}
# cl_event NAME: seconds from the fault to one timeline event (empty if absent)
cl_event() { awk -v k="$1" '{ t[$1] = $2 } END { if (k in t) printf "%.2f", t[k] - t["fault"] }' "$CL_BASE/timeline"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    cmd=${1:-}
    shift
    case $cmd in
    init) cl_init "$@" ;;
    up | down | boot | poweroff | leftovers) "cl_$cmd" "$@" ;;
    x) cl_conf && cl_x "$@" ;;
    *) echo "usage: cl.sh init|up|down|x|boot|poweroff|leftovers ..." >&2; exit 2 ;;
    esac
fi
