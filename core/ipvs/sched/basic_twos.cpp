// The power-of-two-choices scheduler "twos", after ip_vs_twos.c.
#include "core/ipvs/sched/basic_twos.h"

#include "core/ipvs/sched/basic_kernel_int.h"

#include <memory>
#include <random>

namespace lvs::core::ipvs {

TwoChoiceScheduler::TwoChoiceScheduler(Random random)
    : m_random(std::move(random))
{
    if (!m_random) {
        auto device = std::make_shared<std::random_device>();
        m_random = [device] { return static_cast<std::uint32_t>((*device)()); };
    }
}

Dest* TwoChoiceScheduler::schedule(Service& service, const PacketInfo&)
{
    // ip_vs_twos_schedule. The eligible destinations are those not overloaded with a weight
    // above 0; their weights are summed in an int, and the first choice starts as the last
    // eligible one (the second walk always replaces it unless the sum wrapped).
    Dest* choice1 = nullptr;
    int totalWeight = 0;
    service.forEachDest([&](Dest& dest) {
        if (!dest.overloaded && dest.weight > 0) {
            totalWeight = kernel::wrapAdd(totalWeight, dest.weight);
            choice1 = &dest;
        }
    });
    if (!choice1)
        return nullptr;

    // Both draws lie in [0, total] (total + 1 values), drawn one after the other with
    // get_random_u32_below(). Each walk subtracts the weights in list order and takes the
    // first destination where its value reaches <= 0, so a draw of 0 and a draw of the first
    // weight both select the first destination: it gets one value more than its weight.
    totalWeight = kernel::wrapAdd(totalWeight, 1);
    const auto ceil = static_cast<std::uint32_t>(totalWeight);
    int rweight1 = static_cast<int>(kernel::randomBelow(m_random, ceil));
    int rweight2 = static_cast<int>(kernel::randomBelow(m_random, ceil));

    Dest* choice2 = nullptr;
    int weight1 = -1;
    int weight2 = -1;
    int overhead1 = 0;
    int overhead2 = 0;
    for (ListNode* node = service.destinations().next; !service.isHead(node); node = node->next) {
        Dest* dest = Service::dest(node);
        if (dest->overloaded || dest->weight <= 0)
            continue;
        rweight1 = kernel::wrapSub(rweight1, dest->weight);
        rweight2 = kernel::wrapSub(rweight2, dest->weight);
        if (rweight1 <= 0 && weight1 == -1) {
            choice1 = dest;
            weight1 = dest->weight;
            overhead1 = kernel::connOverhead(*dest);
        }
        if (rweight2 <= 0 && weight2 == -1) {
            choice2 = dest;
            weight2 = dest->weight;
            overhead2 = kernel::connOverhead(*dest);
        }
        if (weight1 != -1 && weight2 != -1)
            break;
    }

    // The second choice replaces the first only when strictly less loaded per weight; the
    // products are plain int in the kernel (no 64-bit cast, unlike wlc), so they wrap here too.
    if (choice2 && kernel::wrapMul(weight2, overhead1) > kernel::wrapMul(weight1, overhead2))
        choice1 = choice2;
    return choice1;
}

} // namespace lvs::core::ipvs
