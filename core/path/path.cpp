// The packet-path engine: a walk over the topology, node by node, with the director's IPVS
// decisions taken by core/ipvs's Balancer.
#include "core/path/path.h"

#include "core/ipvs/balancer.h"
#include "core/ipvs/listing.h"
#include "core/ipvs/service.h"
#include "core/validate/connectivity.h"

#include <algorithm>
#include <map>
#include <memory>
#include <random>

namespace lvs::core::path {

namespace {

constexpr int kMaxHops = 32;

std::string addrPort(Ipv4 a, std::uint16_t p) { return a.toString() + ":" + std::to_string(p); }

std::optional<int> sysctlOf(const Node& n, const std::string& key)
{
    auto it = n.sysctls.find(key);
    return it == n.sysctls.end() ? std::nullopt : std::optional(it->second);
}

// IN_DEV_MAXCONF (include/linux/inetdevice.h): the larger of `all` and the device's value.
int maxConf(const Node& n, const std::string& device, const std::string& what)
{
    return std::max(sysctlOf(n, "net.ipv4.conf.all." + what).value_or(0),
                    sysctlOf(n, "net.ipv4.conf." + device + "." + what).value_or(0));
}

bool appServes(const Node& n, Protocol protocol, std::uint16_t port)
{
    return std::any_of(n.apps.begin(), n.apps.end(), [&](const AppService& a) {
        return a.port == port && (a.kind == AppKind::UdpEcho) == (protocol == Protocol::Udp);
    });
}

Ipv4 primaryAddress(const Interface& i) { return i.addresses.empty() ? Ipv4{} : i.addresses.front().address; }

// A VRRP address belongs to the MASTER only.
bool ownsAddress(const Node& n, Ipv4 a)
{
    for (const Interface& i : n.interfaces)
        for (const Ipv4Prefix& p : i.addresses)
            if (p.address == a)
                return true;
    for (const VipBinding& v : n.vips)
        if (v.address.address == a)
            return true;
    if (std::find(n.localAddresses.begin(), n.localAddresses.end(), a) != n.localAddresses.end())
        return true;
    for (const VrrpInstance& v : n.vrrp)
        if (v.state == VrrpState::Master)
            for (const Ipv4Prefix& p : v.virtualAddresses)
                if (p.address == a)
                    return true;
    return false;
}

// Whether address a is configured on interface i itself (its addresses, an alias VIP bound to
// it, or a MASTER's VRRP address on it): arp_ignore=1 answers only for those.
bool onInterface(const Node& n, const Interface& i, Ipv4 a)
{
    for (const Ipv4Prefix& p : i.addresses)
        if (p.address == a)
            return true;
    for (const VipBinding& v : n.vips)
        if (v.device == VipDevice::Interface && v.interfaceId == i.id && v.address.address == a)
            return true;
    for (const VrrpInstance& v : n.vrrp)
        if (v.state == VrrpState::Master && v.interfaceId == i.id)
            for (const Ipv4Prefix& p : v.virtualAddresses)
                if (p.address == a)
                    return true;
    for (Ipv4 l : n.localAddresses)
        if (l == a)
            for (const Ipv4Prefix& p : i.addresses)
                if (p.contains(l))
                    return true;
    return false;
}

struct Flow {
    const Node* client = nullptr;
    Headers original;
    const Node* director = nullptr;
    ipvs::Balancer* balancer = nullptr;
    std::optional<ipvs::ConnId> conn;
    const VirtualService* service = nullptr;
    ForwardMethod method = ForwardMethod::Route;
    std::string realServer;
    std::string why;
    std::optional<Ipv4> xmitTo;   // DR: the director sends to the RIP's MAC, not the VIP's route
    Ipv4 rip;
    std::uint16_t rport = 0;
    Ipv4 laddr;                   // FULLNAT: the local address and port the request left with
    std::uint16_t lport = 0;
    Headers arrived;              // the request as the application received it
    const Node* server = nullptr; // the node whose application answers
};

struct RouteResult {
    const Interface* iface = nullptr;
    Ipv4 nextHop;
    std::string text;
};

class Engine {
public:
    explicit Engine(const Topology& t) : m_t(t), m_conn(t), m_random(1) {}

