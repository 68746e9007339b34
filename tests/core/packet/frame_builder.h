// Test helper: frames built field by field, with checksums from a deliberately plain RFC 1071
// sum written here (not the library's), so that a library checksum bug cannot hide itself.
#pragma once

#include "core/net/ipv4.h"
#include "core/packet/frame.h"
#include "core/packet/rewrite.h"

#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <span>
#include <vector>

namespace testpkt {

using Bytes = std::vector<std::uint8_t>;
using lvs::core::Ipv4;
using lvs::core::Mac;

// One's complement sum, folding after every word: the textbook form of RFC 1071.
inline std::uint16_t refSum(std::span<const std::uint8_t> data, std::uint32_t start = 0)
{
    std::uint32_t sum = start;
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >> 16);
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const std::uint32_t word = (std::uint32_t{data[i]} << 8) | (i + 1 < data.size() ? data[i + 1] : 0);
        sum += word;
        if (sum > 0xffff)
            sum = (sum & 0xffff) + 1;
    }
    return static_cast<std::uint16_t>(sum);
}

inline std::uint32_t refPseudo(Ipv4 src, Ipv4 dst, std::uint8_t proto, std::size_t length)
{
    return (src.value >> 16) + (src.value & 0xffff) + (dst.value >> 16) + (dst.value & 0xffff) + proto
         + static_cast<std::uint32_t>(length);
}

