// The least-connection scheduler "lc" (net/netfilter/ipvs/ip_vs_lc.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Picks the destination with the smallest ip_vs_dest_conn_overhead() (activeconns * 256 +
// inactconns), ignoring weights except that weight 0 is skipped; no state.
class LeastConnectionScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "lc"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