    Result<void> setUp()
    {
        for (const Node& n : m_t.nodes) {
            if (n.kind != NodeKind::Director)
                continue;
            for (const VirtualService& s : n.services) {
                ipvs::ServiceSettings st;
                st.fwmark = s.fwmark;
                st.protocol = s.protocol;
                st.address = s.address;
                st.port = s.port;
                st.scheduler = s.scheduler;
                for (const std::string& f : s.schedFlags)
                    st.schedFlags |= ipvs::schedFlagBit(f);
                st.persistence = s.persistence;
                st.netmask = s.persistenceNetmask;
                ipvs::SchedulerContext ctx;
                ctx.clock = [this] { return std::uint64_t{m_now}; };
                ctx.random = [this] { return static_cast<std::uint32_t>(m_random()); };
                auto b = ipvs::Balancer::create(st, ctx, 4096);
                if (!b)
                    return fail(n.name + ": " + b.error().message);
                for (const Destination& d : s.destinations) {
                    ipvs::DestSettings ds{d.address, effectivePort(s, d), d.method,
                                          static_cast<int>(std::clamp<std::int64_t>(d.weight, 0, kMaxWeight)),
                                          d.upperThreshold, d.lowerThreshold};
                    if (auto r = (*b)->addDest(ds); !r)
                        return fail(n.name + ": " + d.address.toString() + ": " + r.error().message);
                }
                m_balancers[{n.id, s.id}] = std::move(*b);
            }
        }
        return {};
    }

    Trace run(int index, const Node& client, Protocol protocol, Ipv4 vip, std::uint16_t vport, std::uint16_t cport)
    {
        Trace trace;
        trace.index = index;
        trace.client = client.name;
        trace.target = std::string(toString(protocol)) + " " + addrPort(vip, vport);
        Flow flow;
        flow.client = &client;
        Headers h;
        h.protocol = protocol;
        h.dst = vip;
        h.dport = vport;
        h.sport = cport;
        if (auto r = route(client, vip))
            h.src = primaryAddress(*r->iface);
        flow.original = h;
        trace.request = walk(client, h, flow, true);
        trace.director = flow.director ? flow.director->name : "";
        trace.realServer = flow.realServer;
        trace.method = flow.service ? std::string(toString(flow.method)) : "";
        trace.why = flow.why;
        if (trace.request.delivered && flow.server) {
            Headers r;
            r.protocol = flow.arrived.protocol;
            r.src = flow.arrived.dst;
            r.dst = flow.arrived.src;
            r.sport = flow.arrived.dport;
            r.dport = flow.arrived.sport;
            trace.response = walk(*flow.server, r, flow, false);
        }
        // The exchange is over: the connection leaves ESTABLISHED and waits out its timer as an
        // inactive one (TIME_WAIT, 120 s), as the kernel counts it for lc/wlc/sed/nq.
        if (flow.balancer && flow.conn) {
            flow.balancer->setActive(*flow.conn, false);
            flow.balancer->setExpiry(*flow.conn, m_now + 120);
        }
        ++m_now;
        for (auto& [key, b] : m_balancers)
            b->advanceTo(m_now);
        return trace;
    }

private:
    // The route lookup of a host: the owner is local; else the longest prefix among connected
    // networks and static routes; else the default gateway.
    std::optional<RouteResult> route(const Node& n, Ipv4 dst) const
    {
        const Interface* best = nullptr;
        int bestLen = -1;
        Ipv4 via = dst;
        for (const Interface& i : n.interfaces)
            for (const Ipv4Prefix& p : i.addresses)
                if (p.contains(dst) && p.length > bestLen) {
                    best = &i;
                    bestLen = p.length;
                    via = dst;
                }
        for (const Route& r : n.routes)
            if (r.destination.contains(dst) && r.destination.length > bestLen)
                if (const Interface* i = connectedTo(n, r.via)) {
                    best = i;
                    bestLen = r.destination.length;
                    via = r.via;
                }
        if (best) {
            RouteResult out{best, via, ""};
            out.text = via == dst ? "route: " + dst.toString() + " is on " + best->name + "'s network"
                                  : "route: " + dst.toString() + " via " + via.toString() + " dev " + best->name;
            return out;
        }
        if (n.defaultGateway)
            if (const Interface* i = connectedTo(n, *n.defaultGateway))
                return RouteResult{i, *n.defaultGateway,
                                   "route: default via " + n.defaultGateway->toString() + " dev " + i->name};
        return std::nullopt;
    }

