// The lab's traffic client: K requests (HTTP GET, TCP echo lines, UDP echo datagrams) from
// inside a lab namespace to an address and port, counted per server from the answers (the
// formats of services.h), bounded in count and time. Used by `lvsctl lab run/traffic`.
#pragma once

#include "core/model/topology.h"
#include "core/net/ipv4.h"
#include "emu/lab/netlink_ops.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lvs::emu::lab {

enum class TrafficProtocol { Http, Tcp, Udp };

std::string_view toString(TrafficProtocol protocol);
std::optional<TrafficProtocol> trafficProtocolFromString(std::string_view text);

struct TrafficSpec {
    std::string ns; // the namespace to send from; "" for the caller's own (tests on loopback)
    TrafficProtocol protocol = TrafficProtocol::Http;
    core::Ipv4 address;
    std::uint16_t port = 80;
    int requests = 1; // 1..kMaxRequests
    // false: a new connection (TCP) or socket (UDP) per request. true: one per source address,
    // used for every request sent from it (HTTP/1.1 keep-alive, one TCP connection for all
    // lines, one UDP socket); one that breaks or times out is replaced by a new one.
    bool keepAlive = false;
    // Addresses to bind to, used round-robin (request i from sources[i % size]); empty: the
    // kernel picks. Each must be an address of the namespace.
    std::vector<core::Ipv4> sources;
    // 0: ephemeral ports. Otherwise each source address's n-th connection or socket binds
    // firstSourcePort + n (wrapping around at 65535 to firstSourcePort).
    std::uint16_t firstSourcePort = 0;
    std::chrono::milliseconds timeout{500}; // per request: connect, send and answer
    // After this many timeouts in a row the rest is not sent: a target that drops everything
    // costs maxTimeoutsInARow * timeout, not requests * timeout.
    int maxTimeoutsInARow = 3;
};

inline constexpr int kMaxRequests = 1000000;
// The server name counted for an answer that names none (a real program's page, say).
inline constexpr std::string_view kUnnamed = "(answer naming no server)";

// requests == sum(servers) + unanswered + sum(errors) + notSent.
struct TrafficResult {
    std::map<std::string, int> servers; // server name -> answers
    int unanswered = 0;                 // no answer within the timeout
    std::map<std::string, int> errors;  // what else went wrong (refused, unreachable, reset, ...) -> count
    int notSent = 0;                    // left out after maxTimeoutsInARow timeouts in a row
    // HTTP only: the client addresses as the servers saw them (kPeerHeader) -> answers, and how
    // many distinct address:port pairs (connections, unless ports were reused) they saw.
    std::map<std::string, int> seenFrom;
    int seenEndpoints = 0;
    std::chrono::milliseconds elapsed{0};
};

// Sends spec.requests requests one after the other. Fails (never throws) only when the spec is
// unusable (EINVAL: requests out of range, port 0) or the namespace cannot be entered (its
// errno); everything that happens to single requests is counted in the result.
OpResult<TrafficResult> runTraffic(const TrafficSpec& spec);

// The result as lines indented by two spaces, one per server, error and figure: what
// `lvsctl lab run/traffic` prints under each target.
std::string toText(const TrafficSpec& spec, const TrafficResult& result);

// Single requests from inside ns ("" for the caller's own), new connection, bounded by timeout:
// the body of an HTTP/1.0 GET /; the answer line of a TCP echo (text + '\n' sent, the answer
// without its '\n'); the answer datagram of a UDP echo. Errors carry the errno (ECONNREFUSED,
// EHOSTUNREACH, ETIMEDOUT for no answer in time, EPROTO for an answer that is not HTTP).
OpResult<std::string> httpGet(const std::string& ns, core::Ipv4 address, std::uint16_t port,
                              std::chrono::milliseconds timeout);
OpResult<std::string> tcpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout);
OpResult<std::string> udpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout);

// count addresses for extra traffic sources next to primary (an interface address of client):
// the next addresses above it in its network, skipping every address the design uses (any
// node's interface addresses, VIPs, services, destinations, gateways, routes' next hops, local
// addresses, sorry servers) and the broadcast address; with primary's prefix length. Fails
// when the network has fewer free addresses above primary.
core::Result<std::vector<core::Ipv4Prefix>> freeSourceAddresses(const core::Topology& topology,
                                                                 const core::Ipv4Prefix& primary, int count);

} // namespace lvs::emu::lab
