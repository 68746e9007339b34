// In-place rewrites with incremental checksum updates (RFC 1624).
#include "core/packet/rewrite.h"

#include "core/packet/bytes.h"
#include "core/packet/checksum.h"

#include <algorithm>

namespace lvs::core::packet {

namespace {

constexpr std::size_t kIpChecksum = 10;
constexpr std::size_t kIpSrc = 12;
constexpr std::size_t kIpDst = 16;

// The offset of the TCP or UDP checksum field in the frame, if the frame has one.
std::optional<std::size_t> transportChecksumAt(const Frame& parsed)
{
    if (parsed.tcp)
        return parsed.tcp->offset + std::size_t{16};
    if (parsed.udp)
        return parsed.udp->offset + std::size_t{6};
    return std::nullopt;
}

// Applies an RFC 1624 update to the TCP/UDP checksum; UDP's 0 means none and stays 0, and a
// result of 0 is sent as 0xffff (CSUM_MANGLED_0), both the same in one's complement.
template <typename Update>
void updateTransportChecksum(std::span<std::uint8_t> frame, Frame& parsed, Update update)
{
    const auto at = transportChecksumAt(parsed);
    if (!at)
        return;
    std::uint8_t* p = frame.data() + *at;
    std::uint16_t check = load16(p);
    if (parsed.udp && check == 0)
        return;
    check = update(check);
    if (parsed.udp && check == 0)
        check = 0xffff;
    store16(p, check);
    (parsed.tcp ? parsed.tcp->checksum : parsed.udp->checksum) = check;
}

std::expected<void, RewriteError> setAddress(std::span<std::uint8_t> frame, Frame& parsed, std::size_t field,
                                             Ipv4 address)
{
    if (!parsed.ip)
        return std::unexpected(RewriteError::NotIpv4);
    Ipv4Header& ip = *parsed.ip;
    Ipv4& current = field == kIpSrc ? ip.src : ip.dst;
    const std::uint32_t from = current.value;
    std::uint8_t* h = frame.data() + ip.offset;
    store32(h + field, address.value);
    ip.checksum = checksumReplace4(ip.checksum, from, address.value);
    store16(h + kIpChecksum, ip.checksum);
    current = address;
    if (ip.fragmentOffset == 0)
        updateTransportChecksum(frame, parsed, [&](std::uint16_t c) { return checksumReplace4(c, from, address.value); });
    return {};
}

std::expected<void, RewriteError> setPort(std::span<std::uint8_t> frame, Frame& parsed, bool source,
                                          std::uint16_t port)
{
    if (parsed.sctp)
        return std::unexpected(RewriteError::SctpPortUnsupported);
    if (!parsed.tcp && !parsed.udp)
        return std::unexpected(RewriteError::NoPorts);
    const std::uint16_t offset = parsed.tcp ? parsed.tcp->offset : parsed.udp->offset;
    std::uint16_t& current = parsed.tcp ? (source ? parsed.tcp->sport : parsed.tcp->dport)
                                        : (source ? parsed.udp->sport : parsed.udp->dport);
    const std::uint16_t from = current;
    store16(frame.data() + offset + (source ? 0 : 2), port);
    current = port;
    updateTransportChecksum(frame, parsed, [&](std::uint16_t c) { return checksumReplace2(c, from, port); });
    return {};
}

void setIpv4HeaderChecksum(std::span<std::uint8_t> frame, Ipv4Header& ip)
{
    std::uint8_t* h = frame.data() + ip.offset;
    store16(h + kIpChecksum, 0);
    ip.checksum = internetChecksum(frame.subspan(ip.offset, ip.headerLength));
    store16(h + kIpChecksum, ip.checksum);
}

} // namespace

std::string_view toString(RewriteError error)
{
    switch (error) {
    case RewriteError::NotIpv4: return "not-ipv4";
    case RewriteError::Tunnelled: return "tunnelled";
    case RewriteError::NotTunnelled: return "not-tunnelled";
    case RewriteError::Fragment: return "fragment";
    case RewriteError::NoPorts: return "no-ports";
    case RewriteError::SctpPortUnsupported: return "sctp-port-unsupported";
    case RewriteError::TtlExpired: return "ttl-expired";
    case RewriteError::NotIcmpError: return "not-icmp-error";
    case RewriteError::NotTcp: return "not-tcp";
    case RewriteError::ToaNoOptionRoom: return "toa-no-option-room";
    case RewriteError::ExceedsMtu: return "exceeds-mtu";
    case RewriteError::NoBufferRoom: return "no-buffer-room";
    case RewriteError::BufferTooSmall: return "buffer-too-small";
    }
    return "unknown";
}

void setMacs(std::span<std::uint8_t> frame, Frame& parsed, const Mac& src, const Mac& dst)
{
    std::copy(dst.bytes.begin(), dst.bytes.end(), frame.data());
    std::copy(src.bytes.begin(), src.bytes.end(), frame.data() + 6);
    parsed.eth.src = src;
    parsed.eth.dst = dst;
}

std::expected<void, RewriteError> setIpv4Source(std::span<std::uint8_t> frame, Frame& parsed, Ipv4 address)
{
    return setAddress(frame, parsed, kIpSrc, address);
}

std::expected<void, RewriteError> setIpv4Destination(std::span<std::uint8_t> frame, Frame& parsed, Ipv4 address)
{
    return setAddress(frame, parsed, kIpDst, address);
}

std::expected<void, RewriteError> setSourcePort(std::span<std::uint8_t> frame, Frame& parsed, std::uint16_t port)
{
    return setPort(frame, parsed, true, port);
}

std::expected<void, RewriteError> setDestinationPort(std::span<std::uint8_t> frame, Frame& parsed,
                                                     std::uint16_t port)
{
    return setPort(frame, parsed, false, port);
}

std::expected<void, RewriteError> decrementTtl(std::span<std::uint8_t> frame, Frame& parsed)
{
    std::optional<Ipv4Header>& routed = parsed.outer ? parsed.outer : parsed.ip;
    if (!routed)
        return std::unexpected(RewriteError::NotIpv4);
    Ipv4Header& ip = *routed;
    if (ip.ttl <= 1)
        return std::unexpected(RewriteError::TtlExpired);
    // ip_decrease_ttl(): the TTL is the high byte of its word, so the word drops by 0x0100 and
    // the checksum rises by 0x0100, with the end-around carry.
    std::uint32_t check = ip.checksum + 0x0100u;
    check += check >= 0xffff;
    ip.checksum = static_cast<std::uint16_t>(check);
    --ip.ttl;
    std::uint8_t* h = frame.data() + ip.offset;
    h[8] = ip.ttl;
    store16(h + kIpChecksum, ip.checksum);
    return {};
}

IcmpErrorRewrite ipvsNatIcmp(IcmpNatDirection direction, Ipv4 address, std::uint16_t port)
{
    IcmpErrorRewrite r;
    if (direction == IcmpNatDirection::ToClient) {
        r.src = address;
        r.quotedDst = address;
        r.quotedDport = port;
    } else {
        r.dst = address;
        r.quotedSrc = address;
        r.quotedSport = port;
    }
    return r;
}

std::expected<void, RewriteError> rewriteIcmpError(std::span<std::uint8_t> frame, Frame& parsed,
                                                   const IcmpErrorRewrite& rewrite)
{
    if (!parsed.ip)
        return std::unexpected(RewriteError::NotIpv4);
    if (!parsed.icmp || !parsed.icmp->quoted)
        return std::unexpected(RewriteError::NotIcmpError);
    IcmpHeader& icmp = *parsed.icmp;
    if ((rewrite.quotedSport || rewrite.quotedDport) && !icmp.quotedHasPorts)
        return std::unexpected(RewriteError::NoPorts);
    Ipv4Header& ip = *parsed.ip;
    Ipv4Header& quoted = *icmp.quoted;

    std::uint8_t* h = frame.data() + ip.offset;
    if (rewrite.src)
        store32(h + kIpSrc, (ip.src = *rewrite.src).value);
    if (rewrite.dst)
        store32(h + kIpDst, (ip.dst = *rewrite.dst).value);
    setIpv4HeaderChecksum(frame, ip);

    std::uint8_t* q = frame.data() + quoted.offset;
    if (rewrite.quotedSrc)
        store32(q + kIpSrc, (quoted.src = *rewrite.quotedSrc).value);
    if (rewrite.quotedDst)
        store32(q + kIpDst, (quoted.dst = *rewrite.quotedDst).value);
    setIpv4HeaderChecksum(frame, quoted);

    std::uint8_t* ports = q + quoted.headerLength;
    if (rewrite.quotedSport)
        store16(ports, icmp.quotedSport = *rewrite.quotedSport);
    if (rewrite.quotedDport)
        store16(ports + 2, icmp.quotedDport = *rewrite.quotedDport);

    std::uint8_t* m = frame.data() + icmp.offset;
    store16(m + 2, 0);
    icmp.checksum = internetChecksum(frame.subspan(icmp.offset, ip.payloadLength()));
    store16(m + 2, icmp.checksum);
    return {};
}

void shiftIpOffsets(Frame& parsed, int delta)
{
    auto shift = [delta](std::uint16_t& offset) { offset = static_cast<std::uint16_t>(offset + delta); };
    if (parsed.outer)
        shift(parsed.outer->offset);
    if (parsed.ip)
        shift(parsed.ip->offset);
    if (parsed.tcp)
        shift(parsed.tcp->offset);
    if (parsed.udp)
        shift(parsed.udp->offset);
    if (parsed.sctp)
        shift(parsed.sctp->offset);
    if (parsed.icmp) {
        shift(parsed.icmp->offset);
        if (parsed.icmp->quoted)
            shift(parsed.icmp->quoted->offset);
    }
}

void recomputeChecksums(std::span<std::uint8_t> frame, Frame& parsed)
{
    if (parsed.outer)
        setIpv4HeaderChecksum(frame, *parsed.outer);
    if (!parsed.ip)
        return;
    Ipv4Header& ip = *parsed.ip;
    setIpv4HeaderChecksum(frame, ip);
    if (ip.isFragment())
        return;
    const std::uint32_t pseudo = pseudoHeaderSum(ip.src.value, ip.dst.value, ip.protocol, ip.payloadLength());
    if (parsed.tcp) {
        std::uint8_t* c = frame.data() + parsed.tcp->offset + 16;
        store16(c, 0);
        parsed.tcp->checksum = internetChecksum(frame.subspan(parsed.tcp->offset, ip.payloadLength()), pseudo);
        store16(c, parsed.tcp->checksum);
    } else if (parsed.udp && parsed.udp->checksum != 0) {
        UdpHeader& udp = *parsed.udp;
        std::uint8_t* c = frame.data() + udp.offset + 6;
        store16(c, 0);
        udp.checksum = internetChecksum(frame.subspan(udp.offset, udp.length),
                                        pseudoHeaderSum(ip.src.value, ip.dst.value, ip.protocol, udp.length));
        if (udp.checksum == 0)
            udp.checksum = 0xffff; // RFC 768: a computed 0 is sent as all ones
        store16(c, udp.checksum);
    } else if (parsed.icmp) {
        std::uint8_t* c = frame.data() + parsed.icmp->offset + 2;
        store16(c, 0);
        parsed.icmp->checksum = internetChecksum(frame.subspan(parsed.icmp->offset, ip.payloadLength()));
        store16(c, parsed.icmp->checksum);
    }
}

} // namespace lvs::core::packet
