#include "emu/director/seed.h"

#include "core/ipvsadm/model_table.h"
#include "core/ipvsadm/run.h"

namespace lvs::emu::director {

core::Result<void> seedTable(const core::Node& director, core::ipvsadm::LiveTable& table)
{
    auto offline = core::ipvsadm::tableOf(director);
    if (!offline)
        return core::fail(offline.error().message);
    return core::ipvsadm::loadRestoreText(offline->toRestoreText(), director.name + " (design)", table);
}

} // namespace lvs::emu::director
