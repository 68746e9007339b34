// The lab's traffic: the rs agent (the built-in services a real server runs: HTTP answering
// "<h1>NAME</h1>", TCP echo, UDP echo, on Boost.Asio) and a client that sends requests from
// inside a lab namespace with bounded waits.
#pragma once

#include "core/net/ipv4.h"
#include "emu/lab/netlink_ops.h"
#include "emu/lab/plan.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lvs::emu::lab {

// Serves the services until killed; writes one byte to readyFd once every port listens (then
// closes it). Returns 1, with the reason on stderr, when a port cannot be bound.
int runAgent(const std::string& nodeName, const std::vector<PlanService>& services, int readyFd);

// One HTTP/1.0 GET / from inside ns to address:port, new connection, bounded by timeout;
// returns the response body.
OpResult<std::string> httpGet(const std::string& ns, core::Ipv4 address, std::uint16_t port,
                              std::chrono::milliseconds timeout);
// One TCP round trip (send text, read the echo) and one UDP round trip, from inside ns.
OpResult<std::string> tcpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout);
OpResult<std::string> udpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout);

// "NAME" of a body holding "<h1>NAME</h1>", nullopt otherwise.
std::optional<std::string> serverNameOf(const std::string& body);

} // namespace lvs::emu::lab
