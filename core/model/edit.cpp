// Editing operations on a Topology: add, remove with dependants, connect, set.
#include "core/model/edit.h"

#include <algorithm>
#include <set>

namespace lvs::core::edit {

namespace {

std::string_view baseName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Client: return "Client";
    case NodeKind::Router: return "Router";
    case NodeKind::Segment: return "Switch";
    case NodeKind::Director: return "Director";
    case NodeKind::RealServer: return "RS";
    }
    return "Node";
}

// Every id used inside a node, the node's own included.
std::vector<Id> idsOf(const Node& node)
{
    std::vector<Id> ids{node.id};
    for (const Interface& i : node.interfaces)
        ids.push_back(i.id);
    for (const VirtualService& s : node.services) {
        ids.push_back(s.id);
        for (const Destination& d : s.destinations)
            ids.push_back(d.id);
    }
    for (const FwmarkRule& r : node.fwmarkRules)
        ids.push_back(r.id);
    for (const VrrpInstance& v : node.vrrp)
        ids.push_back(v.id);
    return ids;
}

std::set<Id> idsInUse(const Topology& topology, Id exceptNode = kNoId)
{
    std::set<Id> ids;
    for (const Node& node : topology.nodes)
        if (node.id != exceptNode)
            for (Id id : idsOf(node))
                ids.insert(id);
    for (const Link& link : topology.links)
        ids.insert(link.id);
    return ids;
}

VirtualService* findService(Topology& topology, Id director, Id service, Error& error)
{
    Node* node = topology.findNode(director);
    if (!node || node->kind != NodeKind::Director) {
        error.message = "no director with id " + std::to_string(director);
        return nullptr;
    }
    auto it = std::find_if(node->services.begin(), node->services.end(),
                           [service](const VirtualService& s) { return s.id == service; });
    if (it == node->services.end()) {
        error.message = "No such service"; // ipvsadm's message (libipvs ipvs_strerror)
        return nullptr;
    }
    return &*it;
}

Result<void> checkEndpoint(const Topology& topology, const Endpoint& end)
{
    const Node* node = topology.findNode(end.node);
    if (!node)
        return fail("no node with id " + std::to_string(end.node));
    if (node->kind == NodeKind::Segment) {
        if (end.interfaceId != kNoId)
            return fail("segment " + node->name + " has ports, not interfaces");
        return {};
    }
    if (end.interfaceId == kNoId)
        return fail(node->name + ": a link must name one of its interfaces");
    auto it = std::find_if(node->interfaces.begin(), node->interfaces.end(),
                           [&](const Interface& i) { return i.id == end.interfaceId; });
    if (it == node->interfaces.end())
        return fail(node->name + " has no interface with id " + std::to_string(end.interfaceId));
    if (topology.linkOf(end.interfaceId))
        return fail(node->name + "." + it->name + " is already linked");
    return {};
}

} // namespace

Id allocateId(Topology& topology)
{
    return topology.nextId++;
}

std::string uniqueNodeName(const Topology& topology, std::string_view base)
{
    if (!topology.findNodeByName(base))
        return std::string(base);
    for (int n = 2;; ++n) {
        std::string candidate = std::string(base) + std::to_string(n);
        if (!topology.findNodeByName(candidate))
            return candidate;
    }
}

Result<Id> addNode(Topology& topology, NodeKind kind, std::string name, Point position)
{
    if (name.empty()) {
        if (kind == NodeKind::RealServer) {
            // Real servers are numbered from 1, as the seeds name them: RS1, RS2, ...
            for (int n = 1; name.empty(); ++n)
                if (!topology.findNodeByName("RS" + std::to_string(n)))
                    name = "RS" + std::to_string(n);
        } else {
            name = uniqueNodeName(topology, baseName(kind));
        }
    } else if (topology.findNodeByName(name)) {
        return fail("a node named " + name + " already exists");
    }
    Node node;
    node.id = allocateId(topology);
    node.kind = kind;
    node.name = std::move(name);
    node.position = position;
    if (kind != NodeKind::Segment)
        node.interfaces.push_back(Interface{allocateId(topology), "eth0", {}, {}});
    if (kind == NodeKind::Router || kind == NodeKind::Director)
        node.sysctls["net.ipv4.ip_forward"] = 1;
    topology.nodes.push_back(std::move(node));
    return topology.nodes.back().id;
}

