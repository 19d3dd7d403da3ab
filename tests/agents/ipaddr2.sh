#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:rampart:IPaddr2 and IPaddr against the real kernel, in two network
# namespaces joined by a veth pair; a listener in the peer namespace counts
# the announcements.  Every address used lives inside the test's namespaces.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/netns.sh"
[ "$(id -u)" = 0 ] || skip_all "network namespaces need root"
command -v ip >/dev/null || skip_all "iproute2 not installed"
A=$top_builddir/agents/IPaddr2
IPADDR=$top_builddir/agents/IPaddr
WATCH=$top_builddir/tests/tools/pktwatch
T=$(mktemp -d)
netns_up $$ || skip_all "cannot create network namespaces"
trap 'netns_down; rm -rf "$T"; tap_cleanup' EXIT
export HA_RSCTMP=$T/rsc OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=vip
export OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000

ina() { rc ip netns exec "$NS_A" env "$@"; }
inb() { rc ip netns exec "$NS_B" env "$@"; }
addrs_a() { ip -n "$NS_A" -o addr show dev "$IF_A"; }
has_a() { addrs_a | grep -q " $1 "; }
has_b() { ip -n "$NS_B" -o addr show dev "$IF_B" | grep -q " $1 "; }
mon() { ina OCF_RESKEY_CRM_meta_interval=10000 "$@" "$A" monitor; }
watch_b() { # watch_b SECONDS: start the listener in B, wait until it listens
    ip netns exec "$NS_B" "$WATCH" "$IF_B" "$1" > "$T/watch" &
    WATCH_PID=$!
    for _ in $(seq 100); do grep -q ready "$T/watch" 2>/dev/null && return; sleep 0.02; done
}

# --- IPv4 lifecycle, nic and netmask found from the routing table
ina OCF_RESKEY_ip=10.203.0.50 "$A" monitor; is "v4: probe while stopped is 7" "$RC" 7
ina OCF_RESKEY_ip=10.203.0.50 "$A" start;   is "v4: start" "$RC" 0
ok "v4: address added with the route's /24 and computed broadcast" has_a "10.203.0.50/24 brd 10.203.0.255"
ina OCF_RESKEY_ip=10.203.0.50 "$A" start;   is "v4: start when started" "$RC" 0
mon OCF_RESKEY_ip=10.203.0.50;              is "v4: monitor" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.50 "$A" stop;    is "v4: stop" "$RC" 0
ok "v4: stop removed the address" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.50/"
ok "v4: ... and only that address" has_a "10.203.0.1/24"
ina OCF_RESKEY_ip=10.203.0.50 "$A" stop;    is "v4: stop when stopped" "$RC" 0
mon OCF_RESKEY_ip=10.203.0.50;              is "v4: monitor after stop is 7" "$RC" 7

# --- explicit nic, netmask, broadcast, label
ina OCF_RESKEY_ip=10.203.0.51 OCF_RESKEY_nic=$IF_A OCF_RESKEY_cidr_netmask=26 OCF_RESKEY_iflabel=web "$A" start
is "v4: start with nic, cidr_netmask and iflabel" "$RC" 0
ok "v4: /26 with its broadcast" has_a "10.203.0.51/26 brd 10.203.0.63"
ok "v4: labelled $IF_A:web" bash -c "ip -n $NS_A -o addr show label $IF_A:web | grep -q 10.203.0.51"
ina OCF_RESKEY_ip=10.203.0.51 OCF_RESKEY_nic=$IF_A "$A" stop
ina OCF_RESKEY_ip=10.203.0.52 OCF_RESKEY_cidr_netmask=255.255.255.128 OCF_RESKEY_broadcast=- "$A" start
ok "v4: dotted netmask accepted, no broadcast with -" bash -c "ip -n $NS_A -o addr | grep -q '10.203.0.52/25 scope'"
ina OCF_RESKEY_ip=10.203.0.52 "$A" stop

