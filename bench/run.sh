#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Side-by-side benchmarks: each Rampart agent against the agent users run
# today, on the same input, alternating, many rounds; medians in ms and the
# ratio.  The first row is the floor: exec of a no-op dynamically linked C
# program.  Usage: bench/run.sh [ROUNDS] [BUILD_DIR]; BENCH="mysql ipaddr2" runs only
# those sections (dummy ipaddr2 filesystem apc mysql apache virtualdomain ssh ipmilan; default: all).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-300}
b=${2:-$top/_build/bench}
bash "$top/tests/deps.sh" bench
. "$top/bench/lib.sh"
bench_build "$b"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cc -O2 -o "$T/noop" "$top/bench/noop.c"
cc -O2 -o "$T/abrun" "$top/bench/abrun.c"
PCMK=/usr/lib/ocf/resource.d/pacemaker

export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench HA_RSCTMP=$T/rsc
export OCF_RESKEY_CRM_meta_timeout=20000 OCF_RESKEY_CRM_meta_interval=10000
export OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
mkdir -p "$T/rsc"
ab_wrap=()
sections=${BENCH:-dummy ipaddr2 filesystem apc mysql apache virtualdomain ssh ipmilan}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

# ab ROUNDS LABEL -- NAME CMD... -- NAME CMD...: the floor and the groups,
# alternating, then one row.  A caller may set a local ab_wrap=(CMD...) to
# run the runner itself under CMD (a namespace, an environment).
ab() {
    local n=$1 label=$2; shift 2
    "${ab_wrap[@]}" "$T/abrun" "$n" -- floor "$T/noop" "$@" > "$T/out"
    print_row "$label"
}
row() { # row LABEL ANCHOR-CMD -- RAMPART-CMD (env already set)
    local label=$1; shift
    ab "$rounds" "$label" -- anchor "$@"
}

printf "rounds: %s (alternating floor, anchor, rampart; medians in ms)\n" "$rounds"
printf "%-44s %8s %8s %8s %9s %9s\n" "operation" "floor" "anchor" "rampart" "speedup" "vs floor"

# Dummy monitor of a running resource: both read a state file that exists
if want dummy; then
export OCF_RESKEY_state=$T/rsc/dummy.state
: > "$OCF_RESKEY_state"
row "Dummy monitor (running)" "$PCMK/Dummy" monitor -- rampart "$b/agents/Dummy" monitor
rm -f "$OCF_RESKEY_state"
row "Dummy monitor (stopped: exit 7 is right)" "$PCMK/Dummy" monitor -- rampart "$b/agents/Dummy" monitor
row "Dummy meta-data" "$PCMK/Dummy" meta-data -- rampart "$b/agents/Dummy" meta-data
row "Dummy validate-all" "$PCMK/Dummy" validate-all -- rampart "$b/agents/Dummy" validate-all
export OCF_RESKEY_state=$T/rsc/stateful.state
echo Unpromoted > "$OCF_RESKEY_state"
row "Stateful monitor (unpromoted)" "$PCMK/Stateful" monitor -- rampart "$b/agents/Stateful" monitor
row "Stateful meta-data" "$PCMK/Stateful" meta-data -- rampart "$b/agents/Stateful" meta-data
fi

# ---------------------------------------------------------------- IPaddr2
# In a network namespace of our own; the anchor runs there too.
. "$top/tests/lib/netns.sh"
if ! want ipaddr2; then
    :
elif [ "$(id -u)" != 0 ] || [ ! -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] ||
    ! netns_up bench$$ >/dev/null 2>&1; then
    echo "IPaddr2 rows need root, resource-agents and network namespaces: skipped"
