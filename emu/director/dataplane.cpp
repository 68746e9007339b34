#include "emu/director/dataplane.h"

#include "core/ipvs/conn_table.h"
#include "core/ipvs/listing.h"
#include "core/packet/arp.h"
#include "core/packet/bytes.h"
#include "core/packet/toa.h"
#include "core/packet/trace_headers.h"
#include "core/packet/tunnel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace lvs::emu::director {

using core::Ipv4;
namespace packet = core::packet;

namespace {

constexpr std::size_t kHeadroom = 32; // room for an IPIP header in front
constexpr std::size_t kTailroom = 16; // room for a TOA option
constexpr std::size_t kMaxWaiting = 256;
const core::Mac kBroadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

// Not inlined: GCC 12 otherwise warns (-Wstringop-overflow) about a size it cannot bound.
[[gnu::noinline]] std::vector<std::uint8_t> withRoom(std::span<const std::uint8_t> frame)
{
    std::vector<std::uint8_t> v(kHeadroom + frame.size() + kTailroom);
    if (!frame.empty())
        std::memcpy(v.data() + kHeadroom, frame.data(), frame.size());
    return v;
}


nlohmann::json headersJson(std::span<const std::uint8_t> bytes, const packet::Frame& f)
{
    nlohmann::json j;
    auto h = packet::toPathHeaders(bytes, f);
    if (!h)
        return j;
    j["eth_src"] = h->srcMac.toString();
    j["eth_dst"] = h->dstMac.toString();
    if (h->outerSrc) {
        j["outer_src"] = h->outerSrc->toString();
        j["outer_dst"] = h->outerDst->toString();
    }
    j["ip_src"] = h->src.toString();
    j["ip_dst"] = h->dst.toString();
    j["sport"] = h->sport;
    j["dport"] = h->dport;
    if (h->toaAddress) {
        j["toa_address"] = h->toaAddress->toString();
        j["toa_port"] = *h->toaPort;
    }
    return j;
}

core::Protocol protocolOf(const packet::Frame& f)
{
    return f.transport == packet::Transport::Udp ? core::Protocol::Udp
        : f.transport == packet::Transport::Sctp ? core::Protocol::Sctp
                                                 : core::Protocol::Tcp;
}

std::uint16_t sportOf(const packet::Frame& f)
{
    return f.tcp ? f.tcp->sport : f.udp ? f.udp->sport : f.sctp ? f.sctp->sport : 0;
}
std::uint16_t dportOf(const packet::Frame& f)
{
    return f.tcp ? f.tcp->dport : f.udp ? f.udp->dport : f.sctp ? f.sctp->dport : 0;
}

std::string protoWord(core::Protocol p) { return p == core::Protocol::Udp ? "udp" : p == core::Protocol::Sctp ? "sctp" : "tcp"; }

} // namespace

DirectorConfig configOf(const core::Node& d)
{
    DirectorConfig c;
    c.node = d.name;
    for (const core::Interface& i : d.interfaces)
        c.interfaces.push_back({i.name, core::interfaceMac(i), i.addresses});
    c.routes = d.routes;
    c.defaultGateway = d.defaultGateway;
    c.fwmarkRules = d.fwmarkRules;
    c.localAddresses = d.localAddresses;
    // Service addresses the kernel does not hold are answered for by the director.
    for (const core::VirtualService& s : d.services) {
        if (s.fwmark)
            continue;
        bool held = false;
        for (const core::Interface& i : d.interfaces)
            for (const core::Ipv4Prefix& p : i.addresses)
                held = held || p.address == s.address;
        for (const core::VipBinding& v : d.vips)
            held = held || v.address.address == s.address;
        if (!held && std::find(c.arpAddresses.begin(), c.arpAddresses.end(), s.address) == c.arpAddresses.end())
            c.arpAddresses.push_back(s.address);
    }
    // FULLNAT local addresses live in the data path only: the real servers' ARP for them is ours.
    for (core::Ipv4 l : d.localAddresses)
        if (std::find(c.arpAddresses.begin(), c.arpAddresses.end(), l) == c.arpAddresses.end())
            c.arpAddresses.push_back(l);
    return c;
}

DataPlane::DataPlane(DirectorConfig config, core::ipvsadm::LiveTable& table) : m_config(std::move(config)), m_table(table) {}