# --- gratuitous ARPs: count and spacing, seen from the peer
watch_b 3
ina OCF_RESKEY_ip=10.203.0.53 OCF_RESKEY_arp_count=4 OCF_RESKEY_arp_interval=150 "$A" start
wait "$WATCH_PID"
grep 'arp request 10.203.0.53 10.203.0.53' "$T/watch" > "$T/garp"
is "v4: peer saw arp_count=4 gratuitous ARPs" "$(wc -l < "$T/garp")" 4
gaps=$(awk 'NR > 1 { print $5 - prev } { prev = $5 }' "$T/garp" | sort -n | head -1)
ok "v4: ... at least ~arp_interval apart (smallest gap ${gaps}ms)" test "${gaps:-0}" -ge 130
watch_b 2
mon OCF_RESKEY_ip=10.203.0.53 OCF_RESKEY_arp_count_refresh=2 OCF_RESKEY_arp_interval=50
wait "$WATCH_PID"
is "v4: monitor with arp_count_refresh=2 sends 2" "$(grep -c 'arp request 10.203.0.53 10.203.0.53' "$T/watch")" 2
ina OCF_RESKEY_ip=10.203.0.53 "$A" stop

# --- IPv6: DAD, then neighbour advertisements; compared as addresses
watch_b 4
ina OCF_RESKEY_ip=fd00:203::50 OCF_RESKEY_arp_count=3 OCF_RESKEY_arp_interval=100 "$A" start
is "v6: start (after duplicate address detection)" "$RC" 0
wait "$WATCH_PID"
is "v6: peer saw 3 unsolicited neighbour advertisements" "$(grep -c '^na fd00:203::50 ' "$T/watch")" 3
ok "v6: address added with the route's /64" has_a "fd00:203::50/64"
mon OCF_RESKEY_ip=FD00:203::0:50;           is "v6: monitor matches 2001:DB8::0:1-style spelling" "$RC" 0
ina OCF_RESKEY_ip=fd00:203:0::50 "$A" stop; is "v6: stop with another spelling" "$RC" 0
ok "v6: address removed" bash -c "! ip -n $NS_A -o addr | grep -q fd00:203::50/"
ina OCF_RESKEY_ip=fd00:203::2 "$A" start
is "v6: duplicate address detection failure fails start" "$RC" 1
is "v6: ... saying so" "$(reason)" "duplicate address detection found fd00:203::2 in use on $IF_A"
ok "v6: ... and leaves no address behind" bash -c "! ip -n $NS_A -o addr | grep -q 'fd00:203::2/'"
ina OCF_RESKEY_ip=fd00:203::51 OCF_RESKEY_nodad=true OCF_RESKEY_arp_count=1 "$A" start
ok "v6: nodad adds the address flagged nodad" bash -c "ip -n $NS_A -o addr | grep 'fd00:203::51/64' | grep -q nodad"
ina OCF_RESKEY_ip=fd00:203::51 "$A" stop
ina OCF_RESKEY_ip=fd00:203::52 OCF_RESKEY_nodad=true OCF_RESKEY_preferred_lft=0 OCF_RESKEY_noprefixroute=true OCF_RESKEY_arp_count=1 "$A" start
ok "v6: preferred_lft=0 makes the address deprecated" bash -c "ip -n $NS_A -o addr | grep 'fd00:203::52/64' | grep -q deprecated"
ok "v6: noprefixroute flag set" bash -c "ip -n $NS_A -o addr | grep 'fd00:203::52/64' | grep -q noprefixroute"
ina OCF_RESKEY_ip=fd00:203::52 OCF_RESKEY_flush_routes=true "$A" stop
is "v6: stop with flush_routes" "$RC" 0
ina OCF_RESKEY_ip=fe80::99 "$A" start
is "v6: a link-local address without nic is not configured" "$RC" 6

# --- run_arping: an address the peer already holds
ina OCF_RESKEY_ip=10.203.0.2 OCF_RESKEY_run_arping=true "$A" start
is "run_arping: refuses an address in use by the peer" "$RC" 1
ok "run_arping: ... names the peer's hardware address" bash -c "grep -q 'already in use on $IF_A by ..:..:' '$ERR'"
ok "run_arping: ... and adds nothing" bash -c "! ip -n $NS_A -o addr | grep -q '10.203.0.2/'"
ina OCF_RESKEY_ip=10.203.0.54 OCF_RESKEY_run_arping=true OCF_RESKEY_arp_count=1 "$A" start
is "run_arping: a free address starts" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.54 "$A" stop