else
trap 'netns_down; rm -rf "$T"' EXIT
HB=/usr/lib/ocf/resource.d/heartbeat/IPaddr2
RP=$b/agents/IPaddr2
unset OCF_RESKEY_state
nsrow() { # nsrow LABEL -- CMD... -- CMD... (abrun groups, run inside $NS_A)
    local ab_wrap=(ip netns exec "$NS_A")
    ab "$rounds" "$@"
}
pair() { # pair LABEL ACTION: both agents on the same address, from abrun's environment
    local label=$1 action=$2
    nsrow "$label" -- anchor "$HB" "$action" -- rampart "$RP" "$action"
}
cycle() { # cycle LABEL: start then stop, the anchor's pair, then ours, on the same address
    local label=$1
    ip netns exec "$NS_A" "$T/abrun" "$rounds" -- floor "$T/noop" \
        -- anchor "$HB" start -- anchor-stop "$HB" stop \
        -- rampart "$RP" start -- rampart-stop "$RP" stop > "$T/out"
    print_row "$label start"
    print_row "$label stop" stop
}
table_head "IPaddr2 in a network namespace (anchor: ocf:heartbeat:IPaddr2)"
export OCF_RESKEY_ip=10.203.0.201
pair "IPaddr2 meta-data" meta-data
OCF_RESKEY_arp_count=1 cycle "IPaddr2 v4, arp_count=1:"
cycle "IPaddr2 v4, 5 announcements 200ms apart:"
ip netns exec "$NS_A" "$RP" start >/dev/null 2>&1
pair "IPaddr2 monitor (running)" monitor
for n in 1 1000 10000; do
    have=$(ip -n "$NS_A" -o addr show dev "$IF_A" | grep -c 'inet 10\.210\.' || true)
    ip -n "$NS_A" -batch <(seq "$have" $((n - 1)) | awk -v dev="$IF_A" \
        '{ printf "addr add 10.210.%d.%d/32 dev %s\n", int($1 / 250), $1 % 250 + 1, dev }')
    pair "IPaddr2 monitor, $n other addresses" monitor
done
unset OCF_RESKEY_ip
netns_down
fi

# ---------------------------------------------------------------- Filesystem
# Both agents on the same ext4 image on a loop device.
FSB=$b/agents/Filesystem
HFS=/usr/lib/ocf/resource.d/heartbeat/Filesystem
if ! want filesystem; then
    :
