// The locality-based least-connection scheduler "lblc" (net/netfilter/ipvs/ip_vs_lblc.c).
#include "core/ipvs/sched/hash_lblc.h"

namespace lvs::core::ipvs {

LblcScheduler::LblcScheduler(const SchedulerContext& context)
    : m_clock(context.clock), m_table(m_clock ? m_clock() : 0)
{
}

Dest* LblcScheduler::schedule(Service& service, const PacketInfo& packet)
{
    const std::uint64_t t = now();
    m_table.runTimers(t); // the periodic timer (see LocalityTable)

    // ip_vs_lblc_schedule: a cache hit refreshes lastuse and is kept while the server is still
    // in the service (AVAILABLE), has a weight above 0 and is not is_overloaded(); the
    // OVERLOAD flag itself is not looked at.
    Entry* en = m_table.find(packet.daddr);
    if (en) {
        en->lastUse = t;
        Dest* cached = en->dest;
        if (cached->available && cached->weight > 0 && !localityOverloaded(*cached, service))
            return cached;
    }

    Dest* dest = localityLeastConnection(service);
    if (!dest)
        return nullptr;

    // ip_vs_lblc_new: an entry already naming this server is left as it is; one naming another
    // is replaced by a new entry at the head of its bucket (the old one is not uncounted).
    if (en) {
        if (en->dest == dest)
            return dest;
        m_table.removeUncounted(en);
    }
    m_table.add(Entry{packet.daddr, dest, t});
    return dest;
}

} // namespace lvs::core::ipvs
