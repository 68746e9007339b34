// ipvsadm's output formats (-L with --stats/--rate/--exact/--thresholds/--persistent-conn,
// -c, -S) over plain data, mirroring ipvsadm 1.31's ipvsadm.c byte for byte.
#pragma once

#include "core/ipvs/stats.h"
#include "core/ipvsadm/types.h"
#include "core/model/topology.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lvs::core::ipvs {
class Balancer;
struct ConnEntry;
} // namespace lvs::core::ipvs

namespace lvs::core::ipvsadm {

// One destination as ipvsadm receives it (ipvs_dest_entry_t): settings, counters, stats.
// address.ipv6 is the destination's own family (e->af): a tunnel destination may differ from
// its service's.
struct ListedDest {
    Address address;
    std::uint16_t port = 0;
    ForwardMethod method = ForwardMethod::Route;
    int weight = 1;
    std::uint32_t upperThreshold = 0; // u_threshold (-x)
    std::uint32_t lowerThreshold = 0; // l_threshold (-y)
    std::uint32_t activeConns = 0;
    std::uint32_t inactConns = 0;
    std::uint32_t persistConns = 0;
    // Tunnel encapsulation of a -i destination (tun_type, tun_port, tun_flags): type 0 ipip,
    // 1 gue, 2 gre; flags 0 nocsum, 1 csum, 2 remcsum. The lab's tunnels are all ipip.
    int tunnelType = 0;
    std::uint16_t tunnelPort = 0;
    int tunnelFlags = 0;
    ipvs::StatsSnapshot stats;
};

// One virtual service as ipvsadm receives it (ipvs_service_entry_t) with its destinations in
// the kernel's list order (the printers sort them unless told not to).
struct ListedService {
    std::uint32_t fwmark = 0; // non-zero: FWM service; protocol, address and port unused
    Protocol protocol = Protocol::Tcp;
    // The service's family (se->af) is its address's; a fwmark service has none, so ipv6
    // gives it ("-f 5 -6", listed "FWM  5 IPv6"). ipv6 is not read for a service with an address.
    bool ipv6 = false;
    Address address;
    std::uint16_t port = 0;
    std::string scheduler = "wlc";
    std::uint32_t flags = 0;       // ipvs::kSvcPersistent, kSvcSched1..3; 0x0004 one-packet
    std::uint32_t timeout = 0;     // persistence timeout, seconds
    // Persistence granularity (-M) as the kernel keeps se->netmask: an IPv4 mask (host order
    // here; 0xffffffff for none) or an IPv6 prefix length (128 for none, as the kernel sets it).
    std::uint32_t netmask = 0xffffffff;
    std::string peName;            // persistence engine (--pe), "" when none
    ipvs::StatsSnapshot stats;
    std::vector<ListedDest> dests;
};

// One line of /proc/net/ip_vs_conn as print_conn reads it back. The kernel writes caddr and
// vaddr in the connection's family (cp->af) and daddr in the destination's (cp->daf), which
// differ for a tunnel to a destination of the other family.
struct ListedConn {
    std::string protocol = "TCP"; // ip_vs_proto_name: "TCP", "UDP", "SCTP", "IP" (fwmark template)
    Address caddr;
    std::uint16_t cport = 0;
    Address vaddr;
    std::uint16_t vport = 0;
    Address daddr;
    std::uint16_t dport = 0;
    std::string state;            // ip_vs_state_name: "ESTABLISHED", "UDP", "NONE" (template)
    std::uint32_t expires = 0;    // seconds left on the timer
    std::optional<std::string> peName; // a persistence engine's name and data (sip), if any
    std::string peData;
};


// Names for addresses and ports when -n is not given (gethostbyaddr, getservbyport). An unset
// function, or one returning nullopt, falls back to the number, as addr_to_anyname and
// port_to_anyname do; the default resolver thus prints numbers (core makes no lookups).
struct NameResolver {
    // Asked for IPv4 and IPv6 addresses alike (addr_to_host passes the af to gethostbyaddr);
    // an IPv6 name is still printed in brackets, "[www6]:http".
    std::function<std::optional<std::string>(const Address&)> host;
    // protocol is the IP protocol number; ipvsadm asks only for TCP (6), UDP (17) and
    // SCTP (132) (port_to_service), never for a fwmark service's destinations (protocol 0).
    std::function<std::optional<std::string>(std::uint16_t port, int protocol)> service;
};

// print_largenum: right-aligned in 9 columns, scaled to K/M/G/T past 10^8 (truncating), or
// exact in at least 9 columns (one more than its digits once it has 9 or more).
std::string largeNumber(std::uint64_t value, bool exact);

// list_all's first line: "IP Virtual Server version 1.2.1 (size=4096)\n".
std::string versionLine();

// print_title: the two header lines of a listing (nothing for -S).
std::string title(const ListFormat& format);

// print_service_entry: the service line and its destinations' lines.
std::string serviceEntry(const ListedService& service, const ListFormat& format,
                         const NameResolver& names = {});

// list_all (ipvsadm -L): version line, title, services in ipvs_cmp_services order (fwmark,
// then family, IPv4 before IPv6, then protocol, address, port).
std::string listAll(const std::vector<ListedService>& services, const ListFormat& format,
                    const NameResolver& names = {});

// list_service (ipvsadm -L -t|u|f service): title and one service, no version line.
std::string listService(const ListedService& service, const ListFormat& format,
                        const NameResolver& names = {});

// list_all with FMT_RULE (ipvsadm -S [-n]): the commands ipvsadm -R restores: "-A" with
// -p/-M/--pe/-o/-b, "-a" with -g/-m/-i and, for tunnels, print_tunnel_rule's --tun-* options.
std::string saveRules(const std::vector<ListedService>& services, bool numeric,
                      const NameResolver& names = {});

// list_conn (ipvsadm -Lc [-n] [--persistent-conn]): connections in the order given (the
// kernel's hash order, which the caller supplies). print_conn adds the pe name and pe_data
// columns only with --persistent-conn and when the line has both (sscanf read 11 fields).
std::string listConnections(const std::vector<ListedConn>& connections, const ListFormat& format,
                            const NameResolver& names = {});

// A running service as ipvsadm would read it (ipvs_get_service + ipvs_get_dests): settings,
// counters and Stats::read() snapshots; IPv4, as the engine is. Takes the Balancer non-const
// only because Service exposes its destination list that way; changes nothing.
ListedService listedService(ipvs::Balancer& balancer);

// A connection entry as /proc/net/ip_vs_conn shows it at time now (seconds of the balancer's
// clock): templates show state "NONE", fwmark templates protocol "IP"; an entry without a timer
// shows 0 seconds left. IPv4, as the engine is.
ListedConn listedConn(const ipvs::ConnEntry& entry, std::uint32_t now);

} // namespace lvs::core::ipvsadm
