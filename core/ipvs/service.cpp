// The runtime state of one IPVS virtual service: its destination list and trash (ip_vs_ctl.c).
#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

std::uint32_t schedFlagBit(std::string_view name)
{
    // ipvsadm.c parse_sched_flags: flag-1 / sh-fallback / mh-fallback are SCHED1, flag-2 /
    // sh-port / mh-port are SCHED2, flag-3 is SCHED3.
    if (name == "flag-1" || name == "sh-fallback" || name == "mh-fallback")
        return kSvcSched1;
    if (name == "flag-2" || name == "sh-port" || name == "mh-port")
        return kSvcSched2;
    if (name == "flag-3")
        return kSvcSched3;
    return 0;
}

namespace {

void applySettings(Dest& dest, const DestSettings& s, bool add)
{
    dest.method = s.method;
    dest.weight = s.weight;
    // __ip_vs_update_dest: "keep the last_weight with latest non-0 weight" (and set it on add).
    if (add || s.weight != 0)
        dest.lastWeight = s.weight;
    dest.available = true;
    // __ip_vs_update_dest: "if (!udest->u_threshold || udest->u_threshold > dest->u_threshold)
    // dest->flags &= ~IP_VS_DEST_F_OVERLOAD".
    if (s.upperThreshold == 0 || s.upperThreshold > dest.upperThreshold)
        dest.overloaded = false;
    dest.upperThreshold = s.upperThreshold;
    dest.lowerThreshold = s.lowerThreshold;
}

} // namespace

Dest& Service::addDest(const DestSettings& settings)
{
    Dest* dest = nullptr;
    // ip_vs_trash_get_dest: a deleted destination with the same address and port is reused.
    for (auto& d : m_storage)
        if (!d->available && d->address == settings.address && d->port == settings.port)
            dest = d.get();
    if (!dest) {
        m_storage.push_back(std::make_unique<Dest>());
        dest = m_storage.back().get();
        dest->slot = static_cast<std::uint32_t>(m_storage.size() - 1);
        dest->address = settings.address;
        dest->port = settings.port;
    }
    applySettings(*dest, settings, true);
    m_head.insertAfter(*dest); // list_add_rcu(&dest->n_list, &svc->destinations)
    ++m_count;
    if (m_scheduler)
        m_scheduler->addDest(*this, *dest);
    return *dest;
}

void Service::editDest(Dest& dest, const DestSettings& settings)
{
    applySettings(dest, settings, false);
    if (m_scheduler)
        m_scheduler->updDest(*this, dest);
}

Dest* Service::findDest(Ipv4 address, std::uint16_t port)
{
    for (ListNode* n = m_head.next; n != &m_head; n = n->next)
        if (dest(n)->address == address && dest(n)->port == port)
            return dest(n);
    return nullptr;
}

void Service::delDest(Dest& d)
{
    // __ip_vs_unlink_dest: clear AVAILABLE, list_del_rcu (which keeps ->next), then del_dest.
    d.available = false;
    ListNode* next = d.next;
    d.unlink();
    d.next = next;
    --m_count;
    if (m_scheduler)
        m_scheduler->delDest(*this, d);
}

} // namespace lvs::core::ipvs

#include "core/ipvs/sched/registry.h"

namespace lvs::core::ipvs {

std::unique_ptr<Scheduler> makeScheduler(std::string_view name, Service& service,
                                         const SchedulerContext& context)
{
    if (auto s = makeBasicScheduler(name, service, context))
        return s;
    return makeHashScheduler(name, service, context);
}

} // namespace lvs::core::ipvs
