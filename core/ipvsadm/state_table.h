// An IPVS table without a kernel: the services, destinations, timeouts and sync daemons that
// ipvsadm's commands set, with the checks ip_vs_ctl.c makes, and nothing running (no
// connections, zero counters). `lvsadm --state FILE` keeps one in a file between runs.
//
// Kernel behaviour mirrored here (net/netfilter/ipvs/ip_vs_ctl.c unless noted):
// - ip_vs_genl_set_cmd / do_ip_vs_set_ctl: a command on a missing service is ESRCH, adding an
//   existing one EEXIST; a destination of the other address family only with -i (tunnel) and
//   no sync daemon running, else EINVAL.
// - ip_vs_add_service / ip_vs_edit_service: an unknown scheduler or persistence engine is
//   ENOENT; an IPv6 netmask (prefix length) outside 1..128 is EINVAL.
// - ip_vs_add_dest / ip_vs_edit_dest: weight < 0 or l_threshold > u_threshold is ERANGE (even
//   when u_threshold is 0), gue without a port EINVAL, an existing destination EEXIST, a
//   missing one ENOENT; ip_vs_new_dest: an address that is not unicast (0.0.0.0/8,
//   255.255.255.255, 224.0.0.0/4; IPv6 multicast or ::) is EINVAL.
// - the dump order: ip_vs_svc_hashkey buckets (this netns hashes as the first one: no netns
//   term), newest first in a bucket (hlist_add_head_rcu), then the fwmark table
//   (ip_vs_svc_fwm_hashkey); destinations newest first (list_add_rcu in __ip_vs_update_dest).
// - ip_vs_sync.c start_sync_thread / stop_sync_thread: EEXIST for a running daemon, ESRCH for
//   a stopped one; defaults group 224.0.0.81, port 8848, ttl 1, maxlen = 1500 - IP/UDP headers
//   (the lab assumes MTU 1500: offline there is no interface to ask).
#pragma once

#include "core/ipvsadm/control.h"

#include <array>
#include <map>
#include <tuple>
#include <utility>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lvs::core::ipvsadm {

class StateTable final : public Control {
public:
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
    std::vector<ListedConn> connections() const override { return {}; }
    int addLocalAddress(const Service& service, const LocalAddressEntry& entry) override;
    int deleteLocalAddress(const Service& service, const LocalAddressEntry& entry) override;
    std::optional<std::vector<LocalAddressEntry>> localAddresses(const Service& service) const override;

    // The table as ipvsadm-restore lines that rebuild it exactly, dump order included:
    // services and destinations in the order they were added, then --set when the timeouts
    // differ from the kernel's, then --start-daemon lines; FULLNAT local addresses as DPVS's
    // "-P SERVICE -z ADDRESS -F IFNAME" after their service's destinations. Starts with a '#' comment line
    // (ipvsadm-restore drops those; ipvsadm -R would not).
    std::string toRestoreText() const;

private:
    // Keys in the kernel's sense: a fwmark service by mark and family, others by protocol,
    // address and port; a destination by address and port.
    using ServiceKey = std::tuple<bool, std::uint32_t, bool, int, Address, std::uint16_t>;
    using ServerKey = std::pair<Address, std::uint16_t>;
    struct ServiceEntry {
        ServiceConfig config;
        std::map<std::uint64_t, DestConfig> dests; // by the order they were added
        std::map<ServerKey, std::uint64_t> destIndex;
        std::vector<LocalAddressEntry> localAddresses; // FULLNAT (DPVS -P), in the order added
        bool operator==(const ServiceEntry&) const = default;
    };
    static ServiceKey keyOf(const Service& service);

    ServiceEntry* find(const Service& service);
    int checkDest(const Service& service, const DestConfig& dest, ServiceEntry*& entry);
    const ServiceEntry* find(const Service& service) const;
    ListedService listed(const ServiceEntry& entry) const;

    std::uint64_t m_sequence = 0;
    std::map<std::uint64_t, ServiceEntry> m_services; // by the order they were added
    std::map<ServiceKey, std::uint64_t> m_serviceIndex;
    ipvs::Timeouts m_timeouts;
    std::array<std::optional<SyncDaemon>, 2> m_daemons; // master, backup
};

// Whether the kernel knows a scheduler (an ip_vs_<name> module) or a persistence engine.
bool knownScheduler(std::string_view name);
bool knownPersistenceEngine(std::string_view name);

} // namespace lvs::core::ipvsadm
