// The weighted least-connection pick and the overload test shared by lblc and lblcr
// (__ip_vs_lblc_schedule and is_overloaded in net/netfilter/ipvs/ip_vs_lblc.c).
#include "core/ipvs/sched/hash_locality.h"

namespace lvs::core::ipvs {

int kernelConnOverhead(const Dest& dest)
{
    // (activeconns << 8) + inactconns on atomic_t ints, wrapping like the kernel's int.
    const std::uint32_t v = (dest.activeConns << 8) + dest.inactConns;
    return static_cast<int>(v);
}

Dest* localityLeastConnection(Service& service)
{
    ListNode& head = service.destinations();
    ListNode* p = head.next;
    // The first destination that is not OVERLOADED and has a weight above 0.
    for (; p != &head; p = p->next) {
        Dest* d = Service::dest(p);
        if (!d->overloaded && d->weight > 0)
            break;
    }
    if (p == &head)
        return nullptr;
    Dest* least = Service::dest(p);
    int loh = kernelConnOverhead(*least);
    // The rest: skip OVERLOADED ones; "(__s64)loh * dest->weight > (__s64)doh * least->weight"
    // (a weight-0 destination can never win: 0 > doh * w is false).
    for (p = p->next; p != &head; p = p->next) {
        Dest* d = Service::dest(p);
        if (d->overloaded)
            continue;
        const int doh = kernelConnOverhead(*d);
        if (static_cast<std::int64_t>(loh) * d->weight >
            static_cast<std::int64_t>(doh) * least->weight) {
            least = d;
            loh = doh;
        }
    }
    return least;
}

bool localityOverloaded(const Dest& dest, Service& service)
{
    // atomic_read(&d->activeconns) is an int.
    const auto active = [](const Dest& d) {
        return static_cast<std::int64_t>(static_cast<int>(d.activeConns));
    };
    if (active(dest) <= dest.weight)
        return false;
    bool lessLoaded = false;
    service.forEachDest([&](Dest& d) {
        if (active(d) * 2 < d.weight)
            lessLoaded = true;
    });
    return lessLoaded;
}

} // namespace lvs::core::ipvs