Result<void> insertNode(Topology& topology, Node node, std::size_t index)
{
    if (topology.findNodeByName(node.name))
        return fail("a node named " + node.name + " already exists");
    std::set<Id> used = idsInUse(topology);
    for (Id id : idsOf(node)) {
        if (id == kNoId || id >= topology.nextId)
            return fail("id " + std::to_string(id) + " was not handed out by this document");
        if (!used.insert(id).second)
            return fail("id " + std::to_string(id) + " is already in use");
    }
    index = std::min(index, topology.nodes.size());
    topology.nodes.insert(topology.nodes.begin() + static_cast<std::ptrdiff_t>(index),
                          std::move(node));
    return {};
}

Result<Id> addInterface(Topology& topology, Id nodeId, std::string name)
{
    Node* node = topology.findNode(nodeId);
    if (!node)
        return fail("no node with id " + std::to_string(nodeId));
    if (node->kind == NodeKind::Segment)
        return fail("segment " + node->name + " has ports, not interfaces");
    auto taken = [&](const std::string& n) {
        return std::any_of(node->interfaces.begin(), node->interfaces.end(),
                           [&](const Interface& i) { return i.name == n; });
    };
    if (name.empty()) {
        for (int n = 0; name.empty(); ++n)
            if (!taken("eth" + std::to_string(n)))
                name = "eth" + std::to_string(n);
    } else if (taken(name)) {
        return fail(node->name + " already has an interface named " + name);
    }
    Id id = allocateId(topology);
    node->interfaces.push_back(Interface{id, std::move(name), {}, {}});
    return id;
}

Result<Id> connect(Topology& topology, Endpoint a, Endpoint b)
{
    if (a.node == b.node)
        return fail("a link needs two different nodes");
    if (auto r = checkEndpoint(topology, a); !r)
        return std::unexpected(r.error());
    if (auto r = checkEndpoint(topology, b); !r)
        return std::unexpected(r.error());
    if (a.interfaceId == kNoId && b.interfaceId == kNoId)
        return fail("two segments cannot be linked: merge them into one");
    Link link{allocateId(topology), a, b};
    topology.links.push_back(link);
    return link.id;
}

Result<RemovedNode> removeNode(Topology& topology, Id nodeId)
{
    auto it = std::find_if(topology.nodes.begin(), topology.nodes.end(),
                           [nodeId](const Node& n) { return n.id == nodeId; });
    if (it == topology.nodes.end())
        return fail("no node with id " + std::to_string(nodeId));
    RemovedNode removed;
    removed.index = static_cast<std::size_t>(it - topology.nodes.begin());
    removed.node = *it;
    for (std::size_t i = 0; i < topology.links.size(); ++i) {
        const Link& link = topology.links[i];
        if (link.a.node == nodeId || link.b.node == nodeId)
            removed.links.push_back(RemovedLink{i, link});
    }
    for (Node& director : topology.nodes)
        for (VirtualService& service : director.services)
            for (std::size_t i = 0; i < service.destinations.size(); ++i)
                if (service.destinations[i].realServer == nodeId)
                    removed.destinations.push_back(
                        RemovedDestination{director.id, service.id, i, service.destinations[i]});
    // Erase from the back so the recorded indexes stay those of the original vectors.
    for (auto r = removed.links.rbegin(); r != removed.links.rend(); ++r)
        topology.links.erase(topology.links.begin() + static_cast<std::ptrdiff_t>(r->index));
    for (auto r = removed.destinations.rbegin(); r != removed.destinations.rend(); ++r) {
        Error ignored;
        VirtualService* service = findService(topology, r->director, r->service, ignored);
        service->destinations.erase(service->destinations.begin()
                                    + static_cast<std::ptrdiff_t>(r->index));
    }
    topology.nodes.erase(topology.nodes.begin() + static_cast<std::ptrdiff_t>(removed.index));
    return removed;
}

