// Inserting and finding the TOA TCP option.
#include "core/packet/toa.h"

#include "core/packet/bytes.h"
#include "core/packet/checksum.h"

#include <cstring>

namespace lvs::core::packet {

std::optional<ToaAddress> findToa(std::span<const std::uint8_t> frame, const TcpHeader& tcp)
{
    auto options = tcpOptions(frame, tcp);
    if (!options)
        return std::nullopt;
    for (const TcpOption& o : options->list())
        if (o.kind == kToaKind && o.length == kToaLength)
            return ToaAddress{Ipv4{load32(frame.data() + o.offset + 4)}, load16(frame.data() + o.offset + 2)};
    return std::nullopt;
}

std::expected<void, RewriteError> insertToa(FrameBuffer& buffer, Frame& parsed, ToaAddress client,
                                            std::size_t mtu)
{
    if (!parsed.ip)
        return std::unexpected(RewriteError::NotIpv4);
    if (parsed.outer)
        return std::unexpected(RewriteError::Tunnelled);
    if (!parsed.tcp)
        return std::unexpected(RewriteError::NotTcp);
    Ipv4Header& ip = *parsed.ip;
    TcpHeader& tcp = *parsed.tcp;
    if (ip.isFragment())
        return std::unexpected(RewriteError::Fragment);
    if (kTcpMaxHeaderLength - tcp.headerLength < kToaLength)
        return std::unexpected(RewriteError::ToaNoOptionRoom);
    if (std::size_t{ip.totalLength} + kToaLength > mtu || std::size_t{ip.totalLength} + kToaLength > 0xffff)
        return std::unexpected(RewriteError::ExceedsMtu);

    // Open an 8-byte gap right after the 20-byte TCP header.
    const std::size_t gap = tcp.offset + kTcpMinHeaderLength;      // in the frame
    const std::size_t end = ip.offset + std::size_t{ip.totalLength}; // without padding
    if (buffer.headroom() >= kToaLength) {
        std::uint8_t* start = buffer.storage.data() + buffer.offset;
        std::memmove(start - kToaLength, start, gap);
        buffer.offset -= kToaLength;
    } else if (buffer.storage.size() - buffer.offset >= end + kToaLength) {
        std::uint8_t* at = buffer.storage.data() + buffer.offset + gap;
        std::memmove(at + kToaLength, at, end - gap);
    } else {
        return std::unexpected(RewriteError::NoBufferRoom);
    }
    buffer.length = end + kToaLength;
    const std::span<std::uint8_t> frame = buffer.frame();

    std::uint8_t* o = frame.data() + gap;
    const std::uint32_t kindLengthPort = std::uint32_t{kToaKind} << 24 | std::uint32_t{kToaLength} << 16 | client.port;
    store32(o, kindLengthPort);
    store32(o + 4, client.address.value);

    // TCP: the data offset word, the pseudo-header's length, and the new words (added to a sum
    // as a replacement of zeros: ~0 is -0, so "from 0" adds nothing to take away).
    std::uint8_t* t = frame.data() + tcp.offset;
    const std::uint16_t offsetWordBefore = load16(t + 12);
    t[12] = static_cast<std::uint8_t>(t[12] + (kToaLength / 4 << 4));
    const std::uint16_t offsetWordAfter = load16(t + 12);
    const std::uint16_t segmentBefore = ip.payloadLength();
    const auto segmentAfter = static_cast<std::uint16_t>(segmentBefore + kToaLength);
    std::uint16_t check = tcp.checksum;
    check = checksumReplace2(check, offsetWordBefore, offsetWordAfter);
    check = checksumReplace2(check, segmentBefore, segmentAfter);
    check = checksumReplace4(check, 0, kindLengthPort);
    check = checksumReplace4(check, 0, client.address.value);
    store16(t + 16, check);
    tcp.checksum = check;
    tcp.headerLength = static_cast<std::uint8_t>(tcp.headerLength + kToaLength);

    // IPv4: the total length.
    std::uint8_t* h = frame.data() + ip.offset;
    const std::uint16_t totalBefore = ip.totalLength;
    ip.totalLength = static_cast<std::uint16_t>(totalBefore + kToaLength);
    store16(h + 2, ip.totalLength);
    ip.checksum = checksumReplace2(ip.checksum, totalBefore, ip.totalLength);
    store16(h + 10, ip.checksum);
    return {};
}

} // namespace lvs::core::packet
