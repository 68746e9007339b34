#include "core/import/design.h"

#include "core/ipvs/listing.h"
#include "core/model/edit.h"

#include <algorithm>
#include <map>
#include <set>

namespace lvs::core::import {

namespace {

Ipv4 network24(Ipv4 a) { return Ipv4{a.value & 0xffffff00u}; }
Ipv4Prefix host(Ipv4 network, std::uint32_t hostPart, int length = 24)
{
    return Ipv4Prefix{Ipv4{network.value | hostPart}, length};
}

// A host number of the /24 not in `used`, trying `preferred` first, then downwards.
std::uint32_t freeHost(Ipv4 net, std::uint32_t preferred, std::set<std::uint32_t>& used)
{
    for (std::uint32_t h = preferred; h >= 1; --h)
        if (!used.count(net.value | h)) {
            used.insert(net.value | h);
            return h;
        }
    for (std::uint32_t h = preferred + 1; h < 255; ++h)
        if (!used.count(net.value | h)) {
            used.insert(net.value | h);
            return h;
        }
    return preferred;
}

Node& nodeOf(Topology& t, Id id) { return *t.findNode(id); }

Id addIface(Topology& t, Id node, const std::string& name, Ipv4Prefix address)
{
    Id id = *edit::addInterface(t, node, name);
    for (Interface& i : nodeOf(t, node).interfaces)
        if (i.id == id)
            i.addresses = {address};
    return id;
}

Id firstIface(Topology& t, Id node, Ipv4Prefix address)
{
    Interface& i = nodeOf(t, node).interfaces.front();
    i.addresses = {address};
    return i.id;
}

} // namespace

Topology designFromImport(const std::vector<ImportedDirector>& directors, std::string name)
{
    Topology t;
    t.name = std::move(name);
    t.description = "Imported; the addresses of the client, router and director interfaces are the "
                    "seeds' conventions (DIP .254, router .1): check them.";

    // What the directors' services say about the networks.
    std::set<std::uint32_t> used;
    std::vector<Ipv4> vips;
    std::map<std::uint32_t, ForwardMethod> ripMethod; // RIP -> method of its first destination
    std::vector<Ipv4> rips;
    bool needsForwarding = false, needsRouter = false;
    for (const ImportedDirector& d : directors) {
        for (const VirtualService& s : d.services) {
            if (!s.fwmark && std::find(vips.begin(), vips.end(), s.address) == vips.end())
                vips.push_back(s.address);
            for (const Destination& dest : s.destinations) {
                if (!ripMethod.count(dest.address.value)) {
                    ripMethod[dest.address.value] = dest.method;
                    rips.push_back(dest.address);
                }
                needsForwarding = needsForwarding || dest.method == ForwardMethod::Masq || dest.method == ForwardMethod::FullNat;
                needsRouter = needsRouter || dest.method != ForwardMethod::Masq;
            }
        }
        for (const FwmarkRule& r : d.fwmarkRules)
            if (std::find(vips.begin(), vips.end(), r.destination.address) == vips.end())
                vips.push_back(r.destination.address);
        for (const VrrpInstance& v : d.vrrp)
            for (const Ipv4Prefix& a : v.virtualAddresses)
                used.insert(a.address.value);
    }
    for (Ipv4 a : vips)
        used.insert(a.value);
    for (Ipv4 a : rips)
        used.insert(a.value);
    const Ipv4 front = vips.empty() ? Ipv4{0xac126400u} /* 172.18.100.0 */ : network24(vips.front());
    // The real servers' networks other than the front one (DR often puts VIP, DIP and RIPs
    // in one network: those real servers join the front segment).
    std::vector<Ipv4> lans;
    bool rsOnFront = false;
    for (Ipv4 r : rips) {
        if (network24(r) == front)
            rsOnFront = true;
        else if (std::find(lans.begin(), lans.end(), network24(r)) == lans.end())
            lans.push_back(network24(r));
    }

    // Client and front segment.
    Id client = *edit::addNode(t, NodeKind::Client, "Client", {0, 160});
    Id frontSeg = *edit::addNode(t, NodeKind::Segment, "Front", {200, 160});
    Id clientIf = firstIface(t, client, host(front, freeHost(front, 100, used)));
    edit::connect(t, {client, clientIf}, {frontSeg, kNoId});

    // Router for the modes whose replies bypass the director.
    std::map<std::uint32_t, Ipv4> routerOn; // network -> router address there
    if (needsRouter) {
        Id router = *edit::addNode(t, NodeKind::Router, "Router", {400, 20});
        const std::uint32_t h = freeHost(front, 1, used);
        Id r0 = firstIface(t, router, host(front, h));
        routerOn[front.value] = Ipv4{front.value | h};
        edit::connect(t, {router, r0}, {frontSeg, kNoId});
        nodeOf(t, client).defaultGateway = routerOn[front.value];
        int k = 1;
        for (Ipv4 lan : lans) {
            const std::uint32_t lh = freeHost(lan, 1, used);
            routerOn[lan.value] = Ipv4{lan.value | lh};
            addIface(t, router, "eth" + std::to_string(k++), host(lan, lh));
        }
    }

    // Segments of the real servers' networks.
    std::map<std::uint32_t, Id> lanSeg;
    int row = 0;
    for (Ipv4 lan : lans)
        lanSeg[lan.value] = *edit::addNode(t, NodeKind::Segment, "LAN" + (lans.size() > 1 ? std::to_string(row + 1) : ""),
                                           {600, 160 + 200 * row++});
    for (const Node& n : std::vector<Node>(t.nodes))
        if (n.kind == NodeKind::Router)
            for (std::size_t k = 1; k < n.interfaces.size(); ++k)
                edit::connect(t, {n.id, n.interfaces[k].id}, {lanSeg[network24(n.interfaces[k].addresses.front().address).value], kNoId});

    // Directors.
    std::map<std::uint32_t, Ipv4> dipOn; // network -> the first director's DIP there
    std::vector<Id> directorIds;
    for (std::size_t i = 0; i < directors.size(); ++i) {
        const ImportedDirector& d = directors[i];
        std::string dname = !d.name.empty() ? d.name : directors.size() > 1 ? "Director" + std::to_string(i + 1) : "Director";
        Id id = *edit::addNode(t, NodeKind::Director, edit::uniqueNodeName(t, dname),
                               {400, 160 + 200 * static_cast<int>(i) + (needsRouter ? 120 : 0)});
        directorIds.push_back(id);
        // One director without VRRP and without real servers beside it: the VIP is eth0's
        // address, as in the notes' NAT set-up. Otherwise eth0 has an address of its own (the
        // DIP when real servers share the front network) and the VIPs are aliases or VRRP's.
        const bool single = directors.size() == 1 && d.vrrp.empty() && !vips.empty() && !rsOnFront;
        Ipv4Prefix frontAddress = single ? host(front, vips.front().value & 0xffu)
            : rsOnFront ? host(front, freeHost(front, 254 - static_cast<std::uint32_t>(i), used))
                        : host(front, freeHost(front, 11 + static_cast<std::uint32_t>(i), used));
        if (rsOnFront && !dipOn.count(front.value))
            dipOn[front.value] = frontAddress.address;
        Id eth0 = firstIface(t, id, frontAddress);
        edit::connect(t, {id, eth0}, {frontSeg, kNoId});
        int k = 1;
        for (Ipv4 lan : lans) {
            const std::uint32_t h = freeHost(lan, 254, used);
            if (!dipOn.count(lan.value))
                dipOn[lan.value] = Ipv4{lan.value | h};
            Id ifId = addIface(t, id, "eth" + std::to_string(k++), host(lan, h));
            edit::connect(t, {id, ifId}, {lanSeg[lan.value], kNoId});
        }
        Node& n = nodeOf(t, id);
        if (needsForwarding)
            n.sysctls["net.ipv4.ip_forward"] = 1;
        if (d.vrrp.empty())
            for (Ipv4 vip : vips)
                if (!(single && vip == vips.front()))
                    n.vips.push_back(VipBinding{Ipv4Prefix{vip, 32}, VipDevice::Interface, eth0});
        for (std::size_t j = 0; j < d.vrrp.size(); ++j) {
            VrrpInstance v = d.vrrp[j];
            v.id = edit::allocateId(t);
            v.interfaceId = eth0;
            const std::string wanted = j < d.vrrpInterfaceNames.size() ? d.vrrpInterfaceNames[j] : "";
            Node& dn = nodeOf(t, id);
            for (const Interface& iface : dn.interfaces)
                if (iface.name == wanted)
                    v.interfaceId = iface.id;
            if (!wanted.empty() && v.interfaceId == eth0 && dn.interfaces.front().name != wanted)
                dn.interfaces.front().name = wanted; // the front interface takes keepalived's name
            dn.vrrp.push_back(v);
        }
        Node& dn = nodeOf(t, id);
        dn.localAddresses = d.localAddresses;
        for (FwmarkRule r : d.fwmarkRules) {
            r.id = edit::allocateId(t);
            dn.fwmarkRules.push_back(r);
        }
    }

    // Real servers.
    std::map<std::uint32_t, Id> rsOf;
    int rsRow = 0;
    for (Ipv4 rip : rips) {
        const Ipv4 lan = network24(rip);
        Id id = *edit::addNode(t, NodeKind::RealServer, "", {800, 60 + 140 * rsRow++});
        rsOf[rip.value] = id;
        Id eth0 = firstIface(t, id, host(lan, rip.value & 0xffu));
        edit::connect(t, {id, eth0}, {lan == front ? frontSeg : lanSeg[lan.value], kNoId});
        Node& rs = nodeOf(t, id);
        const ForwardMethod method = ripMethod[rip.value];
        // The gateway: a VRRP address on this network (HA), else the DIP (NAT), else the router.
        std::optional<Ipv4> gateway;
        for (const ImportedDirector& d : directors)
            for (const VrrpInstance& v : d.vrrp)
                for (const Ipv4Prefix& a : v.virtualAddresses)
                    if (network24(a.address) == lan && method == ForwardMethod::Masq)
                        gateway = a.address;
        if (!gateway)
            gateway = method == ForwardMethod::Masq ? dipOn[lan.value]
                : routerOn.count(lan.value)        ? std::optional(routerOn[lan.value])
                                                   : std::nullopt;
        rs.defaultGateway = gateway;
        if (method == ForwardMethod::Route) {
            for (const char* scope : {"all", "eth0"}) {
                rs.sysctls["net.ipv4.conf." + std::string(scope) + ".arp_ignore"] = 1;
                rs.sysctls["net.ipv4.conf." + std::string(scope) + ".arp_announce"] = 2;
            }
        } else if (method == ForwardMethod::Tunnel) {
            for (const char* scope : {"all", "tunl0", "eth0"})
                rs.sysctls["net.ipv4.conf." + std::string(scope) + ".rp_filter"] = 0;
        }
    }

    // Services, destinations linked to their real servers, and what each real server serves.
    for (std::size_t i = 0; i < directors.size(); ++i) {
        for (VirtualService s : directors[i].services) {
            for (Destination& d : s.destinations) {
                d.realServer = rsOf[d.address.value];
                Node& rs = nodeOf(t, d.realServer);
                const std::uint16_t port = effectivePort(s, d);
                if (port && std::none_of(rs.apps.begin(), rs.apps.end(), [&](const AppService& a) { return a.port == port; }))
                    rs.apps.push_back(AppService{s.protocol == Protocol::Udp ? AppKind::UdpEcho
                                                     : (port == 80 || port == 8080) ? AppKind::Http
                                                                                    : AppKind::TcpEcho,
                                                 port, {}});
                if (s.fwmark == 0 && (d.method == ForwardMethod::Route || d.method == ForwardMethod::Tunnel)) {
                    VipBinding b{Ipv4Prefix{s.address, 32},
                                 d.method == ForwardMethod::Route ? VipDevice::Loopback : VipDevice::Tunnel, kNoId};
                    if (std::find(rs.vips.begin(), rs.vips.end(), b) == rs.vips.end())
                        rs.vips.push_back(b);
                }
            }
            VirtualService copy = s;
            copy.id = kNoId;
            for (Destination& d : copy.destinations)
                d.id = kNoId;
            std::vector<Destination> dests = copy.destinations;
            copy.destinations.clear();
            Id sid = *edit::addService(t, directorIds[i], copy);
            for (const Destination& d : dests)
                edit::addDestination(t, directorIds[i], sid, d);
        }
    }
    return t;
}

} // namespace lvs::core::import
