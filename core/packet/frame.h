// Parsing an Ethernet frame held in a byte span: Ethernet II, ARP, IPv4 (with options and
// fragments), IPIP (protocol 4), TCP, UDP, SCTP ports and ICMP (with the quoted header of an
// error, which IPVS uses to find the connection: ip_vs_in_icmp / ip_vs_out_icmp). The parser
// never reads outside the span and returns an error value for anything truncated or
// inconsistent; it never allocates and never throws.
#pragma once

#include "core/net/ipv4.h"

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>

namespace lvs::core::packet {

inline constexpr std::size_t kEthernetHeaderLength = 14;
inline constexpr std::size_t kIpv4MinHeaderLength = 20;
inline constexpr std::size_t kTcpMinHeaderLength = 20;
inline constexpr std::size_t kTcpMaxHeaderLength = 60; // data offset 15
inline constexpr std::size_t kUdpHeaderLength = 8;
inline constexpr std::size_t kIcmpHeaderLength = 8;
inline constexpr std::size_t kArpLength = 28; // Ethernet/IPv4 ARP

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;

inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoIpip = 4;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoSctp = 132;

// TCP flags (the low byte of the flags word).
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;

// Why a frame was refused; a stable code per value (toString) for the director's drop counters.
enum class ParseError : std::uint8_t {
    EthernetTruncated,
    ArpTruncated,
    ArpNotEthernetIpv4,  // hardware type 1 / protocol 0x0800 / lengths 6 and 4 only
    Ipv4Truncated,       // fewer bytes than the header or than the total length
    Ipv4BadVersion,
    Ipv4BadHeaderLength, // IHL < 5
    Ipv4BadTotalLength,  // total length < header length
    IpipNested,          // IPIP inside IPIP: not a lab packet
    TcpTruncated,
    TcpBadDataOffset,    // < 5 or beyond the segment
    TcpBadOption,        // an option's length runs past the header or is < 2
    UdpTruncated,
    UdpBadLength,        // < 8 or beyond the datagram
    SctpTruncated,
    IcmpTruncated,
    IcmpQuoteTruncated,  // an error without a whole quoted IPv4 header
    IcmpQuoteBadHeader,  // the quoted header is not IPv4 or has IHL < 5
};

// "ipv4-truncated", ...
std::string_view toString(ParseError error);

struct EthernetHeader {
    Mac dst;
    Mac src;
    std::uint16_t etherType = 0;
};

struct ArpPacket {
    std::uint16_t operation = 0; // 1 request, 2 reply
    Mac senderMac;
    Ipv4 senderIp;
    Mac targetMac;
    Ipv4 targetIp;
};

struct Ipv4Header {
    std::uint16_t offset = 0;      // of the header in the frame
    std::uint8_t headerLength = 0; // IHL * 4, 20..60; options are the bytes after the first 20
    std::uint8_t tos = 0;
    std::uint16_t totalLength = 0;
    std::uint16_t id = 0;
    bool dontFragment = false;
    bool moreFragments = false;
    std::uint16_t fragmentOffset = 0; // in 8-byte units
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    std::uint16_t checksum = 0;
    Ipv4 src;
    Ipv4 dst;

