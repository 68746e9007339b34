// The destination hashing scheduler "dh" (net/netfilter/ipvs/ip_vs_dh.c).
#pragma once

#include "core/ipvs/service.h"

#include <array>

namespace lvs::core::ipvs {

// A static table of 256 buckets (CONFIG_IP_VS_DH_TAB_BITS = 8) filled with the destinations in
// list order, one bucket each, round and round; a packet goes to the bucket of hash_32 of its
// destination address. No fallback: a dead, weight-0 or overloaded bucket owner means "none".
class DestinationHashScheduler final : public Scheduler {
public:
    static constexpr unsigned kTabBits = 8;
    static constexpr std::size_t kTabSize = std::size_t{1} << kTabBits;

    // ip_vs_dh_init_svc: the table is filled from the current destinations.
    explicit DestinationHashScheduler(Service& service);

    std::string_view name() const override { return "dh"; }
    // ip_vs_dh_dest_changed is the module's add_dest and del_dest. It has no upd_dest (the
    // table ignores weights), so an edit leaves the table as it is.
    void addDest(Service& service, Dest&) override { reassign(service); }
    void delDest(Service& service, Dest&) override { reassign(service); }
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    // ip_vs_dh_hashkey: hash_32(ntohl(addr), 8).
    static std::size_t bucketOf(Ipv4 address);
    const Dest* bucket(std::size_t index) const { return m_buckets[index]; }

private:
    void reassign(Service& service);

    std::array<Dest*, kTabSize> m_buckets{};
};

} // namespace lvs::core::ipvs
