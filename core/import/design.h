// A design built around imported directors (from an ipvsadm-save file or a keepalived.conf):
// the directors with their services, the real servers their destinations name, a client, a
// router where the modes need one, segments and links, laid out left to right. Addresses the
// import does not know are chosen by the seeds' conventions (DIP .254 of the real servers'
// network, router .1); validation then tells the user what is still to check.
#pragma once

#include "core/model/topology.h"

#include <string>
#include <vector>

namespace lvs::core::import {

struct ImportedDirector {
    std::string name; // empty: "Director", "Director1", ...
    std::vector<VirtualService> services;
    std::vector<VrrpInstance> vrrp;              // interfaceId unset
    std::vector<std::string> vrrpInterfaceNames; // parallel to vrrp: the interface each runs on
    std::vector<Ipv4> localAddresses;            // FULLNAT
    std::vector<FwmarkRule> fwmarkRules;
};

Topology designFromImport(const std::vector<ImportedDirector>& directors, std::string name = "Imported design");

} // namespace lvs::core::import
