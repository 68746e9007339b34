// Factories of the hashing and locality schedulers: dh sh mh lblc lblcr.
#include "core/ipvs/sched/registry.h"

#include "core/ipvs/sched/hash_dh.h"
#include "core/ipvs/sched/hash_lblc.h"
#include "core/ipvs/sched/hash_lblcr.h"
#include "core/ipvs/sched/hash_mh.h"
#include "core/ipvs/sched/hash_sh.h"

namespace lvs::core::ipvs {

std::unique_ptr<Scheduler> makeHashScheduler(std::string_view name, Service& service,
                                             const SchedulerContext& context)
{
    // Each constructor does what the module's init_service does: dh, sh and mh fill their
    // tables from the current destinations; lblc and lblcr start an empty cache and take the
    // clock for their expiry timer.
    if (name == "dh")
        return std::make_unique<DestinationHashScheduler>(service);
    if (name == "sh")
        return std::make_unique<SourceHashScheduler>(service);
    if (name == "mh")
        return std::make_unique<MaglevHashScheduler>(service);
    if (name == "lblc")
        return std::make_unique<LblcScheduler>(context);
    if (name == "lblcr")
        return std::make_unique<LblcrScheduler>(context);
    return nullptr;
}

} // namespace lvs::core::ipvs
