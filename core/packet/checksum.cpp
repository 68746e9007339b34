// The Internet checksum (RFC 1071) over a byte range.
#include "core/packet/checksum.h"

namespace lvs::core::packet {

std::uint32_t checksumAdd(std::span<const std::uint8_t> data, std::uint32_t sum)
{
    // A 64-bit accumulator cannot overflow for any frame (2^48 words), so the carries are
    // folded once at the end (RFC 1071 4.1's "deferred carries").
    std::uint64_t acc = sum;
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    for (; n >= 8; p += 8, n -= 8)
        acc += (std::uint32_t{p[0]} << 8 | p[1]) + (std::uint32_t{p[2]} << 8 | p[3])
             + (std::uint32_t{p[4]} << 8 | p[5]) + (std::uint32_t{p[6]} << 8 | p[7]);
    for (; n >= 2; p += 2, n -= 2)
        acc += std::uint32_t{p[0]} << 8 | p[1];
    if (n == 1)
        acc += std::uint32_t{p[0]} << 8;
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return static_cast<std::uint32_t>(acc);
}

std::uint16_t internetChecksum(std::span<const std::uint8_t> data, std::uint32_t sum)
{
    return static_cast<std::uint16_t>(~checksumFold(checksumAdd(data, sum)));
}

} // namespace lvs::core::packet