std::optional<DataPlane::NextHop> DataPlane::route(Ipv4 dst) const
{
    std::optional<NextHop> best;
    int bestLen = -1;
    auto connected = [&](Ipv4 a) -> std::optional<std::size_t> {
        std::optional<std::size_t> at;
        int len = -1;
        for (std::size_t k = 0; k < m_config.interfaces.size(); ++k)
            for (const core::Ipv4Prefix& p : m_config.interfaces[k].addresses)
                if (p.contains(a) && p.length > len) {
                    at = k;
                    len = p.length;
                }
        return at;
    };
    for (std::size_t k = 0; k < m_config.interfaces.size(); ++k)
        for (const core::Ipv4Prefix& p : m_config.interfaces[k].addresses)
            if (p.contains(dst) && p.length > bestLen) {
                best = NextHop{k, dst};
                bestLen = p.length;
            }
    for (const core::Route& r : m_config.routes)
        if (r.destination.contains(dst) && r.destination.length > bestLen)
            if (auto k = connected(r.via)) {
                best = NextHop{*k, r.via};
                bestLen = r.destination.length;
            }
    if (!best && m_config.defaultGateway)
        if (auto k = connected(*m_config.defaultGateway))
            best = NextHop{*k, *m_config.defaultGateway};
    return best;
}

void DataPlane::transmit(const NextHop& hop, std::vector<std::uint8_t> bytes, std::vector<OutFrame>& out)
{
    const DirectorInterface& iface = m_config.interfaces[hop.interface];
    auto it = m_arp.find(hop.address.value);
    if (it != m_arp.end()) {
        std::copy(it->second.bytes.begin(), it->second.bytes.end(), bytes.begin());
        std::copy(iface.mac.bytes.begin(), iface.mac.bytes.end(), bytes.begin() + 6);
        out.push_back({hop.interface, std::move(bytes)});
        return;
    }
    if (m_waiting.size() >= kMaxWaiting) {
        ++m_counters.unresolved;
        m_waiting.pop_front();
    }
    m_waiting.push_back({hop, std::move(bytes), m_now});
    // An ARP request from the interface's address (arp_announce 2: the best local address).
    std::vector<std::uint8_t> req(42, 0);
    std::copy(kBroadcast.bytes.begin(), kBroadcast.bytes.end(), req.begin());
    std::copy(iface.mac.bytes.begin(), iface.mac.bytes.end(), req.begin() + 6);
    packet::store16(&req[12], packet::kEtherTypeArp);
    packet::store16(&req[14], 1);
    packet::store16(&req[16], packet::kEtherTypeIpv4);
    req[18] = 6;
    req[19] = 4;
    packet::store16(&req[20], 1);
    std::copy(iface.mac.bytes.begin(), iface.mac.bytes.end(), req.begin() + 22);
    Ipv4 sender;
    for (const core::Ipv4Prefix& p : iface.addresses)
        if (p.contains(hop.address))
            sender = p.address;
    if (sender.value == 0 && !iface.addresses.empty())
        sender = iface.addresses.front().address;
    packet::store32(&req[28], sender.value);
    packet::store32(&req[38], hop.address.value);
    ++m_counters.arpRequested;
    out.push_back({hop.interface, std::move(req)});
}

void DataPlane::send(const std::string& action, std::size_t in, std::span<const std::uint8_t> before,
                     const packet::Frame& fb, const NextHop& hop, std::vector<std::uint8_t> frame,
                     std::vector<OutFrame>& out, const std::string& detail)
{
    const bool resolved = m_arp.count(hop.address.value) != 0;
    std::vector<std::uint8_t> copy;
    if (m_trace)
        copy = frame;
    transmit(hop, std::move(frame), out);
    if (!m_trace)
        return;
    // Traced as sent (with its MACs), or as it waits for ARP.
    trace(action, in, before, fb, hop.interface, resolved ? std::span<const std::uint8_t>(out.back().bytes) : std::span<const std::uint8_t>(copy),
          resolved ? detail : detail + (detail.empty() ? "" : " ") + "(waits for ARP)");
}

