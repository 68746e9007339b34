// The scheduler factories, split by family so each family lives in its own files.
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// rr wrr lc wlc sed nq fo ovf twos (core/ipvs/sched/basic_registry.cpp); nullptr otherwise.
std::unique_ptr<Scheduler> makeBasicScheduler(std::string_view name, Service& service,
                                              const SchedulerContext& context);
// dh sh mh lblc lblcr (core/ipvs/sched/hash_registry.cpp); nullptr otherwise.
std::unique_ptr<Scheduler> makeHashScheduler(std::string_view name, Service& service,
                                             const SchedulerContext& context);

} // namespace lvs::core::ipvs
