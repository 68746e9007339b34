// Vocabulary shared by ipvsadm's parser, its listings and the tables they act on.
#pragma once

#include "core/net/ipv4.h"

#include <array>
#include <cstdint>
#include <string>

namespace lvs::core::ipvsadm {

// An IPv4 or IPv6 address as parse_service() reads it and libipvs hands it over
// (union nf_inet_addr with its address family).
struct Address {
    bool ipv6 = false;
    Ipv4 v4;                           // when !ipv6
    std::array<std::uint8_t, 16> v6{}; // when ipv6, network order
    static Address of(Ipv4 a) { return Address{false, a, {}}; }
    std::string toString() const; // inet_ntop: "10.0.0.1", "2001:db8::1" (not bracketed)
    bool operator==(const Address&) const = default;
    auto operator<=>(const Address&) const = default;
};

// The listing switches: ipvsadm's FMT_* bits. Where several are set, ipvsadm's precedence
// holds: stats, then rate, then thresholds, then persistentConn, then tunInfo.
struct ListFormat {
    bool numeric = false;        // -n (FMT_NUMERIC)
    bool stats = false;          // --stats
    bool rate = false;           // --rate
    bool thresholds = false;     // --thresholds
    bool persistentConn = false; // --persistent-conn
    bool noSort = false;         // --nosort (--sort is a no-op)
    bool exact = false;          // --exact, -X
    bool tunInfo = false;        // --tun-info (FMT_TUN_INFO)
    bool operator==(const ListFormat&) const = default;
};

} // namespace lvs::core::ipvsadm
