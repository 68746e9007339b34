// A director's live table, filled from the design: the node's services, destinations and
// FULLNAT local addresses, through the same ipvsadm-restore lines `lvsctl export --format
// ipvsadm-save` prints (so the live table and the export cannot disagree).
#pragma once

#include "core/ipvsadm/live_table.h"
#include "core/model/topology.h"
#include "core/util/result.h"

namespace lvs::emu::director {

core::Result<void> seedTable(const core::Node& director, core::ipvsadm::LiveTable& table);

} // namespace lvs::emu::director
