// The offline IPVS table: ip_vs_ctl.c's checks over plain data.
#include "core/ipvsadm/state_table.h"

#include "core/ipvs/service.h"

#include <algorithm>
#include <cerrno>
#include <tuple>

namespace lvs::core::ipvsadm {

namespace {

constexpr unsigned kSvcTabBits = 8; // IP_VS_SVC_TAB_BITS
constexpr unsigned kSvcTabMask = (1U << kSvcTabBits) - 1;

// The address folded to 32 bits as ip_vs_svc_hashkey does (IPv6: the four words XORed; the
// XOR commutes with ntohl, so folding host-order words gives the same value).
std::uint32_t fold(const Address& a)
{
    if (!a.ipv6)
        return a.v4.value;
    std::uint32_t h = 0;
    for (int w = 0; w < 4; ++w)
        h ^= (std::uint32_t{a.v6[4 * w]} << 24) | (std::uint32_t{a.v6[4 * w + 1]} << 16)
            | (std::uint32_t{a.v6[4 * w + 2]} << 8) | a.v6[4 * w + 3];
    return h;
}

// ip_vs_svc_hashkey / ip_vs_svc_fwm_hashkey with the netns term of the first namespace (0).
unsigned bucketOf(const Service& s)
{
    if (s.isFwmark)
        return s.fwmark & kSvcTabMask;
    unsigned porth = s.port;
    return (static_cast<unsigned>(ipProtocolNumber(s.protocol)) ^ fold(s.address)
            ^ (porth >> kSvcTabBits) ^ porth)
        & kSvcTabMask;
}

bool serviceIpv6(const Service& s) { return s.isFwmark ? s.ipv6 : s.address.ipv6; }

// inet_addr_type() != RTN_LOCAL/RTN_UNICAST, ipv6_addr_type() without IPV6_ADDR_UNICAST.
bool unicast(const Address& a)
{
    if (!a.ipv6) {
        std::uint32_t v = a.v4.value;
        return (v >> 24) != 0 && v != 0xffffffffu && (v >> 28) != 0xe;
    }
    if (a.v6[0] == 0xff)
        return false;
    return std::any_of(a.v6.begin(), a.v6.end(), [](std::uint8_t b) { return b != 0; });
}

int checkServiceConfig(const ServiceConfig& c)
{
    if (!knownScheduler(c.scheduler))
        return ENOENT;
    if (!c.persistenceEngine.empty() && !knownPersistenceEngine(c.persistenceEngine))
        return ENOENT;
    if (serviceIpv6(c.service) && (c.netmask < 1 || c.netmask > 128))
        return EINVAL;
    return 0;
}

int checkDestConfig(const DestConfig& d)
{
    if (d.weight < 0 || d.lowerThreshold > d.upperThreshold)
        return ERANGE;
    if (d.tunnelType == TunnelType::Gue && d.tunnelPort == 0)
        return EINVAL;
    return 0;
}

} // namespace

bool knownScheduler(std::string_view name)
{
    ipvs::Service probe;
    return ipvs::makeScheduler(name, probe, {}) != nullptr;
}

bool knownPersistenceEngine(std::string_view name) { return name == "sip"; }

StateTable::ServiceKey StateTable::keyOf(const Service& s)
{
    if (s.isFwmark)
        return {true, s.fwmark, s.ipv6, 0, Address{}, 0};
    return {false, 0, s.address.ipv6, ipProtocolNumber(s.protocol), s.address, s.port};
}

StateTable::ServiceEntry* StateTable::find(const Service& service)
{
    auto it = m_serviceIndex.find(keyOf(service));
    return it == m_serviceIndex.end() ? nullptr : &m_services.at(it->second);
}

const StateTable::ServiceEntry* StateTable::find(const Service& service) const
{
    return const_cast<StateTable*>(this)->find(service);
}

int StateTable::addService(const ServiceConfig& config)
{
    if (find(config.service))
        return EEXIST;
    if (int e = checkServiceConfig(config))
        return e;
    const std::uint64_t seq = ++m_sequence;
    m_services.emplace(seq, ServiceEntry{config, {}, {}, {}});
    m_serviceIndex.emplace(keyOf(config.service), seq);
    return 0;
}

int StateTable::editService(const ServiceConfig& config)
{
    ServiceEntry* e = find(config.service);
    if (!e)
        return ESRCH;
    if (int err = checkServiceConfig(config))
        return err;
    e->config = config;
    return 0;
}

int StateTable::deleteService(const Service& service)
{
    auto it = m_serviceIndex.find(keyOf(service));
    if (it == m_serviceIndex.end())
        return ESRCH;
    m_services.erase(it->second);
    m_serviceIndex.erase(it);
    return 0;
}

int StateTable::flush()
{
    m_services.clear();
    m_serviceIndex.clear();
    return 0;
}

int StateTable::zero(const std::optional<Service>& service)
{
    // Nothing runs offline, so every counter is zero already; only a missing service fails.
    if (service && !find(*service))
        return ESRCH;
    return 0;
}

// ip_vs_genl_set_cmd: a destination of the other family only for tunnels, and not while a
// sync daemon runs (the sync protocol cannot carry mixed-family services).
static bool familyMismatch(const ServiceConfig& svc, const DestConfig& dest, bool syncing)
{
    return dest.server.address.ipv6 != serviceIpv6(svc.service)
        && (dest.forward != ForwardMethod::Tunnel || syncing);
}

// The checks ip_vs_genl_set_cmd and ip_vs_add_dest / ip_vs_edit_dest share.
int StateTable::checkDest(const Service& service, const DestConfig& dest, ServiceEntry*& entry)
{
    entry = find(service);
    if (!entry)
        return ESRCH;
    if (familyMismatch(entry->config, dest, m_daemons[0] || m_daemons[1]))
        return EINVAL;
    return checkDestConfig(dest);
}

int StateTable::addDest(const Service& service, const DestConfig& dest)
{
    ServiceEntry* e = nullptr;
    if (int err = checkDest(service, dest, e))
        return err;
    const ServerKey key{dest.server.address, dest.server.port};
    if (e->destIndex.count(key))
        return EEXIST;
    if (!unicast(dest.server.address))
        return EINVAL;
    const std::uint64_t seq = ++m_sequence;
    e->dests.emplace(seq, dest);
    e->destIndex.emplace(key, seq);
    return 0;
}

int StateTable::editDest(const Service& service, const DestConfig& dest)
{
    ServiceEntry* e = nullptr;
    if (int err = checkDest(service, dest, e))
        return err;
    auto it = e->destIndex.find(ServerKey{dest.server.address, dest.server.port});
    if (it == e->destIndex.end())
        return ENOENT;
    e->dests.at(it->second) = dest;
    return 0;
}

int StateTable::deleteDest(const Service& service, const Server& server)
{
    ServiceEntry* e = find(service);
    if (!e)
        return ESRCH;
    auto it = e->destIndex.find(ServerKey{server.address, server.port});
    if (it == e->destIndex.end())
        return ENOENT;
    e->dests.erase(it->second);
    e->destIndex.erase(it);
    return 0;
}

int StateTable::setTimeouts(const ipvs::Timeouts& timeouts)
{
    // ip_vs_set_timeout: all or nothing, 0 keeps a value (core/ipvs/proto_state).
    ipvs::TimeoutTables tables;
    if (auto r = ipvs::setTimeouts(tables, m_timeouts); !r)
        return EINVAL;
    if (auto r = ipvs::setTimeouts(tables, timeouts); !r)
        return EINVAL;
    m_timeouts = ipvs::getTimeouts(tables);
    return 0;
}

ipvs::Timeouts StateTable::timeouts() const { return m_timeouts; }

int StateTable::startDaemon(const SyncDaemon& daemon)
{
    std::optional<SyncDaemon>& slot = m_daemons[daemon.state == DaemonState::Master ? 0 : 1];
    SyncDaemon d = daemon;
    if (!d.mcastGroup)
        d.mcastGroup = Address::of(Ipv4{0xe0000051}); // IP_VS_SYNC_GROUP
    if (!d.mcastPort)
        d.mcastPort = 8848; // IP_VS_SYNC_PORT
    if (!d.mcastTtl)
        d.mcastTtl = 1;
    const int hlen = d.mcastGroup->ipv6 ? 40 + 8 : 20 + 8;
    const int minMtu = d.state == DaemonState::Backup ? 1024 : 1;
    d.syncMaxlen = d.syncMaxlen ? std::clamp(d.syncMaxlen, minMtu, 65535 - hlen) : 1500 - hlen;
    if (slot)
        return EEXIST;
    slot = d;
    return 0;
}

int StateTable::stopDaemon(DaemonState state)
{
    std::optional<SyncDaemon>& slot = m_daemons[state == DaemonState::Master ? 0 : 1];
    if (!slot)
        return ESRCH;
    slot.reset();
    return 0;
}

int StateTable::addLocalAddress(const Service& service, const LocalAddressEntry& entry)
{
    ServiceEntry* e = find(service);
    if (!e)
        return ESRCH;
    for (const LocalAddressEntry& l : e->localAddresses)
        if (l.address == entry.address)
            return EEXIST;
    if (!unicast(entry.address))
        return EINVAL;
    e->localAddresses.push_back(LocalAddressEntry{entry.address, entry.ifname, 0, 0});
    return 0;
}

int StateTable::deleteLocalAddress(const Service& service, const LocalAddressEntry& entry)
{
    ServiceEntry* e = find(service);
    if (!e)
        return ESRCH;
    auto it = std::find_if(e->localAddresses.begin(), e->localAddresses.end(),
                           [&](const LocalAddressEntry& l) { return l.address == entry.address; });
    if (it == e->localAddresses.end())
        return ENOENT;
    e->localAddresses.erase(it);
    return 0;
}

std::optional<std::vector<LocalAddressEntry>> StateTable::localAddresses(const Service& service) const
{
    if (const ServiceEntry* e = find(service))
        return e->localAddresses;
    return std::nullopt;
}

std::vector<SyncDaemon> StateTable::daemons() const
{
    std::vector<SyncDaemon> out;
    for (const auto& d : m_daemons)
        if (d)
            out.push_back(*d);
    return out;
}

ListedService StateTable::listed(const ServiceEntry& e) const
{
    const ServiceConfig& c = e.config;
    ListedService s;
    s.fwmark = c.service.isFwmark ? c.service.fwmark : 0;
    s.protocol = c.service.protocol;
    s.ipv6 = serviceIpv6(c.service);
    s.address = c.service.address;
    s.port = c.service.port;
    s.scheduler = c.scheduler;
    s.flags = c.flags;
    s.timeout = c.timeout;
    s.netmask = c.netmask;
    s.peName = c.persistenceEngine;
    for (auto it = e.dests.rbegin(); it != e.dests.rend(); ++it) {
        const DestConfig& d = it->second;
        ListedDest ld;
        ld.address = d.server.address;
        ld.port = d.server.port;
        ld.method = d.forward;
        ld.weight = d.weight;
        ld.upperThreshold = d.upperThreshold;
        ld.lowerThreshold = d.lowerThreshold;
        ld.tunnelType = static_cast<int>(d.tunnelType);
        ld.tunnelPort = d.tunnelPort;
        ld.tunnelFlags = d.tunnelFlags;
        s.dests.push_back(ld);
    }
    return s;
}

std::vector<ListedService> StateTable::services() const
{
    // Buckets of the service table, then of the fwmark table; newest first within a bucket.
    std::vector<std::tuple<bool, unsigned, std::uint64_t, const ServiceEntry*>> order;
    order.reserve(m_services.size());
    for (const auto& [seq, e] : m_services)
        order.emplace_back(e.config.service.isFwmark, bucketOf(e.config.service), ~seq, &e);
    std::sort(order.begin(), order.end());
    std::vector<ListedService> out;
    out.reserve(order.size());
    for (const auto& o : order)
        out.push_back(listed(*std::get<3>(o)));
    return out;
}

std::optional<ListedService> StateTable::service(const Service& service) const
{
    if (const ServiceEntry* e = find(service))
        return listed(*e);
    return std::nullopt;
}

std::string StateTable::toRestoreText() const
{
    std::string out = "# lvsadm state: ipvsadm-restore lines, in the order the table was built\n";
    for (const auto& [seq, e] : m_services) {
        ListedService s = listed(e);
        s.dests.clear();
        out += saveRules({s}, true);
        for (const auto& [dseq, d] : e.dests) {
            ListedService one = listed(ServiceEntry{e.config, {{dseq, d}}, {}, {}});
            std::string lines = saveRules({one}, true);
            out += lines.substr(lines.find('\n') + 1); // the -a line
        }
        if (!e.localAddresses.empty()) {
            std::string head = saveRules({s}, true); // "-A <service> ...": keep "<service>"
            std::string svc = head.substr(3, head.find(" -s ") - 3);
            for (const LocalAddressEntry& l : e.localAddresses)
                out += "-P " + svc + " -z " + (l.address.ipv6 ? "[" + l.address.toString() + "]" : l.address.toString())
                    + " -F " + l.ifname + "\n";
        }
    }
    if (m_timeouts != ipvs::Timeouts{})
        out += "--set " + std::to_string(m_timeouts.tcp) + " " + std::to_string(m_timeouts.tcpFin)
            + " " + std::to_string(m_timeouts.udp) + "\n";
    for (const auto& d : m_daemons) {
        if (!d)
            continue;
        out += std::string("--start-daemon ") + (d->state == DaemonState::Master ? "master" : "backup")
            + " --mcast-interface " + d->mcastInterface + " --syncid " + std::to_string(d->syncId)
            + " --sync-maxlen " + std::to_string(d->syncMaxlen) + " --mcast-group "
            + d->mcastGroup->toString() + " --mcast-port " + std::to_string(d->mcastPort)
            + " --mcast-ttl " + std::to_string(d->mcastTtl) + "\n";
    }
    return out;
}

} // namespace lvs::core::ipvsadm
