// ARP for the addresses the userspace director owns: it answers "who has VIP?" itself, as the
// director's kernel would for an address on one of its interfaces (arp_process).
#pragma once

#include "core/packet/rewrite.h"

namespace lvs::core::packet {

inline constexpr std::size_t kArpFrameLength = kEthernetHeaderLength + kArpLength; // 42

// Whether the frame is an ARP request for address (operation 1, target IP address).
bool isArpRequestFor(const Frame& parsed, Ipv4 address);

// Writes into out the reply to request, from ourMac: Ethernet to the requester's MAC, ARP
// operation 2, sender = ourMac and the requested address, target = the requester (arp_send
// with ARPOP_REPLY). Returns the frame's length, 42 bytes (a NIC pads it to 60; veth sends it
// as it is); BufferTooSmall when out is shorter.
std::expected<std::size_t, RewriteError> buildArpReply(std::span<std::uint8_t> out, const ArpPacket& request,
                                                       const Mac& ourMac);

} // namespace lvs::core::packet
