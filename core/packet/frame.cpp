// Parsing an Ethernet frame held in a byte span; every read is bounds-checked first.
#include "core/packet/frame.h"

#include "core/packet/bytes.h"
#include "core/packet/checksum.h"

#include <algorithm>

namespace lvs::core::packet {

namespace {

Mac loadMac(const std::uint8_t* p)
{
    Mac mac;
    std::copy_n(p, 6, mac.bytes.begin());
    return mac;
}

bool isIcmpError(std::uint8_t type)
{
    // destination unreachable, source quench, redirect, time exceeded, parameter problem
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

// The fixed fields of an IPv4 header at offset; checks only that the header itself is there
// and sane (the total length is the caller's business: a quoted header's refers to a packet
// that is not all there).
struct Ipv4Errors {
    ParseError truncated;
    ParseError badVersion;
    ParseError badHeaderLength;
};
inline constexpr Ipv4Errors kPacketErrors{ParseError::Ipv4Truncated, ParseError::Ipv4BadVersion,
                                          ParseError::Ipv4BadHeaderLength};
inline constexpr Ipv4Errors kQuoteErrors{ParseError::IcmpQuoteTruncated, ParseError::IcmpQuoteBadHeader,
                                         ParseError::IcmpQuoteBadHeader};

std::expected<Ipv4Header, ParseError> readIpv4(std::span<const std::uint8_t> frame, std::size_t offset,
                                               const Ipv4Errors& errors)
{
    if (frame.size() < offset + kIpv4MinHeaderLength)
        return std::unexpected(errors.truncated);
    const std::uint8_t* p = frame.data() + offset;
    if (p[0] >> 4 != 4)
        return std::unexpected(errors.badVersion);
    Ipv4Header ip;
    ip.offset = static_cast<std::uint16_t>(offset);
    ip.headerLength = static_cast<std::uint8_t>((p[0] & 0x0f) * 4);
    if (ip.headerLength < kIpv4MinHeaderLength)
        return std::unexpected(errors.badHeaderLength);
    if (frame.size() < offset + ip.headerLength)
        return std::unexpected(errors.truncated);
    ip.tos = p[1];
    ip.totalLength = load16(p + 2);
    ip.id = load16(p + 4);
    const std::uint16_t frag = load16(p + 6);
    ip.dontFragment = (frag & 0x4000) != 0;
    ip.moreFragments = (frag & 0x2000) != 0;
    ip.fragmentOffset = frag & 0x1fff;
    ip.ttl = p[8];
    ip.protocol = p[9];
    ip.checksum = load16(p + 10);
    ip.src = Ipv4{load32(p + 12)};
    ip.dst = Ipv4{load32(p + 16)};
    return ip;
}

// A whole IPv4 packet at offset within `end` bytes of the frame.
std::expected<Ipv4Header, ParseError> readIpv4Packet(std::span<const std::uint8_t> frame, std::size_t offset,
                                                     std::size_t end)
{
    auto ip = readIpv4(frame.first(end), offset, kPacketErrors);
    if (!ip)
        return ip;
    if (ip->totalLength < ip->headerLength)
        return std::unexpected(ParseError::Ipv4BadTotalLength);
    if (end < offset + ip->totalLength)
        return std::unexpected(ParseError::Ipv4Truncated);
    return ip;
}

std::expected<void, ParseError> readIcmp(std::span<const std::uint8_t> frame, const Ipv4Header& ip, Frame& out)
{
    const std::size_t offset = ip.payloadOffset();
    const std::size_t end = offset + ip.payloadLength();
    if (ip.payloadLength() < kIcmpHeaderLength)
        return std::unexpected(ParseError::IcmpTruncated);
    const std::uint8_t* p = frame.data() + offset;
    IcmpHeader icmp;
    icmp.offset = static_cast<std::uint16_t>(offset);
    icmp.type = p[0];
    icmp.code = p[1];
    icmp.checksum = load16(p + 2);
    icmp.rest = load32(p + 4);
    if (isIcmpError(icmp.type)) {
        const std::size_t quoteOffset = offset + kIcmpHeaderLength;
        auto quoted = readIpv4(frame.first(end), quoteOffset, kQuoteErrors);
        if (!quoted)
            return std::unexpected(quoted.error());
        const std::size_t after = quoteOffset + quoted->headerLength;
        icmp.quotedTransportBytes = static_cast<std::uint8_t>(std::min<std::size_t>(end - after, 8));
        const bool hasPorts = quoted->protocol == kProtoTcp || quoted->protocol == kProtoUdp
                           || quoted->protocol == kProtoSctp;
        if (hasPorts && quoted->fragmentOffset == 0 && icmp.quotedTransportBytes >= 4) {
            icmp.quotedHasPorts = true;
            icmp.quotedSport = load16(frame.data() + after);
            icmp.quotedDport = load16(frame.data() + after + 2);
        }
        icmp.quoted = *quoted;
    }
    out.icmp = icmp;
    out.transport = Transport::Icmp;
    return {};
}

// The transport header of the packet whose IPv4 header is ip (already checked to be whole).
std::expected<void, ParseError> readTransport(std::span<const std::uint8_t> frame, const Ipv4Header& ip,
                                              Frame& out)
{
    if (ip.fragmentOffset != 0)
        return {}; // a later fragment: no transport header here
    const std::size_t offset = ip.payloadOffset();
    const std::size_t length = ip.payloadLength();
    const std::uint8_t* p = frame.data() + offset;
    switch (ip.protocol) {
    case kProtoTcp: {
        if (length < kTcpMinHeaderLength)
            return std::unexpected(ParseError::TcpTruncated);
        TcpHeader tcp;
        tcp.offset = static_cast<std::uint16_t>(offset);
        tcp.sport = load16(p);
        tcp.dport = load16(p + 2);
        tcp.seq = load32(p + 4);
        tcp.ack = load32(p + 8);
        tcp.headerLength = static_cast<std::uint8_t>((p[12] >> 4) * 4);
        if (tcp.headerLength < kTcpMinHeaderLength || tcp.headerLength > length)
            return std::unexpected(ParseError::TcpBadDataOffset);
        tcp.flags = p[13];
        tcp.window = load16(p + 14);
        tcp.checksum = load16(p + 16);
        tcp.urgent = load16(p + 18);
        out.tcp = tcp;
        out.transport = Transport::Tcp;
        return {};
    }
    case kProtoUdp: {
        if (length < kUdpHeaderLength)
            return std::unexpected(ParseError::UdpTruncated);
        UdpHeader udp;
        udp.offset = static_cast<std::uint16_t>(offset);
        udp.sport = load16(p);
        udp.dport = load16(p + 2);
        udp.length = load16(p + 4);
        udp.checksum = load16(p + 6);
        // A first fragment holds only part of the datagram that udp.length counts.
        if (udp.length < kUdpHeaderLength || (!ip.moreFragments && udp.length > length))
            return std::unexpected(ParseError::UdpBadLength);
        out.udp = udp;
        out.transport = Transport::Udp;
        return {};
    }
    case kProtoSctp: {
        if (length < 12) // the common header: ports, verification tag, CRC32c
            return std::unexpected(ParseError::SctpTruncated);
        out.sctp = SctpHeader{static_cast<std::uint16_t>(offset), load16(p), load16(p + 2)};
        out.transport = Transport::Sctp;
        return {};
    }
    case kProtoIcmp:
        return readIcmp(frame, ip, out);
    default:
        return {};
    }
}

} // namespace

std::string_view toString(ParseError error)
{
    switch (error) {
    case ParseError::EthernetTruncated: return "ethernet-truncated";
    case ParseError::ArpTruncated: return "arp-truncated";
    case ParseError::ArpNotEthernetIpv4: return "arp-not-ethernet-ipv4";
    case ParseError::Ipv4Truncated: return "ipv4-truncated";
    case ParseError::Ipv4BadVersion: return "ipv4-bad-version";
    case ParseError::Ipv4BadHeaderLength: return "ipv4-bad-header-length";
    case ParseError::Ipv4BadTotalLength: return "ipv4-bad-total-length";
    case ParseError::IpipNested: return "ipip-nested";
    case ParseError::TcpTruncated: return "tcp-truncated";
    case ParseError::TcpBadDataOffset: return "tcp-bad-data-offset";
    case ParseError::TcpBadOption: return "tcp-bad-option";
    case ParseError::UdpTruncated: return "udp-truncated";
    case ParseError::UdpBadLength: return "udp-bad-length";
    case ParseError::SctpTruncated: return "sctp-truncated";
    case ParseError::IcmpTruncated: return "icmp-truncated";
    case ParseError::IcmpQuoteTruncated: return "icmp-quote-truncated";
    case ParseError::IcmpQuoteBadHeader: return "icmp-quote-bad-header";
    }
    return "unknown";
}

std::expected<Frame, ParseError> parseFrame(std::span<const std::uint8_t> frame)
{
    if (frame.size() < kEthernetHeaderLength)
        return std::unexpected(ParseError::EthernetTruncated);
    // Offsets are 16-bit: nothing longer than an IPv4 packet plus its Ethernet header is read.
    frame = frame.first(std::min<std::size_t>(frame.size(), kEthernetHeaderLength + 0xffff));
    Frame out;
    out.eth.dst = loadMac(frame.data());
    out.eth.src = loadMac(frame.data() + 6);
    out.eth.etherType = load16(frame.data() + 12);

    if (out.eth.etherType == kEtherTypeArp) {
        if (frame.size() < kEthernetHeaderLength + kArpLength)
            return std::unexpected(ParseError::ArpTruncated);
        const std::uint8_t* p = frame.data() + kEthernetHeaderLength;
        if (load16(p) != 1 || load16(p + 2) != kEtherTypeIpv4 || p[4] != 6 || p[5] != 4)
            return std::unexpected(ParseError::ArpNotEthernetIpv4);
        out.arp = ArpPacket{load16(p + 6), loadMac(p + 8), Ipv4{load32(p + 14)}, loadMac(p + 18),
                            Ipv4{load32(p + 24)}};
        return out;
    }
    if (out.eth.etherType != kEtherTypeIpv4)
        return out;

    auto ip = readIpv4Packet(frame, kEthernetHeaderLength, frame.size());
    if (!ip)
        return std::unexpected(ip.error());
    if (ip->protocol == kProtoIpip && !ip->isFragment()) {
        auto inner = readIpv4Packet(frame, ip->payloadOffset(), ip->offset + ip->totalLength);
        if (!inner)
            return std::unexpected(inner.error());
        if (inner->protocol == kProtoIpip && !inner->isFragment())
            return std::unexpected(ParseError::IpipNested);
        out.outer = *ip;
        ip = inner;
    }
    out.ip = *ip;
    if (auto t = readTransport(frame, *ip, out); !t)
        return std::unexpected(t.error());
    return out;
}

std::expected<TcpOptions, ParseError> tcpOptions(std::span<const std::uint8_t> frame, const TcpHeader& tcp)
{
    TcpOptions out;
    std::size_t at = tcp.offset + kTcpMinHeaderLength;
    const std::size_t end = tcp.offset + tcp.headerLength;
    if (end > frame.size())
        return std::unexpected(ParseError::TcpTruncated);
    while (at < end) {
        const std::uint8_t kind = frame[at];
        if (kind == 0) // end of option list
            break;
        std::uint8_t length = 1;
        if (kind != 1) { // not NOP: kind, length, data
            if (at + 2 > end || frame[at + 1] < 2 || at + frame[at + 1] > end)
                return std::unexpected(ParseError::TcpBadOption);
            length = frame[at + 1];
        }
        out.items[out.count++] = TcpOption{kind, length, static_cast<std::uint16_t>(at)};
        at += length;
    }
    return out;
}

bool ipv4ChecksumOk(std::span<const std::uint8_t> frame, const Ipv4Header& ip)
{
    if (frame.size() < std::size_t{ip.offset} + ip.headerLength)
        return false;
    return checksumFold(checksumAdd(frame.subspan(ip.offset, ip.headerLength))) == 0xffff;
}

bool checksumsOk(std::span<const std::uint8_t> frame, const Frame& parsed)
{
    if (parsed.outer && !ipv4ChecksumOk(frame, *parsed.outer))
        return false;
    if (!parsed.ip)
        return true;
    const Ipv4Header& ip = *parsed.ip;
    if (!ipv4ChecksumOk(frame, ip))
        return false;
    if (ip.isFragment())
        return true;
    const auto payload = frame.subspan(ip.payloadOffset(), ip.payloadLength());
    const std::uint32_t pseudo = pseudoHeaderSum(ip.src.value, ip.dst.value, ip.protocol, ip.payloadLength());
    switch (parsed.transport) {
    case Transport::Tcp:
        return checksumFold(checksumAdd(payload, pseudo)) == 0xffff;
    case Transport::Udp:
        // The pseudo-header counts the UDP length field, which may be shorter than the payload.
        return parsed.udp->checksum == 0
            || checksumFold(checksumAdd(payload.first(parsed.udp->length),
                                        pseudoHeaderSum(ip.src.value, ip.dst.value, ip.protocol,
                                                        parsed.udp->length)))
                   == 0xffff;
    case Transport::Icmp:
        return checksumFold(checksumAdd(payload)) == 0xffff;
    case Transport::Sctp: // CRC32c, not an Internet checksum: not checked here
    case Transport::None:
        return true;
    }
    return true;
}

} // namespace lvs::core::packet
