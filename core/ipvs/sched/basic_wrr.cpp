// The weighted round-robin scheduler "wrr", after ip_vs_wrr.c.
#include "core/ipvs/sched/basic_wrr.h"

#include <numeric>

namespace lvs::core::ipvs {

namespace {

// ip_vs_wrr_gcd_weight: the gcd of the weights above 0, or 1 when there are none. Overloaded
// destinations count: the mark follows the configuration, not the load.
int gcdWeight(Service& service)
{
    int g = 0;
    service.forEachDest([&](Dest& dest) {
        if (dest.weight > 0)
            g = g > 0 ? std::gcd(dest.weight, g) : dest.weight;
    });
    return g ? g : 1;
}

// ip_vs_wrr_max_weight: the largest weight, 0 when none is above 0.
int highestWeight(Service& service)
{
    int weight = 0;
    service.forEachDest([&](Dest& dest) {
        if (dest.weight > weight)
            weight = dest.weight;
    });
    return weight;
}

} // namespace

WeightedRoundRobinScheduler::WeightedRoundRobinScheduler(Service& service)
    : m_current(&service.destinations())
{
    // ip_vs_wrr_init_svc. mw is lowered by (di - 1) so that the last pass asks for weight 1 and
    // still finds a destination whose weight was cut below di meanwhile.
    m_di = gcdWeight(service);
    m_mw = highestWeight(service) - (m_di - 1);
    m_cw = m_mw;
}

void WeightedRoundRobinScheduler::destChanged(Service& service)
{
    // ip_vs_wrr_dest_changed: the walk restarts at the head, but cw is kept where it can be:
    // reset to mw if it is now above mw (or was 0), else rounded down to the new step's grid
    // plus one when the step is above 1.
    m_current = &service.destinations();
    m_di = gcdWeight(service);
    m_mw = highestWeight(service) - (m_di - 1);
    if (m_cw > m_mw || m_cw == 0)
        m_cw = m_mw;
    else if (m_di > 1)
        m_cw = (m_cw / m_di) * m_di + 1;
}

Dest* WeightedRoundRobinScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_wrr_schedule.
    ListNode* head = &service.destinations();
    ListNode* node = m_current;
    if (m_mw == 0)
        return nullptr; // no weight above 0: "no destination available", cl unchanged
    ListNode* const last = node;
    ListNode* stop = nullptr;
    bool lastPass = false;
    bool restarted = false;
    for (;;) {
        for (node = node->next; node != head; node = node->next) {
            Dest* dest = Service::dest(node);
            if (!dest->overloaded && dest->weight >= m_cw) {
                m_current = node;
                return dest;
            }
            if (node == stop) {
                m_current = node; // err_over keeps the place where the search ended
                return nullptr;
            }
        }
        m_cw -= m_di;
        if (m_cw <= 0) {
            m_cw = m_mw;
            // Everything was tried for weight >= 1 from the start of the list: either the
            // previous pass was the last one, or the walk began at the head.
            if (lastPass || last == head) {
                m_current = head;
                return nullptr;
            }
            restarted = true;
        }
        lastPass = m_cw <= m_di;
        // After a wrap the weight-1 pass must also cover the destinations up to 'last', which
        // the first traversal (which started after 'last') skipped; stop once 'last' is seen.
        if (lastPass && restarted && last != head)
            stop = last;
    }
}

} // namespace lvs::core::ipvs
