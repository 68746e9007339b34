// Names as the C library would give them to ipvsadm, from the files only: /etc/services for
// ports (getservbyname / getservbyport) and /etc/hosts for hosts (gethostbyname /
// gethostbyaddr). No DNS: the lab never sends a query from the machine's own namespace.
#pragma once

#include "core/ipvsadm/listing.h"
#include "core/ipvsadm/options.h"

#include <string>

namespace lvs::emu {

struct SystemNames {
    core::ipvsadm::Resolver resolver; // for -t/-u/-r host:port
    core::ipvsadm::NameResolver names; // for listings without -n
};

// Reads the two files (missing files give no names); paths for tests.
SystemNames systemNames(const std::string& servicesPath = "/etc/services",
                        const std::string& hostsPath = "/etc/hosts");

} // namespace lvs::emu
