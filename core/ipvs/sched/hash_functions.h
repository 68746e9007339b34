// The kernel's hash helpers that dh, sh, mh, lblc and lblcr depend on: hash_32() and hsiphash()
// as an x86-64 kernel computes them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lvs::core::ipvs {

// GOLDEN_RATIO_32 of include/linux/hash.h.
inline constexpr std::uint32_t kGoldenRatio32 = 0x61C88647u;

// hash_32() (include/linux/hash.h, the generic version x86 uses): multiply by GOLDEN_RATIO_32
// modulo 2^32 and keep the top `bits` bits, which "are more random". bits is 1..32.
constexpr std::uint32_t hash32(std::uint32_t value, unsigned bits)
{
    return (value * kGoldenRatio32) >> (32 - bits);
}

// hsiphash_key_t on a 64-bit kernel: two unsigned longs (include/linux/siphash.h).
struct HsiphashKey {
    std::array<std::uint64_t, 2> key{};
};

// hsiphash() on a 64-bit kernel (lib/siphash.c, BITS_PER_LONG == 64), which is SipHash-1-3 with
// a 64-bit state and the 64-bit result truncated to 32 bits, not HalfSipHash. The data is
// read as little-endian words, as on x86-64.
std::uint32_t hsiphash(const std::uint8_t* data, std::size_t length, const HsiphashKey& key);

// hsiphash_1u32(): the same value as hsiphash() over the four little-endian bytes of value,
// which is what hsiphash(&v, sizeof(v), key) computes for an unsigned int v on x86-64.
std::uint32_t hsiphash1u32(std::uint32_t value, const HsiphashKey& key);

} // namespace lvs::core::ipvs
