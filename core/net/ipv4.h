// IPv4 addresses, prefixes and MAC addresses: parsing, formatting and subnet arithmetic.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvs::core {

// An IPv4 address in host byte order.
struct Ipv4 {
    std::uint32_t value = 0;

    // Strict dotted quad ("192.168.10.11"): four decimal octets 0..255, no leading '+', no
    // leading zeros beyond a single "0" (inet_pton's rule), nothing after.
    static std::optional<Ipv4> parse(std::string_view text);
    std::string toString() const;

    auto operator<=>(const Ipv4&) const = default;
};

// An address with its prefix length: "192.168.10.11/24". Host bits may be set (an interface
// address), unlike a route destination.
struct Ipv4Prefix {
    Ipv4 address;
    int length = 32;

    // "a.b.c.d/len" with len 0..32; "a.b.c.d" alone when allowBare (meaning /32).
    static std::optional<Ipv4Prefix> parse(std::string_view text, bool allowBare = false);
    std::string toString() const;

    std::uint32_t netmask() const;
    Ipv4 network() const { return Ipv4{address.value & netmask()}; }
    bool contains(Ipv4 other) const { return (other.value & netmask()) == network().value; }
    // Two prefixes overlap when either network contains the other's network.
    bool overlaps(const Ipv4Prefix& other) const;

    auto operator<=>(const Ipv4Prefix&) const = default;
};

// Netmask in dotted form from a prefix length, and back ("255.255.255.0" <-> 24); fromNetmask
// refuses non-contiguous masks.
Ipv4 netmaskFromLength(int length);
std::optional<int> lengthFromNetmask(Ipv4 mask);

struct Mac {
    std::array<std::uint8_t, 6> bytes{};

    // "02:4c:56:00:00:0a", lower or upper case hex, colon separated.
    static std::optional<Mac> parse(std::string_view text);
    std::string toString() const;

    auto operator<=>(const Mac&) const = default;
};

} // namespace lvs::core