# --- failures behind the agent's back
ina OCF_RESKEY_ip=10.203.0.55 OCF_RESKEY_arp_count=1 "$A" start
ip -n "$NS_A" addr del 10.203.0.55/24 dev "$IF_A"
mon OCF_RESKEY_ip=10.203.0.55;              is "removed behind our back: monitor is 7" "$RC" 7
ina OCF_RESKEY_ip=10.203.0.55 OCF_RESKEY_arp_count=1 "$A" start
ip -n "$NS_B" link set "$IF_B" down
sleep 0.2
mon OCF_RESKEY_ip=10.203.0.55;              is "peer link down (no carrier): monitor fails (1), the address is still there" "$RC" 1
is "... with a reason" "$(reason)" "10.203.0.55 is configured but $IF_A is down"
ina OCF_RESKEY_ip=10.203.0.55 "$A" monitor; is "... a probe fails too (1, not 7: a stop must follow)" "$RC" 1
ip -n "$NS_B" link set "$IF_B" up
ip -n "$NS_A" link set "$IF_A" down
mon OCF_RESKEY_ip=10.203.0.55;              is "interface set down: monitor fails (1)" "$RC" 1
ina OCF_RESKEY_ip=10.203.0.55 "$A" stop;    is "... stop removes the address from the down link" "$RC" 0
ok "... and it is gone" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.55/"
ina OCF_RESKEY_ip=10.203.0.55 "$A" monitor; is "... then the probe says 7" "$RC" 7
ip -n "$NS_A" link set "$IF_A" up
# a link set down loses its IPv6 addresses (keep_addr_on_down=0): restore the fixture
ip -n "$NS_A" -6 addr add fd00:203::1/64 dev "$IF_A" nodad 2>/dev/null
ina OCF_RESKEY_ip=10.203.0.55 "$A" stop;    is "stop after the failures" "$RC" 0
sleep 0.3

# --- whose address: interface indexes, not names
ip -n "$NS_A" link property add dev "$IF_A" altname rampart-alt0 2>/dev/null && {
    ina OCF_RESKEY_ip=10.203.0.58 OCF_RESKEY_nic=rampart-alt0 OCF_RESKEY_arp_count=1 "$A" start
    is "nic given as an altname: start" "$RC" 0
    mon OCF_RESKEY_ip=10.203.0.58 OCF_RESKEY_nic=rampart-alt0; is "... monitor finds it" "$RC" 0
    ina OCF_RESKEY_ip=10.203.0.58 OCF_RESKEY_nic=rampart-alt0 "$A" stop
    is "... stop" "$RC" 0
    ok "... and the address is gone" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.58/"
}
ina OCF_RESKEY_ip=10.203.0.59 "$A" status;  is "OCF status (rgmanager's spelling) when stopped: 7" "$RC" 7
ina OCF_RESKEY_ip=10.203.0.59 OCF_RESKEY_arp_count=1 "$A" start
ina OCF_RESKEY_ip=10.203.0.59 "$A" status;  is "OCF status when running: 0" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.59 "$A" stop
# a nic that vanishes under a running address
ip -n "$NS_A" link add rampart-d0 type veth peer name rampart-d1 && ip -n "$NS_A" link set rampart-d0 up && ip -n "$NS_A" link set rampart-d1 up
ina OCF_RESKEY_ip=10.204.0.9 OCF_RESKEY_nic=rampart-d0 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_arp_count=1 "$A" start
is "address on a dummy interface: start" "$RC" 0
ip -n "$NS_A" link del rampart-d0
mon OCF_RESKEY_ip=10.204.0.9 OCF_RESKEY_nic=rampart-d0; is "the nic vanished: a recurring monitor fails (1)" "$RC" 1
ina OCF_RESKEY_ip=10.204.0.9 OCF_RESKEY_nic=rampart-d0 "$A" monitor; is "... a probe says 7" "$RC" 7
ina OCF_RESKEY_ip=10.204.0.9 OCF_RESKEY_nic=rampart-d0 "$A" stop; is "... stop succeeds" "$RC" 0
# the same address on another interface: this host answers for it either way
ip -n "$NS_A" link add rampart-e0 type veth peer name rampart-e1 && ip -n "$NS_A" link set rampart-e0 up && ip -n "$NS_A" link set rampart-e1 up
ip -n "$NS_A" addr add 10.203.0.70/32 dev rampart-e0
ina OCF_RESKEY_ip=10.203.0.70 OCF_RESKEY_nic="$IF_A" OCF_RESKEY_arp_count=1 "$A" start
is "start while the address is on another interface: fails (1)" "$RC" 1
ok "... touching neither interface" bash -c "ip -n $NS_A -o addr show dev rampart-e0 | grep -q 10.203.0.70/32 && ! ip -n $NS_A -o addr show dev $IF_A | grep -q 10.203.0.70/"
ina OCF_RESKEY_ip=10.203.0.70 OCF_RESKEY_nic="$IF_A" "$A" monitor
is "... a probe fails (1), not 7: this host answers for it" "$RC" 1
ip -n "$NS_A" addr add 10.203.0.70/24 dev "$IF_A"
ina OCF_RESKEY_ip=10.203.0.70 OCF_RESKEY_nic="$IF_A" "$A" stop
is "on nic and on another interface: stop" "$RC" 0
ok "... removes it from both" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.70/"
# nic renamed under a running address (same interface index)
ina OCF_RESKEY_ip=10.203.0.71 OCF_RESKEY_nic=rampart-e0 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_arp_count=1 "$A" start
ip -n "$NS_A" link set rampart-e0 down && ip -n "$NS_A" link set rampart-e0 name rampart-e9 && ip -n "$NS_A" link set rampart-e9 up
ina OCF_RESKEY_ip=10.203.0.71 OCF_RESKEY_nic=rampart-e0 "$A" monitor
is "nic renamed, the address still on it: a probe fails (1), not 7" "$RC" 1
ina OCF_RESKEY_ip=10.203.0.71 OCF_RESKEY_nic=rampart-e0 "$A" stop
is "... stop" "$RC" 0
ok "... removes it" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.71/"
ip -n "$NS_A" link del rampart-e9
# an IPv6 address still in duplicate address detection
ip netns exec "$NS_A" sysctl -qw net.ipv6.conf."$IF_A".dad_transmits=60
ip -n "$NS_A" addr add fd00:203::77/64 dev "$IF_A"
ina OCF_RESKEY_ip=fd00:203::77 "$A" monitor
is "v6 tentative address: a probe fails (1), not 7" "$RC" 1
ina OCF_RESKEY_ip=fd00:203::77 "$A" stop;   is "... stop" "$RC" 0
ok "... removes it" bash -c "! ip -n $NS_A -o addr | grep -q fd00:203::77/"
ip netns exec "$NS_A" sysctl -qw net.ipv6.conf."$IF_A".dad_transmits=1
# a bad value of a parameter that does not say which address: stop and probe still look
ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_arp_count=1 "$A" start
for bad in cidr_netmask=33 broadcast=bogus arp_count=0 iflabel=waytoolonglabel preferred_lft=x; do
    ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_$bad "$A" monitor
    is "$bad: a probe still finds the address running (0)" "$RC" 0
