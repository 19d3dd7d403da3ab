#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:mariadb as a promotable clone in a real two-node Pacemaker
# cluster (tests/cluster/cl.sh), one real MariaDB server per node (Debian's
# mariadb-server, datadir on the node's private /srv, listening on its
# eth0): the first primary elected by GTID through attrd, a replica that
# follows it by GTID, rows written on the primary read on the replica, a
# switchover (the primary's node in standby) that elects and promotes the
# replica, the old primary back as a replica of the new one, a replica whose
# replication breaks (a duplicate key) failing its monitor until it is
# repaired, and the replication password in no log line.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cluster/cl.sh"
[ -x "$top_builddir/agents/mariadb" ] || skip_all "mysql not built (libmariadb missing)"
SERVER=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$SERVER" ] || skip_all "mariadb-server is not installed (tests/deps.sh test)"
cl_test mariadb 3 mariadb
REPLPW=Repl-s3cr3t-$$

show() {
    cl_x 1 crm_mon -1 -A -f 2>&1 | sed 's/^/# /' | tail -40
}
role_nodes() { # ROLE: the nodes running the clone in that role
    cl_x 1 crm_mon -1 2>/dev/null | sed -n "s/.* $1\( (target-role)\)\{0,1\}: \[ \(.*\) \]/\2/p"
}
promoted() { role_nodes Promoted; }
q() { # I SQL: a query on node I's server, as root over its socket
    cl_x "$1" mariadb --no-defaults -S /srv/run/mysqld.sock -u root -N -B -e "$2" 2> /dev/null
}
slave() { # I FIELD: one field of node I's SHOW SLAVE STATUS
    cl_x "$1" mariadb --no-defaults -S /srv/run/mysqld.sock -u root -e 'SHOW SLAVE STATUS\G' 2> /dev/null |
        sed -n "s/^ *$2: //p"
}
other() { [ "$1" = 1 ] && echo 2 || echo 1; }

# --- one server per node: a datadir with the replication user, made with
# no binary log (so that both start from the same, empty, GTID position)
for i in 1 2; do
    s=$CL_BASE/node$i/srv
    mkdir -p "$s/data" "$s/run" "$s/log"
    cat > "$s/my.cnf" << EOF
[mysqld]
bind-address=$(cl_ip "$i")
port=3306
server-id=$i
log-bin=mysql-bin
binlog_format=ROW
innodb_buffer_pool_size=16M
innodb_log_file_size=8M
skip-name-resolve
EOF
    chown -R mysql:mysql "$s/data" "$s/run" "$s/log"
    chmod 0755 "$CL_BASE/node$i" "$s"
    mariadb-install-db --defaults-file="$s/my.cnf" --user=mysql --datadir="$s/data" --skip-test-db \
        > "$s/log/install.out" 2>&1 || echo "Bail out! mariadb-install-db on node$i"
    setpriv --reuid=mysql --regid=mysql --init-groups "$SERVER" --defaults-file="$s/my.cnf" \
        --datadir="$s/data" --socket="$s/run/setup.sock" --pid-file="$s/run/setup.pid" \
        --skip-networking --skip-log-bin --log-error="$s/log/setup.log" > /dev/null 2>&1 &
    for _ in $(seq 1 300); do
        mariadb --no-defaults -S "$s/run/setup.sock" -u root -e 'SELECT 1' > /dev/null 2>&1 && break
        sleep 0.05
    done
    mariadb --no-defaults -S "$s/run/setup.sock" -u root -e "
        CREATE USER repl@'%' IDENTIFIED BY '$REPLPW'; GRANT ALL ON *.* TO repl@'%';
        CREATE USER repl@localhost IDENTIFIED BY '$REPLPW'; GRANT ALL ON *.* TO repl@localhost;" ||
        echo "Bail out! cannot create the replication user on node$i"
    kill -TERM "$(cat "$s/run/setup.pid")"
    for _ in $(seq 1 200); do [ -e "$s/run/setup.pid" ] || break; sleep 0.05; done
done

ok "a two-node cluster comes up" cl_up || { show; tap_done; exit 1; }
ok "each node sees its own /srv" eval 'cl_x 1 test -d /srv/data && cl_x 2 test -d /srv/data'
is "... which is not the host's" "$(ls /srv | grep -c data)" 0
for i in 1 2; do # the address replicas connect to, as the anchor reads it
    cl_x 1 crm_attribute -N "node$i" -n db_mysql_master_IP -v "$(cl_ip "$i")" -l forever > /dev/null
done
params=$(cl_nvpairs db binary="$SERVER" config=/srv/my.cnf datadir=/srv/data pid=/srv/run/mysqld.pid \
    socket=/srv/run/mysqld.sock log=/srv/log/error.log node_list="node1 node2" \
    replication_user=repl replication_passwd="$REPLPW" replication_port=3306)