elif [ "$(id -u)" = 0 ] && [ -x "$FSB" ] && [ -x "$HFS" ]; then
    set +e # a failed stop here is a result to print, not a reason to give up
    truncate -s 200M "$T/fs.img" && mkfs.ext4 -q -F "$T/fs.img"
    FSLOOP=$(losetup -f --show "$T/fs.img")
    cc -O2 -o "$T/holder" "$top/tests/tools/holder.c"
    export OCF_RESKEY_device=$FSLOOP OCF_RESKEY_directory=$T/fsmnt OCF_RESKEY_fstype=ext4
    export OCF_RESOURCE_INSTANCE=benchfs
    fsrow() { # fsrow LABEL ACTION [ENV...]
        local label=$1 action=$2; shift 2
        local ab_wrap=(env "$@")
        ab "$rounds" "$label" -- anchor "$HFS" "$action" -- rampart "$FSB" "$action"
    }
    table_head "Filesystem on a loop device (anchor: ocf:heartbeat:Filesystem)"
    fsrow "Filesystem meta-data" meta-data
    "$FSB" start >/dev/null 2>&1
    fsrow "Filesystem monitor depth 0" monitor
    fsrow "Filesystem monitor depth 10" monitor OCF_CHECK_LEVEL=10
    fsrow "Filesystem monitor depth 20" monitor OCF_CHECK_LEVEL=20
    "$FSB" stop >/dev/null 2>&1
    "$T/abrun" "$rounds" -- floor "$T/noop" -- anchor "$HFS" start -- anchor-stop "$HFS" stop \
        -- rampart "$FSB" start -- rampart-stop "$FSB" stop > "$T/out"
    awk -F'\t' '{ med[$1] = $2 / 1000; fail[$1] = $5 }
        END {
            printf "%-44s %8.2f %8.2f %8.2f %8.1fx %8.2fx\n", "Filesystem start", med["floor"], med["anchor"],
                   med["rampart"], med["anchor"] / med["rampart"], med["rampart"] / med["floor"]
            printf "%-44s %8.2f %8.2f %8.2f %8.1fx %8.2fx\n", "Filesystem stop (idle)", med["floor"],
                   med["anchor-stop"], med["rampart-stop"], med["anchor-stop"] / med["rampart-stop"],
                   med["rampart-stop"] / med["floor"]
        }' "$T/out"
    # stop with 10 busy processes (working directory inside), alternating the agents
    busy_stop() { # busy_stop AGENT: ms for one busy stop
        local agent=$1 t0
        "$FSB" start >/dev/null 2>&1
        for _ in $(seq 10); do ("$T/holder" cwd "$T/fsmnt" >/dev/null 2>&1 &); done
        sleep 0.2
        t0=$(date +%s%N)
        "$agent" stop >/dev/null 2>&1
        echo $(( ($(date +%s%N) - t0) / 1000 ))
    }
    : > "$T/busy.a"; : > "$T/busy.r"
    for _ in $(seq 7); do busy_stop "$HFS" >> "$T/busy.a"; busy_stop "$FSB" >> "$T/busy.r"; done
    ma=$(sort -n "$T/busy.a" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] / 1000 }')
    mr=$(sort -n "$T/busy.r" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] / 1000 }')
    awk -v a="$ma" -v r="$mr" 'BEGIN { printf "%-44s %8s %8.2f %8.2f %8.1fx\n", "Filesystem stop, 10 busy processes", "-", a, r, a / r }'
    # where the two agents differ on busy stops
    echo
    echo "busy stop, case by case (anchor vs rampart): result, ms, holder afterwards"
    for c in "cwd inside" "open file inside" "mmap inside" "ignores TERM" "file on the parent fs"; do
        for who in anchor rampart; do
            agent=$HFS; [ "$who" = rampart ] && agent=$FSB
            "$FSB" start >/dev/null 2>&1
            echo x > "$T/fsmnt/f"; : > "$T/parentfile"
            case $c in
                "cwd inside") args=(cwd "$T/fsmnt") ;;
                "open file inside") args=(open "$T/fsmnt/f") ;;
                "mmap inside") args=(mmap "$T/fsmnt/f") ;;
                "ignores TERM") args=(cwd "$T/fsmnt" --ignore-term) ;;
                *) args=(open "$T/parentfile") ;;
            esac
            "$T/holder" "${args[@]}" > "$T/h.out" 2>&1 &
            hp=$!
            sleep 0.2
            t0=$(date +%s%N)
            "$agent" stop >/dev/null 2>&1; src=$?
            ms=$(( ($(date +%s%N) - t0) / 1000000 ))
            if kill -0 "$hp" 2>/dev/null; then state=alive; else state=gone; fi
            printf "  %-24s %-8s rc=%d %6d ms  holder %s\n" "$c" "$who" "$src" "$ms" "$state"
            kill -KILL "$hp" 2>/dev/null; wait "$hp" 2>/dev/null
            "$FSB" stop >/dev/null 2>&1
        done
    done
    unset OCF_RESKEY_device OCF_RESKEY_directory OCF_RESKEY_fstype
    losetup -d "$FSLOOP"
    set -e
else
    echo "Filesystem rows need root, libmount and resource-agents: skipped"
fi

# ---------------------------------------------------------------- fence_apc_snmp
# Both agents against the same snmpd PDU simulator, SNMP v2c, equal waits.
FS=$b/fence/fence_apc_snmp
if ! want apc; then
    :
