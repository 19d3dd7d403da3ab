#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:mysql as a promotable clone, on two real MariaDB servers on 127.0.0.1
# (ports 13311 for "n1", 13312 for "n2"), with a CIB in a file (CIB_file) for the
# promotion scores, the reader attribute and the replication info: both start as
# read-only replicas; n1 promoted; n2 follows it after post-promote; rows written on
# n1 reach n2; replication broken on n2 (a duplicate key) fails its monitor and takes
# its score away (the anchor reports it healthy: resource-agents #1377); pre-demote and
# demote make n1 read-only and end its client sessions; n2 promoted, n1 follows it;
# the replication password in no argv and no log line.
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "the servers run as the mysql user: root needed"
M=$top_builddir/agents/mysql
[ -x "$M" ] || skip_all "mysql not built (libmariadb missing)"
SERVER=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$SERVER" ] || skip_all "mariadb-server is not installed (tests/deps.sh test)"
command -v crm_attribute > /dev/null && command -v cibadmin > /dev/null || skip_all "no crm_attribute"
T=$(mktemp -d /tmp/rampart-myrepl.XXXXXX)
chmod 0755 "$T"
cleanup() {
    for p in $(pgrep -f "$T/" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    sleep 0.2
    rm -rf "$T"
    tap_cleanup
}
trap cleanup EXIT
PW=repl-Pw-$$-x
export CIB_file=$T/cib.xml HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf
cibadmin --empty > "$CIB_file"
for i in 1 2; do
    cibadmin --create -o nodes --xml-text "<node id=\"$i\" uname=\"n$i\"/>" > /dev/null 2>&1
    cibadmin --create -o status --xml-text "<node_state id=\"$i\" uname=\"n$i\"/>" > /dev/null 2>&1
    crm_attribute --node n$i --lifetime forever --name db_mysql_master_IP --update 127.0.0.1
done
inst() { # inst N PORT
    local d=$T/n$1
    mkdir -p "$d/run" "$d/log" "$d/data"
    printf '[mysqld]\nbind-address=127.0.0.1\nport=%s\nserver-id=%s\nlog-bin=mysql-bin\ninnodb_buffer_pool_size=16M\ninnodb_log_file_size=8M\nskip-name-resolve\n' \
        "$2" "$1" > "$d/my.cnf"
    chown -R mysql:mysql "$d/run" "$d/log" "$d/data"
}
# ag N ACTION [VAR=VALUE...]: the agent as instance db:N of a promotable clone on node nN;
# the primary's port is the other node's (one host plays both nodes)
ag() {
    local n=$1 a=$2 other=$((3 - $1)); shift 2
    env HA_RSCTMP=$T/rsc$n OCF_RESOURCE_INSTANCE=db:$((n - 1)) OCF_RESKEY_CRM_meta_on_node=n$n \
        OCF_RESKEY_CRM_meta_promotable=true OCF_RESKEY_CRM_meta_notify=true \
        OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_promoted_max=1 \
        OCF_RESKEY_CRM_meta_timeout=60000 \
        OCF_RESKEY_binary="$SERVER" OCF_RESKEY_config="$T/n$n/my.cnf" OCF_RESKEY_datadir="$T/n$n/data" \
        OCF_RESKEY_pid="$T/n$n/run/mysqld.pid" OCF_RESKEY_socket="$T/n$n/run/mysqld.sock" \
        OCF_RESKEY_log="$T/n$n/log/error.log" OCF_RESKEY_replication_user=repl \
        OCF_RESKEY_replication_passwd="$PW" OCF_RESKEY_replication_port=$((13310 + other)) \
        "$@" "$M" "$a" >> "$T/out.$n" 2>> "$T/err.$n"
    echo "rc=$?"
}
q() { mariadb --no-defaults -S "$T/n$1/run/mysqld.sock" -u root -N -e "$2"; }
sc() { crm_attribute --promotion=db --node "n$1" --query --quiet 2> /dev/null; }
rd() { crm_attribute --node "n$1" --lifetime reboot --name readable --query --quiet 2> /dev/null; }
info() { crm_attribute --type crm_config --name db_REPL_INFO -s mysql_replication --query --quiet 2> /dev/null; }

# the servers, created and given their replication user (as root, over the socket)
for n in 1 2; do
    inst $n $((13310 + n))
    env OCF_RESOURCE_INSTANCE=setup$n OCF_RESKEY_binary="$SERVER" OCF_RESKEY_config="$T/n$n/my.cnf" \
        OCF_RESKEY_datadir="$T/n$n/data" OCF_RESKEY_pid="$T/n$n/run/mysqld.pid" \
        OCF_RESKEY_socket="$T/n$n/run/mysqld.sock" OCF_RESKEY_log="$T/n$n/log/error.log" \
        OCF_RESKEY_enable_creation=1 "$M" start > /dev/null 2>&1
    q $n "CREATE USER repl@'%' IDENTIFIED BY '$PW'; GRANT ALL PRIVILEGES ON *.* TO repl@'%';
          CREATE USER app@'%' IDENTIFIED BY 'app'; GRANT SELECT, INSERT ON *.* TO app@'%';
          RESET MASTER;"
done
ok "two servers, each with a replication user" q 2 'SELECT 1'

is "n1: start as a promotable instance (already running: becomes a replica)" "$(ag 1 start)" rc=0
is "n2: start" "$(ag 2 start)" rc=0
is "... both read-only" "$(q 1 'SELECT @@read_only'),$(q 2 'SELECT @@read_only')" 1,1
is "... both with promotion score 1" "$(sc 1),$(sc 2)" 1,1
is "n1: monitor as a replica of no one: 0" "$(ag 1 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0

is "n1: promote" "$(ag 1 promote)" rc=0
ok "... writable" test "$(q 1 'SELECT @@read_only')" = 0
ok "... the replication info names it and its binlog" grep -q '^127.0.0.1|mysql-bin.000001|' <<< "$(info)"
is "... score max_slave_lag + 1" "$(sc 1)" 3601
is "... monitor: promoted (8)" "$(ag 1 monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=8
# (under strace: the CHANGE MASTER it runs carries the password, which must be in no argv)
is "n2: post-promote notify (promote_uname n1)" \
    "$(ASAN_OPTIONS=detect_leaks=0 ag 2 notify OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote \
       OCF_RESKEY_CRM_meta_notify_promote_uname='n1 ' strace -f -qq -s 4096 -e trace=execve -o "$T/st")" rc=0
ok "... the replication password in no argv (strace of that notify)" bash -c "grep -q execve '$T/st' && ! grep -q '$PW' '$T/st'"
q 1 "CREATE DATABASE shop; CREATE TABLE shop.o (id INT PRIMARY KEY, v INT); INSERT INTO shop.o VALUES (1, 10), (2, 20);"
ok "... n2 has n1's rows (replicated)" bash -c "for i in \$(seq 100); do [ \"\$(mariadb --no-defaults -S $T/n2/run/mysqld.sock -u root -N -e 'SELECT COUNT(*) FROM shop.o' 2>/dev/null)\" = 2 ] && exit 0; sleep 0.1; done; exit 1"
is "n2: monitor: 0" "$(ag 2 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
ok "... a promotion score near max_slave_lag" test "$(sc 2)" -gt 3500
is "... readable" "$(rd 2)" 1
ok "the replication password is in no log line" bash -c "! grep -q '$PW' '$T/err.1' '$T/err.2' '$T/out.1' '$T/out.2'"

# --- replication broken on n2: a row n1 will write next, already there
q 2 "STOP SLAVE; SET SESSION sql_log_bin=0; INSERT INTO shop.o VALUES (3, 0);"
q 1 "INSERT INTO shop.o VALUES (3, 30);"
q 2 "START SLAVE;"
broken() { # the replica's SQL thread stopped on the duplicate key
    local i st
    for i in $(seq 100); do
        st=$(mariadb --no-defaults -S "$T/n2/run/mysqld.sock" -u root -e 'SHOW SLAVE STATUS\G' 2>&1)
        case $st in *"Last_SQL_Errno: 1062"*) return 0 ;; esac
        sleep 0.1
    done
    return 1
}
ok "... the SQL thread stops on the duplicate key" broken
is "n2 with replication broken: monitor fails (1)" "$(ag 2 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=1
ok "... saying so" bash -c "grep ocf-exit-reason '$T/err.2' | tail -n 1 | grep -q 'replication from 127.0.0.1 is broken'"
is "... and it has no promotion score left" "$(sc 2)" ""
is "... nor the reader attribute" "$(rd 2)" 0
if [ -x /usr/lib/ocf/resource.d/heartbeat/mysql ]; then
    r=$(env OCF_RESOURCE_INSTANCE=db:1 OCF_RESKEY_CRM_meta_on_node=n2 OCF_RESKEY_CRM_meta_promotable=true \
        OCF_CHECK_LEVEL=10 OCF_RESKEY_binary="$SERVER" OCF_RESKEY_config="$T/n2/my.cnf" OCF_RESKEY_datadir="$T/n2/data" \
        OCF_RESKEY_pid="$T/n2/run/mysqld.pid" OCF_RESKEY_socket="$T/n2/run/mysqld.sock" \
        OCF_RESKEY_replication_user=repl OCF_RESKEY_replication_passwd="$PW" OCF_RESKEY_test_user=repl \
        OCF_RESKEY_test_passwd="$PW" /usr/lib/ocf/resource.d/heartbeat/mysql monitor > /dev/null 2>&1; echo $?)
    echo "# (the anchor, ocf:heartbeat:mysql, at depth 10 on the same broken replica: rc $r)"
