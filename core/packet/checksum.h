// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), computed as the
// kernel does. All values are in host order: a checksum field is read with load16, a 32-bit
// field (an address) with load32, and the results are stored back with store16.
#pragma once

#include <cstdint>
#include <span>

namespace lvs::core::packet {

// The one's complement sum of data taken as big-endian 16-bit words (an odd last byte is
// padded with a zero byte, RFC 1071 4.1), added to sum. A 32-bit partial sum like the kernel's
// __wsum from csum_partial(): fold it before storing. data must start at an even offset of the
// checksummed range for the words to line up.
std::uint32_t checksumAdd(std::span<const std::uint8_t> data, std::uint32_t sum = 0);

// Folds a partial sum to 16 bits with end-around carry (csum_fold without the complement).
constexpr std::uint16_t checksumFold(std::uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

// The value to store in a checksum field: the complement of the folded sum of data (with
// sum added first, e.g. a pseudo-header). ip_fast_csum / ip_compute_csum. A range that holds
// its own correct checksum gives 0 here (its folded sum is 0xffff).
std::uint16_t internetChecksum(std::span<const std::uint8_t> data, std::uint32_t sum = 0);

// The TCP/UDP pseudo-header (RFC 793 3.1, RFC 768): source, destination, zero and protocol,
// the segment length; csum_tcpudp_nofold(). Addresses in host order.
constexpr std::uint32_t pseudoHeaderSum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                        std::uint16_t length)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + protocol + length;
}

// RFC 1624 eqn 3, HC' = ~(~HC + ~m + m'): the checksum after a 16-bit word m of the covered
// data becomes m'. Eqn 3 rather than eqn 2 so that the result never becomes -0 wrongly.
// The kernel's csum_replace2() (include/net/checksum.h); inet_proto_csum_replace2() with
// pseudohdr false (a port in a TCP/UDP header) is the same arithmetic.
constexpr std::uint16_t checksumReplace2(std::uint16_t check, std::uint16_t from, std::uint16_t to)
{
    const std::uint32_t sum = std::uint32_t{static_cast<std::uint16_t>(~check)}
                            + static_cast<std::uint16_t>(~from) + to;
    return static_cast<std::uint16_t>(~checksumFold(sum));
}

// The same for a 32-bit field (two words): csum_replace4() for an address in the IP header;
// inet_proto_csum_replace4() with pseudohdr true for the TCP/UDP checksum, whose
// pseudo-header holds the address (the update that nf_nat and IPVS's tcp_snat_handler do).
constexpr std::uint16_t checksumReplace4(std::uint16_t check, std::uint32_t from, std::uint32_t to)
{
    const std::uint32_t sum = std::uint32_t{static_cast<std::uint16_t>(~check)}
                            + static_cast<std::uint16_t>(~(from >> 16))
                            + static_cast<std::uint16_t>(~from) + (to >> 16) + (to & 0xffff);
    return static_cast<std::uint16_t>(~checksumFold(sum));
}

} // namespace lvs::core::packet