    static const Interface* connectedTo(const Node& n, Ipv4 a)
    {
        const Interface* best = nullptr;
        int bestLen = -1;
        for (const Interface& i : n.interfaces)
            for (const Ipv4Prefix& p : i.addresses)
                if (p.contains(a) && p.length > bestLen) {
                    best = &i;
                    bestLen = p.length;
                }
        return best;
    }

    struct Answer {
        const Node* node;
        const Interface* iface;
        std::string why;
    };

    // Who answers an ARP request for `target` sent out of `out`: every node on the broadcast
    // domain holding the address on the receiving interface, and, while arp_ignore is 0
    // (net/ipv4/arp.c arp_ignore()), every node holding it anywhere (a VIP on lo or tunl0).
    std::vector<Answer> arp(const Node& from, const Interface& out, Ipv4 target) const
    {
        std::vector<Answer> answers;
        const int domain = m_conn.domainOf(out.id);
        for (const Node& n : m_t.nodes) {
            if (&n == &from)
                continue;
            for (const Interface& i : n.interfaces) {
                if (m_conn.domainOf(i.id) != domain)
                    continue;
                if (onInterface(n, i, target)) {
                    answers.push_back({&n, &i, target.toString() + " is on " + i.name});
                } else if (ownsAddress(n, target)) {
                    const int ignore = maxConf(n, i.name, "arp_ignore");
                    if (ignore == 0)
                        answers.push_back({&n, &i, target.toString() + " is local to " + n.name
                                                       + " and arp_ignore is 0 on " + i.name});
                }
            }
        }
        return answers;
    }

    ipvs::Balancer* balancerOf(const Node& director, const VirtualService& s)
    {
        auto it = m_balancers.find({director.id, s.id});
        return it == m_balancers.end() ? nullptr : it->second.get();
    }

    // ip_vs_service_find: the fwmark table first, then <protocol, vaddr, vport>, then the
    // port-zero service of the address.
    const VirtualService* findService(const Node& director, const Headers& h) const
    {
        if (h.mark)
            for (const VirtualService& s : director.services)
                if (s.fwmark == h.mark)
                    return &s;
        for (const VirtualService& s : director.services)
            if (!s.fwmark && s.protocol == h.protocol && s.address == h.dst && s.port == h.dport)
                return &s;
        for (const VirtualService& s : director.services)
            if (!s.fwmark && s.protocol == h.protocol && s.address == h.dst && s.port == 0)
                return &s;
        return nullptr;
    }

    std::string nodeOfAddress(Ipv4 a) const
    {
        for (const Node& n : m_t.nodes)
            for (const Interface& i : n.interfaces)
                for (const Ipv4Prefix& p : i.addresses)
                    if (p.address == a)
                        return n.name;
        return a.toString();
    }

    // The scheduler's state before it chooses, for the explanation.
    static std::string destTable(ipvs::Balancer& b)
    {
        std::string out;
        b.service().forEachDest([&](ipvs::Dest& d) {
            out += (out.empty() ? "" : ", ") + addrPort(d.address, d.port) + " weight " + std::to_string(d.weight)
                + " active " + std::to_string(d.activeConns) + " inactive " + std::to_string(d.inactConns);
        });
        return out;
    }

