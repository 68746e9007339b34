// The lab planner: a topology laid out as namespaces, veths, bridges, addresses, routes,
// sysctls, VIPs and processes. It takes the layout decisions of the netns-script export
// (core/export/netns_script.cpp) with the lab's own names (naming.h).
#include "emu/lab/plan.h"

#include "core/export/script_text.h"
#include "core/io/lvslab_file.h"
#include "emu/lab/naming.h"

#include <map>
#include <set>
#include <sstream>

namespace lvs::emu::lab {

using namespace lvs::core;

std::string Plan::namespaceOf(std::string_view nodeName) const
{
    for (const PlanNamespace& n : namespaces)
        if (n.node != kNoId && n.nodeName == nodeName)
            return n.name;
    return {};
}

Result<Plan> makePlan(const Topology& topology, const std::string& labName)
{
    if (std::string error = labNameError(labName); !error.empty())
        return fail(error);
    Plan plan;
    plan.lab = labName;
    plan.topologyName = topology.name;

    std::map<Id, std::string> ns;
    bool anySegment = false;
    for (const Node& n : topology.nodes) {
        if (n.id > kMaxNamedId)
            return fail("node " + n.name + " has id " + std::to_string(n.id) + ", more than the lab's names can carry ("
                        + std::to_string(kMaxNamedId) + ")");
        if (n.kind == NodeKind::Segment) {
            anySegment = true;
            continue;
        }
        ns[n.id] = nodeNamespace(labName, n.id);
        plan.namespaces.push_back({ns[n.id], n.id, n.name, n.kind});
    }
    const std::string bridges = bridgesNamespace(labName);
    if (anySegment) {
        plan.namespaces.push_back({bridges, kNoId, "", NodeKind::Segment});
        // Bridged frames must not go through the machine's iptables (br_netfilter's default).
        plan.sysctls.push_back({bridges, "net.bridge.bridge-nf-call-iptables", 0, true});
        plan.sysctls.push_back({bridges, "net.bridge.bridge-nf-call-arptables", 0, true});
    }
    for (const PlanNamespace& n : plan.namespaces)
        plan.linksUp.push_back({n.name, "lo"});
    for (const Node& n : topology.nodes)
        if (n.kind == NodeKind::Segment) {
            plan.bridges.push_back({bridges, bridgeName(labName, n.id), n.id, n.name});
            plan.linksUp.push_back({bridges, bridgeName(labName, n.id)});
        }

    std::set<Id> linked;
    for (const Link& link : topology.links) {
        if (link.id > kMaxNamedId)
            return fail("link " + std::to_string(link.id) + " has an id more than the lab's names can carry ("
                        + std::to_string(kMaxNamedId) + ")");
        const Node* na = topology.findNode(link.a.node);
        const Node* nb = topology.findNode(link.b.node);
        if (!na || !nb)
            return fail("link " + std::to_string(link.id) + " names a node the design does not have");
        bool both = na->kind == NodeKind::Segment && nb->kind == NodeKind::Segment;
        auto end = [&](const Node& n, const Endpoint& e, char side) -> Result<PlanVethEnd> {
            if (n.kind == NodeKind::Segment)
                return PlanVethEnd{bridges, portName(labName, link.id, both ? side : '\0'), std::nullopt,
                                   bridgeName(labName, n.id)};
            for (const Interface& i : n.interfaces)
                if (i.id == e.interfaceId) {
                    if (i.name.empty() || i.name.size() > kMaxInterfaceName || i.name.find_first_of("/ :") != std::string::npos)
                        return fail(n.name + ": the interface name \"" + i.name
                                    + "\" is not a Linux interface name (1 to 15 characters, no '/', ':' or space)");
                    linked.insert(i.id);
                    return PlanVethEnd{ns.at(n.id), i.name, interfaceMac(i), ""};
                }
            return fail("link " + std::to_string(link.id) + " names an interface " + n.name + " does not have");
        };
        auto ea = end(*na, link.a, 'a');
        if (!ea)
            return std::unexpected(ea.error());
        auto eb = end(*nb, link.b, 'b');
        if (!eb)
            return std::unexpected(eb.error());
        plan.veths.push_back({link.id, *ea, *eb});
        for (const PlanVethEnd* e : {&*ea, &*eb})
            if (!e->master.empty())
                plan.linksUp.push_back({e->ns, e->name});
    }

    for (const Node& n : topology.nodes) {
        if (n.kind == NodeKind::Segment)
            continue;
        const std::string& space = ns.at(n.id);
        for (const Interface& i : n.interfaces) {
            if (!linked.contains(i.id))
                plan.dummies.push_back({space, i.name, interfaceMac(i)});
            plan.linksUp.push_back({space, i.name});
            for (const Ipv4Prefix& a : i.addresses)
                plan.addresses.push_back({space, i.name, a, false});
        }
        bool tunnel = false;
        for (const VipBinding& vip : n.vips) {
            std::string device = exports::vipDeviceName(n, vip);
            if (device.empty())
                return fail(n.name + ": a VIP names an interface the node does not have");
            tunnel = tunnel || vip.device == VipDevice::Tunnel;
            plan.addresses.push_back({space, device, vip.address, true});
        }
        for (const auto& [key, value] : n.sysctls)
            tunnel = tunnel || key.find(".tunl0.") != std::string::npos;
        if (tunnel) {
            plan.tunnels.push_back(space);
            plan.linksUp.push_back({space, "tunl0"});
            plan.processes.push_back({ProcessKind::Decap, space, n.id, n.name, {}, "", "", ""});
        }
        if (n.kind == NodeKind::Router && !n.sysctls.contains("net.ipv4.ip_forward"))
            plan.sysctls.push_back({space, "net.ipv4.ip_forward", 1, false}); // a router forwards
        for (const auto& [key, value] : n.sysctls)
            plan.sysctls.push_back({space, key, value, false});
        for (const Route& r : n.routes)
            plan.routes.push_back({space, r.destination, r.via});
        if (n.defaultGateway)
            plan.routes.push_back({space, Ipv4Prefix{Ipv4{0}, 0}, *n.defaultGateway});

        if (n.kind == NodeKind::Director) {
            // lvs-director reads the design from the plan itself (the file may change, or be
            // none: a plan made in memory).
            plan.processes.push_back({ProcessKind::Director, space, n.id, n.name, {}, "", core::serializeLvslab(topology), labName});
            if (!n.fwmarkRules.empty())
                plan.notes.push_back(n.name + ": the firewall-mark rules are applied by lvs-director, not by iptables in the namespace");
        }
        PlanProcess agent{ProcessKind::Agent, space, n.id, n.name, {}, "", "", ""};
        for (const AppService& app : n.apps) {
            if (app.kind == AppKind::Command)
                plan.processes.push_back({ProcessKind::Command, space, n.id, n.name, {}, app.command, "", ""});
            else
                agent.services.push_back({app.kind, app.port});
        }
        if (!agent.services.empty())
            plan.processes.push_back(agent);
    }
    return plan;
}

namespace {

std::string_view kindWord(ProcessKind kind)
{
    switch (kind) {
    case ProcessKind::Agent: return "agent";
    case ProcessKind::Command: return "command";
    case ProcessKind::Director: return "director";
    case ProcessKind::Decap: return "decap";
    }
    return "?";
}

} // namespace

std::string toText(const Plan& plan)
{
    std::ostringstream out;
    out << "# lab " << plan.lab << ": " << exports::commentSafe(plan.topologyName) << "\n";
    for (const PlanNamespace& n : plan.namespaces) {
        out << "namespace " << n.name;
        if (n.node == kNoId)
            out << " (bridges)\n";
        else
            out << " node " << n.node << " " << n.nodeName << " (" << toString(n.kind) << ")\n";
    }
    for (const PlanBridge& b : plan.bridges)
        out << "bridge " << b.ns << " " << b.name << " segment " << b.segment << " " << b.segmentName << "\n";
    auto end = [&](const PlanVethEnd& e) {
        std::string text = e.ns + " " + e.name;
        if (e.mac)
            text += " " + e.mac->toString();
        if (!e.master.empty())
            text += " master " + e.master;
        return text;
    };
    for (const PlanVeth& v : plan.veths)
        out << "veth link " << v.link << ": " << end(v.a) << " <-> " << end(v.b) << "\n";
    for (const PlanDummy& d : plan.dummies)
        out << "dummy " << d.ns << " " << d.name << " " << d.mac.toString() << "\n";
    for (const std::string& t : plan.tunnels)
        out << "tunnel " << t << " tunl0\n";
    for (const PlanSysctl& s : plan.sysctls)
        out << "sysctl " << s.ns << " " << s.key << "=" << s.value << (s.optional ? " (if present)" : "") << "\n";
    for (const PlanLinkUp& l : plan.linksUp)
        out << "up " << l.ns << " " << l.device << "\n";
    for (const PlanAddress& a : plan.addresses)
        out << "address " << a.ns << " " << a.device << " " << a.address.toString() << (a.vip ? " (VIP)" : "") << "\n";
    for (const PlanRoute& r : plan.routes)
        out << "route " << r.ns << " " << (r.destination.length == 0 ? std::string("default") : r.destination.toString())
            << " via " << r.via.toString() << "\n";
    for (const PlanProcess& p : plan.processes) {
        out << "process " << kindWord(p.kind) << " " << p.ns << " " << p.nodeName;
        for (const PlanService& s : p.services)
            out << " " << toString(s.kind) << ":" << s.port;
        if (p.kind == ProcessKind::Command)
            out << " sh -c " << exports::commentSafe(p.command);
        if (p.kind == ProcessKind::Decap)
            out << " (only without the ipip module)";
        out << "\n";
    }
    for (const std::string& n : plan.notes)
        out << "note " << exports::commentSafe(n) << "\n";
    return out.str();
}

} // namespace lvs::emu::lab
