// The Maglev hashing scheduler "mh" (net/netfilter/ipvs/ip_vs_mh.c).
#pragma once

#include "core/ipvs/sched/hash_functions.h"
#include "core/ipvs/service.h"

#include <unordered_map>
#include <vector>

namespace lvs::core::ipvs {

// A lookup table of 4093 slots (CONFIG_IP_VS_MH_TAB_INDEX = 12) that the destinations fill
// from their own permutations (offset and skip from two hsiphash values of their address and
// port), each taking `turns` slots per pass: last_weight / gcd of the weights, shifted right
// so the largest fits in 6 bits. A packet goes to the slot of hsiphash of its source address
// (plus source port with mh-port); with mh-fallback an unavailable owner starts a rehashing
// walk instead of giving "none".
class MaglevHashScheduler final : public Scheduler {
public:
    static constexpr std::uint32_t kTabSize = 4093; // primes[CONFIG_IP_VS_MH_TAB_INDEX - 8]
    static constexpr int kTabBits = 6;              // CONFIG_IP_VS_MH_TAB_INDEX / 2
    // generate_hash_secret(): fixed keys, the same on every machine.
    static constexpr HsiphashKey kHash1{{2654435761ull, 2654435761ull}};
    static constexpr HsiphashKey kHash2{{2654446892ull, 2654446892ull}};

    // ip_vs_mh_init_svc.
    explicit MaglevHashScheduler(Service& service);

    std::string_view name() const override { return "mh"; }
    // ip_vs_mh_dest_changed is add_dest, del_dest and upd_dest; before it runs,
    // __ip_vs_update_dest has set last_weight (on add, or on an edit to a non-zero weight).
    void addDest(Service& service, Dest& dest) override;
    void delDest(Service& service, Dest& dest) override;
    void updDest(Service& service, Dest& dest) override;
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    // ip_vs_mh_hashkey: hsiphash of the u32 offset + port + ntohl(addr) (host-order port).
    static std::uint32_t hashKey(Ipv4 address, std::uint16_t port, const HsiphashKey& key,
                                 std::uint32_t offset);
    const Dest* lookup(std::size_t slot) const { return m_lookup[slot]; }
    int gcd() const { return m_gcd; }
    int rshift() const { return m_rshift; }

private:
    // The kernel keeps last_weight in struct ip_vs_dest ("the latest non-0 weight"); Dest has
    // no such field, so this scheduler follows it through the hooks. A destination present
    // before the scheduler was bound starts with its current weight.
    int lastWeight(const Dest& dest) const;
    void destChanged(Service& service);
    void permutateAndPopulate(Service& service);
    Dest* get(Ipv4 address, std::uint16_t port) const;
    Dest* getFallback(Ipv4 address, std::uint16_t port) const;

    std::vector<Dest*> m_lookup;
    int m_gcd = 0;
    int m_rshift = 0;
};

} // namespace lvs::core::ipvs