void DataPlane::handleArp(std::size_t in, const packet::Frame& f, std::vector<OutFrame>& out)
{
    const packet::ArpPacket& a = *f.arp;
    if (a.senderIp.value != 0) {
        m_arp[a.senderIp.value] = a.senderMac;
        // Frames that waited for this neighbour go now.
        for (auto it = m_waiting.begin(); it != m_waiting.end();) {
            if (it->hop.address == a.senderIp) {
                NextHop hop = it->hop;
                std::vector<std::uint8_t> bytes = std::move(it->bytes);
                it = m_waiting.erase(it);
                transmit(hop, std::move(bytes), out);
            } else {
                ++it;
            }
        }
    }
    if (a.operation == 1
        && std::find(m_config.arpAddresses.begin(), m_config.arpAddresses.end(), a.targetIp) != m_config.arpAddresses.end()) {
        std::vector<std::uint8_t> reply(64, 0);
        auto n = packet::buildArpReply(reply, a, m_config.interfaces[in].mac);
        if (n) {
            reply.resize(*n);
            ++m_counters.arpAnswered;
            out.push_back({in, std::move(reply)});
        }
    }
}

bool DataPlane::handleRequest(std::size_t in, std::vector<std::uint8_t>& v, packet::Frame& f, std::vector<OutFrame>& out)
{
    const core::Protocol protocol = protocolOf(f);
    const Ipv4 vaddr = f.ip->dst;
    const std::uint16_t vport = dportOf(f);
    std::uint32_t mark = 0;
    for (const core::FwmarkRule& r : m_config.fwmarkRules)
        if (r.destination.contains(vaddr) && r.protocol == protocol
            && (r.ports.empty() || std::find(r.ports.begin(), r.ports.end(), vport) != r.ports.end())) {
            mark = r.mark;
            break;
        }
    core::ipvs::Balancer* b = m_table.lookup(mark, protocol, vaddr, vport);
    if (!b)
        return false;
    std::size_t offset = kHeadroom;
    std::size_t length = v.size() - kHeadroom - kTailroom;
    const std::vector<std::uint8_t> before(v.begin() + static_cast<std::ptrdiff_t>(offset),
                                           v.begin() + static_cast<std::ptrdiff_t>(offset + length));
    const packet::Frame fBefore = f;
    core::ipvs::PacketInfo p{protocol, f.ip->src, sportOf(f), vaddr, vport};
    auto conn = b->findIn(p);
    const std::uint8_t flags = f.tcp ? f.tcp->flags : 0;
    const bool first = !conn;
    if (!conn) {
        if (f.tcp && (!(flags & packet::kTcpSyn) || (flags & packet::kTcpAck))) {
            ++m_counters.ignored; // not a connection we know, and not a new one
            return true;
        }
        conn = b->connect(p);
        if (!conn) {
            ++m_counters.noDestination;
            trace("no-destination", in, before, fBefore, std::nullopt, {}, "no available real server");
            return true;
        }
    }
    b->packet(*conn, core::ipvs::PacketDirection::Input, flags, f.ip->totalLength);
    core::ipvs::Dest* d = b->destOf(*conn);
    const std::uint16_t rport = d->port ? d->port : vport;
    packet::FrameBuffer buf{std::span<std::uint8_t>(v), offset, length};
    std::string action;
    switch (d->method) {
    case core::ForwardMethod::Masq:
        packet::setIpv4Destination(buf.frame(), f, d->address);
        packet::setDestinationPort(buf.frame(), f, rport);
        action = "nat";
        break;
    case core::ForwardMethod::Route:
        action = "dr";
        break;
    case core::ForwardMethod::Tunnel: {
        auto hop = route(d->address);
        packet::IpipOptions o;
        o.dst = d->address;
        if (hop)
            for (const core::Ipv4Prefix& a : m_config.interfaces[hop->interface].addresses)
                if (o.src.value == 0 || a.contains(hop->address))
                    o.src = a.address;
        if (!packet::encapsulateIpip(buf, f, o))
            return true;
        action = "tun";
        break;
    }
    case core::ForwardMethod::FullNat: {
        auto key = std::make_tuple(p.saddr.value, p.sport, static_cast<std::uint8_t>(core::ipProtocolNumber(protocol)),
                                   vaddr.value, vport);
        auto it = m_fullNatOut.find(key);
        if (it == m_fullNatOut.end()) {
            auto hop = route(d->address);
            std::optional<Ipv4> laddr;
            for (Ipv4 l : m_config.localAddresses)
                if (hop)
                    for (const core::Ipv4Prefix& a : m_config.interfaces[hop->interface].addresses)
                        if (a.contains(l) && !laddr)
                            laddr = l;
            if (!laddr) {
                trace("no-local-address", in, before, fBefore, std::nullopt, {}, "no FULLNAT local address towards the real server");
                return true;
            }
            std::uint16_t lport = m_nextLocalPort;
            for (int tries = 0; tries < 64512; ++tries) {
                lport = m_nextLocalPort;
                m_nextLocalPort = m_nextLocalPort >= 65535 ? 1024 : static_cast<std::uint16_t>(m_nextLocalPort + 1);
                if (!m_fullNatIn.count({d->address.value, rport, laddr->value, lport, std::get<2>(key)}))
                    break;
            }
            it = m_fullNatOut.emplace(key, FullNatOut{*laddr, lport}).first;
            m_fullNatIn[{d->address.value, rport, laddr->value, lport, std::get<2>(key)}] =
                FullNatConn{b, *conn, p.saddr, p.sport, vaddr, vport};
        }
        packet::setIpv4Source(buf.frame(), f, it->second.laddr);
        packet::setSourcePort(buf.frame(), f, it->second.lport);
        packet::setIpv4Destination(buf.frame(), f, d->address);
        packet::setDestinationPort(buf.frame(), f, rport);
        if (first && f.tcp)
            (void)packet::insertToa(buf, f, packet::ToaAddress{p.saddr, p.sport}, 1500);
        action = "fullnat";
        break;
    }
    }
    auto hop = route(d->address);
    if (!hop)
        return true;
    // Frames from a veth peer may carry a partial checksum (CHECKSUM_PARTIAL, completed by the
    // sender's NIC in a real network); what leaves by AF_PACKET must be complete.
    packet::recomputeChecksums(buf.frame(), f);
    std::vector<std::uint8_t> frame(buf.frame().begin(), buf.frame().end());
    ++m_counters.forwarded;
    const std::string detail = "-> " + d->address.toString() + ":" + std::to_string(rport) + (first ? " (new connection)" : "");
    send(action, in, before, fBefore, *hop, std::move(frame), out, detail);
    return true;
}

