// The IPVS table as `ipvsadm -Ln` lists it: ipvsadm's sort order and line formats.
#pragma once

#include "core/model/topology.h"

#include <string>
#include <vector>

namespace lvs::core {

// The version line's figures: IP_VS_VERSION_CODE 0x010201 and the connection hash table size
// 1 << CONFIG_IP_VS_TAB_BITS (12 by default), as a stock kernel reports them.
inline constexpr const char* kIpvsVersion = "1.2.1";
inline constexpr int kIpvsConnTabSize = 4096;

// Services in the order `ipvsadm -L` prints them: libipvs's ipvs_cmp_services compares fwmark,
// address family, protocol number, address, port, each by int subtraction of the unsigned
// values, so two addresses more than 2^31 apart compare the "wrong" way round (10.0.0.1 sorts
// after 200.0.0.1). That is what ipvsadm prints, so that is what this does.
std::vector<const VirtualService*> sortedServices(const std::vector<VirtualService>& services);
// Destinations as ipvs_cmp_dests orders them: address, then port, with the same int subtraction.
std::vector<const Destination*> sortedDestinations(const VirtualService& service);

// The port a destination is reached on: ipvsadm gives a destination without a port the
// service's port.
std::uint16_t effectivePort(const VirtualService& service, const Destination& destination);

// ipvsadm's fwd_name(): "Masq", "Tunnel", "Route"; "FullNat" as DPVS's ipvsadm prints it.
std::string_view forwardName(ForwardMethod method);

// "TCP  172.18.100.6:80", "UDP  ...", "SCTP ...", "FWM  10": the first column of a service line.
std::string serviceName(const VirtualService& service);

// The "(...)" part of a service line for scheduler flag bits (kSvcSched1..3), as ipvsadm's
// print_sched_flags names them; empty when no bit is set.
std::string schedFlagsText(std::string_view scheduler, std::uint32_t bits);

// The numeric listing (`ipvsadm -Ln`) of a table as designed, with every counter 0.
std::string listNumeric(const std::vector<VirtualService>& services);

} // namespace lvs::core
