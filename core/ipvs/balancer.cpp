// One virtual service at work: scheduling, persistence templates and connection accounting.
#include "core/ipvs/balancer.h"

namespace lvs::core::ipvs {

namespace {

int protocolNumber(Protocol p)
{
    switch (p) {
    case Protocol::Tcp: return 6;
    case Protocol::Udp: return 17;
    case Protocol::Sctp: return 132;
    }
    return 0;
}

std::uint32_t totalConns(const Dest& d)
{
    // ip_vs_dest_totalconns(): active + inactive; templates (persistconns) do not count.
    return d.activeConns + d.inactConns;
}

} // namespace

Result<std::unique_ptr<Balancer>> Balancer::create(const ServiceSettings& settings,
                                                   SchedulerContext context)
{
    std::unique_ptr<Balancer> b(new Balancer(std::move(context)));
    Balancer* self = b.get();
    if (!b->m_context.clock)
        b->m_context.clock = [self] { return self->m_now; };
    if (auto r = b->apply(settings, true); !r)
        return std::unexpected(r.error());
    return b;
}

Result<void> Balancer::edit(const ServiceSettings& settings)
{
    return apply(settings, false);
}

Result<void> Balancer::apply(const ServiceSettings& s, bool fresh)
{
    // ip_vs_edit_service keeps the service's address; it only changes its settings.
    if (fresh) {
        m_service.fwmark = s.fwmark;
        m_service.protocol = s.protocol;
        m_service.address = s.address;
        m_service.port = s.port;
    }
    m_service.flags = s.schedFlags | (s.persistence ? kSvcPersistent : 0);
    m_service.timeout = s.persistence.value_or(0);
    m_service.netmask = s.netmask;
    if (fresh || s.scheduler != m_scheduler) {
        // ip_vs_unbind_scheduler + ip_vs_bind_scheduler: the new one's init_service sees the
        // current destination list.
        auto scheduler = m_context.factory ? m_context.factory(s.scheduler, m_service)
                                           : makeScheduler(s.scheduler, m_service, m_context);
        if (!scheduler)
            return fail("Scheduler or persistence engine not found");
        m_service.setScheduler(std::move(scheduler));
        m_scheduler = s.scheduler;
    }
    return {};
}

Result<void> Balancer::addDest(const DestSettings& settings)
{
    // ip_vs_add_dest: "if (udest->l_threshold > udest->u_threshold) ... return -ERANGE".
    if (settings.lowerThreshold > settings.upperThreshold)
        return fail("lower threshold " + std::to_string(settings.lowerThreshold)
                    + " is above upper threshold " + std::to_string(settings.upperThreshold)
                    + " (ERANGE)");
    if (m_service.findDest(settings.address, settings.port))
        return fail("Destination already exists");
    m_service.addDest(settings);
    return {};
}

Result<void> Balancer::editDest(const DestSettings& settings)
{
    if (settings.lowerThreshold > settings.upperThreshold)
        return fail("lower threshold " + std::to_string(settings.lowerThreshold)
                    + " is above upper threshold " + std::to_string(settings.upperThreshold)
                    + " (ERANGE)");
    Dest* dest = m_service.findDest(settings.address, settings.port);
    if (!dest)
        return fail("No such destination");
    m_service.editDest(*dest, settings);
    return {};
}

Result<void> Balancer::delDest(Ipv4 address, std::uint16_t port)
{
    Dest* dest = m_service.findDest(address, port);
    if (!dest)
        return fail("No such destination");
    m_service.delDest(*dest);
    return {};
}

void Balancer::bind(Dest& d, bool isTemplate)
{
    // ip_vs_bind_dest: a new connection is counted inactive (dest->conn_flags always carries
    // IP_VS_CONN_F_INACTIVE); a template counts in persistconns. Then the upper threshold.
    if (isTemplate)
        ++d.persistConns;
    else
        ++d.inactConns;
    ++d.refs;
    if (d.upperThreshold != 0 && totalConns(d) >= d.upperThreshold)
        d.overloaded = true;
}

void Balancer::unbind(Dest& d, bool isTemplate, bool wasActive)
{
    // ip_vs_unbind_dest: uncount, then clear the overload flag by the lower threshold, or by
    // 3/4 of the upper one when there is no lower threshold, or at once when there is neither.
    if (isTemplate)
        --d.persistConns;
    else if (wasActive)
        --d.activeConns;
    else
        --d.inactConns;
    --d.refs;
    if (d.lowerThreshold != 0) {
        if (totalConns(d) < d.lowerThreshold)
            d.overloaded = false;
    } else if (d.upperThreshold != 0) {
        if (static_cast<std::uint64_t>(totalConns(d)) * 4
            < static_cast<std::uint64_t>(d.upperThreshold) * 3)
            d.overloaded = false;
    } else {
        d.overloaded = false;
    }
}

Dest* Balancer::schedulePersistent(const PacketInfo& packet, std::list<Template>::iterator& control)
{
    // ip_vs_sched_persist: the template is keyed by the client's network (saddr & netmask) and,
    // when the packet is for the service's own port, that port; a port-0 service or a fwmark
    // service keys by vport 0, so every port of the client shares one template (PCC, PFWMC).
    const std::uint32_t snet = packet.saddr.value & m_service.netmask.value;
    int protocol = m_service.fwmark ? 0 : protocolNumber(packet.protocol); // IPPROTO_IP for fwmark
    std::uint32_t vaddr = m_service.fwmark ? m_service.fwmark : packet.daddr.value;
    std::uint16_t vport = packet.dport == m_service.port && !m_service.fwmark ? packet.dport : 0;
    TemplateKey key{protocol, snet, vaddr, vport};

    auto found = m_templateIndex.find(key);
    if (found != m_templateIndex.end()) {
        Template& t = *found->second;
        // ip_vs_check_template: the template's destination must still be AVAILABLE (not
        // deleted). A weight-0 destination keeps its clients unless the sysctl
        // expire_quiescent_template is set, which defaults to 0.
        if (t.dest && t.dest->available) {
            // ip_vs_conn_put restarts the template's timer: it expires timeout after last use.
            t.expires = m_now + t.timeout;
            control = found->second;
            return t.dest;
        }
        // Invalidated: unhashed so it is never found again; its timer runs on (the kernel
        // drops only the reference, without restarting the timer).
        t.hashed = false;
        m_templateIndex.erase(found);
    }
    Dest* dest = m_service.scheduler()->schedule(m_service, packet);
    if (!dest)
        return nullptr;
    m_templates.push_back(Template{dest, m_now + m_service.timeout, m_service.timeout, 0, true});
    control = std::prev(m_templates.end());
    m_templateIndex[key] = control;
    bind(*dest, true);
    return dest;
}

std::optional<ConnId> Balancer::connect(const PacketInfo& packet)
{
    Conn conn;
    if (m_service.flags & kSvcPersistent) {
        std::list<Template>::iterator control;
        conn.dest = schedulePersistent(packet, control);
        if (!conn.dest)
            return std::nullopt;
        conn.control = control;
        conn.controlled = true;
        ++control->controlled; // ip_vs_control_add
    } else {
        // ip_vs_schedule: a non-persistent service only takes its own port ("port zero only
        // supported in persistent services").
        if (!m_service.fwmark && packet.dport != m_service.port)
            return std::nullopt;
        conn.dest = m_service.scheduler()->schedule(m_service, packet);
        if (!conn.dest)
            return std::nullopt;
    }
    bind(*conn.dest, false);
    ConnId id = m_nextConn++;
    m_conns.emplace(id, conn);
    return id;
}

Dest* Balancer::destOf(ConnId id)
{
    auto it = m_conns.find(id);
    return it == m_conns.end() ? nullptr : it->second.dest;
}

void Balancer::setActive(ConnId id, bool active)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end() || it->second.active == active)
        return;
    Dest& d = *it->second.dest;
    if (active) {
        --d.inactConns;
        ++d.activeConns;
    } else {
        --d.activeConns;
        ++d.inactConns;
    }
    it->second.active = active;
}

