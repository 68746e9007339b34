// The rs agent: the built-in services a real server runs (Boost.Asio), and the answer formats
// they promise, which the traffic client (traffic.h) reads back to count answers per server.
//
// What each built-in service answers, NAME being the node's name:
//   http      "<h1>NAME</h1>\n" to every request; the answer carries the header
//             "X-Lvslab-Peer: ADDRESS:PORT", the client's end of the connection as this server
//             sees it (after any NAT on the way). HTTP/1.1 requests keep the connection open
//             unless they say "Connection: close"; HTTP/1.0 ones only with
//             "Connection: keep-alive".
//   tcp-echo  "NAME " + each line received (up to and including its '\n'), on the same
//             connection; a last line without '\n' is answered when the client shuts down its
//             side. A line longer than 64 KiB closes the connection.
//   udp-echo  "NAME " + each datagram received, as one datagram.
#pragma once

#include "core/net/ipv4.h"
#include "emu/lab/plan.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::emu::lab {

// The header with which the HTTP service names the client's address and port.
inline constexpr std::string_view kPeerHeader = "X-Lvslab-Peer";

// Serves the services on bindAddress (0.0.0.0, every address, in a lab; tests on the machine's
// own namespace use 127.0.0.1) until killed; writes one byte to readyFd once every port listens
// (then closes it). Returns 1, with the reason on stderr, when a port cannot be bound.
int runAgent(const std::string& nodeName, const std::vector<PlanService>& services, int readyFd,
             core::Ipv4 bindAddress = {});

// "NAME" of an HTTP body holding "<h1>NAME</h1>", nullopt otherwise.
std::optional<std::string> serverNameOf(const std::string& body);
// "NAME" of an echo answer "NAME " + sent, nullopt when the answer is not of that shape.
std::optional<std::string> echoServerNameOf(std::string_view answer, std::string_view sent);

// The value of the first header called name (any case) in an HTTP head (the start line and the
// header lines), trimmed; nullopt when there is none.
std::optional<std::string> httpHeader(std::string_view head, std::string_view name);
// Whether the connection stays open after this message (a request's head or an answer's), by
// the rules of RFC 9112 9.3: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
// "Connection: keep-alive".
bool httpKeepAlive(std::string_view head);

} // namespace lvs::emu::lab