    // IPVS at LOCAL_IN: schedule and rewrite the request; false when it is dropped.
    bool ipvsRequest(const Node& director, Headers& h, Hop& hop, Flow& flow, std::string& reason)
    {
        const VirtualService* s = findService(director, h);
        if (!s)
            return false;
        ipvs::Balancer* b = balancerOf(director, *s);
        flow.director = &director;
        flow.service = s;
        flow.balancer = b;
        const std::string before = destTable(*b);
        ipvs::PacketInfo p{h.protocol, h.src, h.sport, h.dst, h.dport};
        auto conn = b->connect(p);
        const std::string svcText = s->fwmark ? "FWM " + std::to_string(s->fwmark)
                                              : std::string(toString(s->protocol)) + " " + addrPort(s->address, s->port);
        if (!conn) {
            reason = "IPVS on " + director.name + ": " + svcText + " has no available real server (" +
                (before.empty() ? "no destination" : before) + "): the packet is dropped";
            return false;
        }
        flow.conn = conn;
        b->setActive(*conn, true);
        ipvs::Dest* d = b->destOf(*conn);
        flow.method = d->method;
        flow.rip = d->address;
        flow.rport = d->port ? d->port : h.dport;
        flow.realServer = nodeOfAddress(d->address);
        flow.why = s->scheduler + (s->persistence ? " with persistence " + std::to_string(*s->persistence) + " s" : "")
            + " over [" + before + "] chose " + addrPort(d->address, d->port) + " (" + flow.realServer + ")";
        hop.decisions.push_back("IPVS (ip_vs_in at LOCAL_IN): " + h.dst.toString() + ":" + std::to_string(h.dport)
                                + " matches " + svcText + "; " + flow.why);
        switch (d->method) {
        case ForwardMethod::Masq:
            hop.decisions.push_back("NAT (ip_vs_nat_xmit): destination rewritten to " + addrPort(d->address, d->port));
            h.dst = d->address;
            if (d->port)
                h.dport = d->port;
            break;
        case ForwardMethod::Route:
            if (d->port && d->port != h.dport) {
                reason = "DR cannot change the port: " + flow.realServer + " would get port " + std::to_string(h.dport)
                    + " but the destination is " + addrPort(d->address, d->port) + " (ip_vs_dr_xmit rewrites only the MAC)";
                return false;
            }
            hop.decisions.push_back("DR (ip_vs_dr_xmit): the IP packet is unchanged; only the MAC will be "
                                    + d->address.toString() + "'s");
            flow.xmitTo = d->address;
            break;
        case ForwardMethod::Tunnel: {
            if (d->port && d->port != h.dport) {
                reason = "TUN cannot change the port: the inner packet keeps port " + std::to_string(h.dport)
                    + " but the destination is " + addrPort(d->address, d->port);
                return false;
            }
            auto r = route(director, d->address);
            h.outerSrc = r ? primaryAddress(*r->iface) : Ipv4{};
            h.outerDst = d->address;
            hop.decisions.push_back("TUN (ip_vs_tunnel_xmit): IPIP header added, " + h.outerSrc->toString() + " -> "
                                    + d->address.toString() + " (protocol 4); the inner packet still goes to the VIP");
            break;
        }
        case ForwardMethod::FullNat: {
            std::optional<Ipv4> laddr;
            std::vector<Ipv4> candidates;
            for (Ipv4 l : director.localAddresses) {
                auto r = route(director, d->address);
                if (r)
                    for (const Ipv4Prefix& a : r->iface->addresses)
                        if (a.contains(l))
                            candidates.push_back(l);
            }
            if (!candidates.empty())
                laddr = candidates[(flow.original.sport) % candidates.size()];
            if (!laddr) {
                reason = "FULLNAT on " + director.name + ": no local address in the network towards "
                    + d->address.toString() + ": the source cannot be rewritten";
                return false;
            }
            h.toaAddress = h.src;
            h.toaPort = h.sport;
            h.src = *laddr;
            flow.laddr = *laddr;
            flow.lport = h.sport;
            h.dst = d->address;
            if (d->port)
                h.dport = d->port;
            hop.decisions.push_back("FULLNAT: source rewritten to the local address " + addrPort(*laddr, h.sport)
                                    + ", destination to " + addrPort(d->address, h.dport)
                                    + "; the client " + addrPort(*h.toaAddress, *h.toaPort)
                                    + " rides in the TCP option (TOA)");
            break;
        }
        }
        return true;
    }