    bool isFragment() const { return moreFragments || fragmentOffset != 0; }
    std::uint16_t payloadOffset() const { return static_cast<std::uint16_t>(offset + headerLength); }
    std::uint16_t payloadLength() const { return static_cast<std::uint16_t>(totalLength - headerLength); }
};

struct TcpHeader {
    std::uint16_t offset = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t headerLength = 0; // data offset * 4, 20..60; options are the bytes after 20
    std::uint8_t flags = 0;        // kTcpSyn, ...
    std::uint16_t window = 0;
    std::uint16_t checksum = 0;
    std::uint16_t urgent = 0;
};

struct UdpHeader {
    std::uint16_t offset = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint16_t length = 0;
    std::uint16_t checksum = 0; // 0: none (RFC 768)
};

struct SctpHeader {
    std::uint16_t offset = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
};

struct IcmpHeader {
    std::uint16_t offset = 0;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint16_t checksum = 0;
    std::uint32_t rest = 0; // echo: identifier and sequence; "fragmentation needed": the MTU
    // Errors (destination unreachable, source quench, redirect, time exceeded, parameter
    // problem) quote the offending packet's IPv4 header and at least 8 bytes after it.
    std::optional<Ipv4Header> quoted; // its totalLength is the original's, not what is quoted
    std::uint8_t quotedTransportBytes = 0; // bytes after the quoted header, counted up to 8
    // The quoted TCP/UDP/SCTP ports, when the quote is not a later fragment and has them.
    bool quotedHasPorts = false;
    std::uint16_t quotedSport = 0;
    std::uint16_t quotedDport = 0;
};

// What follows the (inner) IPv4 header.
enum class Transport : std::uint8_t { None, Tcp, Udp, Sctp, Icmp };

// A parsed frame: the decoded fields plus each header's offset in the frame, so the rewrite
// functions can change them in place. It stays valid across the rewrites that take it by
// reference (they update it); after any other change of the bytes, parse again.
struct Frame {
    EthernetHeader eth;
    std::optional<ArpPacket> arp;    // etherType ARP
    std::optional<Ipv4Header> outer; // IPIP: the outer header (then ip is the inner one)
    std::optional<Ipv4Header> ip;    // etherType IPv4: the header that carries the transport
    Transport transport = Transport::None; // None also for later fragments and other protocols
    std::optional<TcpHeader> tcp;
    std::optional<UdpHeader> udp;
    std::optional<SctpHeader> sctp;
    std::optional<IcmpHeader> icmp;

    // The header that routers see: the outer one of a tunnel, else ip (empty without IPv4).
    const std::optional<Ipv4Header>& routed() const { return outer ? outer : ip; }
};

// Parses the frame. Other ether types parse with only eth set. An IPIP packet is taken apart
// when the outer header is not a fragment (a fragmented tunnel packet parses as plain IPv4
// with protocol 4 and no transport); an unfragmented IPIP packet inside it is refused, so that
// decapsulation always leaves a frame that parses the same way. Transport headers are parsed for unfragmented
// packets and first fragments. Bytes after the IPv4 total length (Ethernet padding) are allowed.
// Checksums are not verified here (see checksumsOk).
std::expected<Frame, ParseError> parseFrame(std::span<const std::uint8_t> frame);

struct TcpOption {
    std::uint8_t kind = 0;
    std::uint8_t length = 0;  // 1 for EOL and NOP
    std::uint16_t offset = 0; // of the kind byte in the frame
};

// The options of a TCP header, in order, up to and without the end-of-list option. At most 40
// (one byte each); a fixed array so that listing them does not allocate.
struct TcpOptions {
    std::array<TcpOption, 40> items{};
    std::uint8_t count = 0;
    std::span<const TcpOption> list() const { return {items.data(), count}; }
};

// Lists the options; TcpBadOption when one is malformed (the kernel's tcp_parse_options stops
// silently there; the lab reports it). frame and tcp as parsed by parseFrame.
std::expected<TcpOptions, ParseError> tcpOptions(std::span<const std::uint8_t> frame, const TcpHeader& tcp);

// Whether the IPv4 header checksum verifies (the folded sum over the header is 0xffff), as
// ip_rcv checks.
bool ipv4ChecksumOk(std::span<const std::uint8_t> frame, const Ipv4Header& ip);
// Whether every checksum of the frame verifies: each IPv4 header and the TCP, UDP (0 counts as
// none) or ICMP checksum. A fragment's transport checksum covers the whole datagram and is
// not checked; only its IPv4 headers are.
bool checksumsOk(std::span<const std::uint8_t> frame, const Frame& parsed);

} // namespace lvs::core::packet