fi
is "promote of the broken replica: fails (1), its relay log kept" \
    "$(ag 2 promote OCF_RESKEY_CRM_meta_notify_promote_uname=n2)" rc=1
ok "... saying it will not throw away what it could not apply" \
    bash -c "grep ocf-exit-reason '$T/err.2' | tail -n 1 | grep -q 'cannot be applied, and is not discarded'"
ok "... still a replica of n1, read-only, the error still there" \
    bash -c "mariadb --no-defaults -S $T/n2/run/mysqld.sock -u root -e 'SHOW SLAVE STATUS\G; SELECT @@read_only' | grep -q 'Last_SQL_Errno: 1062' &&
             [ \"\$(mariadb --no-defaults -S $T/n2/run/mysqld.sock -u root -N -e 'SELECT @@read_only')\" = 1 ]"
# repair n2: drop the stray row, skip nothing, start again
q 2 "STOP SLAVE; SET SESSION sql_log_bin=0; DELETE FROM shop.o WHERE id = 3; START SLAVE;"
ok "... repaired by hand, it catches up" bash -c "for i in \$(seq 100); do [ \"\$(mariadb --no-defaults -S $T/n2/run/mysqld.sock -u root -N -e 'SELECT v FROM shop.o WHERE id = 3' 2>/dev/null)\" = 30 ] && exit 0; sleep 0.1; done; exit 1"
is "... monitor: 0 again" "$(ag 2 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
ok "... with its score back" test -n "$(sc 2)"

# --- switchover: n1 demoted (its client sessions ended), n2 promoted, n1 follows n2
( mariadb --no-defaults -h 127.0.0.1 -P 13311 -u app -papp -e 'SELECT SLEEP(60)' > /dev/null 2>&1 & )
sleep 0.5
is "n1: pre-demote notify (demote_uname n1)" \
    "$(ag 1 notify OCF_RESKEY_CRM_meta_notify_type=pre OCF_RESKEY_CRM_meta_notify_operation=demote OCF_RESKEY_CRM_meta_notify_demote_uname=n1)" rc=0
ok "... read-only" test "$(q 1 'SELECT @@read_only')" = 1
is "... the application's session is gone" "$(q 1 "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'app'")" 0
is "n1: demote" "$(ag 1 demote)" rc=0
ok "... an application cannot write there" bash -c "! mariadb --no-defaults -h 127.0.0.1 -P 13311 -u app -papp -e 'INSERT INTO shop.o VALUES (9, 9)' 2>/dev/null"
is "... score 1" "$(sc 1)" 1
is "n2: promote" "$(ag 2 promote)" rc=0
ok "... the replication info names n2's binlog" grep -q '^127.0.0.1|mysql-bin' <<< "$(info)"
is "n1: post-promote notify (promote_uname n2)" \
    "$(ag 1 notify OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote OCF_RESKEY_CRM_meta_notify_promote_uname=n2)" rc=0
q 2 "INSERT INTO shop.o VALUES (4, 40);"
ok "... n1 now has n2's new row" bash -c "for i in \$(seq 100); do [ \"\$(mariadb --no-defaults -S $T/n1/run/mysqld.sock -u root -N -e 'SELECT v FROM shop.o WHERE id = 4' 2>/dev/null)\" = 40 ] && exit 0; sleep 0.1; done; exit 1"
is "n1: monitor: 0 (a replica of n2)" "$(ag 1 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=0
is "n2: monitor: 8" "$(ag 2 monitor OCF_RESKEY_CRM_meta_interval=10000)" rc=8
crm_attribute --type crm_config --name db_REPL_INFO -s mysql_replication --update '10.255.255.1|x|4'
is "the cluster's primary is now another address: n1's monitor fails (1)" "$(ag 1 monitor OCF_RESKEY_CRM_meta_interval=30000)" rc=1
ok "... saying whom it follows" bash -c "grep ocf-exit-reason '$T/err.1' | tail -n 1 | grep -q 'not from the primary 10.255.255.1'"
is "n1: stop" "$(ag 1 stop)" rc=0
is "n2: stop" "$(ag 2 stop)" rc=0
is "... no promotion scores left" "$(sc 1)$(sc 2)" ""
tap_done