    // IPVS on a reply through the director: NAT at FORWARD (ip_vs_out), FULLNAT at LOCAL_IN.
    bool ipvsReply(const Node& director, Headers& h, Hop& hop, Flow& flow)
    {
        if (!flow.balancer || !flow.conn || flow.director != &director)
            return false;
        if (flow.method == ForwardMethod::Masq) {
            // ip_vs_conn_out_get: <protocol, RIP, RPORT, CIP, CPORT>.
            auto out = flow.balancer->findOut(h.protocol, h.src, h.sport, h.dst, h.dport);
            if (!out || *out != *flow.conn)
                return false;
            hop.decisions.push_back("IPVS (ip_vs_out at FORWARD): reply of the connection from "
                                    + addrPort(flow.original.src, flow.original.sport) + "; source rewritten to "
                                    + addrPort(flow.original.dst, flow.original.dport));
            h.src = flow.original.dst;
            h.sport = flow.original.dport;
            return true;
        }
        if (flow.method == ForwardMethod::FullNat && h.src == flow.rip && h.sport == flow.rport
            && h.dst == flow.laddr && h.dport == flow.lport) {
            hop.decisions.push_back("FULLNAT reply to the local address " + addrPort(flow.laddr, flow.lport)
                                    + ": source rewritten to " + addrPort(flow.original.dst, flow.original.dport)
                                    + ", destination back to the client " + addrPort(flow.original.src, flow.original.sport));
            h.src = flow.original.dst;
            h.sport = flow.original.dport;
            h.dst = flow.original.src;
            h.dport = flow.original.sport;
            return true;
        }
        return false;
    }

    // Applies mangle PREROUTING MARK rules (the notes' iptables lines) on a director.
    static void mangle(const Node& n, Headers& h, Hop& hop)
    {
        for (const FwmarkRule& r : n.fwmarkRules)
            if (r.destination.contains(h.dst) && r.protocol == h.protocol
                && (r.ports.empty() || std::find(r.ports.begin(), r.ports.end(), h.dport) != r.ports.end())) {
                h.mark = r.mark;
                hop.decisions.push_back("mangle PREROUTING: " + h.dst.toString() + ":" + std::to_string(h.dport)
                                        + " gets MARK " + std::to_string(r.mark));
                return;
            }
    }

