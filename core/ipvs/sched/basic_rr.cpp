// The round-robin scheduler "rr", after ip_vs_rr.c.
#include "core/ipvs/sched/basic_rr.h"

namespace lvs::core::ipvs {

RoundRobinScheduler::RoundRobinScheduler(Service& service)
    : m_position(&service.destinations())
{
}

void RoundRobinScheduler::delDest(Service&, Dest& dest)
{
    // ip_vs_rr_del_dest: the deleted destination's prev is no longer valid but its next is, and
    // next->prev is now its old predecessor (or the head), so the rotation resumes right after
    // where the deleted one stood.
    if (m_position == &dest)
        m_position = dest.next->prev;
}

Dest* RoundRobinScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_rr_schedule: the first pass runs from after the position to the end of the list;
    // unless the position is the head, a second pass runs from the start up to and including
    // the position itself (so it is picked again when it is the only eligible one).
    ListNode* head = &service.destinations();
    ListNode* const last = m_position;
    ListNode* node = m_position;
    int pass = 0;
    do {
        for (node = node->next; node != head; node = node->next) {
            Dest* dest = Service::dest(node);
            if (!dest->overloaded && dest->weight > 0) {
                m_position = node;
                return dest;
            }
            if (node == last)
                return nullptr;
        }
        ++pass;
    } while (pass < 2 && last != head);
    return nullptr;
}

} // namespace lvs::core::ipvs
