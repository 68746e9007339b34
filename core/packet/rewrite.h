// Rewriting a parsed frame in place with correct checksums: MACs, IPv4 addresses, ports, TTL
// and the quoted header of an ICMP error (NAT), each updating the checksums incrementally
// (RFC 1624) as the kernel's NAT does, so the cost does not grow with the payload. Nothing
// here allocates or throws; a rewrite that cannot be done returns an error and leaves the
// frame unchanged.
#pragma once

#include "core/packet/frame.h"

namespace lvs::core::packet {

// Why a rewrite was refused; a stable code per value (toString).
enum class RewriteError : std::uint8_t {
    NotIpv4,
    Tunnelled,            // an IPIP frame where a plain IPv4 packet is needed
    NotTunnelled,         // decapsulation of a frame without an outer header
    Fragment,             // the change would need the whole datagram
    NoPorts,              // no TCP/UDP/SCTP header (another protocol or a later fragment)
    SctpPortUnsupported,  // the SCTP CRC32c covers the ports; not recomputed here
    TtlExpired,           // TTL <= 1: the caller sends ICMP time exceeded (ip_forward)
    NotIcmpError,
    NotTcp,
    ToaNoOptionRoom,      // the TCP header has less than 8 bytes left of its 60
    ExceedsMtu,           // the grown packet would not fit the MTU
    NoBufferRoom,         // neither headroom nor tailroom for the bytes to insert
    BufferTooSmall,       // an output span too small for the frame to build
};

// "ttl-expired", ...
std::string_view toString(RewriteError error);

// A frame inside a larger writable area, so that headers can be inserted or removed without
// copying the payload: AF_XDP frames keep XDP_PACKET_HEADROOM (256 bytes) in front of the
// packet, and the rest of the UMEM chunk behind it.
struct FrameBuffer {
    std::span<std::uint8_t> storage;
    std::size_t offset = 0; // where the Ethernet header starts
    std::size_t length = 0; // the frame's length
    std::span<std::uint8_t> frame() const { return storage.subspan(offset, length); }
    std::size_t headroom() const { return offset; }
    std::size_t tailroom() const { return storage.size() - offset - length; }
};

void setMacs(std::span<std::uint8_t> frame, Frame& parsed, const Mac& src, const Mac& dst);

// Set the source or destination of the IPv4 header that carries the transport (the inner one
// of an IPIP frame), updating the IPv4 checksum (csum_replace4) and the TCP or UDP checksum
// through its pseudo-header (inet_proto_csum_replace4 with pseudohdr). A UDP checksum of 0
// (none) stays 0, and one that would become 0 is sent as 0xffff (CSUM_MANGLED_0), as
// udp_manip_pkt does. ICMP and SCTP have no pseudo-header. A later fragment has no transport
// header to fix: reassemble first (IPVS works on defragmented packets).
std::expected<void, RewriteError> setIpv4Source(std::span<std::uint8_t> frame, Frame& parsed, Ipv4 address);
std::expected<void, RewriteError> setIpv4Destination(std::span<std::uint8_t> frame, Frame& parsed, Ipv4 address);

// Set a TCP or UDP port, updating its checksum (inet_proto_csum_replace2); NoPorts without one.
std::expected<void, RewriteError> setSourcePort(std::span<std::uint8_t> frame, Frame& parsed, std::uint16_t port);
std::expected<void, RewriteError> setDestinationPort(std::span<std::uint8_t> frame, Frame& parsed,
                                                     std::uint16_t port);

// Decrement the TTL of the header routers see (Frame::routed) with the kernel's
// ip_decrease_ttl() checksum step; TtlExpired (frame unchanged) when it is 1 or 0, where
// ip_forward sends ICMP time exceeded instead.
std::expected<void, RewriteError> decrementTtl(std::span<std::uint8_t> frame, Frame& parsed);

// The changes to an ICMP error: the IPv4 header carrying it, and the quoted header and ports.
struct IcmpErrorRewrite {
    std::optional<Ipv4> src{}; // the ICMP packet's own header
    std::optional<Ipv4> dst{};
    std::optional<Ipv4> quotedSrc{};
    std::optional<Ipv4> quotedDst{};
    std::optional<std::uint16_t> quotedSport{};
    std::optional<std::uint16_t> quotedDport{};
};

// Which way an ICMP error about a NAT connection travels, in ip_vs_nat_icmp's terms.
enum class IcmpNatDirection {
    // inout = 1, from ip_vs_out_icmp: an error from the real-server side about a request that
    // was DNATed (CIP -> RIP:rport) goes to the client. Source and quoted destination become
    // VIP, the quoted destination port vport.
    ToClient,
    // inout = 0, from ip_vs_in_icmp: an error from outside about a reply that was SNATed
    // (VIP:vport -> CIP) goes to the real server. Destination and quoted source become RIP,
    // the quoted source port rport.
    ToRealServer,
};

// The rewrite ip_vs_nat_icmp() does: address is the VIP (ToClient) or the RIP (ToRealServer),
// port the vport or the rport.
IcmpErrorRewrite ipvsNatIcmp(IcmpNatDirection direction, Ipv4 address, std::uint16_t port);

// Applies the rewrite to an ICMP error (NotIcmpError otherwise; NoPorts when ports are to be
// set and the quote has none). As ip_vs_nat_icmp does, the IPv4 header, the quoted IPv4
// header and the ICMP checksum are computed afresh (ip_send_check, ip_vs_checksum_complete:
// errors are rare and short), and the quoted transport checksum is left alone: the quote is
// usually partial and receivers do not verify it.
std::expected<void, RewriteError> rewriteIcmpError(std::span<std::uint8_t> frame, Frame& parsed,
                                                   const IcmpErrorRewrite& rewrite);

// Moves every offset of the headers after the Ethernet header by delta bytes, for functions
// that insert or remove bytes in front of them (IPIP, TOA).
void shiftIpOffsets(Frame& parsed, int delta);

// Computes every checksum of the frame afresh (RFC 1071): the IPv4 headers, TCP, UDP (a
// checksum of 0, none, is left 0) and ICMP; for a fragment only the IPv4 headers. For headers
// built by hand; the rewrites above do not need it.
void recomputeChecksums(std::span<std::uint8_t> frame, Frame& parsed);

} // namespace lvs::core::packet
