// `lvsctl show`: a readable summary of a topology for a terminal.
#include "core/show/show.h"

#include "core/ipvs/listing.h"
#include "core/model/roles.h"

#include <cstdio>

namespace lvs::core {

namespace {

std::string padded(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

std::string endpointName(const Topology& t, const Endpoint& end)
{
    const Node* node = t.findNode(end.node);
    if (!node)
        return "?";
    if (end.interfaceId == kNoId)
        return node->name;
    for (const Interface& i : node->interfaces)
        if (i.id == end.interfaceId)
            return node->name + "." + i.name;
    return node->name + ".?";
}

std::string checkLine(const VirtualService& s)
{
    const HealthCheck& c = s.check;
    std::string out = std::string(toString(c.kind)) + " delay_loop " + std::to_string(c.delayLoop)
        + " connect_timeout " + std::to_string(c.connectTimeout) + " retry "
        + std::to_string(c.retry) + " delay_before_retry " + std::to_string(c.delayBeforeRetry);
    if (c.connectPort)
        out += " connect_port " + std::to_string(*c.connectPort);
    if (c.kind == CheckKind::HttpGet)
        out += " url " + c.urlPath + " status_code " + std::to_string(c.statusCode);
    if (c.inhibitOnFailure)
        out += " inhibit_on_failure";
    if (c.alpha)
        out += " alpha";
    return out;
}

} // namespace

std::string iptablesRule(const FwmarkRule& rule)
{
    std::string out = "iptables -t mangle -A PREROUTING -d " + rule.destination.toString() + " -p "
        + std::string(toString(rule.protocol));
    if (rule.ports.size() == 1) {
        out += " --dport " + std::to_string(rule.ports.front());
    } else if (!rule.ports.empty()) {
        out += " -m multiport --dports ";
        for (std::size_t i = 0; i < rule.ports.size(); ++i)
            out += (i ? "," : "") + std::to_string(rule.ports[i]);
    }
    return out + " -j MARK --set-mark " + std::to_string(rule.mark);
}

std::string showTopology(const Topology& t, const std::string& fileName)
{
    std::string out = (t.name.empty() ? std::string("(unnamed)") : t.name) + "  (" + fileName + ")\n";
    if (!t.description.empty())
        out += t.description + "\n";

    out += "\nNodes\n";
    out += "  " + padded("NAME", 12) + padded("KIND", 13) + padded("DEVICE", 8)
        + padded("ADDRESS", 20) + padded("ROLE", 6) + "MAC\n";
    for (const Node& node : t.nodes) {
        std::string head = "  " + padded(node.name, 12) + padded(std::string(toString(node.kind)), 13);
        const std::string blank(head.size(), ' ');
        bool first = true;
        auto line = [&](const std::string& rest) {
            std::string text = (first ? head : blank) + rest;
            text.erase(text.find_last_not_of(' ') + 1);
            out += text + "\n";
            first = false;
        };
        for (const Interface& iface : node.interfaces) {
            std::string mac = interfaceMac(iface).toString();
            auto roles = roledAddresses(t, node);
            bool any = false;
            for (const RoledAddress& a : roles) {
                if (a.device != iface.name)
                    continue;
                line(padded(iface.name, 8) + padded(a.address.toString(), 20)
                     + padded(std::string(toString(a.role)), 6) + (any ? "" : mac)
                     + (a.detail.empty() ? "" : "VRRP " + a.detail));
                any = true;
            }
            if (!any)
                line(padded(iface.name, 8) + padded("(no address)", 26) + mac);
        }
        for (const VipBinding& v : node.vips)
            if (v.device != VipDevice::Interface)
                line(padded(std::string(toString(v.device)), 8) + padded(v.address.toString(), 20) + "VIP");
        if (node.kind == NodeKind::Segment) {
            int ports = 0;
            for (const Link& l : t.links)
                ports += (l.a.node == node.id) + (l.b.node == node.id);
            line("segment with " + std::to_string(ports) + (ports == 1 ? " port" : " ports"));
        }
        if (node.defaultGateway)
            line("gateway " + node.defaultGateway->toString());
        for (const Route& r : node.routes)
            line("route " + r.destination.toString() + " via " + r.via.toString());
        for (const auto& [key, value] : node.sysctls)
            line(key + " = " + std::to_string(value));
        for (const AppService& app : node.apps)
            line("runs " + std::string(toString(app.kind)) + " on port " + std::to_string(app.port)
                 + (app.kind == AppKind::Command ? ": " + app.command : ""));
        if (first)
            line("");
    }

    out += "\nLinks\n";
    if (t.links.empty())
        out += "  (none)\n";
    for (const Link& l : t.links)
        out += "  " + endpointName(t, l.a) + " -- " + endpointName(t, l.b) + "\n";

    for (const Node& node : t.nodes) {
        if (node.kind != NodeKind::Director)
            continue;
        out += "\nDirector " + node.name + ": ipvsadm -Ln\n";
        out += listNumeric(node.services);
        if (!node.fwmarkRules.empty()) {
            out += "Firewall marks:\n";
            for (const FwmarkRule& r : node.fwmarkRules)
                out += "  " + iptablesRule(r) + "\n";
        }
        if (!node.localAddresses.empty()) {
            out += "FULLNAT local addresses:";
            for (Ipv4 a : node.localAddresses)
                out += " " + a.toString();
            out += "\n";
        }
        for (const VirtualService* s : sortedServices(node.services)) {
            if (s->check.kind != CheckKind::None)
                out += "Health check " + serviceName(*s) + ": " + checkLine(*s) + "\n";
            if (s->sorryServer)
                out += "Sorry server " + serviceName(*s) + ": " + s->sorryServer->first.toString()
                    + ":" + std::to_string(s->sorryServer->second) + "\n";
        }
        for (const VrrpInstance& v : node.vrrp) {
            std::string iface = "?";
            for (const Interface& i : node.interfaces)
                if (i.id == v.interfaceId)
                    iface = i.name;
            out += "VRRP " + v.name + ": " + std::string(toString(v.state)) + " on " + iface
                + " virtual_router_id " + std::to_string(v.virtualRouterId) + " priority "
                + std::to_string(v.priority) + " advert_int " + std::to_string(v.advertInt)
                + (v.nopreempt ? " nopreempt" : "") + (v.syncGroup.empty() ? "" : " sync_group " + v.syncGroup)
                + " virtual_ipaddress";
            for (const Ipv4Prefix& p : v.virtualAddresses)
                out += " " + p.toString();
            out += "\n";
        }
    }
    return out;
}

} // namespace lvs::core
