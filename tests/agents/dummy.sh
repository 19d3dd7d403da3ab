#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:Dummy through its real binary, the way Pacemaker calls it.
. "$top_srcdir/tests/lib/tap.sh"
D=$top_builddir/agents/Dummy
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
export OCF_RESOURCE_INSTANCE=d1 OCF_RESKEY_CRM_meta_timeout=20000

# the ocf-tester sequence
rc $D monitor;  is "probe while stopped is OCF_NOT_RUNNING" "$RC" 7
rc $D start;    is "start succeeds" "$RC" 0
ok "start creates the state file under HA_RSCTMP" test -f "$T/rsc/Dummy-d1.state"
rc $D start;    is "start when started succeeds" "$RC" 0
OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
is "monitor when started is OCF_SUCCESS" "$RC" 0
rc $D stop;     is "stop succeeds" "$RC" 0
ok "stop removes the state file" test ! -e "$T/rsc/Dummy-d1.state"
rc $D stop;     is "stop when stopped succeeds" "$RC" 0
rc $D monitor;  is "monitor after stop is OCF_NOT_RUNNING" "$RC" 7

# a state file that cannot exist: stop and monitor agree that nothing runs
: > "$T/not-a-dir"
HA_RSCTMP=$T/not-a-dir rc $D stop;     is "HA_RSCTMP is a file (ENOTDIR): stop succeeds" "$RC" 0
HA_RSCTMP=$T/not-a-dir rc $D monitor;  is "... and monitor says 7" "$RC" 7
if [ "$(id -u)" = 0 ] && mkdir -p "$T/ro" && mount -t tmpfs -o ro rampart-ro "$T/ro" 2>/dev/null; then
    HA_RSCTMP=$T/ro rc $D stop;         is "HA_RSCTMP read-only (EROFS), no state file: stop succeeds" "$RC" 0
    HA_RSCTMP=$T/ro rc $D monitor;      is "... and monitor says 7" "$RC" 7
    umount "$T/ro"
    mkdir -p "$T/ro2" && echo running > "$T/ro2/Dummy-d1.state" && mount --bind -o ro "$T/ro2" "$T/ro2" 2>/dev/null &&
        mount -o remount,bind,ro "$T/ro2" 2>/dev/null
    if grep -q " $T/ro2 " /proc/mounts; then
        HA_RSCTMP=$T/ro2 rc $D stop;    is "read-only, and the state file is there: stop fails (1)" "$RC" 1
        umount "$T/ro2"
    fi
fi

# clone instances share a state file unless the clone is globally unique
OCF_RESOURCE_INSTANCE=c:3 rc $D start
ok "anonymous clone instance drops its :N suffix" test -f "$T/rsc/Dummy-c.state"
OCF_RESOURCE_INSTANCE=u:3 OCF_RESKEY_CRM_meta_globally_unique=true rc $D start
ok "globally unique clone instance keeps its :N suffix" test -f "$T/rsc/Dummy-u:3.state"

# an explicit state file
export OCF_RESKEY_state=$T/explicit/d.state
rc $D start
ok "explicit state path is used, directories created" test -f "$T/explicit/d.state"

# monitor depth 10 reads the state file
echo garbage > "$T/explicit/d.state"
OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=60000 rc $D monitor
is "depth-10 monitor notices a damaged state file" "$RC" 1
is "... and says why" "$(reason)" "state file '$T/explicit/d.state' is unreadable or damaged"
OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
is "depth-0 monitor only checks existence" "$RC" 0
rc $D stop; rc $D start

# the .rc fault switch
echo 9 > "$T/explicit/d.state.rc"
OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
is "a code in <state>.rc is what monitor reports" "$RC" 9
rm -f "$T/explicit/d.state.rc"

# op_sleep: slow but within the timeout, then longer than the timeout
OCF_RESKEY_op_sleep=300ms OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
is "op_sleep within the timeout succeeds" "$RC" 0
# what starting the agent costs right now (a loaded CI machine, sanitizers),
# so that the check below measures the agent's own deadline, not the load
t0=$(date +%s%N)
OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
base=$(( ($(date +%s%N) - t0) / 1000000 ))
t0=$(date +%s%N)
OCF_RESKEY_op_sleep=10s OCF_RESKEY_CRM_meta_timeout=1000 OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "op_sleep longer than the timeout fails" "$RC" 1
ok "... before Pacemaker's timeout would kill it (${ms}ms - ${base}ms to start < 1000ms)" test $((ms - base)) -lt 1000
is "... with a reason" "$(reason)" "op_sleep of 10000ms does not fit in the 1000ms timeout of monitor"

# fail_start_on: start reports failure on that node, yet the resource runs
rc $D stop
OCF_RESKEY_fail_start_on=node7 OCF_RESKEY_CRM_meta_on_node=node7 rc $D start
is "fail_start_on this node: start fails" "$RC" 1
OCF_RESKEY_CRM_meta_interval=10000 rc $D monitor
is "... but the resource runs" "$RC" 0
OCF_RESKEY_fail_start_on=node7 OCF_RESKEY_CRM_meta_on_node=node8 rc $D start
is "fail_start_on another node: start succeeds" "$RC" 0

# migrate, reload, reload-agent
OCF_RESKEY_CRM_meta_migrate_target=node2 rc $D migrate_to
is "migrate_to succeeds" "$RC" 0
ok "migrate_to stops it here" test ! -e "$T/explicit/d.state"
OCF_RESKEY_CRM_meta_migrate_source=node1 rc $D migrate_from
is "migrate_from succeeds" "$RC" 0
ok "migrate_from starts it here" test -e "$T/explicit/d.state"
rc $D reload;       is "reload succeeds" "$RC" 0
rc $D reload-agent; is "reload-agent succeeds" "$RC" 0

# envfile: the environment, with the secret hidden
OCF_RESKEY_envfile=$T/env.log OCF_RESKEY_passwd='pa55-w0rd' rc $D monitor
ok "envfile records the environment" grep -q '^OCF_RESOURCE_INSTANCE=d1$' "$T/env.log"
ok "envfile hides the secret" grep -q '^OCF_RESKEY_passwd=\[hidden\]$' "$T/env.log"
ok "the secret appears nowhere in the dump" bash -c '! grep -q pa55-w0rd "$1"' _ "$T/env.log"

# validate-all: depth 0 needs nothing local; depth 10 checks the state directory
OCF_RESKEY_state=/nonexistent/dir/x.state rc $D validate-all
is "validate-all at depth 0 does not look at this host" "$RC" 0
OCF_RESKEY_state=/nonexistent/dir/x.state OCF_CHECK_LEVEL=10 rc $D validate-all
is "validate-all at depth 10 finds the state directory missing" "$RC" 2
is "... and says why" "$(reason)" "state directory '/nonexistent/dir' is not writable"

# a permission problem is reported as such
mkdir -p "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
    OCF_RESKEY_state=$T/ro/x.state rc setpriv --reuid=nobody --regid=nogroup --clear-groups -- $D start
else
    OCF_RESKEY_state=$T/ro/x.state rc $D start
fi
is "start without permission to create the state file is OCF_ERR_PERM" "$RC" 4
tap_done