Result<void> restore(Topology& topology, const RemovedNode& removed)
{
    if (auto r = insertNode(topology, removed.node, removed.index); !r)
        return r;
    for (const RemovedLink& link : removed.links)
        topology.links.insert(topology.links.begin()
                                  + static_cast<std::ptrdiff_t>(
                                      std::min(link.index, topology.links.size())),
                              link.link);
    for (const RemovedDestination& d : removed.destinations) {
        Error error;
        VirtualService* service = findService(topology, d.director, d.service, error);
        if (!service)
            return fail(error.message);
        auto& dests = service->destinations;
        dests.insert(dests.begin()
                         + static_cast<std::ptrdiff_t>(std::min(d.index, dests.size())),
                     d.destination);
    }
    return {};
}

Result<RemovedLink> removeLink(Topology& topology, Id linkId)
{
    auto it = std::find_if(topology.links.begin(), topology.links.end(),
                           [linkId](const Link& l) { return l.id == linkId; });
    if (it == topology.links.end())
        return fail("no link with id " + std::to_string(linkId));
    RemovedLink removed{static_cast<std::size_t>(it - topology.links.begin()), *it};
    topology.links.erase(it);
    return removed;
}

Result<void> restore(Topology& topology, const RemovedLink& removed)
{
    if (topology.findLink(removed.link.id))
        return fail("link " + std::to_string(removed.link.id) + " already exists");
    std::size_t index = std::min(removed.index, topology.links.size());
    topology.links.insert(topology.links.begin() + static_cast<std::ptrdiff_t>(index),
                          removed.link);
    return {};
}