elif [ -x "$FS" ] && command -v snmpd >/dev/null && [ -x /usr/sbin/fence_apc_snmp ]; then
    set +e
    export PDUSIM_DIR=$T/pdu PDUSIM_PORT=16397 PDUSIM_PY=$(command -v python3)
    bash "$top/tests/sim/pdu/pdusim.sh" start >/dev/null 2>&1
    FSA=/usr/sbin/fence_apc_snmp
    srounds=${SNMP_ROUNDS:-30}
    sargs=(-a 127.0.0.1 -u 16397 -c private -d 2c --power-wait=0 --stonith-status-sleep=1)
    srow() { # srow LABEL ARGS...: the anchor and ours with the same arguments
        local label=$1; shift
        ab "$srounds" "$label" -- anchor "$FSA" "$@" -- rampart "$FS" "$@"
    }
    table_head "fence_apc_snmp against snmpd (anchor: fence-agents' fence_apc_snmp, snmpget/snmpset)"
    srow "fence_apc_snmp status" "${sargs[@]}" -n 3 -o status
    srow "fence_apc_snmp monitor" "${sargs[@]}" -o monitor
    srow "fence_apc_snmp list" "${sargs[@]}" -o list
    srow "fence_apc_snmp metadata" -o metadata
    srow "fence_apc_snmp reboot (power_wait=0)" "${sargs[@]}" -n 3 -o reboot
    bash "$top/tests/sim/pdu/pdusim.sh" stop >/dev/null 2>&1
    unset PDUSIM_DIR PDUSIM_PORT
    set -e
else
    echo "fence_apc_snmp rows need net-snmp, snmpd and fence-agents: skipped"
fi

# ---------------------------------------------------------------- mysql
# Both agents on one private MariaDB server (127.0.0.1:13399, a datadir of its own), as
# Debian's mariadb-server runs it (binary=mariadbd); and the server alone, started and
# stopped by hand, for what start and stop cannot go below.
MYB=$b/agents/mysql
HMY=/usr/lib/ocf/resource.d/heartbeat/mysql
MYD=$(command -v mariadbd || true)
if ! want mysql; then
    :
elif [ "$(id -u)" = 0 ] && [ -x "$MYB" ] && [ -x "$HMY" ] && [ -n "$MYD" ] && getent passwd mysql > /dev/null; then
    set +e
    D=$T/my
    mkdir -p "$D/run" "$D/log" "$D/data"
    printf '[mysqld]\nbind-address=127.0.0.1\nport=13399\ninnodb_buffer_pool_size=16M\ninnodb_log_file_size=8M\nskip-name-resolve\n' > "$D/my.cnf"
    chmod 0755 "$T" && chown -R mysql:mysql "$D/run" "$D/log" "$D/data"
    mariadb-install-db --defaults-file="$D/my.cnf" --user=mysql --datadir="$D/data" --skip-test-db > /dev/null 2>&1
    export OCF_RESOURCE_INSTANCE=benchdb OCF_RESKEY_binary=$MYD OCF_RESKEY_config=$D/my.cnf
    export OCF_RESKEY_datadir=$D/data OCF_RESKEY_pid=$D/run/mysqld.pid OCF_RESKEY_socket=$D/run/mysqld.sock
    export OCF_RESKEY_log=$D/log/error.log
    myrounds=${MYSQL_ROUNDS:-30}
    ssrounds=${MYSQL_START_ROUNDS:-7}
    table_head "mysql on a private MariaDB (anchor: ocf:heartbeat:mysql)"
    ab "$rounds" "mysql meta-data" -- anchor "$HMY" meta-data -- rampart "$MYB" meta-data
    "$MYB" start > /dev/null 2>&1
    mariadb --no-defaults -S "$D/run/mysqld.sock" -u root -e "CREATE DATABASE probe; CREATE TABLE probe.t (i INT);
        INSERT INTO probe.t VALUES (1); CREATE USER ratest@localhost IDENTIFIED BY 'ratestpw';
        GRANT SELECT ON probe.* TO ratest@localhost;"
    ab "$myrounds" "mysql monitor depth 0" -- anchor "$HMY" monitor -- rampart "$MYB" monitor
    ( export OCF_CHECK_LEVEL=10 OCF_RESKEY_test_table=probe.t OCF_RESKEY_test_user=ratest OCF_RESKEY_test_passwd=ratestpw
      ab "$myrounds" "mysql monitor depth 10 (a query as test_user)" -- anchor "$HMY" monitor -- rampart "$MYB" monitor )
    for who in anchor rampart; do
        a=$HMY; [ $who = rampart ] && a=$MYB
        n=$(strace -f -qq -e trace=execve -o "$T/st" "$a" monitor > /dev/null 2>&1; grep -c 'execve(' "$T/st")
        printf "%-44s %s\n" "execs in one mysql monitor, $who" "$((n - 1))"
    done
    "$MYB" stop > /dev/null 2>&1
    "$T/abrun" "$ssrounds" -- floor "$T/noop" -- anchor "$HMY" start -- anchor-stop "$HMY" stop \
        -- rampart "$MYB" start -- rampart-stop "$MYB" stop > "$T/out"
    print_row "mysql start" "" "$T/out"
    print_row "mysql stop" stop "$T/out"
    # the server alone: exec to its socket answering, TERM to its exit
    for _ in $(seq "$ssrounds"); do
        t0=$(date +%s%N)
        setpriv --reuid=mysql --regid=mysql --init-groups "$MYD" --defaults-file="$D/my.cnf" --pid-file="$D/run/mysqld.pid" \
            --socket="$D/run/mysqld.sock" --datadir="$D/data" --log-error="$D/log/error.log" > /dev/null 2>&1 &
        p=$!
        until [ -S "$D/run/mysqld.sock" ] && mariadb --no-defaults -S "$D/run/mysqld.sock" -u root -e 'SELECT 1' > /dev/null 2>&1; do sleep 0.005; done
        t1=$(date +%s%N)
        kill -TERM "$p"; wait "$p"
        t2=$(date +%s%N)
        echo "$(((t1 - t0) / 1000)) $(((t2 - t1) / 1000))"
    done > "$T/alone"
    med() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }'; }
    printf "%-44s %8s %8s %8s   (the server alone, median of %s)\n" "mariadbd: exec to answering" - - \
        "$(cut -d' ' -f1 "$T/alone" | med)" "$ssrounds"
    printf "%-44s %8s %8s %8s   (the server alone)\n" "mariadbd: TERM to exit" - - "$(cut -d' ' -f2 "$T/alone" | med)"
    unset OCF_RESKEY_binary OCF_RESKEY_config OCF_RESKEY_datadir OCF_RESKEY_pid OCF_RESKEY_socket OCF_RESKEY_log
    export OCF_RESOURCE_INSTANCE=bench
    set -e
