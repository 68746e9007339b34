// The lab plan: what a topology becomes in Linux network namespaces, as plain data. makePlan is
// pure (no kernel, no files), so the plan of every example is golden-tested; the executor
// (executor.h) applies it in the order of the fields below.
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace lvs::emu::lab {

struct PlanNamespace {
    std::string name;
    core::Id node = core::kNoId; // kNoId: the namespace of the segments' bridges
    std::string nodeName;        // "" for the bridges' namespace
    core::NodeKind kind = core::NodeKind::Segment;
    bool operator==(const PlanNamespace&) const = default;
};

struct PlanBridge {
    std::string ns;
    std::string name;
    core::Id segment = core::kNoId;
    std::string segmentName;
    bool operator==(const PlanBridge&) const = default;
};

// One end of a veth pair; master names the bridge a segment's end joins ("" for none).
struct PlanVethEnd {
    std::string ns;
    std::string name;
    std::optional<core::Mac> mac; // unset on a segment's end: the kernel picks one
    std::string master;
    bool operator==(const PlanVethEnd&) const = default;
};

struct PlanVeth {
    core::Id link = core::kNoId;
    PlanVethEnd a; // created in a.ns, its peer b moved into b.ns by the same request
    PlanVethEnd b;
    bool operator==(const PlanVeth&) const = default;
};

// An interface that no link attaches: a dummy device, so its addresses still exist.
struct PlanDummy {
    std::string ns;
    std::string name;
    core::Mac mac;
    bool operator==(const PlanDummy&) const = default;
};

struct PlanLinkUp {
    std::string ns;
    std::string device;
    bool operator==(const PlanLinkUp&) const = default;
};

struct PlanAddress {
    std::string ns;
    std::string device;
    core::Ipv4Prefix address;
    bool vip = false;
    bool operator==(const PlanAddress&) const = default;
};

// A route; destination 0.0.0.0/0 is the default gateway.
struct PlanRoute {
    std::string ns;
    core::Ipv4Prefix destination;
    core::Ipv4 via;
    bool operator==(const PlanRoute&) const = default;
};

// A sysctl as sysctl(8) names it; optional ones are skipped where the kernel lacks them
// (net.bridge.* needs br_netfilter).
struct PlanSysctl {
    std::string ns;
    std::string key;
    int value = 0;
    bool optional = false;
    bool operator==(const PlanSysctl&) const = default;
};

// What runs in a node's namespace: the rs agent (the built-in services of a real server), a
// real server's own command, the director, or the userspace IPIP decapsulator of a TUN real
// server (decap.h; started only where the kernel has no ipip module, so tunl0 is a TUN device).
enum class ProcessKind { Agent, Command, Director, Decap };

struct PlanService {
    core::AppKind kind = core::AppKind::Http;
    std::uint16_t port = 0;
    bool operator==(const PlanService&) const = default;
};

struct PlanProcess {
    ProcessKind kind = ProcessKind::Agent;
    std::string ns;
    core::Id node = core::kNoId;
    std::string nodeName;
    std::vector<PlanService> services; // Agent
    std::string command;               // Command
    // Director: the design as .lvslab text (lvs-director reads its node from it) and the lab's
    // name (its control socket and trace are named after it).
    std::string design;
    std::string lab;
    bool operator==(const PlanProcess&) const = default;
};

struct Plan {
    std::string lab;
    std::string topologyName;
    std::vector<PlanNamespace> namespaces; // nodes in document order, then the bridges' namespace
    std::vector<PlanBridge> bridges;
    std::vector<PlanVeth> veths;
    std::vector<PlanDummy> dummies;
    std::vector<std::string> tunnels;      // namespaces that need tunl0 (TUN real servers)
    std::vector<PlanSysctl> sysctls;       // after the links exist (per-interface keys need them)
    std::vector<PlanLinkUp> linksUp;       // lo of every namespace, bridges, ports, interfaces
    std::vector<PlanAddress> addresses;
    std::vector<PlanRoute> routes;         // after the addresses (a gateway must be on-link)
    std::vector<PlanProcess> processes;
    std::vector<std::string> notes;        // what the lab leaves out, and why
    bool operator==(const Plan&) const = default;

    // The namespace of a node by name, or "" when the plan has none.
    std::string namespaceOf(std::string_view nodeName) const;
};

// The plan of a topology under a lab name. Fails (never throws) when the lab name is unusable
// (naming.h), an id is too large to fit an interface name, or a link names what the design lacks.
core::Result<Plan> makePlan(const core::Topology& topology, const std::string& labName);

// A readable dump, one step a line, in execution order: the golden files' format.
std::string toText(const Plan& plan);

} // namespace lvs::emu::lab