inline void put16(Bytes& b, std::size_t at, std::uint16_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

inline void put32(Bytes& b, std::size_t at, std::uint32_t v)
{
    put16(b, at, static_cast<std::uint16_t>(v >> 16));
    put16(b, at + 2, static_cast<std::uint16_t>(v));
}

// A ParseError or RewriteError by its stable code, for QCOMPARE's messages.
template <typename E>
QString errorName(E error)
{
    const std::string_view s = lvs::core::packet::toString(error);
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

inline std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

inline Bytes cat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline Mac mac(std::uint8_t last)
{
    return Mac{{0x02, 0x4c, 0x56, 0x00, 0x00, last}};
}

inline Ipv4 ip(const char* text)
{
    return *Ipv4::parse(text);
}

inline Bytes ethernet(Mac dst, Mac src, std::uint16_t type, const Bytes& payload)
{
    Bytes b(14);
    std::copy(dst.bytes.begin(), dst.bytes.end(), b.begin());
    std::copy(src.bytes.begin(), src.bytes.end(), b.begin() + 6);
    put16(b, 12, type);
    return cat(b, payload);
}

struct IpFields {
    Ipv4 src{};
    Ipv4 dst{};
    std::uint8_t protocol = 6;
    std::uint8_t ttl = 64;
    std::uint8_t tos = 0;
    std::uint16_t id = 0x1234;
    bool df = true;
    bool mf = false;
    std::uint16_t fragmentOffset = 0;
    Bytes options{}; // a multiple of 4 bytes
};

inline Bytes ipv4(const IpFields& f, const Bytes& payload)
{
    Bytes h(20);
    h[0] = static_cast<std::uint8_t>(0x40 | (20 + f.options.size()) / 4);
    h[1] = f.tos;
    put16(h, 2, static_cast<std::uint16_t>(20 + f.options.size() + payload.size()));
    put16(h, 4, f.id);
    put16(h, 6, static_cast<std::uint16_t>((f.df ? 0x4000 : 0) | (f.mf ? 0x2000 : 0) | f.fragmentOffset));
    h[8] = f.ttl;
    h[9] = f.protocol;
    put32(h, 12, f.src.value);
    put32(h, 16, f.dst.value);
    h = cat(h, f.options);
    put16(h, 10, static_cast<std::uint16_t>(~refSum(h)));
    return cat(h, payload);
}

struct TcpFields {
    std::uint16_t sport = 40000;
    std::uint16_t dport = 80;
    std::uint32_t seq = 0x01020304;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0x02; // SYN
    std::uint16_t window = 64240;
    Bytes options{}; // a multiple of 4 bytes
};

inline Bytes tcp(Ipv4 src, Ipv4 dst, const TcpFields& f, const Bytes& payload)
{
    Bytes t(20);
    put16(t, 0, f.sport);
    put16(t, 2, f.dport);
    put32(t, 4, f.seq);
    put32(t, 8, f.ack);
    t[12] = static_cast<std::uint8_t>(((20 + f.options.size()) / 4) << 4);
    t[13] = f.flags;
    put16(t, 14, f.window);
    t = cat(cat(t, f.options), payload);
    put16(t, 16, static_cast<std::uint16_t>(~refSum(t, refPseudo(src, dst, 6, t.size()))));
    return t;
}

inline Bytes udp(Ipv4 src, Ipv4 dst, std::uint16_t sport, std::uint16_t dport, const Bytes& payload,
                 bool withChecksum = true)
{
    Bytes u(8);
    put16(u, 0, sport);
    put16(u, 2, dport);
    put16(u, 4, static_cast<std::uint16_t>(8 + payload.size()));
    u = cat(u, payload);
    if (withChecksum) {
        auto c = static_cast<std::uint16_t>(~refSum(u, refPseudo(src, dst, 17, u.size())));
        put16(u, 6, c == 0 ? 0xffff : c);
    }
    return u;
}

inline Bytes icmp(std::uint8_t type, std::uint8_t code, std::uint32_t rest, const Bytes& payload)
{
    Bytes m(8);
    m[0] = type;
    m[1] = code;
    put32(m, 4, rest);
    m = cat(m, payload);
    put16(m, 2, static_cast<std::uint16_t>(~refSum(m)));
    return m;
}

// Ethernet/IPv4 ARP (operation 1 request, 2 reply).
inline Bytes arp(std::uint16_t operation, Mac senderMac, Ipv4 senderIp, Mac targetMac, Ipv4 targetIp)
{
    Bytes a(28);
    put16(a, 0, 1);
    put16(a, 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a, 6, operation);
    std::copy_n(senderMac.bytes.begin(), 6, a.begin() + 8);
    put32(a, 14, senderIp.value);
    std::copy_n(targetMac.bytes.begin(), 6, a.begin() + 18);
    put32(a, 24, targetIp.value);
    return a;
}

// The frame parsed; the test stops when it does not parse (the frames given here are valid).
inline lvs::core::packet::Frame parsed(std::span<const std::uint8_t> frame)
{
    auto f = lvs::core::packet::parseFrame(frame);
    if (!f)
        qFatal("parse failed: %s", lvs::core::packet::toString(f.error()).data());
    return *f;
}

// Common frames of the lab: client 172.20.0.100:40000 -> VIP 172.18.100.7:80.
inline const Ipv4 kCip = ip("172.20.0.100");
inline const Ipv4 kVip = ip("172.18.100.7");
inline const Ipv4 kRip = ip("192.168.10.12");
inline const Ipv4 kDip = ip("172.18.100.6");
inline const Ipv4 kLip = ip("192.168.10.201");

// A SYN with MSS, SACK-permitted, timestamps, NOP and window scale (20 bytes of options).
inline Bytes synOptions()
{
    return {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x10, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
}

inline Bytes tcpFrame(Ipv4 src, Ipv4 dst, const TcpFields& t, const Bytes& payload = {}, IpFields f = {})
{
    f.src = src;
    f.dst = dst;
    f.protocol = 6;
    return ethernet(mac(2), mac(1), 0x0800, ipv4(f, tcp(src, dst, t, payload)));
}

inline Bytes udpFrame(Ipv4 src, Ipv4 dst, std::uint16_t sport, std::uint16_t dport, const Bytes& payload,
                      bool withChecksum = true)
{
    IpFields f;
    f.src = src;
    f.dst = dst;
    f.protocol = 17;
    return ethernet(mac(2), mac(1), 0x0800, ipv4(f, udp(src, dst, sport, dport, payload, withChecksum)));
}

// Independent verification of a frame's checksums with refSum, the offsets given by hand:
// IPv4 header at ipOffset; transport (protocol 6, 17 or 1) right after it.
inline bool refChecksumsOk(std::span<const std::uint8_t> f, std::size_t ipOffset = 14)
{
    const std::size_t ihl = (f[ipOffset] & 0x0f) * 4u;
    if (refSum(f.subspan(ipOffset, ihl)) != 0xffff)
        return false;
    const std::size_t total = get16(f, ipOffset + 2);
    const std::uint8_t proto = f[ipOffset + 9];
    const Ipv4 src{static_cast<std::uint32_t>(get16(f, ipOffset + 12)) << 16 | get16(f, ipOffset + 14)};
    const Ipv4 dst{static_cast<std::uint32_t>(get16(f, ipOffset + 16)) << 16 | get16(f, ipOffset + 18)};
    if (get16(f, ipOffset + 6) & 0x3fff)
        return true; // a fragment: its transport checksum covers the whole datagram
    const auto seg = f.subspan(ipOffset + ihl, total - ihl);
    switch (proto) {
    case 4:
        return refChecksumsOk(f, ipOffset + ihl);
    case 6:
        return refSum(seg, refPseudo(src, dst, 6, seg.size())) == 0xffff;
    case 17:
        return get16(seg, 6) == 0 || refSum(seg, refPseudo(src, dst, 17, seg.size())) == 0xffff;
    case 1:
        return refSum(seg) == 0xffff;
    default:
        return true;
    }
}

} // namespace testpkt
