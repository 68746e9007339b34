// Factories of the list-walking schedulers: rr wrr lc wlc sed nq fo ovf twos.
#include "core/ipvs/sched/registry.h"

#include "core/ipvs/sched/basic_fo.h"
#include "core/ipvs/sched/basic_lc.h"
#include "core/ipvs/sched/basic_nq.h"
#include "core/ipvs/sched/basic_ovf.h"
#include "core/ipvs/sched/basic_rr.h"
#include "core/ipvs/sched/basic_sed.h"
#include "core/ipvs/sched/basic_twos.h"
#include "core/ipvs/sched/basic_wlc.h"
#include "core/ipvs/sched/basic_wrr.h"

namespace lvs::core::ipvs {

std::unique_ptr<Scheduler> makeBasicScheduler(std::string_view name, Service& service,
                                              const SchedulerContext& context)
{
    // Each constructor does what the module's init_service does (only rr and wrr have one);
    // the others keep no state between calls.
    if (name == "rr")
        return std::make_unique<RoundRobinScheduler>(service);
    if (name == "wrr")
        return std::make_unique<WeightedRoundRobinScheduler>(service);
    if (name == "lc")
        return std::make_unique<LeastConnectionScheduler>();
    if (name == "wlc")
        return std::make_unique<WeightedLeastConnectionScheduler>();
    if (name == "sed")
        return std::make_unique<ShortestExpectedDelayScheduler>();
    if (name == "nq")
        return std::make_unique<NeverQueueScheduler>();
    if (name == "fo")
        return std::make_unique<WeightedFailoverScheduler>();
    if (name == "ovf")
        return std::make_unique<OverflowScheduler>();
    if (name == "twos")
        return std::make_unique<TwoChoiceScheduler>(context.random);
    return nullptr;
}

} // namespace lvs::core::ipvs
