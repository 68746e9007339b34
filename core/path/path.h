// The packet path of a client's request to a virtual service and of its response, hop by hop
// through the topology: at each node the interfaces in and out, the netfilter hooks traversed,
// the decisions taken (route lookup, ARP, IPVS scheduling and why, encapsulation, rewrite) and
// the whole header stack with the fields changed at that hop. The scheduling decision comes
// from core/ipvs (the engine the director runs), so successive requests follow the scheduler.
//
// Kernel behaviour mirrored (net/netfilter/ipvs): ip_vs_service_find (fwmark first, then
// <protocol, vaddr, vport>, then the port-zero service), ip_vs_schedule / ip_vs_sched_persist
// (core/ipvs/balancer), the xmit functions ip_vs_nat_xmit (DNAT to RIP:port), ip_vs_dr_xmit
// (only the MAC changes), ip_vs_tunnel_xmit (an outer IP header DIP -> RIP, protocol 4), the
// reply hook ip_vs_out at FORWARD for NAT (SNAT back to VIP:port); ARP as arp_ignore and
// arp_announce decide (net/ipv4/arp.c arp_ignore(), devinet.c IN_DEV_MAXCONF), rp_filter on
// the decapsulated packet (fib_validate_source). FULLNAT follows DPVS (a local address as the
// source, the client carried in a TCP option, TOA).
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace lvs::core::path {

struct Headers {
    Mac srcMac;
    Mac dstMac;
    std::optional<Ipv4> outerSrc; // IPIP (TUN): the outer header
    std::optional<Ipv4> outerDst;
    Ipv4 src;
    Ipv4 dst;
    Protocol protocol = Protocol::Tcp;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::optional<Ipv4> toaAddress; // FULLNAT: the client address in the TCP option (TOA)
    std::optional<std::uint16_t> toaPort;
    std::uint32_t mark = 0; // skb->mark (firewall mark), not on the wire
    bool operator==(const Headers&) const = default;
};

// The header fields, as names for "what changed here": "eth.src", "eth.dst", "outer.src",
// "outer.dst", "ip.src", "ip.dst", "sport", "dport", "toa", "mark".
std::vector<std::string> changedFields(const Headers& before, const Headers& after);

struct Hop {
    std::string node;
    std::string inInterface;  // "" at the sender
    std::string outInterface; // "" where the packet ends
    std::vector<std::string> hooks; // PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING, in order
    std::vector<std::string> decisions;
    Headers headers; // as the packet leaves this node (as it arrives, where it ends)
    std::vector<std::string> changed; // fields that differ from the previous hop's headers
};

struct Leg {
    std::vector<Hop> hops;
    bool delivered = false;
    std::string brokenAt;    // the node where the path breaks
    std::string breakReason; // why (empty when delivered)
};

struct Trace {
    int index = 0;                   // 1, 2, ...
    std::string client;
    std::string target;              // "tcp 172.18.100.6:80"
    std::string director;            // the director that scheduled it ("" if none did)
    std::string realServer;          // the chosen real server's node name (or its address)
    std::string method;              // route, tunnel, masq, fullnat
    std::string why;                 // the scheduler's reason
    Leg request;
    Leg response;                    // empty when the request did not arrive
};

struct Options {
    // The packets' destinations, "tcp:VIP:PORT" (udp, sctp); requests cycle through them.
    // Empty: the first service of the first director (for a firewall-mark service, the first
    // address and port its mark rule catches).
    std::vector<std::string> targets;
    std::optional<std::string> client; // a client node; unset: the first client
    int requests = 1;
    std::uint16_t firstClientPort = 40000; // request i uses firstClientPort + i - 1
};

// Traces `requests` requests. Fails only on bad options (an unknown client or a malformed
// target); a design that cannot carry the packet gives a Trace whose leg says where and why.
Result<std::vector<Trace>> tracePaths(const Topology& topology, const Options& options);

// A readable table, one block per request.
std::string formatTraces(const std::vector<Trace>& traces);
// JSON for the GUI and for tests: [{index, client, target, director, real_server, method,
// why, request_path: {delivered, broken_at, reason, hops: [{node, in, out, hooks, decisions,
// headers: {...}, changed: [...]}]}, response_path: {...}}].
std::string tracesToJson(const std::vector<Trace>& traces);

} // namespace lvs::core::path
