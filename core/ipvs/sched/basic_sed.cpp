// The shortest expected delay scheduler "sed", after ip_vs_sed.c.
#include "core/ipvs/sched/basic_sed.h"

#include "core/ipvs/sched/basic_kernel_int.h"

#include <cstdint>

namespace lvs::core::ipvs {

namespace {

// ip_vs_sed_dest_overhead: only active connections, plus the one being scheduled.
int sedOverhead(const Dest& dest) { return kernel::wrapAdd(kernel::activeConns(dest), 1); }

} // namespace

Dest* ShortestExpectedDelayScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_sed_schedule: the same two-stage walk as wlc (first eligible destination, then
    // replace on loh * w > doh * lw in 64 bits, skipping only overloaded ones), with the sed
    // overhead. Equal expected delays keep the earlier, newer destination.
    ListNode* head = &service.destinations();
    ListNode* node = head->next;
    while (node != head && (Service::dest(node)->overloaded || Service::dest(node)->weight <= 0))
        node = node->next;
    if (node == head)
        return nullptr;
    Dest* least = Service::dest(node);
    int loh = sedOverhead(*least);
    for (node = node->next; node != head; node = node->next) {
        Dest* dest = Service::dest(node);
        if (dest->overloaded)
            continue;
        const int doh = sedOverhead(*dest);
        if (std::int64_t{loh} * dest->weight > std::int64_t{doh} * least->weight) {
            least = dest;
            loh = doh;
        }
    }
    return least;
}

} // namespace lvs::core::ipvs