bool DataPlane::handleReply(std::size_t in, std::vector<std::uint8_t>& v, packet::Frame& f, std::vector<OutFrame>& out)
{
    const core::Protocol protocol = protocolOf(f);
    const std::uint16_t sport = sportOf(f), dport = dportOf(f);
    std::size_t offset = kHeadroom, length = v.size() - kHeadroom - kTailroom;
    packet::FrameBuffer buf{std::span<std::uint8_t>(v), offset, length};
    const std::vector<std::uint8_t> before(buf.frame().begin(), buf.frame().end());
    const packet::Frame fBefore = f;
    const std::uint8_t flags = f.tcp ? f.tcp->flags : 0;
    // FULLNAT: a reply to one of our local addresses.
    auto fn = m_fullNatIn.find({f.ip->src.value, sport, f.ip->dst.value, dport,
                                static_cast<std::uint8_t>(core::ipProtocolNumber(protocol))});
    if (fn != m_fullNatIn.end()) {
        const FullNatConn& c = fn->second;
        const std::vector<core::ipvs::Balancer*> live = m_table.balancers();
        if (std::find(live.begin(), live.end(), c.balancer) == live.end())
            return false; // its service was deleted since; tick() drops the mapping
        c.balancer->packet(c.conn, core::ipvs::PacketDirection::Output, flags, f.ip->totalLength);
        packet::setIpv4Source(buf.frame(), f, c.vaddr);
        packet::setSourcePort(buf.frame(), f, c.vport);
        packet::setIpv4Destination(buf.frame(), f, c.caddr);
        packet::setDestinationPort(buf.frame(), f, c.cport);
        auto hop = route(c.caddr);
        if (!hop)
            return true;
        packet::recomputeChecksums(buf.frame(), f);
        ++m_counters.replies;
        send("fullnat-reply", in, before, fBefore, *hop, std::vector<std::uint8_t>(buf.frame().begin(), buf.frame().end()), out, "");
        return true;
    }
    // NAT: ip_vs_out's lookup of <protocol, RIP, RPORT, CIP, CPORT>.
    for (core::ipvs::Balancer* b : m_table.balancers()) {
        auto conn = b->findOut(protocol, f.ip->src, sport, f.ip->dst, dport);
        if (!conn)
            continue;
        core::ipvs::Dest* d = b->destOf(*conn);
        if (!d || d->method != core::ForwardMethod::Masq)
            return false;
        const core::ipvs::ConnEntry& e = b->connections().at(*conn);
        b->packet(*conn, core::ipvs::PacketDirection::Output, flags, f.ip->totalLength);
        packet::setIpv4Source(buf.frame(), f, Ipv4{e.vaddr});
        packet::setSourcePort(buf.frame(), f, e.vport);
        auto hop = route(f.ip->dst);
        if (!hop)
            return true;
        packet::recomputeChecksums(buf.frame(), f);
        ++m_counters.replies;
        send("nat-reply", in, before, fBefore, *hop, std::vector<std::uint8_t>(buf.frame().begin(), buf.frame().end()), out, "");
        return true;
    }
    return false;
}

