// The source hashing scheduler "sh" (net/netfilter/ipvs/ip_vs_sh.c).
#include "core/ipvs/sched/hash_sh.h"

#include "core/ipvs/sched/hash_functions.h"

namespace lvs::core::ipvs {

namespace {

// is_unavailable() of ip_vs_sh.c: weight <= 0 or IP_VS_DEST_F_OVERLOAD. Unlike dh it does not
// look at AVAILABLE: a removed destination is never left in the table (del_dest refills it).
bool isUnavailable(const Dest& dest)
{
    return dest.weight <= 0 || dest.overloaded;
}

} // namespace

SourceHashScheduler::SourceHashScheduler(Service& service)
{
    reassign(service);
}

std::size_t SourceHashScheduler::hashKey(Ipv4 address, std::uint16_t port, std::uint32_t offset)
{
    return (offset + hash32(static_cast<std::uint32_t>(port) + address.value, kTabBits)) &
           kTabMask;
}

void SourceHashScheduler::reassign(Service& service)
{
    // ip_vs_sh_reassign: a destination keeps the cursor until it has filled `weight` buckets
    // ("++d_count >= weight"), so weight 0 (or less) still takes one bucket; the walk wraps
    // around the list, skipping the head. An empty list clears every bucket.
    ListNode& head = service.destinations();
    ListNode* p = &head;
    int filled = 0;
    for (Dest*& b : m_buckets) {
        if (!head.linked()) {
            b = nullptr;
            continue;
        }
        if (p == &head)
            p = p->next;
        Dest* dest = Service::dest(p);
        b = dest;
        if (++filled >= dest->weight) {
            p = p->next;
            filled = 0;
        }
    }
}

Dest* SourceHashScheduler::get(Ipv4 address, std::uint16_t port) const
{
    // ip_vs_sh_get
    Dest* dest = m_buckets[hashKey(address, port, 0)];
    return (!dest || isUnavailable(*dest)) ? nullptr : dest;
}

Dest* SourceHashScheduler::getFallback(Ipv4 address, std::uint16_t port) const
{
    // ip_vs_sh_get_fallback: the home bucket first; an empty one ends the search.
    const std::uint32_t ihash = static_cast<std::uint32_t>(hashKey(address, port, 0));
    Dest* dest = m_buckets[ihash];
    if (!dest)
        return nullptr;
    if (!isUnavailable(*dest))
        return dest;
    // Then "loop around the table starting from ihash": roffset already contains ihash and
    // ip_vs_sh_hashkey adds the hash once more, so the walk really visits the buckets from
    // (2 * ihash) mod 256 onwards. That is what the kernel does, and it decides who is chosen.
    for (std::uint32_t offset = 0; offset < kTabSize; ++offset) {
        const std::uint32_t roffset = (offset + ihash) % kTabSize;
        dest = m_buckets[hashKey(address, port, roffset)];
        if (!dest)
            break;
        if (!isUnavailable(*dest))
            return dest;
    }
    return nullptr;
}

Dest* SourceHashScheduler::schedule(Service& service, const PacketInfo& packet)
{
    // ip_vs_sh_schedule: a new connection is never "inverse", so the source address hashes;
    // ip_vs_sh_get_port takes the source port for TCP, UDP and SCTP, the only protocols here.
    const std::uint16_t port = (service.flags & kSvcSched2) ? packet.sport : 0;
    if (service.flags & kSvcSched1)
        return getFallback(packet.saddr, port);
    return get(packet.saddr, port);
}

} // namespace lvs::core::ipvs
