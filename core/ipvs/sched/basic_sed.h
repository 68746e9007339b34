// The shortest expected delay scheduler "sed" (net/netfilter/ipvs/ip_vs_sed.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Picks the destination with the smallest (activeconns + 1) / weight, compared by
// cross-multiplication; inactive connections do not count. No state.
class ShortestExpectedDelayScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "sed"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
