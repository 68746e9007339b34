// Factories of the hashing and locality schedulers: dh sh mh lblc lblcr.
#include "core/ipvs/sched/registry.h"

namespace lvs::core::ipvs {

std::unique_ptr<Scheduler> makeHashScheduler(std::string_view, Service&, const SchedulerContext&)
{
    return nullptr;
}

} // namespace lvs::core::ipvs
