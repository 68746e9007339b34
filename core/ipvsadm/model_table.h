// The design's IPVS services as an ipvsadm table and back: what `lvsctl export --format
// ipvsadm-save` prints and what `lvsctl import rules.save` reads go through here, so both use
// lvsadm's own table, checks and printers.
#pragma once

#include "core/ipvsadm/state_table.h"
#include "core/model/topology.h"
#include "core/util/result.h"

#include <vector>

namespace lvs::core::ipvsadm {

// A director's services, destinations and FULLNAT local addresses (one -P per local address
// for each service with a full-NAT destination, on the director interface whose network holds
// it). Fails, naming the service, where the kernel would refuse the design (an unknown
// scheduler, -y above -x, ...).
Result<StateTable> tableOf(const Node& director);

// The table's services as the design holds them (IPv4 only: the model is), in ipvsadm -Ln's
// order; destinations without their real-server link (realServer = kNoId), a destination port
// kept only where it differs from the service's. Ids are left 0 for the caller to assign.
Result<std::vector<VirtualService>> servicesOf(const Control& table);

// The service key of a listed service.
Service keyOf(const ListedService& service);

} // namespace lvs::core::ipvsadm
