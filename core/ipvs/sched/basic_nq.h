// The never queue scheduler "nq" (net/netfilter/ipvs/ip_vs_nq.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// The first destination with no active connection if there is one, otherwise the sed choice
// ((activeconns + 1) / weight). No state.
class NeverQueueScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "nq"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
