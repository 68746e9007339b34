// The IPVS table of a running director: ipvsadm's commands act on core/ipvs's Balancers (one
// per virtual service, sharing one Estimation as a network namespace's services share the
// kernel's), and the listings show their live counters, rates and connections. lvs-director
// serves `lvsadm --lab N --node D` with it; tests drive it directly.
//
// Differences from StateTable (the offline table), both from the engine: IPv4 only (an IPv6
// service or destination is EAFNOSUPPORT, "Operation not supported with specified address
// family"), and no persistence engine (--pe sip is ENOENT, "Scheduler or persistence engine
// not found", as a kernel without ip_vs_pe_sip answers).
#pragma once

#include "core/ipvs/balancer.h"
#include "core/ipvs/stats.h"
#include "core/ipvsadm/control.h"

#include <map>
#include <memory>
#include <tuple>

namespace lvs::core::ipvsadm {

class LiveTable final : public Control {
public:
    explicit LiveTable(ipvs::SchedulerContext context, std::size_t expectedConnections = 4096);

    int addService(const ServiceConfig& config) override;
    int editService(const ServiceConfig& config) override;
    int deleteService(const Service& service) override;
    int flush() override;
    int zero(const std::optional<Service>& service) override;
    int addDest(const Service& service, const DestConfig& dest) override;
    int editDest(const Service& service, const DestConfig& dest) override;
    int deleteDest(const Service& service, const Server& server) override;
    int setTimeouts(const ipvs::Timeouts& timeouts) override;
    ipvs::Timeouts timeouts() const override;
    int startDaemon(const SyncDaemon& daemon) override;
    int stopDaemon(DaemonState state) override;
    std::vector<SyncDaemon> daemons() const override;
    std::vector<ListedService> services() const override;
    std::optional<ListedService> service(const Service& service) const override;
    std::vector<ListedConn> connections() const override;
    int addLocalAddress(const Service& service, const LocalAddressEntry& entry) override;
    int deleteLocalAddress(const Service& service, const LocalAddressEntry& entry) override;
    std::optional<std::vector<LocalAddressEntry>> localAddresses(const Service& service) const override;

    // The data path's lookup, as ip_vs_service_find: the fwmark service first (mark != 0),
    // then <protocol, vaddr, vport>, then the port-zero service of the address.
    ipvs::Balancer* lookup(std::uint32_t mark, Protocol protocol, Ipv4 vaddr, std::uint16_t vport);
    // Every service's balancer, in the order they were added.
    std::vector<ipvs::Balancer*> balancers();
    ipvs::Estimation& estimation() { return m_estimation; }
    // Moves every balancer's clock (connection timers) and the estimator to now.
    void advanceTo(std::chrono::milliseconds now);

private:
    using Key = std::tuple<bool, std::uint32_t, int, std::uint32_t, std::uint16_t>;
    static Key keyOf(const Service& s);
    struct Entry {
        ServiceConfig config;
        std::unique_ptr<ipvs::Balancer> balancer;
        std::vector<LocalAddressEntry> localAddresses;
    };
    Entry* find(const Service& s);
    int applyDest(const Service& service, const DestConfig& dest, bool add);
    const Entry* find(const Service& s) const;
    ListedService listed(const Entry& e) const;

    ipvs::SchedulerContext m_context;
    std::size_t m_expected;
    ipvs::Estimation m_estimation;
    std::uint64_t m_sequence = 0;
    std::map<std::uint64_t, Entry> m_entries;
    std::map<Key, std::uint64_t> m_index;
    ipvs::Timeouts m_timeouts;
    std::array<std::optional<SyncDaemon>, 2> m_daemons;
};

} // namespace lvs::core::ipvsadm
