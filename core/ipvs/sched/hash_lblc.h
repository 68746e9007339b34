// The locality-based least-connection scheduler "lblc" (net/netfilter/ipvs/ip_vs_lblc.c).
#pragma once

#include "core/ipvs/sched/hash_locality.h"

namespace lvs::core::ipvs {

// Remembers one server per destination address (the cache of a WCCP-like proxy farm) and keeps
// sending the address there while the server is usable; otherwise picks the weighted least-
// connection server and caches that. Entries unused for 24 h are collected every 30 minutes.
class LblcScheduler final : public Scheduler {
public:
    // struct ip_vs_lblc_entry. The cache holds the Dest as the kernel holds a reference
    // (ip_vs_dest_hold): a removed destination stays in Service's trash, so the pointer stays
    // valid and its AVAILABLE flag tells it is gone.
    struct Entry {
        Ipv4 address;
        Dest* dest = nullptr;
        std::uint64_t lastUse = 0;
    };

    // ip_vs_lblc_init_svc: an empty table, the first timer run due in 60 s.
    explicit LblcScheduler(const SchedulerContext& context);

    std::string_view name() const override { return "lblc"; }
    // The module has no add_dest/del_dest/upd_dest: destination changes leave the cache alone.
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    const LocalityTable<Entry>& table() const { return m_table; }

private:
    std::uint64_t now() const { return m_clock ? m_clock() : 0; }

    Clock m_clock;
    LocalityTable<Entry> m_table;
};

} // namespace lvs::core::ipvs