cl_x 1 cibadmin --create -o resources --xml-text "<clone id=\"db-clone\"><meta_attributes id=\"db-clone-meta\"><nvpair id=\"db-clone-promotable\" name=\"promotable\" value=\"true\"/><nvpair id=\"db-clone-notify\" name=\"notify\" value=\"true\"/><nvpair id=\"db-clone-max\" name=\"clone-max\" value=\"2\"/></meta_attributes><primitive id=\"db\" class=\"ocf\" provider=\"rampart\" type=\"mariadb\">$params<operations><op id=\"db-start\" name=\"start\" interval=\"0\" timeout=\"60s\"/><op id=\"db-stop\" name=\"stop\" interval=\"0\" timeout=\"60s\"/><op id=\"db-mon-p\" name=\"monitor\" interval=\"3s\" role=\"Promoted\" timeout=\"20s\"/><op id=\"db-mon-u\" name=\"monitor\" interval=\"4s\" role=\"Unpromoted\" timeout=\"20s\"/></operations></primitive></clone>"

# --- the first primary: elected by GTID (equal, empty: the first of node_list)
# the roles read in the same look (crm_mon shows them otherwise while a transition runs)
ok "one primary is elected and promoted, the other node a replica" \
    cl_wait 90 eval 'p=$(promoted); u=$(role_nodes Unpromoted); [ -n "$p" ] && [ -n "$u" ]' || { show; tap_done; exit 1; }