done
ina OCF_RESKEY_ip=10.203.0.72 "OCF_RESKEY_nic=$IF_A " "$A" monitor
is "nic that does not parse ('$IF_A '): read as unset, the probe still finds the address (0)" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_nic=averyveryverylongname0 "$A" monitor
is "nic too long for a name: the same (0)" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_cidr_netmask=33 OCF_RESKEY_broadcast=bogus "$A" stop
is "cidr_netmask=33 broadcast=bogus: stop" "$RC" 0
ok "... removes the address" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.72/"
ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_cidr_netmask=33 "$A" start
is "... while start refuses it (6)" "$RC" 6
ina OCF_RESKEY_ip=10.203.0.73 OCF_RESKEY_arp_count=1 "$A" start
ina OCF_RESKEY_ip=10.203.0.73 OCF_RESKEY_CRM_meta_clone_max=2 "$A" stop
is "a running address whose resource became a clone: stop removes it" "$RC" 0
ok "... gone" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.73/"
# 127.0.0.0/8 without nic lives on loopback (LVS direct routing)
ina OCF_RESKEY_ip=127.0.0.2 "$A" monitor;   is "127.0.0.2 without nic: probe 7 (the /8 route is not the address)" "$RC" 7
ina OCF_RESKEY_ip=127.0.0.2 "$A" start;     is "127.0.0.2 without nic: start" "$RC" 0
ok "... on lo" bash -c "ip -n $NS_A -o addr show dev lo | grep -q ' 127.0.0.2/8 '"
mon OCF_RESKEY_ip=127.0.0.2;                is "... monitor" "$RC" 0
ina OCF_RESKEY_ip=127.0.0.2 "$A" stop;      is "... stop" "$RC" 0
ok "... gone from lo" bash -c "! ip -n $NS_A -o addr show dev lo | grep -q ' 127.0.0.2/'"
# a netmask wider than the connected route, without nic: nothing to attach it to
ina OCF_RESKEY_ip=10.203.0.60 OCF_RESKEY_cidr_netmask=16 "$A" start
is "cidr_netmask=16 wider than the /24 route, no nic: start fails (1)" "$RC" 1
ok "... and configures nothing" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.60/"
# a network namespace: only one that does not exist makes stop a no-op
ina OCF_RESKEY_ip=10.203.0.61 OCF_RESKEY_network_namespace=rampart-no-such-ns "$A" stop
is "stop in a namespace that does not exist succeeds" "$RC" 0

