#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:Stateful through its real binary: roles, the promotion score
# in a real CIB (crm_attribute against a CIB file), notify.
. "$top_srcdir/tests/lib/tap.sh"
S=$top_builddir/agents/Stateful
T=$(mktemp -d)
trap 'rm -rf "$T"; tap_cleanup' EXIT
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
export OCF_RESOURCE_INSTANCE=s:0 OCF_RESKEY_CRM_meta_timeout=20000
mon() { OCF_RESKEY_CRM_meta_interval=10000 rc $S monitor; }

rc $S monitor;   is "probe while stopped is OCF_NOT_RUNNING" "$RC" 7
rc $S promote;   is "promote while stopped is OCF_NOT_RUNNING" "$RC" 7
rc $S start;     is "start succeeds" "$RC" 0
ok "state file holds Unpromoted" grep -qx Unpromoted "$T/rsc/Stateful-s.state"
mon;             is "monitor unpromoted is OCF_SUCCESS" "$RC" 0
rc $S promote;   is "promote succeeds" "$RC" 0
mon;             is "monitor promoted is OCF_RUNNING_PROMOTED" "$RC" 8
rc $S promote;   is "promote when promoted succeeds" "$RC" 0
rc $S start;     is "start of a promoted instance is refused (start means unpromoted)" "$RC" 8
rc $S demote;    is "demote succeeds" "$RC" 0
mon;             is "monitor after demote is OCF_SUCCESS" "$RC" 0
rc $S demote;    is "demote when unpromoted succeeds" "$RC" 0
rc $S promote; rc $S stop
is "stop of a promoted instance still stops it" "$RC" 0
mon;             is "monitor after stop is OCF_NOT_RUNNING" "$RC" 7
rc $S demote;    is "demote while stopped is OCF_NOT_RUNNING" "$RC" 7

rc $S start
echo Banana > "$T/rsc/Stateful-s.state"
mon;             is "a state file with no known role is a failure, not 'stopped'" "$RC" 1
is "... with a reason" "$(reason)" "state file '$T/rsc/Stateful-s.state' holds no known role"
rc $S stop
rc $S start; echo 190 > "$T/rsc/Stateful-s.state.rc"
mon;             is "<state>.rc forces monitor's result (OCF_DEGRADED)" "$RC" 190
rm -f "$T/rsc/Stateful-s.state.rc"; rc $S stop

# notify, with its delay inside the deadline
OCF_RESKEY_CRM_meta_notify_type=pre OCF_RESKEY_CRM_meta_notify_operation=promote rc $S notify
is "notify succeeds" "$RC" 0
OCF_RESKEY_notify_delay=200ms rc $S notify
is "notify waits notify_delay" "$RC" 0
OCF_RESKEY_notify_delay=30s OCF_RESKEY_CRM_meta_timeout=500 rc $S notify
is "a notify_delay longer than the timeout fails in time" "$RC" 1

# the promotion score, in a real CIB (a file), set with Pacemaker's own crm_attribute
if command -v crm_attribute >/dev/null && command -v cibadmin >/dev/null; then
    export CIB_file=$T/cib.xml
    cibadmin --empty > "$CIB_file"
    cibadmin --create -o nodes --xml-text '<node id="1" uname="node1"/>' >/dev/null 2>&1
    cibadmin --create -o status --xml-text '<node_state id="1" uname="node1"/>' >/dev/null 2>&1
    score() { crm_attribute --promotion=s --node node1 --query --quiet 2>/dev/null; }
    export OCF_RESKEY_CRM_meta_on_node=node1
    rc $S start;   is "start under a cluster succeeds" "$RC" 0
    is "start sets promotion score 5" "$(score)" 5
    rc $S promote; is "promote succeeds" "$RC" 0
    is "promote sets promotion score 10" "$(score)" 10
    rc $S demote;  is "demote sets it back to 5" "$(score)" 5
    rc $S stop;    is "stop succeeds" "$RC" 0
    is "stop deletes the promotion score" "$(score)" ""
    unset CIB_file OCF_RESKEY_CRM_meta_on_node
else
    echo "# crm_attribute not installed: promotion score not checked"
fi
tap_done
