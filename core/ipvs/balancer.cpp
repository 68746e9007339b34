// One virtual service at work: scheduling, persistence templates and connection accounting.
#include "core/ipvs/balancer.h"

#include "core/ipvs/proto_state.h"

namespace lvs::core::ipvs {

namespace {

std::uint32_t totalConns(const Dest& d)
{
    // ip_vs_dest_totalconns(): active + inactive; templates (persistconns) do not count.
    return d.activeConns + d.inactConns;
}

} // namespace

Result<std::unique_ptr<Balancer>> Balancer::create(const ServiceSettings& settings,
                                                   SchedulerContext context,
                                                   std::size_t expectedConnections,
                                                   Estimation* estimation)
{
    std::unique_ptr<Balancer> b(new Balancer(std::move(context), expectedConnections, estimation));
    b->m_estimation->start(b->m_service.stats); // ip_vs_add_service: ip_vs_start_estimator
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
    Dest& dest = m_service.addDest(settings);
    // __ip_vs_update_dest with add: ip_vs_start_estimator (again, for one back from the trash).
    if (!dest.stats.started())
        m_estimation->start(dest.stats);
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

Dest* Balancer::schedulePersistent(const PacketInfo& packet, ConnIndex& control)
{
    // ip_vs_sched_persist: the template is keyed by the client's network (saddr & netmask) and,
    // when the packet is for the service's own port, that port; a port-0 service or a fwmark
    // service keys by vport 0, so every port of the client shares one template (PCC, PFWMC).
    const std::uint32_t snet = packet.saddr.value & m_service.netmask.value;
    const auto protocol = static_cast<std::uint8_t>(m_service.fwmark ? 0 : ipProtocolNumber(packet.protocol));
    const std::uint32_t vaddr = m_service.fwmark ? m_service.fwmark : packet.daddr.value;
    const std::uint16_t vport = packet.dport == m_service.port && !m_service.fwmark ? packet.dport : 0;

    ConnIndex found = m_table.findTemplate(protocol, snet, vaddr, vport);
    if (found != kNoConn) {
        ConnEntry& t = m_table.at(found);
        Dest& dest = m_service.destAt(t.dest);
        // ip_vs_check_template: the template's destination must still be AVAILABLE (not
        // deleted). A weight-0 destination keeps its clients unless the sysctl
        // expire_quiescent_template is set, which defaults to 0.
        if (dest.available) {
            // ip_vs_conn_put restarts the template's timer: it expires timeout after last use.
            m_table.rearm(found, m_now + t.timeout);
            control = found;
            return &dest;
        }
        // Invalidated: never found again; its timer runs on (the kernel drops only the
        // reference, without restarting the timer).
        m_table.unhashIn(found);
    }
    Dest* dest = m_service.scheduler()->schedule(m_service, packet);
    if (!dest)
        return nullptr;
    ConnEntry t;
    t.protocol = protocol;
    t.caddr = snet;
    t.vaddr = vaddr;
    t.vport = vport;
    t.daddr = dest->address.value;
    t.dport = dest->port;
    t.flags = kConnTemplate;
    t.dest = dest->slot;
    t.timeout = m_service.timeout;
    t.expires = m_now + m_service.timeout;
    control = m_table.insert(t);
    if (control == kNoConn)
        return nullptr; // table full: ip_vs_conn_new failed, the packet is dropped
    bind(*dest, true);
    return dest;
}

std::optional<ConnId> Balancer::connect(const PacketInfo& packet)
{
    ConnIndex control = kNoConn;
    Dest* dest = nullptr;
    if (m_service.flags & kSvcPersistent) {
        dest = schedulePersistent(packet, control);
        if (!dest)
            return std::nullopt;
        ++m_table.at(control).controlled; // ip_vs_control_add
    } else {
        // ip_vs_schedule: a non-persistent service only takes its own port ("port zero only
        // supported in persistent services").
        if (!m_service.fwmark && packet.dport != m_service.port)
            return std::nullopt;
        dest = m_service.scheduler()->schedule(m_service, packet);
        if (!dest)
            return std::nullopt;
    }
    ConnEntry c;
    c.protocol = static_cast<std::uint8_t>(ipProtocolNumber(packet.protocol));
    c.caddr = packet.saddr.value;
    c.cport = packet.sport;
    c.vaddr = packet.daddr.value;
    c.vport = packet.dport;
    c.daddr = dest->address.value;
    // ip_vs_conn_new's dport: the destination's port, or the packet's when it has none.
    c.dport = dest->port ? dest->port : packet.dport;
    // ip_vs_conn_new: the destination's conn_flags, which always carry IP_VS_CONN_F_INACTIVE
    // and, for DR and TUN, NOOUTPUT (replies bypass the director). State NONE until the first
    // packet's transition; the timer starts with it (setExpiry or packet).
    c.flags = newConnFlags(dest->method);
    c.timeout = kNewConnTimeout;
    c.dest = dest->slot;
    c.control = control;
    c.expires = kNever;
    ConnIndex id = m_table.insert(c);
    if (id == kNoConn) {
        if (control != kNoConn)
            --m_table.at(control).controlled;
        return std::nullopt;
    }
    bind(*dest, false);
    connStats(dest->stats, m_service.stats, m_estimation->total());
    return id;
}

Dest* Balancer::destOf(ConnId id)
{
    return &m_service.destAt(m_table.at(id).dest);
}

void Balancer::setActive(ConnId id, bool active)
{
    ConnEntry& c = m_table.at(id);
    const bool isActive = !(c.flags & kConnInactive);
    if (isActive == active)
        return;
    Dest& d = m_service.destAt(c.dest);
    if (active) {
        --d.inactConns;
        ++d.activeConns;
        c.flags &= static_cast<std::uint16_t>(~kConnInactive);
    } else {
        --d.activeConns;
        ++d.inactConns;
        c.flags |= kConnInactive;
    }
}

std::optional<ConnId> Balancer::findIn(const PacketInfo& p) const
{
    ConnIndex i = m_table.findIn(static_cast<std::uint8_t>(ipProtocolNumber(p.protocol)), p.saddr.value,
                                 p.sport, p.daddr.value, p.dport);
    return i == kNoConn ? std::nullopt : std::optional<ConnId>(i);
}

std::optional<ConnId> Balancer::findOut(Protocol protocol, Ipv4 rip, std::uint16_t rport, Ipv4 peer,
                                        std::uint16_t peerPort) const
{
    ConnIndex i = m_table.findOut(static_cast<std::uint8_t>(ipProtocolNumber(protocol)), rip.value, rport,
                                  peer.value, peerPort);
    return i == kNoConn ? std::nullopt : std::optional<ConnId>(i);
}

void Balancer::packet(ConnId id, PacketDirection direction, std::uint8_t tcpFlags, std::uint64_t len)
{
    ConnEntry& c = m_table.at(id);
    Dest& dest = m_service.destAt(c.dest);
    if (direction == PacketDirection::Output)
        outStats(&dest.stats, dest.available, m_service.stats, m_estimation->total(), len);
    else
        inStats(&dest.stats, dest.available, m_service.stats, m_estimation->total(), len);
    ProtoConnState state{c.state, c.flags, c.timeout};
    StateTransition t = c.protocol == 6 ? tcpTransition(state, direction, tcpFlags, m_timeouts)
                                        : udpTransition(state, direction, m_timeouts);
    applyTransition(state, t, &dest);
    c.state = state.state;
    c.flags = state.flags;
    c.timeout = state.timeout;
    m_table.rearm(id, m_now + c.timeout);
}

void Balancer::setExpiry(ConnId id, std::uint32_t expires)
{
    m_table.rearm(id, expires);
}

void Balancer::close(ConnId id)
{
    ConnEntry& c = m_table.at(id);
    if (c.control != kNoConn)
        --m_table.at(c.control).controlled; // ip_vs_control_del
    unbind(m_service.destAt(c.dest), false, !(c.flags & kConnInactive));
    m_table.erase(id);
}

std::optional<std::uint32_t> Balancer::expired(ConnIndex index)
{
    ConnEntry& e = m_table.at(index);
    if (e.flags & kConnTemplate) {
        if (e.controlled > 0) {
            // ip_vs_conn_expire: still in use, so re-armed with a 60 s timeout that stays.
            e.timeout = kTemplateRearm;
            return e.expires + kTemplateRearm;
        }
        unbind(m_service.destAt(e.dest), true, false);
        return std::nullopt;
    }
    if (e.control != kNoConn)
        --m_table.at(e.control).controlled;
    unbind(m_service.destAt(e.dest), false, !(e.flags & kConnInactive));
    return std::nullopt;
}

void Balancer::advanceTo(std::uint32_t now)
{
    if (now < m_now)
        return;
    m_table.expire(now, [this](ConnIndex i) { return expired(i); });
    m_estimation->tick(std::chrono::milliseconds(std::uint64_t(now) * 1000));
    m_now = now;
}

} // namespace lvs::core::ipvs
