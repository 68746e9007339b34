// The locality-based least-connection with replication scheduler "lblcr"
// (net/netfilter/ipvs/ip_vs_lblcr.c).
#pragma once

#include "core/ipvs/sched/hash_locality.h"

#include <vector>

namespace lvs::core::ipvs {

// Like lblc, but each destination address maps to a set of servers: the least loaded member
// serves; when it is missing or overloaded the service's weighted least-connection server
// joins the set; a set unchanged for 24 h loses its most loaded member.
class LblcrScheduler final : public Scheduler {
public:
    // struct ip_vs_dest_set: members newest first (list_add_rcu), lastmod = last change.
    struct DestSet {
        std::vector<Dest*> members;
        std::uint64_t lastMod = 0;
    };
    // struct ip_vs_lblcr_entry; members are held as the kernel holds references (see
    // LblcScheduler::Entry).
    struct Entry {
        Ipv4 address;
        DestSet set;
        std::uint64_t lastUse = 0;
    };

    // ip_vs_lblcr_init_svc: an empty table, the first timer run due in 60 s.
    explicit LblcrScheduler(const SchedulerContext& context);

    std::string_view name() const override { return "lblcr"; }
    // No add_dest/del_dest/upd_dest in the module.
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    const LocalityTable<Entry>& table() const { return m_table; }
    // The set cached for a destination address (nullptr when none), for inspection.
    const DestSet* setOf(Ipv4 address) const;

private:
    std::uint64_t now() const { return m_clock ? m_clock() : 0; }

    Clock m_clock;
    LocalityTable<Entry> m_table;
};

} // namespace lvs::core::ipvs
