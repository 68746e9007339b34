// The source hashing scheduler "sh" (net/netfilter/ipvs/ip_vs_sh.c).
#pragma once

#include "core/ipvs/service.h"

#include <array>

namespace lvs::core::ipvs {

// A table of 256 buckets (CONFIG_IP_VS_SH_TAB_BITS = 8) where each destination, in list order,
// takes as many consecutive buckets as its weight (at least one); a packet goes to the bucket of
// hash_32 of its source address (plus its source port with sh-port). With sh-fallback an
// unavailable owner sends the packet on a walk around the table instead of to "none".
class SourceHashScheduler final : public Scheduler {
public:
    static constexpr unsigned kTabBits = 8;
    static constexpr std::size_t kTabSize = std::size_t{1} << kTabBits;
    static constexpr std::size_t kTabMask = kTabSize - 1;

    // ip_vs_sh_init_svc: the table is filled from the current destinations.
    explicit SourceHashScheduler(Service& service);

    std::string_view name() const override { return "sh"; }
    // ip_vs_sh_dest_changed is add_dest, del_dest and upd_dest: any change refills the table.
    void addDest(Service& service, Dest&) override { reassign(service); }
    void delDest(Service& service, Dest&) override { reassign(service); }
    void updDest(Service& service, Dest&) override { reassign(service); }
    Dest* schedule(Service& service, const PacketInfo& packet) override;

    // ip_vs_sh_hashkey: (offset + hash_32(port + ntohl(addr), 8)) & 255, port in host order
    // (0 unless sh-port). The offset is added after hashing.
    static std::size_t hashKey(Ipv4 address, std::uint16_t port, std::uint32_t offset);
    const Dest* bucket(std::size_t index) const { return m_buckets[index]; }

private:
    void reassign(Service& service);
    Dest* get(Ipv4 address, std::uint16_t port) const;
    Dest* getFallback(Ipv4 address, std::uint16_t port) const;

    std::array<Dest*, kTabSize> m_buckets{};
};

} // namespace lvs::core::ipvs