void Balancer::close(ConnId id)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
        return;
    Conn conn = it->second;
    m_conns.erase(it);
    if (conn.controlled)
        --conn.control->controlled; // ip_vs_control_del
    unbind(*conn.dest, false, conn.active);
}

void Balancer::advanceTo(std::uint64_t now)
{
    // Fire each template timer that falls due, in time order (a re-armed template may fall due
    // again before now).
    while (true) {
        auto next = m_templates.end();
        for (auto t = m_templates.begin(); t != m_templates.end(); ++t)
            if (t->expires <= now && (next == m_templates.end() || t->expires < next->expires))
                next = t;
        if (next == m_templates.end())
            break;
        m_now = next->expires;
        if (next->controlled > 0) {
            // ip_vs_conn_expire: still in use, so re-armed with a 60 s timeout that stays.
            next->timeout = kTemplateRearm;
            next->expires = m_now + kTemplateRearm;
            continue;
        }
        if (next->hashed)
            for (auto i = m_templateIndex.begin(); i != m_templateIndex.end(); ++i)
                if (i->second == next) {
                    m_templateIndex.erase(i);
                    break;
                }
        unbind(*next->dest, true, false);
        m_templates.erase(next);
    }
    m_now = std::max(m_now, now);
}

} // namespace lvs::core::ipvs
