// Design validation: the rule table, the shared helpers, and validate().
#include "core/validate/validate.h"

#include "core/model/edit.h"
#include "core/validate/rule_support.h"

#include <algorithm>
#include <cctype>

namespace lvs::core::validate {

namespace detail {

namespace {

using S = Severity;

// The rules, as data: code, severity, summary, check. docs/validation-rules.md documents each
// code; the order here is the order of the findings.
const std::vector<RuleDescriptor>& table()
{
    static const std::vector<RuleDescriptor> kRules = {
        {{"NAT-SAME-NETWORK", S::Error, "NAT: the RIP is in a network of the director (a DIP)"}, natSameNetwork},
        {{"NAT-GATEWAY", S::Error, "NAT: each real server's default gateway is the DIP"}, natGateway},
        {{"NAT-IP-FORWARD", S::Error, "NAT: net.ipv4.ip_forward=1 on the director"}, natIpForward},
        {{"NAT-CLIENT-ON-RS-NET", S::Error, "NAT: no client inside a real server's network"}, natClientOnRsNetwork},
        {{"DR-SAME-SEGMENT", S::Error, "DR: director and real server on one L2 segment"}, drSameSegment},
        {{"DR-VIP-ON-LO", S::Error, "DR: the VIP on each real server's lo as /32"}, drVipOnLo},
        {{"DR-ARP-IGNORE", S::Error, "DR: arp_ignore=1 on the real server's interface (max of all and the interface)"}, drArpIgnore},
        {{"DR-ARP-ANNOUNCE", S::Error, "DR: arp_announce=2 on the real server's interface (max of all and the interface)"}, drArpAnnounce},
        {{"DR-GATEWAY", S::Error, "DR: the real server's gateway is not the director"}, drGateway},
        {{"DR-PORT-MAPPING", S::Error, "DR: no port mapping"}, drPortMapping},
        {{"DR-ROUTER-VIP", S::Error, "DR: the front router reaches the director for the VIP"}, drRouterVip},
        {{"TUN-ROUTE", S::Error, "TUN: director and real server reach each other over IP"}, tunRoute},
        {{"TUN-VIP-ON-TUNL0", S::Error, "TUN: the VIP on each real server's tunl0"}, tunVipOnTunl0},
        {{"TUN-IPIP", S::Info, "TUN: the real server needs ipip (tunl0)"}, tunIpip},
        {{"TUN-RP-FILTER", S::Error, "TUN: rp_filter=0 on all and tunl0"}, tunRpFilter},
        {{"TUN-PORT-MAPPING", S::Error, "TUN: no port mapping"}, tunPortMapping},
        {{"TUN-MTU", S::Info, "TUN: IPIP adds 20 bytes to each request"}, tunMtu},
        {{"FULLNAT-LOCAL-ADDRESS", S::Error, "FULLNAT: the director has local addresses"}, fullnatLocalAddress},
        {{"FULLNAT-LOCAL-REACH", S::Error, "FULLNAT: the real server reaches a local address"}, fullnatLocalReach},
        {{"FULLNAT-TOA", S::Info, "FULLNAT: real servers see the local address, not the CIP"}, fullnatToa},
        {{"NET-DUPLICATE-ADDRESS", S::Error, "an address is held by one interface only"}, netDuplicateAddress},
        {{"NET-PREFIX-OVERLAP", S::Warning, "one segment, one prefix per network"}, netPrefixOverlap},
        {{"NET-GATEWAY-UNREACHABLE", S::Error, "gateways are on a connected network"}, netGatewayUnreachable},
        {{"SVC-NO-DESTINATION", S::Warning, "a virtual service has real servers"}, svcNoDestination},
        {{"SVC-WEIGHTS-ZERO", S::Warning, "a virtual service has a real server with weight > 0"}, svcWeightsZero},
        {{"SVC-SH-PERSISTENCE", S::Warning, "sh with persistence is redundant"}, svcShPersistence},
        {{"FWM-NO-RULE", S::Error, "a firewall-mark service has a mark rule"}, fwmNoRule},
        {{"FWM-UNUSED-RULE", S::Warning, "a mark rule has a firewall-mark service"}, fwmUnusedRule},
        {{"SVC-THRESHOLD", S::Error, "-y lower <= -x upper"}, svcThreshold},
        {{"HA-SINGLE-DIRECTOR", S::Info, "one director is a single point of failure"}, haSingleDirector},
        {{"VRRP-ROUTER-ID", S::Error, "VRRP peers share virtual_router_id"}, vrrpRouterId},
        {{"VRRP-ADDRESSES", S::Error, "VRRP peers share virtual_ipaddress"}, vrrpAddresses},
        {{"VRRP-TWO-MASTERS", S::Warning, "one MASTER per VRRP instance"}, vrrpTwoMasters},
        {{"CHECK-PORT", S::Error, "a health check probes a port the real server serves"}, checkPort},
    };
    return kRules;
}

} // namespace

void Context::report(Subject subject, Text message, std::optional<Fix> fix)
{
    auto key = std::make_tuple(std::string(rule->code), static_cast<int>(subject.kind), subject.id,
                               message.en);
    if (!m_seen.insert(key).second)
        return;
    findings.push_back(Finding{std::string(rule->code), rule->severity, std::move(subject),
                               std::move(message), std::move(fix)});
}

Subject nodeSubject(const Node& node)
{
    return {SubjectKind::Node, node.id, node.name};
}

Subject interfaceSubject(const Node& node, const Interface& iface)
{
    return {SubjectKind::Interface, iface.id, node.name + "." + iface.name};
}

std::string serviceName(const VirtualService& service)
{
    if (service.fwmark != 0)
        return "FWM " + std::to_string(service.fwmark);
    std::string proto(toString(service.protocol));
    for (char& c : proto)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return proto + " " + service.address.toString() + ":" + std::to_string(service.port);
}

Subject serviceSubject(const VirtualService& service)
{
    return {SubjectKind::Service, service.id, serviceName(service)};
}

std::uint16_t destinationPort(const VirtualService& service, const Destination& destination)
{
    return destination.port != 0 ? destination.port : service.port;
}

Subject destinationSubject(const VirtualService& service, const Destination& destination)
{
    return {SubjectKind::Destination, destination.id,
            serviceName(service) + " -> " + destination.address.toString() + ":"
                + std::to_string(destinationPort(service, destination))};
}

std::vector<Ipv4> serviceVips(const Node& director, const VirtualService& service)
{
    if (service.fwmark == 0)
        return {service.address};
    std::vector<Ipv4> vips;
    for (const FwmarkRule& rule : director.fwmarkRules)
        if (rule.mark == service.fwmark && rule.destination.length == 32
            && std::find(vips.begin(), vips.end(), rule.destination.address) == vips.end())
            vips.push_back(rule.destination.address);
    return vips;
}

std::optional<int> sysctl(const Node& node, const std::string& key)
{
    auto it = node.sysctls.find(key);
    if (it == node.sysctls.end())
        return std::nullopt;
    return it->second;
}

int effectiveMaxConf(const Node& node, const std::string& device, const std::string& setting)
{
    return std::max(sysctl(node, "net.ipv4.conf.all." + setting).value_or(0),
                    sysctl(node, "net.ipv4.conf." + device + "." + setting).value_or(0));
}

std::vector<DestinationView> destinations(const Context& ctx, std::optional<ForwardMethod> method)
{
    std::vector<DestinationView> out;
    for (const Node& director : ctx.topology.nodes) {
        if (director.kind != NodeKind::Director)
            continue;
        for (const VirtualService& service : director.services)
            for (const Destination& d : service.destinations) {
                if (method && d.method != *method)
                    continue;
                const Node* rs = ctx.topology.findNode(d.realServer);
                if (rs && rs->kind != NodeKind::RealServer)
                    rs = nullptr;
                std::optional<Attachment> rip;
                if (rs)
                    for (const Attachment& a : ctx.net.attachments(*rs))
                        if (a.address.address == d.address)
                            rip = a;
                out.push_back(DestinationView{director, service, d, rs, rip});
            }
    }
    return out;
}

Result<void> editNode(Topology& topology, Id node, const std::function<void(Node&)>& change)
{
    const Node* current = topology.findNode(node);
    if (!current)
        return fail("no node with id " + std::to_string(node));
    Node value = *current;
    change(value);
    return edit::setNode(topology, value);
}

Result<void> editService(Topology& topology, Id director, Id service,
                         const std::function<void(VirtualService&)>& change)
{
    const Node* node = topology.findNode(director);
    if (!node)
        return fail("no node with id " + std::to_string(director));
    auto it = std::find_if(node->services.begin(), node->services.end(),
                           [&](const VirtualService& s) { return s.id == service; });
    if (it == node->services.end())
        return fail("No such service");
    return editNode(topology, director, [&](Node& n) {
        for (VirtualService& s : n.services)
            if (s.id == service)
                change(s);
    });
}

Result<void> editDestination(Topology& topology, Id director, Id service, Id destination,
                             const std::function<void(Destination&)>& change)
{
    bool found = false;
    auto done = editService(topology, director, service, [&](VirtualService& s) {
        for (Destination& d : s.destinations)
            if (d.id == destination) {
                change(d);
                found = true;
            }
    });
    if (!done)
        return done;
    if (!found)
        return fail("No such destination"); // ipvsadm's message
    return {};
}

} // namespace detail

std::string_view toString(Severity severity)
{
    switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    }
    return "error";
}

std::string_view toString(SubjectKind kind)
{
    switch (kind) {
    case SubjectKind::Node: return "node";
    case SubjectKind::Interface: return "interface";
    case SubjectKind::Service: return "service";
    case SubjectKind::Destination: return "destination";
    }
    return "node";
}

const std::vector<RuleInfo>& rules()
{
    static const std::vector<RuleInfo> kInfos = [] {
        std::vector<RuleInfo> infos;
        for (const detail::RuleDescriptor& r : detail::table())
            infos.push_back(r.info);
        return infos;
    }();
    return kInfos;
}

std::vector<Finding> validate(const Topology& topology)
{
    detail::Context ctx(topology);
    for (const detail::RuleDescriptor& r : detail::table()) {
        ctx.rule = &r.info;
        r.check(ctx);
    }
    return std::move(ctx.findings);
}

} // namespace lvs::core::validate
