// The kernel's integer arithmetic as the list-walking schedulers do it: 32-bit int overheads
// that wrap (the kernel builds with -fno-strict-overflow) and its get_random_u32_below().
#pragma once

#include "core/ipvs/service.h"

#include <cstdint>

namespace lvs::core::ipvs::kernel {

// int + int, int - int, int * int with two's-complement wrap-around, as the kernel's int
// arithmetic behaves; C++20 makes the unsigned-to-signed conversion modular.
inline int wrapAdd(int a, int b)
{
    return static_cast<int>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
inline int wrapSub(int a, int b)
{
    return static_cast<int>(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
}
inline int wrapMul(int a, int b)
{
    return static_cast<int>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}

// atomic_read(&dest->activeconns): the counter is an atomic_t, an int.
inline int activeConns(const Dest& dest) { return static_cast<int>(dest.activeConns); }

// ip_vs_dest_conn_overhead() (include/net/ip_vs.h, 6.x) returns int: activeconns << 8 plus
// inactconns, computed in int. Dest::connOverhead() gives the same value in 64 bits; the
// schedulers that mirror the kernel's int must see its 32-bit wrap too.
inline int connOverhead(const Dest& dest)
{
    return static_cast<int>((dest.activeConns << 8) + dest.inactConns);
}

// get_random_u32_below() (drivers/char/random.c, __get_random_u32_below, 6.2+): Lemire's
// multiply-and-shift with rejection of the biased low halves, drawing get_random_u32() once in
// the common case and again for each rejected sample; ceil 0 returns the raw draw.
inline std::uint32_t randomBelow(const Random& random, std::uint32_t ceil)
{
    const std::uint32_t draw = random();
    if (ceil == 0)
        return draw;
    std::uint64_t mult = std::uint64_t{ceil} * draw;
    if (static_cast<std::uint32_t>(mult) < ceil) {
        const std::uint32_t bound = (0u - ceil) % ceil; // 2^32 mod ceil
        while (static_cast<std::uint32_t>(mult) < bound)
            mult = std::uint64_t{ceil} * random();
    }
    return static_cast<std::uint32_t>(mult >> 32);
}

} // namespace lvs::core::ipvs::kernel
