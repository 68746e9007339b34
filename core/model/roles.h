// The roles of addresses in an LVS cluster, as the seeds name them: CIP, VIP, DIP, RIP, GW.
#pragma once

#include "core/model/topology.h"

#include <set>
#include <string_view>
#include <vector>

namespace lvs::core {

enum class AddressRole { Cip, Vip, Dip, Rip, Gw, Other };

std::string_view toString(AddressRole role);

// Every VIP of the design: the address of each address-based virtual service, the destination
// of each firewall-mark rule, and each VRRP virtual address.
std::set<Ipv4> virtualAddresses(const Topology& topology);

// The role of an address on a node: a client's addresses are CIPs; on a director an address
// that is a VIP is the VIP and the others are DIPs; on a real server an interface address is a
// RIP and a bound VIP is a VIP; a router's addresses are GWs.
AddressRole roleOf(const Topology& topology, const Node& node, Ipv4 address,
                   const std::set<Ipv4>& vips);

// One address of a node with its role, where it sits (interface name, "lo" or "tunl0").
struct RoledAddress {
    std::string device;
    Ipv4Prefix address;
    AddressRole role;
    std::string detail; // "MASTER"/"BACKUP" for a VRRP address: the state it starts in
};

// A node's addresses: each interface's, the VIPs bound on an interface, lo or tunl0, and the
// VRRP virtual addresses keepalived moves between directors (with the instance's state, which
// tells which director holds the VIP at start).
std::vector<RoledAddress> roledAddresses(const Topology& topology, const Node& node);

} // namespace lvs::core
