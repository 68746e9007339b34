// IPIP (IPv4 in IPv4, protocol 4) encapsulation for LVS-TUN and its decapsulation for real
// servers without the kernel's ipip module, in place in a FrameBuffer.
#pragma once

#include "core/packet/rewrite.h"

namespace lvs::core::packet {

struct IpipOptions {
    Ipv4 src; // the DIP
    Ipv4 dst; // the RIP
    std::uint8_t ttl = 64;     // ip4_dst_hoplimit's default (net.ipv4.ip_default_ttl)
    std::uint16_t id = 0;      // 0, or the caller's counter (ip_select_ident)
    std::size_t mtu = 1500;    // of the interface the tunnel packet leaves by
};

// Puts an outer IPv4 header DIP -> RIP in front of the IPv4 packet, as ip_vs_tunnel_xmit
// does: protocol 4, no options, TOS copied from the inner header, DF copied from it, TTL and
// id from options; the Ethernet header is kept in front. Uses the headroom when there are 20
// bytes of it (the Ethernet header moves, the packet stays), else the tailroom (the packet
// moves). Ethernet padding after the inner packet is dropped. Errors, frame unchanged:
// NotIpv4, Tunnelled (already IPIP), ExceedsMtu (the kernel answers a DF packet with ICMP
// "fragmentation needed", MTU - 20; the lab does not fragment the outer packet either),
// NoBufferRoom. parsed is updated (outer set, offsets moved).
std::expected<void, RewriteError> encapsulateIpip(FrameBuffer& buffer, Frame& parsed, const IpipOptions& options);

// Removes the outer header of an IPIP frame (the Ethernet header moves forward over it), as
// ipip_rcv leaves the inner packet: nothing in the inner header changes. NotTunnelled
// without an outer header. parsed is updated (outer cleared, offsets moved).
std::expected<void, RewriteError> decapsulateIpip(FrameBuffer& buffer, Frame& parsed);

} // namespace lvs::core::packet