# --- the address moves from node A to node B
ina OCF_RESKEY_ip=10.203.0.56 OCF_RESKEY_arp_count=1 "$A" start
ina OCF_RESKEY_ip=10.203.0.56 "$A" stop
inb OCF_RESKEY_ip=10.203.0.56 OCF_RESKEY_arp_count=1 "$A" start
is "move: start on B after stop on A" "$RC" 0
ok "move: B holds it" has_b "10.203.0.56/24"
ok "move: A does not" bash -c "! ip -n $NS_A -o addr | grep -q 10.203.0.56/"
inb OCF_RESKEY_ip=10.203.0.56 "$A" stop

# --- bad input: the right code and no side effect
before=$(ip -n "$NS_A" -o addr | wc -l)
ina OCF_RESKEY_ip=999.1.1.1 "$A" start;     is "ip=999.1.1.1 is OCF_ERR_CONFIGURED" "$RC" 6
ina OCF_RESKEY_ip=10.203.0.57 OCF_RESKEY_cidr_netmask=40 "$A" start
is "cidr_netmask=40 is OCF_ERR_CONFIGURED" "$RC" 6
ina OCF_RESKEY_ip=10.203.0.57 OCF_RESKEY_nic=does-not-exist "$A" start
is "nic=does-not-exist is OCF_ERR_CONFIGURED" "$RC" 6
ina OCF_RESKEY_ip="1.2.3.4;touch $T/pwned" "$A" start
is "ip='1.2.3.4;touch ...' is OCF_ERR_CONFIGURED" "$RC" 6
ok "... and nothing ran" test ! -e "$T/pwned"
is "bad input added no address" "$(ip -n "$NS_A" -o addr | wc -l)" "$before"
ina OCF_RESKEY_ip=999.1.1.1 "$A" stop;      is "stop with an invalid ip succeeds" "$RC" 0
ina "$A" start;                             is "no ip is OCF_ERR_CONFIGURED" "$RC" 6
ina OCF_RESKEY_ip=10.203.0.99 OCF_RESKEY_CRM_meta_interval=0 OCF_RESKEY_nic=nope "$A" monitor
is "probe with a missing nic is 7" "$RC" 7

# --- clones: CLUSTERIP is gone from Linux; one address per instance works
ina OCF_RESKEY_ip=10.203.0.60 OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone=0 "$A" start
is "clone (CLUSTERIP) mode is OCF_ERR_CONFIGURED" "$RC" 6
ok "... saying it is not supported" bash -c "grep -q 'not supported' '$ERR'"
ina OCF_RESKEY_ip=10.203.0.60 OCF_RESKEY_CRM_meta_clone_max=4 OCF_RESKEY_CRM_meta_clone=3 \
    OCF_RESKEY_CRM_meta_globally_unique=true OCF_RESKEY_unique_clone_address=true OCF_RESKEY_arp_count=1 "$A" start
is "unique_clone_address in a globally unique clone starts" "$RC" 0
ok "... instance 3 holds 10.203.0.63" has_a "10.203.0.63/24"
ina OCF_RESKEY_ip=10.203.0.60 OCF_RESKEY_CRM_meta_clone_max=4 OCF_RESKEY_CRM_meta_clone=3 \
    OCF_RESKEY_CRM_meta_globally_unique=true OCF_RESKEY_unique_clone_address=true "$A" stop