else
    echo "mysql rows need root, libmariadb, mariadb-server and resource-agents: skipped"
fi

# ---------------------------------------------------------------- apache
# Both agents on one private httpd (Debian's apache2, 127.0.0.1:18099), the status page
# named for both (the anchor does not follow IncludeOptional to find it).
APB=$b/agents/apache
HAP=/usr/lib/ocf/resource.d/heartbeat/apache
if ! want apache; then
    :
elif [ "$(id -u)" = 0 ] && [ -x "$APB" ] && [ -x "$HAP" ] && [ -x /usr/sbin/apache2 ]; then
    set +e
    W=$T/web
    M=/usr/lib/apache2/modules
    mkdir -p "$W/www" "$W/run" "$W/log"
    echo '<html><body>hello</body></html>' > "$W/www/index.html"
    cat > "$W/httpd.conf" << CONF
ServerRoot "$W"
ServerName localhost
Listen 127.0.0.1:18099
PidFile $W/run/httpd.pid
DefaultRuntimeDir $W/run
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule authz_host_module $M/mod_authz_host.so
LoadModule dir_module $M/mod_dir.so
LoadModule status_module $M/mod_status.so
User www-data
Group www-data
ErrorLog $W/log/error.log
DocumentRoot $W/www
DirectoryIndex index.html
<Directory $W/www>
    Require all granted
</Directory>
<Location /server-status>
    SetHandler server-status
    Require local
