// The weighted least-connection scheduler "wlc" (net/netfilter/ipvs/ip_vs_wlc.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Picks the destination with the smallest ip_vs_dest_conn_overhead() / weight, compared by
// cross-multiplication; no state. The default scheduler of ipvsadm.
class WeightedLeastConnectionScheduler final : public Scheduler {
public:
    std::string_view name() const override { return "wlc"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;
};

} // namespace lvs::core::ipvs