Result<RemovedInterface> removeInterface(Topology& topology, Id interfaceId)
{
    auto [owner, iface] = topology.findInterface(interfaceId);
    if (!owner)
        return fail("no interface with id " + std::to_string(interfaceId));
    RemovedInterface removed{*owner, {}};
    Node* node = topology.findNode(owner->id);
    const std::string name = iface->name;
    for (std::size_t i = topology.links.size(); i-- > 0;) {
        const Link& link = topology.links[i];
        if (link.a.interfaceId == interfaceId || link.b.interfaceId == interfaceId) {
            removed.links.insert(removed.links.begin(), RemovedLink{i, link});
            topology.links.erase(topology.links.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    std::erase_if(node->interfaces, [&](const Interface& i) { return i.id == interfaceId; });
    std::erase_if(node->vips, [&](const VipBinding& v) {
        return v.device == VipDevice::Interface && v.interfaceId == interfaceId;
    });
    std::erase_if(node->vrrp, [&](const VrrpInstance& v) { return v.interfaceId == interfaceId; });
    const std::string sysctlPrefix = "net.ipv4.conf." + name + ".";
    std::erase_if(node->sysctls, [&](const auto& kv) { return kv.first.starts_with(sysctlPrefix); });
    return removed;
}

Result<void> restore(Topology& topology, const RemovedInterface& removed)
{
    Node* node = topology.findNode(removed.before.id);
    if (!node)
        return fail("no node with id " + std::to_string(removed.before.id));
    *node = removed.before;
    for (const RemovedLink& link : removed.links)
        if (auto r = restore(topology, link); !r)
            return r;
    return {};
}

Result<void> setNode(Topology& topology, const Node& value)
{
    Node* node = topology.findNode(value.id);
    if (!node)
        return fail("no node with id " + std::to_string(value.id));
    if (node->kind != value.kind)
        return fail("a node's kind cannot change");
    if (value.name.empty())
        return fail("a node needs a name");
    if (const Node* other = topology.findNodeByName(value.name); other && other->id != value.id)
        return fail("a node named " + value.name + " already exists");
    std::set<Id> used = idsInUse(topology, value.id);
    std::set<Id> kept;
    for (Id id : idsOf(value)) {
        if (id == kNoId || id >= topology.nextId)
            return fail("id " + std::to_string(id) + " was not handed out by this document");
        if (used.count(id) || !kept.insert(id).second)
            return fail("id " + std::to_string(id) + " is already in use");
    }
    std::set<std::string> names;
    for (const Interface& i : value.interfaces)
        if (!names.insert(i.name).second)
            return fail(value.name + " has two interfaces named " + i.name);
    for (const Interface& old : node->interfaces) {
        bool stays = std::any_of(value.interfaces.begin(), value.interfaces.end(),
                                 [&](const Interface& i) { return i.id == old.id; });
        if (!stays && topology.linkOf(old.id))
            return fail(value.name + "." + old.name + " is linked: remove the interface first");
    }
    *node = value;
    return {};
}

Result<void> moveNode(Topology& topology, Id nodeId, Point position)
{
    Node* node = topology.findNode(nodeId);
    if (!node)
        return fail("no node with id " + std::to_string(nodeId));
    node->position = position;
    return {};
}

Result<void> renameNode(Topology& topology, Id nodeId, std::string name)
{
    const Node* node = topology.findNode(nodeId);
    if (!node)
        return fail("no node with id " + std::to_string(nodeId));
    Node value = *node;
    value.name = std::move(name);
    return setNode(topology, value);
}

Result<Id> addService(Topology& topology, Id directorId, VirtualService service)
{
    Node* director = topology.findNode(directorId);
    if (!director || director->kind != NodeKind::Director)
        return fail("no director with id " + std::to_string(directorId));
    for (const VirtualService& s : director->services) {
        bool same = service.fwmark ? s.fwmark == service.fwmark
                                   : (s.fwmark == 0 && s.protocol == service.protocol
                                      && s.address == service.address && s.port == service.port);
        if (same)
            return fail("Service already exists"); // libipvs ipvs_strerror, ipvs_add_service EEXIST
    }
    service.id = allocateId(topology);
    for (Destination& d : service.destinations)
        d.id = allocateId(topology);
    director->services.push_back(std::move(service));
    return director->services.back().id;
}

Result<void> removeService(Topology& topology, Id directorId, Id serviceId)
{
    Error error;
    if (!findService(topology, directorId, serviceId, error))
        return fail(error.message);
    std::erase_if(topology.findNode(directorId)->services,
                  [serviceId](const VirtualService& s) { return s.id == serviceId; });
    return {};
}

Result<Id> addDestination(Topology& topology, Id directorId, Id serviceId, Destination destination)
{
    Error error;
    VirtualService* service = findService(topology, directorId, serviceId, error);
    if (!service)
        return fail(error.message);
    if (destination.weight < 0 || destination.weight > kMaxWeight)
        return fail("weight " + std::to_string(destination.weight)
                    + " is out of range 0..2147483647");
    if (destination.realServer != kNoId) {
        const Node* rs = topology.findNode(destination.realServer);
        if (!rs || rs->kind != NodeKind::RealServer)
            return fail("no real server with id " + std::to_string(destination.realServer));
    }
    for (const Destination& d : service->destinations)
        if (d.address == destination.address && d.port == destination.port)
            return fail("Destination already exists"); // ipvs_strerror, ipvs_add_dest EEXIST
    destination.id = allocateId(topology);
    service->destinations.push_back(destination);
    return destination.id;
}

Result<void> removeDestination(Topology& topology, Id directorId, Id serviceId, Id destinationId)
{
    Error error;
    VirtualService* service = findService(topology, directorId, serviceId, error);
    if (!service)
        return fail(error.message);
    auto erased = std::erase_if(service->destinations,
                                [&](const Destination& d) { return d.id == destinationId; });
    if (erased == 0)
        return fail("No such destination"); // ipvs_strerror, ipvs_del_dest ENOENT
    return {};
}

void reassignIds(Topology& topology, Node& node)
{
    node.id = allocateId(topology);
    for (Interface& iface : node.interfaces) {
        Id fresh = allocateId(topology);
        for (VipBinding& vip : node.vips)
            if (vip.device == VipDevice::Interface && vip.interfaceId == iface.id)
                vip.interfaceId = fresh;
        for (VrrpInstance& v : node.vrrp)
            if (v.interfaceId == iface.id)
                v.interfaceId = fresh;
        iface.id = fresh;
        iface.mac.reset(); // a copy must not share its original's MAC
    }
    for (VirtualService& s : node.services) {
        s.id = allocateId(topology);
        for (Destination& d : s.destinations)
            d.id = allocateId(topology);
    }
    for (FwmarkRule& r : node.fwmarkRules)
        r.id = allocateId(topology);
    for (VrrpInstance& v : node.vrrp)
        v.id = allocateId(topology);
}

} // namespace lvs::core::edit
