// Editing operations on a Topology: the only way the GUI's undo commands change a document.
//
// Each operation checks its arguments and returns an Error (never throws) when they do not fit
// the document; on error the topology is unchanged. Removals return what they took away, so
// that an undo can put every piece back at its old position with its old id.
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

namespace lvs::core::edit {

// Hands out a fresh id (Topology::nextId++). Ids are never reused.
Id allocateId(Topology& topology);

// A name not yet used by a node: base itself, else base2, base3, ...
std::string uniqueNodeName(const Topology& topology, std::string_view base);

// Adds a node of a kind with default contents for that kind (a router forwards; a director
// forwards and has eth0; a real server, client and router get eth0; a segment has no
// interfaces). An empty name takes the kind's base name made unique (RS1, RS2, ...).
Result<Id> addNode(Topology& topology, NodeKind kind, std::string name, Point position);
// Inserts a complete node (for paste and undo). Its ids must not be in use and must be below
// nextId (paste takes fresh ids first with reassignIds); its name must be free.
Result<void> insertNode(Topology& topology, Node node, std::size_t index);

Result<Id> addInterface(Topology& topology, Id node, std::string name = {});

// Connects two endpoints. Refused when a node or interface does not exist, an interface is
// already linked, both ends are on one node, both are segments, or an end names a segment
// together with an interface (segments have ports, not interfaces) or a non-segment without one.
Result<Id> connect(Topology& topology, Endpoint a, Endpoint b);

struct RemovedLink {
    std::size_t index = 0;
    Link link;
};

struct RemovedDestination {
    Id director = kNoId;
    Id service = kNoId;
    std::size_t index = 0;
    Destination destination;
};

// Everything removeNode took away, in the order restore() puts it back.
struct RemovedNode {
    std::size_t index = 0;
    Node node;
    std::vector<RemovedLink> links;
    std::vector<RemovedDestination> destinations;
};

// Removes a node, its links, and every destination (on any director) that points at it.
Result<RemovedNode> removeNode(Topology& topology, Id node);
// Puts back what removeNode took, at the same positions with the same ids.
Result<void> restore(Topology& topology, const RemovedNode& removed);

Result<RemovedLink> removeLink(Topology& topology, Id link);
Result<void> restore(Topology& topology, const RemovedLink& removed);

// Removes an interface and the link attached to it; VIPs, VRRP instances and sysctls that
// name it go with it (they are part of the node value, which the result keeps whole).
struct RemovedInterface {
    Node before;
    std::vector<RemovedLink> links;
};
Result<RemovedInterface> removeInterface(Topology& topology, Id interfaceId);
Result<void> restore(Topology& topology, const RemovedInterface& removed);

// Replaces a node's value (the "set" of every inspector edit). The id and kind must stay; the
// interfaces' ids must stay unique in the document; the name must stay unique; links to
// interfaces that the new value drops make it refused (remove those interfaces first).
Result<void> setNode(Topology& topology, const Node& value);
Result<void> moveNode(Topology& topology, Id node, Point position);
Result<void> renameNode(Topology& topology, Id node, std::string name);

// Adds a virtual service to a director; the service's id and its destinations' ids are
// allocated here (values in the argument are ignored).
Result<Id> addService(Topology& topology, Id director, VirtualService service);
Result<void> removeService(Topology& topology, Id director, Id service);
// Adds a destination to a service; ipvsadm refuses a second one at the same address:port
// ("Destination already exists"), and so does this.
Result<Id> addDestination(Topology& topology, Id director, Id service, Destination destination);
Result<void> removeDestination(Topology& topology, Id director, Id service, Id destination);

// Gives a node (and everything inside it with an id) fresh ids, for paste.
void reassignIds(Topology& topology, Node& node);

} // namespace lvs::core::edit