</Location>
CONF
    chmod -R a+rX "$T"
    export OCF_RESOURCE_INSTANCE=benchweb OCF_RESKEY_httpd=/usr/sbin/apache2 OCF_RESKEY_configfile=$W/httpd.conf
    export OCF_RESKEY_envfiles= OCF_RESKEY_statusurl=http://127.0.0.1:18099/server-status
    arounds=${APACHE_ROUNDS:-30}
    astart=${APACHE_START_ROUNDS:-9}
    table_head "apache on a private httpd (anchor: ocf:heartbeat:apache, with wget)"
    ab "$rounds" "apache meta-data" -- anchor "$HAP" meta-data -- rampart "$APB" meta-data
    "$APB" start > /dev/null 2>&1
    ab "$arounds" "apache monitor depth 0 (server-status)" -- anchor "$HAP" monitor -- rampart "$APB" monitor
    ( export OCF_CHECK_LEVEL=10 OCF_RESKEY_testurl=/index.html OCF_RESKEY_testregex10=hello
      ab "$arounds" "apache monitor depth 10 (testurl)" -- anchor "$HAP" monitor -- rampart "$APB" monitor )
    for who in anchor rampart; do
        a=$HAP; [ $who = rampart ] && a=$APB
        n=$(strace -f -qq -e trace=execve -o "$T/st" "$a" monitor > /dev/null 2>&1; grep -c 'execve(' "$T/st")
        printf "%-44s %s\n" "execs in one apache monitor, $who" "$((n - 1))"
    done
    "$APB" stop > /dev/null 2>&1
    "$T/abrun" "$astart" -- floor "$T/noop" -- anchor "$HAP" start -- anchor-stop "$HAP" stop \
        -- rampart "$APB" start -- rampart-stop "$APB" stop > "$T/out"
    print_row "apache start" "" "$T/out"
    print_row "apache stop" stop "$T/out"
    unset OCF_RESKEY_httpd OCF_RESKEY_configfile OCF_RESKEY_envfiles OCF_RESKEY_statusurl
    export OCF_RESOURCE_INSTANCE=bench
    set -e
else
    echo "apache rows need root, apache2 and resource-agents: skipped"
fi

# ---------------------------------------------------------------- VirtualDomain
# Both agents on one QEMU guest (TCG) under a private libvirtd (tests/lib/libvirt.sh),
# defaults as a user has them (autoset_utilization_* on; no cluster: the anchor's
# crm_resource calls fail fast, ours write nothing outside one).  start and stop with
# force_stop (a transient guest created, then destroyed); migrate: migrate_to from one
# libvirtd to a second, and back, each agent in turn.
VDB=$b/agents/VirtualDomain
HVD=/usr/lib/ocf/resource.d/heartbeat/VirtualDomain
if ! want virtualdomain; then
    :
