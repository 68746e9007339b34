// IPv4 addresses, prefixes and MAC addresses: parsing, formatting and subnet arithmetic.
#include "core/net/ipv4.h"

#include <charconv>
#include <cstdio>

namespace lvs::core {

namespace {

// Parses a decimal number of at most maxDigits digits at the front of text; advances text.
std::optional<unsigned> takeNumber(std::string_view& text, int maxDigits)
{
    std::size_t n = 0;
    while (n < text.size() && n < static_cast<std::size_t>(maxDigits) + 1 && text[n] >= '0'
           && text[n] <= '9')
        ++n;
    if (n == 0 || n > static_cast<std::size_t>(maxDigits))
        return std::nullopt;
    if (n > 1 && text[0] == '0')
        return std::nullopt; // "010" would be octal to inet_aton; refuse, as inet_pton does
    unsigned value = 0;
    std::from_chars(text.data(), text.data() + n, value);
    text.remove_prefix(n);
    return value;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::optional<Ipv4> Ipv4::parse(std::string_view text)
{
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (text.empty() || text.front() != '.')
                return std::nullopt;
            text.remove_prefix(1);
        }
        auto octet = takeNumber(text, 3);
        if (!octet || *octet > 255)
            return std::nullopt;
        value = (value << 8) | *octet;
    }
    if (!text.empty())
        return std::nullopt;
    return Ipv4{value};
}

std::string Ipv4::toString() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", (value >> 24) & 0xff, (value >> 16) & 0xff,
                  (value >> 8) & 0xff, value & 0xff);
    return buf;
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text, bool allowBare)
{
    auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        if (!allowBare)
            return std::nullopt;
        auto address = Ipv4::parse(text);
        if (!address)
            return std::nullopt;
        return Ipv4Prefix{*address, 32};
    }
    auto address = Ipv4::parse(text.substr(0, slash));
    std::string_view rest = text.substr(slash + 1);
    auto length = takeNumber(rest, 2);
    if (!address || !length || !rest.empty() || *length > 32)
        return std::nullopt;
    return Ipv4Prefix{*address, static_cast<int>(*length)};
}

std::string Ipv4Prefix::toString() const
{
    return address.toString() + "/" + std::to_string(length);
}

std::uint32_t Ipv4Prefix::netmask() const
{
    return netmaskFromLength(length).value;
}

bool Ipv4Prefix::overlaps(const Ipv4Prefix& other) const
{
    return contains(other.network()) || other.contains(network());
}

Ipv4 netmaskFromLength(int length)
{
    if (length <= 0)
        return Ipv4{0};
    if (length >= 32)
        return Ipv4{0xffffffffu};
    return Ipv4{~((1u << (32 - length)) - 1u)};
}

std::optional<int> lengthFromNetmask(Ipv4 mask)
{
    for (int length = 0; length <= 32; ++length)
        if (netmaskFromLength(length) == mask)
            return length;
    return std::nullopt;
}

std::optional<Mac> Mac::parse(std::string_view text)
{
    if (text.size() != 17)
        return std::nullopt;
    Mac mac;
    for (int i = 0; i < 6; ++i) {
        if (i > 0 && text[i * 3 - 1] != ':')
            return std::nullopt;
        int hi = hexDigit(text[i * 3]);
        int lo = hexDigit(text[i * 3 + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return mac;
}

std::string Mac::toString() const
{
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                  bytes[3], bytes[4], bytes[5]);
    return buf;
}

} // namespace lvs::core
