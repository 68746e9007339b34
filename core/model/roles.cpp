// The roles of addresses in an LVS cluster, as the seeds name them: CIP, VIP, DIP, RIP, GW.
#include "core/model/roles.h"

#include <algorithm>

namespace lvs::core {

std::string_view toString(AddressRole role)
{
    switch (role) {
    case AddressRole::Cip: return "CIP";
    case AddressRole::Vip: return "VIP";
    case AddressRole::Dip: return "DIP";
    case AddressRole::Rip: return "RIP";
    case AddressRole::Gw: return "GW";
    case AddressRole::Other: return "";
    }
    return "";
}

std::set<Ipv4> virtualAddresses(const Topology& topology)
{
    std::set<Ipv4> vips;
    for (const Node& node : topology.nodes) {
        for (const VirtualService& s : node.services)
            if (s.fwmark == 0)
                vips.insert(s.address);
        for (const FwmarkRule& r : node.fwmarkRules)
            if (r.destination.length == 32)
                vips.insert(r.destination.address);
        for (const VrrpInstance& v : node.vrrp)
            for (const Ipv4Prefix& p : v.virtualAddresses)
                vips.insert(p.address);
    }
    return vips;
}

AddressRole roleOf(const Topology&, const Node& node, Ipv4 address, const std::set<Ipv4>& vips)
{
    switch (node.kind) {
    case NodeKind::Client: return AddressRole::Cip;
    case NodeKind::Router: return AddressRole::Gw;
    case NodeKind::Director: return vips.count(address) ? AddressRole::Vip : AddressRole::Dip;
    case NodeKind::RealServer: {
        for (const VipBinding& v : node.vips)
            if (v.address.address == address)
                return AddressRole::Vip;
        return AddressRole::Rip;
    }
    case NodeKind::Segment: return AddressRole::Other;
    }
    return AddressRole::Other;
}

std::vector<RoledAddress> roledAddresses(const Topology& topology, const Node& node)
{
    const std::set<Ipv4> vips = virtualAddresses(topology);
    std::vector<RoledAddress> out;
    for (const Interface& iface : node.interfaces) {
        for (const Ipv4Prefix& p : iface.addresses)
            out.push_back({iface.name, p, roleOf(topology, node, p.address, vips), {}});
        for (const VipBinding& v : node.vips)
            if (v.device == VipDevice::Interface && v.interfaceId == iface.id)
                out.push_back({iface.name, v.address, AddressRole::Vip, {}});
    }
    for (const VipBinding& v : node.vips)
        if (v.device != VipDevice::Interface)
            out.push_back({std::string(toString(v.device)), v.address, AddressRole::Vip, {}});
    for (const VrrpInstance& vrrp : node.vrrp) {
        std::string device = "?";
        for (const Interface& iface : node.interfaces)
            if (iface.id == vrrp.interfaceId)
                device = iface.name;
        for (const Ipv4Prefix& p : vrrp.virtualAddresses) {
            bool listed = std::any_of(out.begin(), out.end(), [&](const RoledAddress& a) {
                return a.device == device && a.address == p;
            });
            if (!listed)
                out.push_back({device, p, AddressRole::Vip, std::string(toString(vrrp.state))});
        }
    }
    return out;
}

} // namespace lvs::core
