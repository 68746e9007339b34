// The overflow-connection scheduler "ovf", after ip_vs_ovf.c.
#include "core/ipvs/sched/basic_ovf.h"

#include "core/ipvs/sched/basic_kernel_int.h"

namespace lvs::core::ipvs {

Dest* OverflowScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_ovf_schedule: a destination is skipped when overloaded, of weight 0, or when its
    // active connections exceed (strictly) its weight, so one of weight w still takes a
    // connection at w active ones. Among the rest the highest weight wins, the first of equals.
    // Inactive connections do not count.
    Dest* highest = nullptr;
    int hw = 0;
    service.forEachDest([&](Dest& dest) {
        const int w = dest.weight;
        if (dest.overloaded || kernel::activeConns(dest) > w || w == 0)
            return;
        if (!highest || w > hw) {
            highest = &dest;
            hw = w;
        }
    });
    return highest;
}

} // namespace lvs::core::ipvs
