// ARP requests for the director's addresses and the replies to them.
#include "core/packet/arp.h"

#include "core/packet/bytes.h"

#include <algorithm>

namespace lvs::core::packet {

bool isArpRequestFor(const Frame& parsed, Ipv4 address)
{
    return parsed.arp && parsed.arp->operation == 1 && parsed.arp->targetIp == address;
}

std::expected<std::size_t, RewriteError> buildArpReply(std::span<std::uint8_t> out, const ArpPacket& request,
                                                       const Mac& ourMac)
{
    if (out.size() < kArpFrameLength)
        return std::unexpected(RewriteError::BufferTooSmall);
    std::uint8_t* p = out.data();
    auto putMac = [](std::uint8_t* at, const Mac& mac) { std::copy(mac.bytes.begin(), mac.bytes.end(), at); };
    putMac(p, request.senderMac);
    putMac(p + 6, ourMac);
    store16(p + 12, kEtherTypeArp);
    std::uint8_t* a = p + kEthernetHeaderLength;
    store16(a, 1); // Ethernet
    store16(a + 2, kEtherTypeIpv4);
    a[4] = 6;
    a[5] = 4;
    store16(a + 6, 2); // reply
    putMac(a + 8, ourMac);
    store32(a + 14, request.targetIp.value);
    putMac(a + 18, request.senderMac);
    store32(a + 24, request.senderIp.value);
    return kArpFrameLength;
}

} // namespace lvs::core::packet
