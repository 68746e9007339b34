// The round-robin scheduler "rr" (net/netfilter/ipvs/ip_vs_rr.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Walks the destination list from the last chosen one, taking the next that is not overloaded
// and has a weight above 0. Its position is a list node, the sentinel head at first, exactly as
// svc->sched_data is in the kernel.
class RoundRobinScheduler final : public Scheduler {
public:
    // ip_vs_rr_init_svc: the position starts at the list head.
    explicit RoundRobinScheduler(Service& service);

    std::string_view name() const override { return "rr"; }
    void delDest(Service& service, Dest& dest) override;
    Dest* schedule(Service& service, const PacketInfo& packet) override;

private:
    ListNode* m_position; // the last chosen destination, or the head
};

} // namespace lvs::core::ipvs
