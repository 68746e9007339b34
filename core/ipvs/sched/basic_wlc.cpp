// The weighted least-connection scheduler "wlc", after ip_vs_wlc.c.
#include "core/ipvs/sched/basic_wlc.h"

#include "core/ipvs/sched/basic_kernel_int.h"

#include <cstdint>

namespace lvs::core::ipvs {

Dest* WeightedLeastConnectionScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_wlc_schedule: the first destination that is not overloaded and has a weight above
    // 0 is the initial choice; the ones after it replace it only when loh * w > doh * lw
    // (strictly), the products taken in 64 bits (__s64) so they cannot overflow. The second
    // loop skips only overloaded destinations: a weight-0 one can never win there since its
    // side of the comparison is 0.
    ListNode* head = &service.destinations();
    ListNode* node = head->next;
    while (node != head && (Service::dest(node)->overloaded || Service::dest(node)->weight <= 0))
        node = node->next;
    if (node == head)
        return nullptr;
    Dest* least = Service::dest(node);
    int loh = kernel::connOverhead(*least);
    for (node = node->next; node != head; node = node->next) {
        Dest* dest = Service::dest(node);
        if (dest->overloaded)
            continue;
        const int doh = kernel::connOverhead(*dest);
        if (std::int64_t{loh} * dest->weight > std::int64_t{doh} * least->weight) {
            least = dest;
            loh = doh;
        }
    }
    return least;
}

} // namespace lvs::core::ipvs
