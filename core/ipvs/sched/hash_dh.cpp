// The destination hashing scheduler "dh" (net/netfilter/ipvs/ip_vs_dh.c).
#include "core/ipvs/sched/hash_dh.h"

#include "core/ipvs/sched/hash_functions.h"

namespace lvs::core::ipvs {

DestinationHashScheduler::DestinationHashScheduler(Service& service)
{
    reassign(service);
}

std::size_t DestinationHashScheduler::bucketOf(Ipv4 address)
{
    return hash32(address.value, kTabBits);
}

void DestinationHashScheduler::reassign(Service& service)
{
    // ip_vs_dh_reassign: walk the list from the first destination, one bucket per destination,
    // skipping the head when wrapping around; an empty list clears every bucket.
    ListNode& head = service.destinations();
    ListNode* p = &head;
    for (Dest*& b : m_buckets) {
        if (!head.linked()) {
            b = nullptr;
            continue;
        }
        if (p == &head)
            p = p->next;
        b = Service::dest(p);
        p = p->next;
    }
}

Dest* DestinationHashScheduler::schedule(Service&, const PacketInfo& packet)
{
    // ip_vs_dh_schedule: the bucket of the packet's destination address, refused when the
    // destination was removed (not AVAILABLE), has weight <= 0 or is OVERLOADED.
    Dest* dest = m_buckets[bucketOf(packet.daddr)];
    if (!dest || !dest->available || dest->weight <= 0 || dest->overloaded)
        return nullptr;
    return dest;
}

} // namespace lvs::core::ipvs
