// The overflow-connection scheduler "ovf" (net/netfilter/ipvs/ip_vs_ovf.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Picks the destination with the highest weight among those whose active connections do not
// exceed their weight, so the weight acts as a connection limit; no state.
class OverflowScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "ovf"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
