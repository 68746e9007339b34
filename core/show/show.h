// `lvsctl show`: a readable summary of a topology for a terminal.
#pragma once

#include "core/model/topology.h"

#include <string>

namespace lvs::core {

// Nodes with their interfaces, addresses and roles (CIP, VIP, DIP, RIP, GW), MACs, gateways,
// routes, sysctls and apps; the links; and each director's IPVS table in `ipvsadm -Ln` form
// with its firewall-mark rules, local addresses, health checks and VRRP instances.
std::string showTopology(const Topology& topology, const std::string& fileName);

// The iptables command line of a firewall-mark rule, as the seeds write it.
std::string iptablesRule(const FwmarkRule& rule);

} // namespace lvs::core