    Leg walk(const Node& start, Headers h, Flow& flow, bool isRequest)
    {
        Leg leg;
        const Node* node = &start;
        const Interface* in = nullptr;
        Headers previous = h;
        auto breakAt = [&](Hop& hop, const std::string& reason) {
            hop.changed = changedFields(previous, hop.headers);
            leg.hops.push_back(hop);
            leg.brokenAt = node->name;
            leg.breakReason = reason;
            return leg;
        };
        for (int count = 0; count < kMaxHops; ++count) {
            Hop hop;
            hop.node = node->name;
            hop.inInterface = in ? in->name : "";
            bool sending = in == nullptr;
            if (sending) {
                hop.hooks.push_back("OUTPUT");
                if (!isRequest && node->kind == NodeKind::RealServer)
                    hop.decisions.push_back("the application answers from " + addrPort(h.src, h.sport));
            } else {
                hop.hooks.push_back("PREROUTING");
                if (node->kind == NodeKind::Director)
                    mangle(*node, h, hop);
                const Ipv4 to = h.outerDst.value_or(h.dst);
                if (ownsAddress(*node, to)) {
                    hop.hooks.push_back("INPUT");
                    if (h.outerDst) {
                        // An IPIP packet for this host: tunl0 decapsulates it (ipip_rcv).
                        hop.decisions.push_back("IPIP to " + to.toString() + ": tunl0 decapsulates it");
                        h.outerSrc.reset();
                        h.outerDst.reset();
                        hop.headers = h;
                        if (!ownsAddress(*node, h.dst))
                            return breakAt(hop, node->name + " has no " + h.dst.toString()
                                                    + " (the VIP) on tunl0 or anywhere: the decapsulated packet is not "
                                                      "local and is dropped");
                        bool onTunnel = std::any_of(node->vips.begin(), node->vips.end(), [&](const VipBinding& v) {
                            return v.address.address == h.dst && v.device == VipDevice::Tunnel;
                        });
                        if (!onTunnel)
                            hop.decisions.push_back("the VIP is not on tunl0 but local elsewhere: accepted (weak host "
                                                    "model); the notes bind it to tunl0");
                        const int rp = maxConf(*node, "tunl0", "rp_filter");
                        if (rp == 1)
                            return breakAt(hop, "rp_filter=1 on " + node->name + ": the route back to "
                                                    + h.src.toString() + " does not leave by tunl0, so "
                                                      "fib_validate_source drops the packet (set rp_filter 0)");
                        hop.decisions.push_back("rp_filter " + std::to_string(rp) + " on tunl0: accepted");
                    }
                    if (node->kind == NodeKind::Director) {
                        std::string reason;
                        Headers before = h;
                        if (isRequest && !flow.director) {
                            if (ipvsRequest(*node, h, hop, flow, reason)) {
                                hop.hooks.push_back("OUTPUT");
                                hop.decisions.push_back("sent on at LOCAL_OUT with ipvs_property set (ip_vs_send_or_cont)");
                                in = nullptr; // leaves as if sent by the director
                                goto transmit;
                            }
                            if (!reason.empty()) {
                                hop.headers = h;
                                return breakAt(hop, reason);
                            }
                        } else if (!isRequest && ipvsReply(*node, h, hop, flow)) {
                            hop.hooks.push_back("OUTPUT");
                            goto transmit;
                        }
                        (void)before;
                    }
                    // Delivered to a socket of this host.
                    hop.headers = h;
                    hop.changed = changedFields(previous, h);
                    if (isRequest) {
                        if (!appServes(*node, h.protocol, h.dport)) {
                            leg.hops.push_back(hop);
                            leg.brokenAt = node->name;
                            leg.breakReason = node->name + " serves nothing on " + std::string(toString(h.protocol))
                                + " port " + std::to_string(h.dport) + ": the request is refused"
                                + (h.protocol == Protocol::Tcp ? " (RST)" : " (ICMP port unreachable)");
                            return leg;
                        }
                        hop.decisions.push_back("delivered to the application on " + std::string(toString(h.protocol))
                                                + " port " + std::to_string(h.dport));
                        flow.arrived = h;
                        flow.server = node;
                        leg.hops.push_back(hop);
                        leg.delivered = true;
                        return leg;
                    }
                    // The response ends here: it must be the client's own connection.
                    if (node != flow.client)
                        return breakAt(hop, "the reply ends at " + node->name + ", not at the client");
                    if (h.src != flow.original.dst || h.sport != flow.original.dport || h.dst != flow.original.src
                        || h.dport != flow.original.sport)
                        return breakAt(hop, node->name + " gets a reply from " + addrPort(h.src, h.sport)
                                                + " but its connection is to " + addrPort(flow.original.dst, flow.original.dport)
                                                + ": no socket matches, so it is dropped"
                                                + (h.protocol == Protocol::Tcp ? " and answered with RST" : ""));
                    hop.decisions.push_back("the client's socket to " + addrPort(flow.original.dst, flow.original.dport)
                                            + " gets the answer");
                    leg.hops.push_back(hop);
                    leg.delivered = true;
                    return leg;
                }
                // Not for this host: forward, if it forwards.
                if (!validate::Connectivity::forwards(*node)) {
                    hop.headers = h;
                    return breakAt(hop, node->name + " does not forward (net.ipv4.ip_forward=0) and "
                                            + h.dst.toString() + " is not its address: dropped");
                }
                hop.hooks.push_back("FORWARD");
                if (node->kind == NodeKind::Director && !isRequest)
                    ipvsReply(*node, h, hop, flow);
            }
        transmit:
            {
                const Ipv4 to = flow.xmitTo.value_or(h.outerDst.value_or(h.dst));
                flow.xmitTo.reset();
                auto r = route(*node, to);
                if (!r) {
                    hop.headers = h;
                    return breakAt(hop, node->name + " has no route to " + to.toString());
                }
                hop.decisions.push_back(r->text);
                hop.hooks.push_back("POSTROUTING");
                hop.outInterface = r->iface->name;
                if (!isRequest && node->kind == NodeKind::RealServer && sending) {
                    bool vipSource = std::any_of(node->vips.begin(), node->vips.end(),
                                                 [&](const VipBinding& v) { return v.address.address == h.src; });
                    if (vipSource && maxConf(*node, r->iface->name, "arp_announce") < 2)
                        hop.decisions.push_back("arp_announce < 2 on " + r->iface->name + ": the ARP request for "
                                                + r->nextHop.toString() + " may carry the VIP as its sender, "
                                                  "teaching the neighbours the VIP at " + node->name + "'s MAC");
                }
                auto answers = arp(*node, *r->iface, r->nextHop);
                h.srcMac = interfaceMac(*r->iface);
                if (answers.empty()) {
                    hop.headers = h;
                    return breakAt(hop, "no answer to the ARP request for " + r->nextHop.toString() + " on "
                                            + node->name + "'s " + r->iface->name + ": the packet is dropped");
                }
                if (answers.size() > 1) {
                    std::string who;
                    for (const Answer& a : answers)
                        who += (who.empty() ? "" : "; ") + a.node->name + " (" + a.why + ")";
                    hop.headers = h;
                    return breakAt(hop, "the ARP request for " + r->nextHop.toString() + " on " + r->iface->name
                                            + " is answered by " + std::to_string(answers.size()) + " hosts: " + who
                                            + ". The last answer wins, so requests may go straight to a real server "
                                              "and bypass the director (set arp_ignore=1 and arp_announce=2 on the real servers)");
                }
                h.dstMac = interfaceMac(*answers.front().iface);
                hop.decisions.push_back("ARP: " + r->nextHop.toString() + " is at " + h.dstMac.toString() + " ("
                                        + answers.front().node->name + " " + answers.front().iface->name + ")");
                hop.headers = h;
                if (count > 0) // the sender's headers are where the story starts
                    hop.changed = changedFields(previous, h);
                leg.hops.push_back(hop);
                previous = h;
                node = answers.front().node;
                in = answers.front().iface;
            }
        }
        leg.brokenAt = node->name;
        leg.breakReason = "more than " + std::to_string(kMaxHops) + " hops: a routing loop";
        return leg;
    }

