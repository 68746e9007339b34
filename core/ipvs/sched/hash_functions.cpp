// hsiphash() of a 64-bit kernel: SipHash-1-3 (lib/siphash.c, BITS_PER_LONG == 64).
#include "core/ipvs/sched/hash_functions.h"

#include <bit>

namespace lvs::core::ipvs {

namespace {

// The state of one SipHash computation: HPREAMBLE sets it up, round() is SIPHASH_PERMUTATION.
struct SipState {
    std::uint64_t v0 = 0x736f6d6570736575ull; // SIPHASH_CONST_0 .. 3: "somepseudorandomly
    std::uint64_t v1 = 0x646f72616e646f6dull; // generatedbytes"
    std::uint64_t v2 = 0x6c7967656e657261ull;
    std::uint64_t v3 = 0x7465646279746573ull;

    explicit SipState(const HsiphashKey& k)
    {
        v3 ^= k.key[1];
        v2 ^= k.key[0];
        v1 ^= k.key[1];
        v0 ^= k.key[0];
    }

    void round()
    {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    }

    // One compression round per 64-bit word: the "1" of SipHash-1-3 (HSIPROUND once).
    void absorb(std::uint64_t m)
    {
        v3 ^= m;
        round();
        v0 ^= m;
    }

    // HPOSTAMBLE: the last word b (length in the top byte, the tail below), then three
    // finalisation rounds; the u64 result is returned as the function's u32.
    std::uint32_t finish(std::uint64_t b)
    {
        absorb(b);
        v2 ^= 0xff;
        round();
        round();
        round();
        return static_cast<std::uint32_t>((v0 ^ v1) ^ (v2 ^ v3));
    }
};

std::uint64_t readLe(const std::uint8_t* p, std::size_t n)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < n; ++i)
        value |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return value;
}

} // namespace

std::uint32_t hsiphash(const std::uint8_t* data, std::size_t length, const HsiphashKey& key)
{
    SipState s(key);
    const std::size_t whole = length - length % 8;
    for (std::size_t i = 0; i < whole; i += 8)
        s.absorb(readLe(data + i, 8));
    // __hsiphash_aligned: b = len << 56, the 0..7 trailing bytes little-endian below it.
    const std::uint64_t b = (static_cast<std::uint64_t>(length) << 56) |
                            readLe(data + whole, length - whole);
    return s.finish(b);
}

std::uint32_t hsiphash1u32(std::uint32_t value, const HsiphashKey& key)
{
    SipState s(key);
    return s.finish((std::uint64_t{4} << 56) | value);
}

} // namespace lvs::core::ipvs
