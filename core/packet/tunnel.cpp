// IPIP encapsulation and decapsulation in place.
#include "core/packet/tunnel.h"

#include "core/packet/bytes.h"
#include "core/packet/checksum.h"

#include <cstring>

namespace lvs::core::packet {

std::expected<void, RewriteError> encapsulateIpip(FrameBuffer& buffer, Frame& parsed, const IpipOptions& options)
{
    if (!parsed.ip)
        return std::unexpected(RewriteError::NotIpv4);
    if (parsed.outer)
        return std::unexpected(RewriteError::Tunnelled);
    const Ipv4Header& inner = *parsed.ip;
    const std::size_t outerTotal = inner.totalLength + kIpv4MinHeaderLength;
    if (outerTotal > options.mtu || outerTotal > 0xffff)
        return std::unexpected(RewriteError::ExceedsMtu);
    const std::size_t packetLength = inner.totalLength; // without Ethernet padding
    const std::size_t newLength = kEthernetHeaderLength + outerTotal;
    if (buffer.headroom() >= kIpv4MinHeaderLength) {
        std::uint8_t* start = buffer.storage.data() + buffer.offset;
        std::memmove(start - kIpv4MinHeaderLength, start, kEthernetHeaderLength);
        buffer.offset -= kIpv4MinHeaderLength;
    } else if (buffer.storage.size() - buffer.offset >= newLength) {
        std::uint8_t* packet = buffer.storage.data() + buffer.offset + kEthernetHeaderLength;
        std::memmove(packet + kIpv4MinHeaderLength, packet, packetLength);
    } else {
        return std::unexpected(RewriteError::NoBufferRoom);
    }
    buffer.length = newLength;

    Ipv4Header outer;
    outer.offset = kEthernetHeaderLength;
    outer.headerLength = kIpv4MinHeaderLength;
    outer.tos = inner.tos;
    outer.totalLength = static_cast<std::uint16_t>(outerTotal);
    outer.id = options.id;
    outer.dontFragment = inner.dontFragment;
    outer.ttl = options.ttl;
    outer.protocol = kProtoIpip;
    outer.src = options.src;
    outer.dst = options.dst;

    std::uint8_t* h = buffer.storage.data() + buffer.offset + kEthernetHeaderLength;
    h[0] = 0x45;
    h[1] = outer.tos;
    store16(h + 2, outer.totalLength);
    store16(h + 4, outer.id);
    store16(h + 6, outer.dontFragment ? 0x4000 : 0);
    h[8] = outer.ttl;
    h[9] = outer.protocol;
    store16(h + 10, 0);
    store32(h + 12, outer.src.value);
    store32(h + 16, outer.dst.value);
    outer.checksum = internetChecksum({h, kIpv4MinHeaderLength});
    store16(h + 10, outer.checksum);

    shiftIpOffsets(parsed, static_cast<int>(kIpv4MinHeaderLength));
    parsed.outer = outer;
    return {};
}

std::expected<void, RewriteError> decapsulateIpip(FrameBuffer& buffer, Frame& parsed)
{
    if (!parsed.outer || !parsed.ip)
        return std::unexpected(RewriteError::NotTunnelled);
    const std::size_t outerLength = parsed.outer->headerLength;
    std::uint8_t* start = buffer.storage.data() + buffer.offset;
    std::memmove(start + outerLength, start, kEthernetHeaderLength);
    buffer.offset += outerLength;
    buffer.length = kEthernetHeaderLength + parsed.ip->totalLength;
    parsed.outer.reset();
    shiftIpOffsets(parsed, -static_cast<int>(outerLength));
    return {};
}

} // namespace lvs::core::packet
