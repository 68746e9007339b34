// The locality-based least-connection with replication scheduler "lblcr"
// (net/netfilter/ipvs/ip_vs_lblcr.c).
#include "core/ipvs/sched/hash_lblcr.h"

#include <algorithm>

namespace lvs::core::ipvs {

namespace {

// ip_vs_dest_set_insert: with check, a member already present changes nothing (not even
// lastmod); otherwise the server goes to the head and lastmod is now.
void setInsert(LblcrScheduler::DestSet& set, Dest* dest, bool check, std::uint64_t now)
{
    if (check && std::find(set.members.begin(), set.members.end(), dest) != set.members.end())
        return;
    set.members.insert(set.members.begin(), dest);
    set.lastMod = now;
}

// ip_vs_dest_set_erase: the first element naming dest goes, and lastmod is now.
void setErase(LblcrScheduler::DestSet& set, Dest* dest, std::uint64_t now)
{
    auto it = std::find(set.members.begin(), set.members.end(), dest);
    if (it == set.members.end())
        return;
    set.members.erase(it);
    set.lastMod = now;
}

// ip_vs_dest_set_min: the weighted least-connection member. It starts from the first member
// that is not OVERLOADED, has a weight above 0 and is AVAILABLE; later members must be not
// OVERLOADED and AVAILABLE and strictly less loaded.
Dest* setMin(const LblcrScheduler::DestSet& set)
{
    auto it = set.members.begin();
    for (; it != set.members.end(); ++it) {
        const Dest* d = *it;
        if (d->overloaded)
            continue;
        if (d->weight > 0 && d->available)
            break;
    }
    if (it == set.members.end())
        return nullptr;
    Dest* least = *it;
    int loh = kernelConnOverhead(*least);
    for (++it; it != set.members.end(); ++it) {
        Dest* d = *it;
        if (d->overloaded)
            continue;
        const int doh = kernelConnOverhead(*d);
        if (static_cast<std::int64_t>(loh) * d->weight >
                static_cast<std::int64_t>(doh) * least->weight &&
            d->available) {
            least = d;
            loh = doh;
        }
    }
    return least;
}

// ip_vs_dest_set_max: the weighted most-connection member among those with a weight above 0;
// neither OVERLOAD nor AVAILABLE matters here.
Dest* setMax(const LblcrScheduler::DestSet& set)
{
    auto it = std::find_if(set.members.begin(), set.members.end(),
                           [](const Dest* d) { return d->weight > 0; });
    if (it == set.members.end())
        return nullptr;
    Dest* most = *it;
    int moh = kernelConnOverhead(*most);
    for (++it; it != set.members.end(); ++it) {
        Dest* d = *it;
        const int doh = kernelConnOverhead(*d);
        // moh/mw < doh/dw  <=>  moh*dw < doh*mw
        if (static_cast<std::int64_t>(moh) * d->weight <
                static_cast<std::int64_t>(doh) * most->weight &&
            d->weight > 0) {
            most = d;
            moh = doh;
        }
    }
    return most;
}

} // namespace

LblcrScheduler::LblcrScheduler(const SchedulerContext& context)
    : m_clock(context.clock), m_table(m_clock ? m_clock() : 0)
{
}

const LblcrScheduler::DestSet* LblcrScheduler::setOf(Ipv4 address) const
{
    const Entry* en = m_table.find(address);
    return en ? &en->set : nullptr;
}

Dest* LblcrScheduler::schedule(Service& service, const PacketInfo& packet)
{
    const std::uint64_t t = now();
    m_table.runTimers(t); // the periodic timer (see LocalityTable)

    if (Entry* en = m_table.find(packet.daddr)) {
        // ip_vs_lblcr_schedule, cache hit: refresh lastuse, pick the least loaded member.
        en->lastUse = t;
        Dest* dest = setMin(en->set);

        // A set of several members unchanged for more than 24 h ("time_after(jiffies,
        // lastmod + expiration)") loses its most loaded member. This happens after the pick
        // above, so the member just dropped may still be the one returned.
        if (en->set.members.size() > 1 && t > en->set.lastMod + LocalityTable<Entry>::kExpiration) {
            if (Dest* m = setMax(en->set))
                setErase(en->set, m, t);
        }

        if (dest && !localityOverloaded(*dest, service))
            return dest;

        // No usable member, or it is overloaded: the service's least-connection server joins.
        dest = localityLeastConnection(service);
        if (!dest)
            return nullptr;
        setInsert(en->set, dest, true, t);
        return dest;
    }

    Dest* dest = localityLeastConnection(service);
    if (!dest)
        return nullptr;
    // ip_vs_lblcr_new: a new entry whose set is this one server.
    Entry entry{packet.daddr, {}, t};
    setInsert(entry.set, dest, false, t);
    m_table.add(std::move(entry));
    return dest;
}

} // namespace lvs::core::ipvs
