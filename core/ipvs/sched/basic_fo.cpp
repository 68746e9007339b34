// The weighted failover scheduler "fo", after ip_vs_fo.c.
#include "core/ipvs/sched/basic_fo.h"

namespace lvs::core::ipvs {

Dest* WeightedFailoverScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_fo_schedule: the highest weight among destinations that are not overloaded; the
    // running maximum starts at 0 and must be beaten strictly, so weight 0 is never chosen and
    // the first (newest) of equal weights wins.
    Dest* highest = nullptr;
    int hw = 0;
    service.forEachDest([&](Dest& dest) {
        if (!dest.overloaded && dest.weight > hw) {
            highest = &dest;
            hw = dest.weight;
        }
    });
    return highest;
}

} // namespace lvs::core::ipvs