    const Topology& m_t;
    validate::Connectivity m_conn;
    std::mt19937 m_random;
    std::uint32_t m_now = 0;
    std::map<std::pair<Id, Id>, std::unique_ptr<ipvs::Balancer>> m_balancers;
};

struct Target {
    Protocol protocol;
    Ipv4 address;
    std::uint16_t port;
};

Result<Target> parseTarget(const std::string& text)
{
    auto c1 = text.find(':');
    auto c2 = text.rfind(':');
    if (c1 == std::string::npos || c1 == c2)
        return fail("bad service \"" + text + "\": expected PROTO:VIP:PORT, e.g. tcp:172.18.100.6:80");
    auto proto = protocolFromString(text.substr(0, c1));
    auto addr = Ipv4::parse(text.substr(c1 + 1, c2 - c1 - 1));
    const std::string portText = text.substr(c2 + 1);
    unsigned long port = 0;
    bool portOk = !portText.empty() && portText.size() <= 5
        && std::all_of(portText.begin(), portText.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (portOk)
        port = std::stoul(portText);
    if (!proto || !addr || !portOk || port > 65535)
        return fail("bad service \"" + text + "\": expected PROTO:VIP:PORT, e.g. tcp:172.18.100.6:80");
    return Target{*proto, *addr, static_cast<std::uint16_t>(port)};
}

} // namespace

std::vector<std::string> changedFields(const Headers& a, const Headers& b)
{
    std::vector<std::string> out;
    if (a.srcMac != b.srcMac)
        out.push_back("eth.src");
    if (a.dstMac != b.dstMac)
        out.push_back("eth.dst");
    if (a.outerSrc != b.outerSrc)
        out.push_back("outer.src");
    if (a.outerDst != b.outerDst)
        out.push_back("outer.dst");
    if (a.src != b.src)
        out.push_back("ip.src");
    if (a.dst != b.dst)
        out.push_back("ip.dst");
    if (a.sport != b.sport)
        out.push_back("sport");
    if (a.dport != b.dport)
        out.push_back("dport");
    if (a.toaAddress != b.toaAddress || a.toaPort != b.toaPort)
        out.push_back("toa");
    if (a.mark != b.mark)
        out.push_back("mark");
    return out;
}

Result<std::vector<Trace>> tracePaths(const Topology& topology, const Options& options)
{
    const Node* client = nullptr;
    for (const Node& n : topology.nodes)
        if (options.client ? n.name == *options.client : n.kind == NodeKind::Client) {
            client = &n;
            break;
        }
    if (!client)
        return fail(options.client ? "no node named \"" + *options.client + "\"" : std::string("the design has no client"));
    if (client->interfaces.empty())
        return fail(client->name + " has no interface");
    std::vector<Target> targets;
    for (const std::string& t : options.targets) {
        auto parsed = parseTarget(t);
        if (!parsed)
            return fail(parsed.error().message);
        targets.push_back(*parsed);
    }
    if (targets.empty()) {
        for (const Node& n : topology.nodes) {
            if (n.kind != NodeKind::Director || n.services.empty())
                continue;
            const VirtualService& s = n.services.front();
            if (!s.fwmark) {
                targets.push_back({s.protocol, s.address, s.port ? s.port : std::uint16_t{80}});
            } else {
                for (const FwmarkRule& r : n.fwmarkRules)
                    if (r.mark == s.fwmark) {
                        targets.push_back({r.protocol, r.destination.address, r.ports.empty() ? std::uint16_t{80} : r.ports.front()});
                        break;
                    }
            }
            break;
        }
        if (targets.empty())
            return fail("the design has no virtual service to send to: give --service PROTO:VIP:PORT");
    }
    if (options.requests < 1 || options.requests > 100000)
        return fail("the number of requests must be between 1 and 100000");
    Engine engine(topology);
    if (auto r = engine.setUp(); !r)
        return fail(r.error().message);
    std::vector<Trace> out;
    for (int i = 0; i < options.requests; ++i) {
        const Target& t = targets[static_cast<std::size_t>(i) % targets.size()];
        out.push_back(engine.run(i + 1, *client, t.protocol, t.address, t.port,
                                 static_cast<std::uint16_t>(options.firstClientPort + i)));
    }
    return out;
}

} // namespace lvs::core::path
