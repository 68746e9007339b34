// The bridge from a frame on the wire to the packet-path engine's Headers, so that what the
// userspace director handles can be compared field by field with what `lvsctl path` predicts.
#pragma once

#include "core/packet/frame.h"
#include "core/path/path.h"

namespace lvs::core::packet {

// The frame's Headers: MACs, the IPIP outer addresses, the (inner) addresses, protocol and
// ports, and the TOA client of a TCP header. Empty when the frame has no TCP, UDP or SCTP
// ports to show (ARP, ICMP, other protocols, later fragments): path::Headers cannot hold it.
// mark stays 0: it is not on the wire.
std::optional<path::Headers> toPathHeaders(std::span<const std::uint8_t> frame, const Frame& parsed);

} // namespace lvs::core::packet