elif [ "$(id -u)" = 0 ] && [ -x "$VDB" ] && [ -x "$HVD" ] && command -v libvirtd > /dev/null &&
    command -v qemu-system-x86_64 > /dev/null; then
    set +e
    . "$top/tests/lib/libvirt.sh"
    trap 'lv_down "$T/lva" > /dev/null 2>&1; lv_down "$T/lvb" > /dev/null 2>&1; netns_down 2> /dev/null; rm -rf "$T"' EXIT
    lv_up "$T/lva" bench-a && lv_up "$T/lvb" bench-b
    lv_guest_initrd "$T/g.gz"
    lv_guest_xml benchvm "$T/g.gz" 96 "$T/g.log" 6a1b2c3d-0000-4000-8000-0000000be001 > "$T/vm.xml"
    export OCF_RESOURCE_INSTANCE=benchvm OCF_RESKEY_config=$T/vm.xml OCF_RESKEY_hypervisor=$(lv_uri "$T/lva")
    vrounds=${VD_ROUNDS:-30}
    vstart=${VD_START_ROUNDS:-5}
    table_head "VirtualDomain on a QEMU guest, private libvirtd (anchor: ocf:heartbeat:VirtualDomain, virsh)"
    ab "$rounds" "VirtualDomain meta-data" -- anchor "$HVD" meta-data -- rampart "$VDB" meta-data
    "$VDB" start > /dev/null 2>&1
    ab "$vrounds" "VirtualDomain monitor (running)" -- anchor "$HVD" monitor -- rampart "$VDB" monitor
    for who in anchor rampart; do
        a=$HVD; [ $who = rampart ] && a=$VDB
        n=$(strace -f -qq -e trace=execve -o "$T/st" "$a" monitor > /dev/null 2>&1; grep -c 'execve(' "$T/st")
        printf "%-44s %s\n" "execs in one VirtualDomain monitor, $who" "$((n - 1))"
    done
    # migration: there (migrate_to + migrate_from) and back, anchor and ours in turn
    for i in $(seq "${VD_MIGRATE_ROUNDS:-3}"); do
        for who in anchor rampart; do
            a=$HVD; [ $who = rampart ] && a=$VDB
            for dir in "lva lvb" "lvb lva"; do
                set -- $dir
                s0=$(date +%s%N)
                OCF_RESKEY_hypervisor=$(lv_uri "$T/$1") OCF_RESKEY_remoteuri=$(lv_uri "$T/$2") \
                    OCF_RESKEY_migrateuri=tcp:127.0.0.1:4920$i OCF_RESKEY_CRM_meta_migrate_target=$2 \
                    OCF_RESKEY_CRM_meta_timeout=120000 "$a" migrate_to > /dev/null 2>&1 &&
                    OCF_RESKEY_hypervisor=$(lv_uri "$T/$2") OCF_RESKEY_CRM_meta_migrate_source=$1 \
                        timeout 60 "$a" migrate_from > /dev/null 2>&1 || echo "$who migration $1 -> $2 failed" >&2
                echo "$who $((($(date +%s%N) - s0) / 1000))" >> "$T/mig"
            done
        done
    done
    awk '{ v[$1] = v[$1] " " $2 } END {
        for (w in v) { n = split(substr(v[w], 2), a, " "); asort(a); m[w] = a[int((n + 1) / 2)] / 1000 }
        printf "%-44s %8s %8.2f %8.2f %8.1fx\n", "VirtualDomain live migration (one way)", "-", m["anchor"], m["rampart"], m["anchor"] / m["rampart"] }' "$T/mig"
    "$VDB" stop > /dev/null 2>&1
    ( export OCF_RESKEY_force_stop=true
      "$T/abrun" "$vstart" -- floor "$T/noop" -- anchor "$HVD" start -- anchor-stop "$HVD" stop \
          -- rampart "$VDB" start -- rampart-stop "$VDB" stop > "$T/out"
      print_row "VirtualDomain start" "" "$T/out"
      print_row "VirtualDomain stop (force_stop)" stop "$T/out" )
    lv_down "$T/lva" > /dev/null 2>&1
    lv_down "$T/lvb" > /dev/null 2>&1
    unset OCF_RESKEY_config OCF_RESKEY_hypervisor
    export OCF_RESOURCE_INSTANCE=bench
    set -e
else
    echo "VirtualDomain rows need root, libvirtd, qemu and resource-agents: skipped"
fi

# ---------------------------------------------------------------- fence_ssh
# Both agents against the same simulated node (private sshd); cluster-glue's
# plugin runs through the simulator's "wrap", which points plain ssh at it.
FSH=$b/fence/fence_ssh
if ! want ssh; then
    :
elif [ -x "$FSH" ] && [ -x /usr/sbin/sshd ] && command -v stonith >/dev/null; then
    set +e
    export SSHSIM_DIR=$T/ssh SSHSIM_NODES=node1 SSHSIM_PORT_BASE=12399 SSHSIM_DOWN_SECONDS=0
    SSIM=$top/tests/sim/ssh/sshsim.sh
    bash "$SSIM" start >/dev/null 2>&1
    hrounds=${SSH_ROUNDS:-15}
    hargs=(-a 127.0.0.1 -u 12399 -l root -k "$SSHSIM_DIR/client/id_ed25519"
           --known-hosts="$SSHSIM_DIR/client/known_hosts" --stonith-status-sleep=0.2 --power-wait=0)
    hrow() { ab "$hrounds" "$@"; } # hrow LABEL -- anchor CMD -- rampart CMD
    table_head "fence_ssh against a private sshd (anchor: cluster-glue's stonith -t external/ssh)"
    hrow "fence_ssh status" -- anchor /bin/bash "$SSIM" wrap stonith -t external/ssh hostlist=node1 -S \
        -- rampart "$FSH" "${hargs[@]}" -o status
    hrow "fence_ssh reboot (verified by the boot id)" \
        -- anchor /bin/bash "$SSIM" wrap stonith -t external/ssh hostlist=node1 -T reset node1 \
        -- rampart "$FSH" "${hargs[@]}" -o reboot
    bash "$SSIM" stop >/dev/null 2>&1
    unset SSHSIM_DIR SSHSIM_NODES SSHSIM_PORT_BASE SSHSIM_DOWN_SECONDS
    set -e
