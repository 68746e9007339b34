#include "core/ipvsadm/live_table.h"

#include "core/ipvs/conn_table.h"
#include "core/ipvs/proto_state.h"
#include "core/ipvs/service.h"

#include <cerrno>

namespace lvs::core::ipvsadm {

namespace {

ipvs::ServiceSettings settingsOf(const ServiceConfig& c)
{
    ipvs::ServiceSettings s;
    s.fwmark = c.service.isFwmark ? c.service.fwmark : 0;
    s.protocol = c.service.protocol;
    if (!c.service.isFwmark) {
        s.address = c.service.address.v4;
        s.port = c.service.port;
    }
    s.scheduler = c.scheduler;
    s.schedFlags = c.flags & (ipvs::kSvcSched1 | ipvs::kSvcSched2 | ipvs::kSvcSched3);
    if (c.flags & ipvs::kSvcPersistent)
        s.persistence = c.timeout;
    s.netmask = Ipv4{c.netmask};
    return s;
}

bool ipv6(const Service& s) { return s.isFwmark ? s.ipv6 : s.address.ipv6; }

// The Balancer's refusals, back to the errno ip_vs_ctl.c returns for them.
int errnoOf(const Error& e)
{
    if (e.message == "Destination already exists")
        return EEXIST;
    if (e.message == "No such destination")
        return ENOENT;
    if (e.message == "Scheduler or persistence engine not found")
        return ENOENT;
    if (e.message.rfind("lower threshold", 0) == 0)
        return ERANGE;
    return EINVAL;
}

ipvs::DestSettings destOf(const DestConfig& d)
{
    return ipvs::DestSettings{d.server.address.v4, d.server.port, d.forward, d.weight, d.upperThreshold,
                              d.lowerThreshold};
}

} // namespace

LiveTable::LiveTable(ipvs::SchedulerContext context, std::size_t expectedConnections)
    : m_context(std::move(context)), m_expected(expectedConnections)
{
}

LiveTable::Key LiveTable::keyOf(const Service& s)
{
    if (s.isFwmark)
        return {true, s.fwmark, 0, 0, 0};
    return {false, 0, ipProtocolNumber(s.protocol), s.address.v4.value, s.port};
}

LiveTable::Entry* LiveTable::find(const Service& s)
{
    if (ipv6(s))
        return nullptr;
    auto it = m_index.find(keyOf(s));
    return it == m_index.end() ? nullptr : &m_entries.at(it->second);
}

const LiveTable::Entry* LiveTable::find(const Service& s) const { return const_cast<LiveTable*>(this)->find(s); }

int LiveTable::addService(const ServiceConfig& config)
{
    if (ipv6(config.service))
        return EAFNOSUPPORT;
    if (find(config.service))
        return EEXIST;
    if (!config.persistenceEngine.empty())
        return ENOENT;
    auto b = ipvs::Balancer::create(settingsOf(config), m_context, m_expected, &m_estimation);
    if (!b)
        return errnoOf(b.error());
    for (auto& [key, e] : m_entries) { // one timeout table for the namespace
        (void)key;
        (*b)->timeouts() = e.balancer->timeouts();
        break;
    }
    const std::uint64_t seq = ++m_sequence;
    m_entries.emplace(seq, Entry{config, std::move(*b), {}});
    m_index.emplace(keyOf(config.service), seq);
    return 0;
}

int LiveTable::editService(const ServiceConfig& config)
{
    Entry* e = find(config.service);
    if (!e)
        return ipv6(config.service) ? EAFNOSUPPORT : ESRCH;
    if (!config.persistenceEngine.empty())
        return ENOENT;
    if (auto r = e->balancer->edit(settingsOf(config)); !r)
        return errnoOf(r.error());
    e->config = config;
    return 0;
}

int LiveTable::deleteService(const Service& service)
{
    auto it = m_index.find(keyOf(service));
    if (ipv6(service) || it == m_index.end())
        return ESRCH;
    m_entries.erase(it->second);
    m_index.erase(it);
    return 0;
}

int LiveTable::flush()
{
    m_entries.clear();
    m_index.clear();
    return 0;
}

int LiveTable::zero(const std::optional<Service>& service)
{
    auto zeroOne = [](ipvs::Balancer& b) {
        b.service().stats.zero();
        b.service().forEachDest([](ipvs::Dest& d) { d.stats.zero(); });
    };
    if (service) {
        Entry* e = find(*service);
        if (!e)
            return ESRCH;
        zeroOne(*e->balancer);
        return 0;
    }
    for (auto& [seq, e] : m_entries)
        zeroOne(*e.balancer);
    m_estimation.total().zero();
    return 0;
}

// ip_vs_add_dest and ip_vs_edit_dest: the same checks, then the Balancer's own.
int LiveTable::applyDest(const Service& service, const DestConfig& dest, bool add)
{
    Entry* e = find(service);
    if (!e)
        return ipv6(service) ? EAFNOSUPPORT : ESRCH;
    if (dest.server.address.ipv6)
        return EAFNOSUPPORT;
    if (dest.weight < 0)
        return ERANGE;
    auto r = add ? e->balancer->addDest(destOf(dest)) : e->balancer->editDest(destOf(dest));
    return r ? 0 : errnoOf(r.error());
}

int LiveTable::addDest(const Service& service, const DestConfig& dest) { return applyDest(service, dest, true); }

int LiveTable::editDest(const Service& service, const DestConfig& dest) { return applyDest(service, dest, false); }

int LiveTable::deleteDest(const Service& service, const Server& server)
{
    Entry* e = find(service);
    if (!e)
        return ESRCH;
    if (auto r = e->balancer->delDest(server.address.v4, server.port); !r)
        return errnoOf(r.error());
    return 0;
}

int LiveTable::setTimeouts(const ipvs::Timeouts& timeouts)
{
    ipvs::TimeoutTables probe;
    if (auto r = ipvs::setTimeouts(probe, timeouts); !r)
        return EINVAL;
    for (auto& [seq, e] : m_entries)
        ipvs::setTimeouts(e.balancer->timeouts(), timeouts);
    ipvs::TimeoutTables current;
    ipvs::setTimeouts(current, m_timeouts);
    ipvs::setTimeouts(current, timeouts);
    m_timeouts = ipvs::getTimeouts(current);
    return 0;
}

ipvs::Timeouts LiveTable::timeouts() const { return m_timeouts; }

int LiveTable::startDaemon(const SyncDaemon& daemon)
{
    auto& slot = m_daemons[daemon.state == DaemonState::Master ? 0 : 1];
    if (slot)
        return EEXIST;
    slot = daemon; // recorded; the lab's directors do not synchronise connections
    return 0;
}

int LiveTable::stopDaemon(DaemonState state)
{
    auto& slot = m_daemons[state == DaemonState::Master ? 0 : 1];
    if (!slot)
        return ESRCH;
    slot.reset();
    return 0;
}

std::vector<SyncDaemon> LiveTable::daemons() const
{
    std::vector<SyncDaemon> out;
    for (const auto& d : m_daemons)
        if (d)
            out.push_back(*d);
    return out;
}

ListedService LiveTable::listed(const Entry& e) const
{
    ListedService s = listedService(*e.balancer);
    s.flags |= e.config.flags & kSvcOnePacket;
    return s;
}

std::vector<ListedService> LiveTable::services() const
{
    std::vector<ListedService> out;
    for (const auto& [seq, e] : m_entries)
        out.push_back(listed(e));
    return out;
}

std::optional<ListedService> LiveTable::service(const Service& service) const
{
    if (const Entry* e = find(service))
        return listed(*e);
    return std::nullopt;
}

std::vector<ListedConn> LiveTable::connections() const
{
    std::vector<ListedConn> out;
    for (const auto& [seq, e] : m_entries) {
        const std::uint32_t now = e.balancer->now();
        e.balancer->connections().forEach([&](ipvs::ConnIndex, const ipvs::ConnEntry& c) { out.push_back(listedConn(c, now)); });
    }
    return out;
}

int LiveTable::addLocalAddress(const Service& service, const LocalAddressEntry& entry)
{
    Entry* e = find(service);
    if (!e)
        return ESRCH;
    if (entry.address.ipv6)
        return EAFNOSUPPORT;
    for (const LocalAddressEntry& l : e->localAddresses)
        if (l.address == entry.address)
            return EEXIST;
    e->localAddresses.push_back(entry);
    return 0;
}

int LiveTable::deleteLocalAddress(const Service& service, const LocalAddressEntry& entry)
{
    Entry* e = find(service);
    if (!e)
        return ESRCH;
    for (auto it = e->localAddresses.begin(); it != e->localAddresses.end(); ++it)
        if (it->address == entry.address) {
            e->localAddresses.erase(it);
            return 0;
        }
    return ENOENT;
}

std::optional<std::vector<LocalAddressEntry>> LiveTable::localAddresses(const Service& service) const
{
    if (const Entry* e = find(service))
        return e->localAddresses;
    return std::nullopt;
}

ipvs::Balancer* LiveTable::lookup(std::uint32_t mark, Protocol protocol, Ipv4 vaddr, std::uint16_t vport)
{
    auto at = [&](const Key& k) -> ipvs::Balancer* {
        auto it = m_index.find(k);
        return it == m_index.end() ? nullptr : m_entries.at(it->second).balancer.get();
    };
    if (mark)
        if (auto* b = at({true, mark, 0, 0, 0}))
            return b;
    const int p = ipProtocolNumber(protocol);
    if (auto* b = at({false, 0, p, vaddr.value, vport}))
        return b;
    return at({false, 0, p, vaddr.value, 0});
}

std::vector<ipvs::Balancer*> LiveTable::balancers()
{
    std::vector<ipvs::Balancer*> out;
    for (auto& [seq, e] : m_entries)
        out.push_back(e.balancer.get());
    return out;
}

void LiveTable::advanceTo(std::chrono::milliseconds now)
{
    m_estimation.tick(now);
    const auto seconds = static_cast<std::uint32_t>(now.count() / 1000);
    for (auto& [seq, e] : m_entries)
        e.balancer->advanceTo(seconds);
}

} // namespace lvs::core::ipvsadm
