// The L2/L3 connectivity of a topology: which interfaces share a broadcast domain, which
// networks a node is attached to, and where a packet to an address ends up by routing.
#pragma once

#include "core/model/topology.h"

#include <map>
#include <vector>

namespace lvs::core::validate {

// One address of an interface with the broadcast domain the interface sits in.
struct Attachment {
    const Node* node = nullptr;
    const Interface* interface = nullptr;
    Ipv4Prefix address;
    int domain = 0;
};

class Connectivity {
public:
    // Builds the domains: a link between two interfaces is one domain; every interface linked
    // to the same segment is one domain; an unlinked interface is a domain of its own.
    explicit Connectivity(const Topology& topology);

    int domainOf(Id interfaceId) const;
    // Every address of every interface of a node (the node's connected networks).
    std::vector<Attachment> attachments(const Node& node) const;
    // Every address on a domain, across nodes.
    std::vector<Attachment> onDomain(int domain) const;
    // Whether two nodes have interfaces in one broadcast domain; the shared domain or -1.
    int sharedDomain(const Node& a, const Node& b) const;

    // Whether a node holds an address (interface address, bound VIP, FULLNAT local address,
    // VRRP virtual address).
    static bool owns(const Node& node, Ipv4 address);
    // Whether a node forwards packets (net.ipv4.ip_forward=1; a router unless set to 0).
    static bool forwards(const Node& node);

    // The node a packet from `from` to `destination` reaches by the hosts' routing: longest
    // prefix among connected networks, static routes and the default gateway, hop by hop
    // through forwarding nodes (at most 16). nullptr when it is dropped on the way.
    const Node* route(const Node& from, Ipv4 destination) const;

private:
    // The node on a domain that answers for an address there (holds it on an interface of the
    // domain, or as a VIP / local address inside a network it has on that domain).
    const Node* ownerOnDomain(int domain, Ipv4 address, const Node* except) const;

    const Topology& m_topology;
    std::map<Id, int> m_domain; // interface id -> domain
};

} // namespace lvs::core::validate
