// The never queue scheduler "nq", after ip_vs_nq.c.
#include "core/ipvs/sched/basic_nq.h"

#include "core/ipvs/sched/basic_kernel_int.h"

#include <cstdint>

namespace lvs::core::ipvs {

Dest* NeverQueueScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_nq_schedule: one walk skipping overloaded and weight-0 destinations. The first one
    // with no active connection is returned at once, whatever its inactive connections and
    // weight; otherwise the least (activeconns + 1) / weight wins, by the 64-bit
    // cross-multiplication, the first of equals kept.
    Dest* least = nullptr;
    int loh = 0;
    for (ListNode* node = service.destinations().next; !service.isHead(node); node = node->next) {
        Dest* dest = Service::dest(node);
        if (dest->overloaded || dest->weight == 0)
            continue;
        const int doh = kernel::wrapAdd(kernel::activeConns(*dest), 1); // ip_vs_nq_dest_overhead
        if (kernel::activeConns(*dest) == 0)
            return dest;
        if (!least || std::int64_t{loh} * dest->weight > std::int64_t{doh} * least->weight) {
            least = dest;
            loh = doh;
        }
    }
    return least;
}

} // namespace lvs::core::ipvs
