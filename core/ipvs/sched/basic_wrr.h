// The weighted round-robin scheduler "wrr" (net/netfilter/ipvs/ip_vs_wrr.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// The kernel's struct ip_vs_wrr_mark: passes over the list with a falling required weight cw,
// from mw down to 1 in steps of di (the gcd of the positive weights); each pass picks, in list
// order, the destinations whose weight reaches cw.
class WeightedRoundRobinScheduler final : public Scheduler {
public:
    // ip_vs_wrr_init_svc: mark computed from the destinations the service has now.
    explicit WeightedRoundRobinScheduler(Service& service);

    std::string_view name() const override { return "wrr"; }
    // add_dest, del_dest and upd_dest are all ip_vs_wrr_dest_changed.
    void addDest(Service& service, Dest&) override { destChanged(service); }
    void delDest(Service& service, Dest&) override { destChanged(service); }
    void updDest(Service& service, Dest&) override { destChanged(service); }
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    // The mark, for tests and for showing the scheduler's state.
    int currentWeight() const { return m_cw; }
    int maxWeight() const { return m_mw; }
    int step() const { return m_di; }

private:
    void destChanged(Service& service);

    ListNode* m_current; // cl: the last chosen destination, or the head
    int m_cw = 0;        // current weight
    int m_mw = 0;        // maximum weight, less (di - 1)
    int m_di = 1;        // decreasing interval
};

} // namespace lvs::core::ipvs
