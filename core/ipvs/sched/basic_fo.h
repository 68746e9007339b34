// The weighted failover scheduler "fo" (net/netfilter/ipvs/ip_vs_fo.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Picks the destination with the highest weight (the first of equals); no state.
class WeightedFailoverScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "fo"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
