#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:Stateful as a promotable clone with notifications in a real
# two-node Pacemaker cluster (tests/cluster/cl.sh): one instance promoted by
# the scores the agent sets, notifications delivered around every promote and
# demote, the promoted role moved and demoted on request, and a promoted
# instance that fails behind the cluster's back recovered.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cluster/cl.sh"
cl_test stateful 2

show() {
    cl_x 1 crm_mon -1 2>&1 | sed 's/^/# /' | tail -20
}
# roles as crm_mon shows them: "Promoted: [ node1 ]", "Unpromoted: [ node2 ]",
# "Unpromoted (target-role): [ node1 node2 ]"
role_nodes() { # ROLE: the nodes running the clone in that role
    cl_x 1 crm_mon -1 2>/dev/null | sed -n "s/.* $1\( (target-role)\)\{0,1\}: \[ \(.*\) \]/\2/p"
}
promoted() { role_nodes Promoted; }
score() { # NODE: the promotion score the agent set there
    cl_x 1 crm_attribute -N "$1" -n master-st -l reboot -G -q 2>/dev/null
}
notes() { # NODE TEXT: how many times the agent logged TEXT on NODE
    grep -c "notify: $2" "$CL_BASE/node${1#node}/log/pacemaker.log"
}

ok "a two-node cluster comes up" cl_up || { show; tap_done; exit 1; }
cl_x 1 cibadmin --create -o resources --xml-text '<clone id="st-clone"><meta_attributes id="st-clone-meta"><nvpair id="st-clone-promotable" name="promotable" value="true"/><nvpair id="st-clone-notify" name="notify" value="true"/></meta_attributes><primitive id="st" class="ocf" provider="rampart" type="Stateful"><operations><op id="st-mon-p" name="monitor" interval="3s" role="Promoted" timeout="20s"/><op id="st-mon-u" name="monitor" interval="4s" role="Unpromoted" timeout="20s"/></operations></primitive></clone>'
ok "one instance promoted, the other unpromoted" \
    cl_wait 60 eval '[ -n "$(promoted)" ] && [ -n "$(role_nodes Unpromoted)" ]' || show
p=$(promoted)
u=$(role_nodes Unpromoted)
ok "... on different nodes" test -n "$p" -a -n "$u" -a "$p" != "$u"
is "promotion score on the promoted node ($p)" "$(score "$p")" 10
is "promotion score on the unpromoted node ($u)" "$(score "$u")" 5
rc cl_x "${p#node}" crm_resource --force-check -r st
is "crm_resource --force-check on $p: running promoted (8)" "$RC" 8
rc cl_x "${u#node}" crm_resource --force-check -r st
is "crm_resource --force-check on $u: running (0)" "$RC" 0
for n in "$p" "$u"; do
    ok "$n was notified before and after the promotion" \
        test "$(notes "$n" pre-promote)" -ge 1 -a "$(notes "$n" post-promote)" -ge 1
done

# move the promoted role: demote on one node, promote on the other
crm_pre=$(notes "$p" pre-demote)
cl_x 1 crm_resource --move -r st-clone --promoted -N "$u" > /dev/null 2>&1
ok "promoted role moved to $u" cl_wait 60 eval '[ "$(promoted)" = "$u" ] && [ "$(role_nodes Unpromoted)" = "$p" ]' || show
is "... score on $u is now 10" "$(score "$u")" 10
is "... score on $p is now 5" "$(score "$p")" 5
ok "... $p was notified of the demotion" test "$(notes "$p" pre-demote)" -gt "$crm_pre"
ok "... $p was notified after it" test "$(notes "$p" post-demote)" -ge 1
cl_x 1 crm_resource --clear -r st-clone > /dev/null 2>&1

# target-role=Unpromoted demotes every instance; Started lets one be promoted again
cl_x 1 crm_resource -r st-clone --meta -p target-role -v Unpromoted > /dev/null 2>&1
ok "target-role=Unpromoted: no instance promoted, both running" \
    cl_wait 60 eval '[ -z "$(promoted)" ] && [ "$(role_nodes Unpromoted)" = "node1 node2" ]' || show
cl_x 1 crm_resource -r st-clone --meta -p target-role -v Started > /dev/null 2>&1
ok "target-role=Started: one instance promoted again" cl_wait 60 eval '[ -n "$(promoted)" ]' || show

# the promoted instance's state vanishes behind the cluster's back
p=$(promoted)
cl_x "${p#node}" sh -c 'rm -f /run/resource-agents/Stateful-st*'
ok "a promoted instance that failed is recovered and one is promoted again" \
    cl_wait 60 eval 'cl_x 1 crm_mon -1 2>/dev/null | grep -Eq "\* st[ _].* on '"$p"' (returned )?.not running" && [ -n "$(promoted)" ] && [ -n "$(role_nodes Unpromoted)" ]' || show

cl_down > /dev/null 2>&1
is "after cl.sh down: nothing left" "$(cl_leftovers)" ""
tap_done
