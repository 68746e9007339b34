// TOA, the TCP option by which a FULLNAT director tells the real server the client's address
// (DPVS's tcp_in_add_toa, read by the toa kernel module on the real server): kind 254,
// length 8, the client port then its IPv4 address, both in network order, placed right after
// the 20-byte TCP header with the existing options moved behind it.
#pragma once

#include "core/packet/rewrite.h"

namespace lvs::core::packet {

inline constexpr std::uint8_t kToaKind = 254;  // TCPOPT_TOA
inline constexpr std::uint8_t kToaLength = 8;  // TCPOLEN_TOA (IPv4)

struct ToaAddress {
    Ipv4 address;
    std::uint16_t port = 0;
    bool operator==(const ToaAddress&) const = default;
};

// The TOA option of a parsed TCP header, if it has a well-formed one.
std::optional<ToaAddress> findToa(std::span<const std::uint8_t> frame, const TcpHeader& tcp);

// Inserts the TOA option into a TCP packet, as DPVS does on the SYN and on the first data
// packet of a FULLNAT connection (the caller picks those packets). Errors, frame unchanged:
// NotIpv4, Tunnelled, NotTcp, Fragment, ToaNoOptionRoom (data offset already over 40 bytes: the
// TCP header cannot exceed 60; DPVS's EDPVS_NOROOM), ExceedsMtu (the IPv4 packet would exceed
// mtu; DPVS's EDPVS_FRAG), NoBufferRoom. The IPv4 total length, data offset, and the IPv4 and
// TCP checksums (incrementally) are updated. Uses 8 bytes of headroom when there are (the
// headers in front move, 54 bytes or so), else of tailroom (the options and payload move).
std::expected<void, RewriteError> insertToa(FrameBuffer& buffer, Frame& parsed, ToaAddress client,
                                            std::size_t mtu);

} // namespace lvs::core::packet
