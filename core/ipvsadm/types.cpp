// Address printing (inet_ntop's forms) for the ipvsadm parser and listings.
#include "core/ipvsadm/types.h"

namespace lvs::core::ipvsadm {
namespace {

std::string hex16(unsigned v)
{
    static const char* d = "0123456789abcdef";
    std::string s;
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned n = (v >> shift) & 0xf;
        if (n || started || shift == 0) {
            s += d[n];
            started = true;
        }
    }
    return s;
}

} // namespace

std::string Address::toString() const
{
    if (!ipv6)
        return v4.toString();
    // RFC 5952: the longest run (>= 2) of zero groups becomes "::".
    unsigned g[8];
    for (int k = 0; k < 8; ++k)
        g[k] = (v6[2 * k] << 8) | v6[2 * k + 1];
    int bestStart = -1, bestLen = 0;
    for (int k = 0; k < 8;) {
        if (g[k] != 0) {
            ++k;
            continue;
        }
        int s = k;
        while (k < 8 && g[k] == 0)
            ++k;
        if (k - s > bestLen && k - s >= 2) {
            bestStart = s;
            bestLen = k - s;
        }
    }
    // glibc inet_ntop6: an IPv4-compatible (::a.b.c.d, but not ::1) or IPv4-mapped
    // (::ffff:a.b.c.d) address ends in dotted form.
    if (bestStart == 0 && (bestLen == 6 || (bestLen == 7 && g[7] != 1) || (bestLen == 5 && g[5] == 0xffff)))
        return std::string(bestLen == 5 ? "::ffff:" : "::") + std::to_string(v6[12]) + "."
            + std::to_string(v6[13]) + "." + std::to_string(v6[14]) + "." + std::to_string(v6[15]);
    std::string out;
    for (int k = 0; k < 8; ++k) {
        if (k == bestStart) {
            out += "::";
            k += bestLen - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        out += hex16(g[k]);
    }
    return out;
}

} // namespace lvs::core::ipvsadm
