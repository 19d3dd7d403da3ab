# SPDX-License-Identifier: GPL-2.0-or-later
# Two test "nodes" in network namespaces joined by a veth pair, for tests and
# benchmarks that need real interfaces.  Every address lives inside them.
#   netns_up SUFFIX   creates $NS_A and $NS_B with $IF_A/$IF_B:
#                     10.203.0.1/24, fd00:203::1/64 on A; .2 and ::2 on B
#   netns_down        removes both (the veth pair goes with them)
netns_up() {
    NS_A=rpa$1 NS_B=rpb$1 IF_A=veth-a IF_B=veth-b
    ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
    ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B" || return 1
    for ns in "$NS_A" "$NS_B"; do
        ip -n "$ns" link set lo up
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=1 2>/dev/null
    done
    ip -n "$NS_A" link set "$IF_A" up
    ip -n "$NS_B" link set "$IF_B" up
    ip -n "$NS_A" addr add 10.203.0.1/24 dev "$IF_A"
    ip -n "$NS_B" addr add 10.203.0.2/24 dev "$IF_B"
    ip -n "$NS_A" -6 addr add fd00:203::1/64 dev "$IF_A" nodad
    ip -n "$NS_B" -6 addr add fd00:203::2/64 dev "$IF_B" nodad
    # wait for the link to come up both ways
    for _ in $(seq 50); do
        ip -n "$NS_A" link show "$IF_A" | grep -q 'state UP' && break
        sleep 0.05
    done
}
netns_down() {
    [ -n "${NS_A:-}" ] && ip netns del "$NS_A" 2>/dev/null
    [ -n "${NS_B:-}" ] && ip netns del "$NS_B" 2>/dev/null
    return 0
}