// ip_vs_out_icmp: an ICMP error from a real server about a NAT connection's request (the
// quote is CIP:cport -> RIP:rport) goes to the client as if from the VIP, quoting VIP:vport.
bool DataPlane::handleIcmpError(std::size_t in, std::vector<std::uint8_t>& v, packet::Frame& f, std::vector<OutFrame>& out)
{
    const packet::Ipv4Header& q = *f.icmp->quoted;
    const core::Protocol protocol = q.protocol == packet::kProtoUdp ? core::Protocol::Udp
        : q.protocol == packet::kProtoSctp                        ? core::Protocol::Sctp
                                                                  : core::Protocol::Tcp;
    for (core::ipvs::Balancer* b : m_table.balancers()) {
        // The quoted packet went CIP -> RIP: look it up as its reply would be.
        auto conn = b->findOut(protocol, q.dst, f.icmp->quotedDport, q.src, f.icmp->quotedSport);
        if (!conn)
            continue;
        core::ipvs::Dest* d = b->destOf(*conn);
        if (!d || d->method != core::ForwardMethod::Masq)
            return false;
        const core::ipvs::ConnEntry& e = b->connections().at(*conn);
        std::size_t offset = kHeadroom, length = v.size() - kHeadroom - kTailroom;
        packet::FrameBuffer buf{std::span<std::uint8_t>(v), offset, length};
        const std::vector<std::uint8_t> before(buf.frame().begin(), buf.frame().end());
        const packet::Frame fBefore = f;
        if (!packet::rewriteIcmpError(buf.frame(), f, packet::ipvsNatIcmp(packet::IcmpNatDirection::ToClient, Ipv4{e.vaddr}, e.vport)))
            return false;
        auto hop = route(f.ip->dst);
        if (!hop)
            return true;
        ++m_counters.replies;
        send("nat-icmp", in, before, fBefore, *hop, std::vector<std::uint8_t>(buf.frame().begin(), buf.frame().end()), out,
             "ICMP type " + std::to_string(f.icmp->type) + " for " + Ipv4{e.caddr}.toString());
        return true;
    }
    return false;
}

void DataPlane::handle(std::size_t in, std::span<const std::uint8_t> frame, std::vector<OutFrame>& out)
{
    ++m_counters.received;
    if (in >= m_config.interfaces.size())
        return;
    std::vector<std::uint8_t> v = withRoom(frame);
    auto parsed = packet::parseFrame(std::span<const std::uint8_t>(v).subspan(kHeadroom, frame.size()));
    if (!parsed) {
        ++m_counters.ignored;
        return;
    }
    packet::Frame& f = *parsed;
    if (f.arp) {
        handleArp(in, f, out);
        return;
    }
    if (f.ip && !f.outer && !f.ip->isFragment() && f.eth.dst == m_config.interfaces[in].mac && f.icmp
        && f.icmp->quoted && f.icmp->quotedHasPorts) {
        if (handleIcmpError(in, v, f, out))
            return;
        ++m_counters.ignored;
        return;
    }
    if (!f.ip || f.outer || f.ip->isFragment() || f.eth.dst != m_config.interfaces[in].mac
        || (f.transport != packet::Transport::Tcp && f.transport != packet::Transport::Udp
            && f.transport != packet::Transport::Sctp)) {
        ++m_counters.ignored;
        return;
    }
    if (handleRequest(in, v, f, out))
        return;
    if (handleReply(in, v, f, out))
        return;
    ++m_counters.ignored;
}

