// The L2/L3 connectivity of a topology: broadcast domains and hop-by-hop routing.
#include "core/validate/connectivity.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace lvs::core::validate {

namespace {

int find(std::vector<int>& parent, int x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

} // namespace

Connectivity::Connectivity(const Topology& topology)
    : m_topology(topology)
{
    // Union-find over interfaces and segments: each gets an index, each link joins its ends.
    std::map<Id, int> index; // interface id or segment node id -> index
    for (const Node& node : topology.nodes) {
        if (node.kind == NodeKind::Segment)
            index.emplace(node.id, static_cast<int>(index.size()));
        for (const Interface& iface : node.interfaces)
            index.emplace(iface.id, static_cast<int>(index.size()));
    }
    std::vector<int> parent(index.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto key = [](const Endpoint& end) { return end.interfaceId != kNoId ? end.interfaceId : end.node; };
    for (const Link& link : topology.links) {
        auto a = index.find(key(link.a));
        auto b = index.find(key(link.b));
        if (a != index.end() && b != index.end())
            parent[find(parent, a->second)] = find(parent, b->second);
    }
    for (const Node& node : topology.nodes)
        for (const Interface& iface : node.interfaces)
            m_domain[iface.id] = find(parent, index[iface.id]);
}

int Connectivity::domainOf(Id interfaceId) const
{
    auto it = m_domain.find(interfaceId);
    return it == m_domain.end() ? -1 : it->second;
}

std::vector<Attachment> Connectivity::attachments(const Node& node) const
{
    std::vector<Attachment> out;
    for (const Interface& iface : node.interfaces)
        for (const Ipv4Prefix& p : iface.addresses)
            out.push_back({&node, &iface, p, domainOf(iface.id)});
    return out;
}

std::vector<Attachment> Connectivity::onDomain(int domain) const
{
    std::vector<Attachment> out;
    for (const Node& node : m_topology.nodes)
        for (const Attachment& a : attachments(node))
            if (a.domain == domain)
                out.push_back(a);
    return out;
}

int Connectivity::sharedDomain(const Node& a, const Node& b) const
{
    for (const Interface& x : a.interfaces)
        for (const Interface& y : b.interfaces)
            if (domainOf(x.id) == domainOf(y.id))
                return domainOf(x.id);
    return -1;
}

bool Connectivity::owns(const Node& node, Ipv4 address)
{
    for (const Interface& iface : node.interfaces)
        for (const Ipv4Prefix& p : iface.addresses)
            if (p.address == address)
                return true;
    for (const VipBinding& v : node.vips)
        if (v.address.address == address)
            return true;
    if (std::find(node.localAddresses.begin(), node.localAddresses.end(), address)
        != node.localAddresses.end())
        return true;
    for (const VrrpInstance& v : node.vrrp)
        for (const Ipv4Prefix& p : v.virtualAddresses)
            if (p.address == address)
                return true;
    return false;
}

bool Connectivity::forwards(const Node& node)
{
    auto it = node.sysctls.find("net.ipv4.ip_forward");
    if (it != node.sysctls.end())
        return it->second == 1;
    return node.kind == NodeKind::Router;
}

const Node* Connectivity::ownerOnDomain(int domain, Ipv4 address, const Node* except) const
{
    for (const Node& node : m_topology.nodes) {
        if (&node == except)
            continue;
        for (const Attachment& a : attachments(node)) {
            if (a.domain != domain)
                continue;
            // The address itself on this interface, or an address the node holds elsewhere
            // (VIP, local address) inside this interface's network: the node answers ARP for
            // it there (arp_ignore=0 on directors) .
            if (a.address.address == address || (a.address.contains(address) && owns(node, address)))
                return &node;
        }
    }
    return nullptr;
}

const Node* Connectivity::route(const Node& from, Ipv4 destination) const
{
    const Node* at = &from;
    std::set<const Node*> visited;
    for (int hop = 0; hop < 16; ++hop) {
        if (owns(*at, destination))
            return at;
        if (!visited.insert(at).second)
            return nullptr; // a routing loop
        // Longest prefix match: connected networks, then static routes, then the default route.
        int bestLength = -1;
        Ipv4 nextHop = destination;
        for (const Attachment& a : attachments(*at))
            if (a.address.contains(destination) && a.address.length > bestLength) {
                bestLength = a.address.length;
                nextHop = destination;
            }
        for (const Route& r : at->routes)
            if (r.destination.contains(destination) && r.destination.length > bestLength) {
                bestLength = r.destination.length;
                nextHop = r.via;
            }
        if (bestLength < 0 && at->defaultGateway) {
            bestLength = 0;
            nextHop = *at->defaultGateway;
        }
        if (bestLength < 0)
            return nullptr; // no route to host
        // The next hop must be on a connected network (the kernel refuses a gateway otherwise).
        const Attachment* out = nullptr;
        std::vector<Attachment> mine = attachments(*at);
        for (const Attachment& a : mine)
            if (a.address.contains(nextHop) && (!out || a.address.length > out->address.length))
                out = &a;
        if (!out)
            return nullptr;
        const Node* next = ownerOnDomain(out->domain, nextHop, at);
        if (!next)
            return nullptr;
        if (nextHop == destination)
            return owns(*next, destination) ? next : nullptr;
        if (!forwards(*next))
            return nullptr;
        at = next;
    }
    return nullptr;
}

} // namespace lvs::core::validate
