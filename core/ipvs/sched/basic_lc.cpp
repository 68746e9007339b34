// The least-connection scheduler "lc", after ip_vs_lc.c.
#include "core/ipvs/sched/basic_lc.h"

#include "core/ipvs/sched/basic_kernel_int.h"

namespace lvs::core::ipvs {

Dest* LeastConnectionScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_lc_schedule: skips overloaded destinations and those of weight exactly 0 (the
    // quiesced ones); the overhead is held in an unsigned int there, and a strict "<" keeps the
    // first of equal overheads, i.e. the newest destination.
    Dest* least = nullptr;
    unsigned int loh = 0;
    service.forEachDest([&](Dest& dest) {
        if (dest.overloaded || dest.weight == 0)
            return;
        const auto doh = static_cast<unsigned int>(kernel::connOverhead(dest));
        if (!least || doh < loh) {
            least = &dest;
            loh = doh;
        }
    });
    return least;
}

} // namespace lvs::core::ipvs
