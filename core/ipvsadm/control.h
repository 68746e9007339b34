// The other side of ipvsadm: what libipvs asks of the kernel's IPVS (ipvs_add_service,
// ipvs_get_services, ipvs_set_timeout, ...). lvsadm runs ipvsadm's command line against a
// Control: the offline StateTable (core/ipvsadm/state_table.h), or a running lvs-director.
//
// Operations return 0 or the errno the kernel's ip_vs_ctl.c would give (EEXIST, ESRCH, ENOENT,
// ERANGE, EINVAL, ...); ipvsStrerror turns it into libipvs's message for that operation.
#pragma once

#include "core/ipvs/proto_state.h"
#include "core/ipvsadm/listing.h"
#include "core/ipvsadm/options.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::ipvsadm {

// ipvs_service_t as -A/-E fill it.
struct ServiceConfig {
    Service service;
    std::string scheduler = "wlc";
    std::uint32_t flags = 0;            // kSvc* bits
    std::uint32_t timeout = 0;          // persistence, seconds
    std::uint32_t netmask = 0xffffffff; // IPv4 mask (host order), or IPv6 prefix length
    std::string persistenceEngine;
    bool operator==(const ServiceConfig&) const = default;
};

// ipvs_dest_t as -a/-e fill it.
struct DestConfig {
    Server server;
    ForwardMethod forward = ForwardMethod::Route;
    int weight = 1;
    std::uint32_t upperThreshold = 0;
    std::uint32_t lowerThreshold = 0;
    TunnelType tunnelType = TunnelType::Ipip;
    std::uint16_t tunnelPort = 0;
    std::uint16_t tunnelFlags = 0;
    bool operator==(const DestConfig&) const = default;
};

// ipvs_daemon_t: one connection-synchronisation daemon (--start-daemon).
struct SyncDaemon {
    DaemonState state = DaemonState::Master;
    std::string mcastInterface;
    int syncId = 0;
    int syncMaxlen = 0;
    std::optional<Address> mcastGroup;
    int mcastPort = 0;
    int mcastTtl = 0;
    bool operator==(const SyncDaemon&) const = default;
};

// A FULLNAT local address of a service (DPVS: ipvsadm -P/-Q/-G), with the counters DPVS's
// -G prints (port conflicts, connections).
struct LocalAddressEntry {
    Address address;
    std::string ifname;
    std::uint64_t portConflicts = 0;
    std::uint32_t connections = 0;
    bool operator==(const LocalAddressEntry&) const = default;
};

// The libipvs call an error came from: ipvs_strerror's messages depend on it.
enum class Operation {
    AddService, EditService, DeleteService, ZeroService, AddDest, EditDest, DeleteDest,
    StartDaemon, StopDaemon, GetService, SetTimeout, Flush, LocalAddress,
};

// libipvs.c ipvs_strerror: the message for (operation, errno), else strerror(errno).
std::string ipvsStrerror(Operation operation, int error);

class Control {
public:
    virtual ~Control() = default;

    virtual int addService(const ServiceConfig& config) = 0;
    virtual int editService(const ServiceConfig& config) = 0;
    virtual int deleteService(const Service& service) = 0;
    virtual int flush() = 0;
    // No service: every counter of every service and the totals (ip_vs_zero_all).
    virtual int zero(const std::optional<Service>& service) = 0;
    virtual int addDest(const Service& service, const DestConfig& dest) = 0;
    virtual int editDest(const Service& service, const DestConfig& dest) = 0;
    virtual int deleteDest(const Service& service, const Server& server) = 0;
    // 0 in a field leaves that timeout as it is.
    virtual int setTimeouts(const ipvs::Timeouts& timeouts) = 0;
    virtual ipvs::Timeouts timeouts() const = 0;
    virtual int startDaemon(const SyncDaemon& daemon) = 0;
    virtual int stopDaemon(DaemonState state) = 0;
    // The running daemons, master before backup (ipvs_get_daemon's two slots).
    virtual std::vector<SyncDaemon> daemons() const = 0;

    // The services in the kernel's dump order (ip_vs_genl_dump_services: the service hash
    // table's buckets, then the fwmark table's), each with its destinations in list order
    // (newest first). The printers sort both unless told --nosort.
    virtual std::vector<ListedService> services() const = 0;
    virtual std::optional<ListedService> service(const Service& service) const = 0;
    // /proc/net/ip_vs_conn's entries in its order.
    virtual std::vector<ListedConn> connections() const = 0;

    // FULLNAT local addresses (DPVS dialect): ESRCH without the service, EEXIST for an address
    // the service has, ENOENT for one it lacks.
    virtual int addLocalAddress(const Service& service, const LocalAddressEntry& entry) = 0;
    virtual int deleteLocalAddress(const Service& service, const LocalAddressEntry& entry) = 0;
    virtual std::optional<std::vector<LocalAddressEntry>> localAddresses(const Service& service) const = 0;
};

} // namespace lvs::core::ipvsadm