else
    echo "fence_ssh rows need libssh2, sshd and cluster-glue: skipped"
fi

# ---------------------------------------------------------------- fence_ipmilan
# Both agents against the same ipmi_sim on loopback, IPMI 1.5 (lan), equal waits.
FI=$b/fence/fence_ipmilan
if ! want ipmilan; then
    exit 0
fi
if [ ! -x "$FI" ] || ! command -v ipmi_sim >/dev/null || [ ! -x /usr/sbin/fence_ipmilan ]; then
    echo "fence_ipmilan rows need OpenIPMI, ipmi_sim and fence-agents: skipped"
    exit 0
fi
SIM=$top/tests/sim/ipmi/ipmisim.sh
BMC=$T/bmc
bash "$SIM" start "$BMC" 16299 admin benchpw >/dev/null
trap 'bash "$SIM" stop "$BMC" >/dev/null 2>&1; rm -rf "$T"' EXIT
FA=/usr/sbin/fence_ipmilan
frounds=${FENCE_ROUNDS:-30}
fargs=(-a 127.0.0.1 -u 16299 -l admin -p benchpw --power-wait=0 --stonith-status-sleep=1)
frow() { ab "$frounds" "$@"; } # frow LABEL -- anchor CMD -- rampart CMD [-- more]
table_head "fence_ipmilan against ipmi_sim (anchor: fence-agents' fence_ipmilan, ipmitool)"
frow "fence_ipmilan status" -- anchor "$FA" "${fargs[@]}" -o status -- rampart "$FI" "${fargs[@]}" -o status
frow "fence_ipmilan monitor" -- anchor "$FA" "${fargs[@]}" -o monitor -- rampart "$FI" "${fargs[@]}" -o monitor
frow "fence_ipmilan metadata" -- anchor "$FA" -o metadata -- rampart "$FI" -o metadata
frow "monitor vs cluster-glue ipmilan -S (Get Device ID)" \
    -- anchor /usr/sbin/stonith -t ipmilan hostname=n1 ipaddr=127.0.0.1 port=16299 auth=md5 priv=admin \
       login=admin password=benchpw reset_method=power_cycle -S \
    -- rampart "$FI" "${fargs[@]}" -o monitor
"$T/abrun" "$frounds" -- floor "$T/noop" \
    -- anchor "$FA" "${fargs[@]}" -o off -- anchor-on "$FA" "${fargs[@]}" -o on \
    -- rampart "$FI" "${fargs[@]}" -o off -- rampart-on "$FI" "${fargs[@]}" -o on > "$T/out"
awk -F'\t' '{ med[$1] = $2 / 1000; fail[$1] = $5 }
    END {
        printf "%-44s %8.2f %8.2f %8.2f %8.1fx %8.2fx\n", "fence_ipmilan off (power_wait=0)", med["floor"],
               med["anchor"], med["rampart"], med["anchor"] / med["rampart"], med["rampart"] / med["floor"]
        printf "%-44s %8.2f %8.2f %8.2f %8.1fx %8.2fx\n", "fence_ipmilan on (power_wait=0)", med["floor"],
               med["anchor-on"], med["rampart-on"], med["anchor-on"] / med["rampart-on"], med["rampart-on"] / med["floor"]
    }' "$T/out"
frow "fence_ipmilan reboot (power_wait=0)" -- anchor "$FA" "${fargs[@]}" -o reboot -- rampart "$FI" "${fargs[@]}" -o reboot
FENCE_ROUNDS=5 frounds=5
fargs=(-a 127.0.0.1 -u 16299 -l admin -p benchpw)
frow "fence_ipmilan reboot (default power_wait=2)" -- anchor "$FA" "${fargs[@]}" -o reboot -- rampart "$FI" "${fargs[@]}" -o reboot