p=${p#node}
r=$(other "$p")
is "... the first of node_list among equal GTIDs: node1" "node$p" node1
is "... the primary is writable (read_only 0)" "$(q "$p" 'SELECT @@read_only')" 0
is "... the replica is read-only" "$(q "$r" 'SELECT @@read_only')" 1
ok "... the replica follows the primary's address by GTID, both threads running" \
    cl_wait 30 eval '[ "$(slave '"$r"' Master_Host)" = "$(cl_ip '"$p"')" ] &&
        [ "$(slave '"$r"' Using_Gtid)" = Current_Pos ] && [ "$(slave '"$r"' Slave_IO_Running)" = Yes ] &&
        [ "$(slave '"$r"' Slave_SQL_Running)" = Yes ]' || { slave "$r" '[A-Za-z_]*' | sed 's/^/# /'; show; }
is "... semi-synchronous commits on the primary, waiting for a replica" \
    "$(q "$p" 'SELECT @@rpl_semi_sync_master_enabled, @@rpl_semi_sync_master_wait_no_slave, @@gtid_strict_mode')" \
    "$(printf '1\t1\t1')"
is "... the primary's score: 100" "$(cl_x 1 crm_attribute -N "node$p" -n master-db -l reboot -G -q 2> /dev/null)" 100
is "... the election's GTIDs are cleared" \
    "$(cl_x 1 attrd_updater -p -n db-gtid -N "node$p" -Q 2> /dev/null | grep -c 'value="[0-9]')" 0

# --- rows written on the primary are read on the replica
q "$p" "CREATE DATABASE app; CREATE TABLE app.t (i INT PRIMARY KEY, v VARCHAR(20));
        INSERT INTO app.t VALUES (1, 'one'), (2, 'two');
        CREATE USER app@'%' IDENTIFIED BY 'apppw'; GRANT SELECT, INSERT ON app.* TO app@'%';" > /dev/null
app() { # I SQL: as the application's user, over TCP to node I
    cl_x "$1" mariadb --no-defaults -h "$(cl_ip "$1")" -u app -papppw -N -B -e "$2" 2>&1
}
ok "rows written on the primary reach the replica" \
    cl_wait 20 eval '[ "$(q '"$r"' "SELECT COUNT(*) FROM app.t")" = 2 ]'
is "... the same GTID position on both" "$(q "$r" 'SELECT @@gtid_current_pos')" "$(q "$p" 'SELECT @@gtid_current_pos')"
ok "... the application can write on the primary" eval 'app '"$p"' "INSERT INTO app.t VALUES (10, '"'"'app'"'"')"'
ok "... and not on the replica (read-only)" eval 'app '"$r"' "INSERT INTO app.t VALUES (11, '"'"'no'"'"')" | grep -q read-only'
q "$p" "DELETE FROM app.t WHERE i = 10" > /dev/null

# --- switchover: the primary's node in standby; the replica is elected and promoted
t0=$(cl_now)
cl_x 1 crm_attribute -N "node$p" -n standby -v on > /dev/null
ok "the primary's node in standby: the replica is elected and promoted" \
    cl_wait 90 eval '[ "$(promoted)" = node'"$r"' ]' || show
echo "# the new primary after $(cl_since "$t0") s"
is "... it is writable" "$(q "$r" 'SELECT @@read_only')" 0
is "... and has every row" "$(q "$r" 'SELECT COUNT(*) FROM app.t')" 2
ok "... no server left on the standby node" eval '! cl_x '"$p"' pgrep -x mariadbd > /dev/null'
q "$r" "INSERT INTO app.t VALUES (3, 'three');" > /dev/null
cl_x 1 crm_attribute -N "node$p" -n standby -v off > /dev/null
ok "the old primary back: a replica of the new one, by GTID" \
    cl_wait 90 eval '[ "$(role_nodes Unpromoted)" = node'"$p"' ] &&
        [ "$(slave '"$p"' Master_Host)" = "$(cl_ip '"$r"')" ] && [ "$(slave '"$p"' Slave_SQL_Running)" = Yes ]' ||
    { q "$p" 'SHOW SLAVE STATUS\G' | sed 's/^/# /'; show; }
ok "... it has the row written while it was away" \
    cl_wait 20 eval '[ "$(q '"$p"' "SELECT COUNT(*) FROM app.t")" = 3 ]'
p_new=$r r_new=$p

# --- a replica whose replication breaks fails its monitor, until repaired
q "$r_new" "SET sql_log_bin=0; INSERT INTO app.t VALUES (4, 'here first');" > /dev/null
q "$p_new" "INSERT INTO app.t VALUES (4, 'four');" > /dev/null
ok "a duplicate key on the replica: its monitor fails, saying why" \
    cl_wait 30 eval 'cl_x 1 crm_mon -1 -f 2>/dev/null | grep -q "replication from .* is broken"' || show
ok "... it gets no promotion score" eval '! cl_x 1 crm_attribute -N node'"$r_new"' -n master-db -l reboot -G -q > /dev/null 2>&1'
ok "... the primary keeps its role" test "$(promoted)" = "node$p_new"
# the administrator's repair: the clone unmanaged, the server started by hand
# (its start fails: replication is still broken), the row removed, replication
# restarted, the clone cleaned up and managed again
ok "... Pacemaker's recovery fails the same way, and the replica stays stopped" \
    cl_wait 60 eval '[ -z "$(role_nodes Unpromoted)" ] && ! cl_x '"$r_new"' pgrep -x mariadbd > /dev/null' || show
cl_x 1 crm_resource -r db-clone --meta -p is-managed -v false > /dev/null 2>&1
cl_wait 20 eval 'cl_x 1 crm_mon -1 2>/dev/null | grep -q unmanaged'
cl_x "$r_new" crm_resource --force-start -r db > /dev/null 2>&1
cl_wait 20 eval 'q '"$r_new"' "SELECT 1" > /dev/null'
q "$r_new" "SET sql_log_bin=0; DELETE FROM app.t WHERE i = 4; START SLAVE;" > /dev/null
cl_wait 20 eval '[ "$(q '"$r_new"' "SELECT v FROM app.t WHERE i = 4")" = four ]' ||
    echo "# the repair did not take: $(slave "$r_new" Last_SQL_Error)"
# cleaned up while unmanaged (the probe then finds it running and replicating), then
# managed: never a moment when the cluster holds the old failure against a running server
cl_x 1 crm_resource --cleanup -r db > /dev/null 2>&1
cl_wait 30 eval '[ "$(role_nodes Unpromoted)" = node'"$r_new"' ] || cl_x 1 crm_mon -1 2>/dev/null | grep -q "db.*node'"$r_new"'.*unmanaged"'
cl_x 1 crm_resource -r db-clone --meta -p is-managed -v true > /dev/null 2>&1
ok "repaired and cleaned up: replicating again, the primary's row applied" \
    cl_wait 60 eval '[ "$(q '"$r_new"' "SELECT v FROM app.t WHERE i = 4")" = four ] &&
        [ "$(slave '"$r_new"' Slave_SQL_Running)" = Yes ] && [ "$(role_nodes Unpromoted)" = node'"$r_new"' ]' ||
    { q "$r_new" 'SELECT * FROM app.t; SHOW SLAVE STATUS\G' | sed 's/^/# /'; show; }

# --- the replication password: in the CIB (the user's configuration, which
# pacemaker-based logs as it changes), in no other log line
leaks() {
    grep -rhF "$REPLPW" "$CL_BASE"/node[12]/log "$CL_BASE"/node[12]/srv/log | grep -cv 'pacemaker-based.*<nvpair id="db-replication_passwd"'
}
is "the replication password is in no log line but the CIB's own" "$(leaks)" 0
tap_done
