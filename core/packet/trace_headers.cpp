// Frames to the packet-path engine's Headers.
#include "core/packet/trace_headers.h"

#include "core/packet/toa.h"

namespace lvs::core::packet {

std::optional<path::Headers> toPathHeaders(std::span<const std::uint8_t> frame, const Frame& parsed)
{
    if (!parsed.ip)
        return std::nullopt;
    path::Headers h;
    switch (parsed.transport) {
    case Transport::Tcp:
        h.protocol = Protocol::Tcp;
        h.sport = parsed.tcp->sport;
        h.dport = parsed.tcp->dport;
        if (auto toa = findToa(frame, *parsed.tcp)) {
            h.toaAddress = toa->address;
            h.toaPort = toa->port;
        }
        break;
    case Transport::Udp:
        h.protocol = Protocol::Udp;
        h.sport = parsed.udp->sport;
        h.dport = parsed.udp->dport;
        break;
    case Transport::Sctp:
        h.protocol = Protocol::Sctp;
        h.sport = parsed.sctp->sport;
        h.dport = parsed.sctp->dport;
        break;
    case Transport::Icmp:
    case Transport::None:
        return std::nullopt;
    }
    h.srcMac = parsed.eth.src;
    h.dstMac = parsed.eth.dst;
    if (parsed.outer) {
        h.outerSrc = parsed.outer->src;
        h.outerDst = parsed.outer->dst;
    }
    h.src = parsed.ip->src;
    h.dst = parsed.ip->dst;
    return h;
}

} // namespace lvs::core::packet