void DataPlane::tick(std::chrono::milliseconds now)
{
    m_now = now;
    m_table.advanceTo(now);
    // FULLNAT mappings live as long as their connection: once its entry is gone (or reused by
    // another client), the local port is free again.
    // A service deleted by lvsadm (-D, -C) takes its Balancer, and its mappings, with it.
    const std::vector<core::ipvs::Balancer*> live = m_table.balancers();
    for (auto it = m_fullNatIn.begin(); it != m_fullNatIn.end();) {
        const FullNatConn& c = it->second;
        bool gone = std::find(live.begin(), live.end(), c.balancer) == live.end();
        if (!gone) {
            const core::ipvs::ConnEntry& e = c.balancer->connections().at(c.conn);
            gone = (e.flags & core::ipvs::kConnFree) || e.caddr != c.caddr.value || e.cport != c.cport;
        }
        if (gone) {
            m_fullNatOut.erase(std::make_tuple(c.caddr.value, c.cport, it->first.protocol, c.vaddr.value, c.vport));
            it = m_fullNatIn.erase(it);
        } else {
            ++it;
        }
    }
    while (!m_waiting.empty() && now - m_waiting.front().since > std::chrono::seconds(3)) {
        ++m_counters.unresolved;
        m_waiting.pop_front();
    }
}

void DataPlane::trace(const std::string& action, std::size_t in, std::span<const std::uint8_t> before,
                      const packet::Frame& fb, std::optional<std::size_t> outIf, std::span<const std::uint8_t> after,
                      const std::string& detail)
{
    if (!m_trace)
        return;
    nlohmann::json j;
    j["t_ms"] = m_now.count();
    j["node"] = m_config.node;
    j["action"] = action;
    j["in"] = in < m_config.interfaces.size() ? m_config.interfaces[in].name : "";
    j["out"] = outIf ? m_config.interfaces[*outIf].name : "";
    j["before"] = headersJson(before, fb);
    if (!after.empty())
        if (auto fa = packet::parseFrame(after))
            j["after"] = headersJson(after, *fa);
    if (!detail.empty())
        j["detail"] = detail;
    m_trace(j.dump());
}

std::string DataPlane::ingressDropRules() const
{
    // One chain per interface; the AF_PACKET tap sees a frame before the ingress hook drops it.
    std::string rules = "table netdev lvsdirector {\n";
    std::vector<core::ipvsadm::ListedService> services = m_table.services();
    std::string own;
    for (const DirectorInterface& i : m_config.interfaces)
        for (const core::Ipv4Prefix& a : i.addresses)
            own += (own.empty() ? "" : ", ") + a.address.toString();
    if (own.empty())
        own = "127.0.0.1";
    for (const DirectorInterface& i : m_config.interfaces) {
        rules += "  chain in_" + i.name + " {\n    type filter hook ingress device \"" + i.name + "\" priority -500;\n";
        for (const core::ipvsadm::ListedService& s : services) {
            if (s.fwmark) {
                for (const core::FwmarkRule& r : m_config.fwmarkRules)
                    if (r.mark == s.fwmark) {
                        std::string ports;
                        for (std::uint16_t p : r.ports)
                            ports += (ports.empty() ? "" : ", ") + std::to_string(p);
                        rules += "    ip daddr " + r.destination.toString() + " " + protoWord(r.protocol)
                            + (ports.empty() ? "" : " dport { " + ports + " }") + " drop\n";
                    }
                continue;
            }
            rules += "    ip daddr " + s.address.toString() + " " + protoWord(s.protocol)
                + (s.port ? " dport " + std::to_string(s.port) : std::string(" dport 1-65535")) + " drop\n";
            // NAT replies and ICMP errors, but not what answers the director's own connections.
            for (const core::ipvsadm::ListedDest& d : s.dests)
                if (d.method == core::ForwardMethod::Masq) {
                    rules += "    ip saddr " + d.address.toString() + " " + protoWord(s.protocol) + " sport "
                        + std::to_string(d.port ? d.port : s.port) + " ip daddr != { " + own + " } drop\n";
                    rules += "    ip saddr " + d.address.toString() + " icmp type { destination-unreachable, "
                        "time-exceeded, parameter-problem } ip daddr != { " + own + " } drop\n";
                }
        }
        for (Ipv4 l : m_config.localAddresses)
            rules += "    ip daddr " + l.toString() + " tcp dport 1024-65535 drop\n    ip daddr " + l.toString()
                + " udp dport 1024-65535 drop\n";
        rules += "  }\n";
    }
    rules += "}\n";
    return rules;
}

} // namespace lvs::emu::director