# --- network_namespace: the agent runs outside and manages the address inside
rc env OCF_RESKEY_ip=10.203.0.61 OCF_RESKEY_network_namespace="$NS_A" OCF_RESKEY_arp_count=1 "$A" start
is "network_namespace: start from the host" "$RC" 0
ok "network_namespace: the address is inside $NS_A" has_a "10.203.0.61/24"
rc env OCF_RESKEY_ip=10.203.0.61 OCF_RESKEY_network_namespace="$NS_A" "$A" stop
is "network_namespace: stop" "$RC" 0
rc env OCF_RESKEY_ip=10.203.0.61 OCF_RESKEY_network_namespace=no-such-ns "$A" start
is "network_namespace that does not exist: start fails (2)" "$RC" 2

# --- LVS: the address moves off loopback and back
ip -n "$NS_A" addr add 10.203.0.62/32 dev lo
ina OCF_RESKEY_ip=10.203.0.62 OCF_RESKEY_lvs_support=true OCF_RESKEY_arp_count=1 "$A" start
is "lvs_support: start" "$RC" 0
ok "lvs_support: moved from lo to $IF_A" bash -c "has() { ip -n $NS_A -o addr show dev \$1 | grep -q 10.203.0.62/; }; ! has lo && has $IF_A"
ina OCF_RESKEY_ip=10.203.0.62 OCF_RESKEY_lvs_support=true "$A" stop
ok "lvs_support: stop puts it back on lo" bash -c "ip -n $NS_A -o addr show dev lo | grep -q 10.203.0.62/32"

# --- heartbeat v1 haresources forms, and the IPaddr name
ina "$A" "10.203.0.70/24/$IF_A" start;        is "heartbeat: IPaddr2 ip/bits/nic start" "$RC" 0
ok "heartbeat: ... /24 on $IF_A" has_a "10.203.0.70/24"
ina "$A" "10.203.0.70/24/$IF_A" status
is "heartbeat: status prints running" "$(cat "$OUT")" running
ina "$A" "10.203.0.70/24/$IF_A" stop;         is "heartbeat: stop" "$RC" 0
ina "$A" "10.203.0.70/24/$IF_A" status;       is "heartbeat: status after stop exits 3" "$RC" 3
ina "$IPADDR" "10.203.0.71/25/$IF_A/10.203.0.127" start
is "heartbeat: IPaddr ip/bits/nic/broadcast start" "$RC" 0
ok "heartbeat: ... with that broadcast" has_a "10.203.0.71/25 brd 10.203.0.127"
ina "$IPADDR" "10.203.0.71/25/$IF_A/10.203.0.127" stop
rc env -i "$IPADDR" meta-data
ok "IPaddr: its own parameter names (ARP_REPEAT)" grep -q 'name="ARP_REPEAT"' "$OUT"
ina OCF_RESKEY_ip=10.203.0.72 OCF_RESKEY_ARP_REPEAT=1 "$IPADDR" start
is "IPaddr: start under its own name" "$RC" 0
ina OCF_RESKEY_ip=10.203.0.72 "$IPADDR" stop

# --- no child process on any action
if command -v strace >/dev/null; then
    for act in start monitor stop; do
        # (LeakSanitizer, in the sanitizer build, clones a tracer at exit: not ours)
        ip netns exec "$NS_A" env OCF_RESKEY_ip=10.203.0.73 OCF_RESKEY_arp_count=1 ASAN_OPTIONS=detect_leaks=0 \
            strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$T/trace" "$A" $act >/dev/null 2>&1
        is "no child process: $act runs one execve and no fork" \
           "$(grep -cE 'execve|clone|fork' "$T/trace")" 1
    done
fi

# --- the real callers: ocf-tester and crm_resource, inside the namespace
if command -v ocf-tester >/dev/null; then
    install -m 0755 "$A" "$T/IPaddr2" && chmod 755 "$T"
    rc ip netns exec "$NS_A" env -u OCF_RA_VERSION_MAJOR -u OCF_RA_VERSION_MINOR \
        ocf-tester -n vip -o ip=10.203.0.80 -o arp_count=1 "$T/IPaddr2"
    is "ocf-tester passes IPaddr2" "$RC" 0
    grep -E 'passed|failed|error' "$OUT" | sed 's/^/# /'
    rc ip netns exec "$NS_A" env -u OCF_RA_VERSION_MAJOR -u OCF_RA_VERSION_MINOR \
        ocf-tester -n vip -o ip=fd00:203::80 -o nodad=true -o arp_count=1 "$T/IPaddr2"
    is "ocf-tester passes IPaddr2 with IPv6" "$RC" 0
fi
tap_done
