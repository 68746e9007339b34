// The runtime state of one IPVS virtual service and its destinations (the kernel's struct
// ip_vs_service and struct ip_vs_dest), which the schedulers read and the connection logic counts.
#pragma once

#include "core/ipvs/ipvs_list.h"
#include "core/ipvs/stats.h"
#include "core/model/topology.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lvs::core::ipvs {

// The scheduler flags of include/uapi/linux/ip_vs.h: IP_VS_SVC_F_SCHED1..3; sh and mh read
// SCHED1 as "fallback" and SCHED2 as "port".
inline constexpr std::uint32_t kSvcPersistent = 0x0001; // IP_VS_SVC_F_PERSISTENT
inline constexpr std::uint32_t kSvcSched1 = 0x0008;     // IP_VS_SVC_F_SCHED1 (sh/mh-fallback)
inline constexpr std::uint32_t kSvcSched2 = 0x0010;     // IP_VS_SVC_F_SCHED2 (sh/mh-port)
inline constexpr std::uint32_t kSvcSched3 = 0x0020;     // IP_VS_SVC_F_SCHED3

// ipvsadm -b names to flag bits (flag-1..3, sh-*/mh-*); 0 for an unknown name.
std::uint32_t schedFlagBit(std::string_view name);

// A destination (real server) of a service. The counters are the kernel's: activeconns,
// inactconns, persistconns (templates bound to it).
struct Dest : ListNode {
    Ipv4 address;
    std::uint16_t port = 0;
    ForwardMethod method = ForwardMethod::Route;
    int weight = 1;                   // the kernel's atomic_t weight
    int lastWeight = 1;               // last_weight: the latest non-zero weight (mh reads it)
    std::uint32_t upperThreshold = 0; // u_threshold
    std::uint32_t lowerThreshold = 0; // l_threshold
    std::uint32_t activeConns = 0;
    std::uint32_t inactConns = 0;
    std::uint32_t persistConns = 0;
    bool overloaded = false;          // IP_VS_DEST_F_OVERLOAD
    bool available = true;            // IP_VS_DEST_F_AVAILABLE: false while in the trash
    std::uint64_t refs = 0;           // connections (and templates) still bound to it
    std::uint32_t slot = 0;           // its number in the service, for the connection table
    Stats stats;                      // kept through the trash, as the kernel keeps dest->stats

    // ip_vs_dest_conn_overhead(): activeconns * 256 + inactconns (include/net/ip_vs.h).
    std::uint64_t connOverhead() const
    {
        return (static_cast<std::uint64_t>(activeConns) << 8) + inactConns;
    }
    std::string name() const { return address.toString() + ":" + std::to_string(port); }
};

// What a scheduler sees of a packet that starts a connection (struct ip_vs_iphdr + ports).
struct PacketInfo {
    Protocol protocol = Protocol::Tcp;
    Ipv4 saddr;
    std::uint16_t sport = 0;
    Ipv4 daddr;
    std::uint16_t dport = 0;
};

// Time in seconds since an arbitrary start, and randomness, both injected (STYLE.md).
using Clock = std::function<std::uint64_t()>;
using Random = std::function<std::uint32_t()>; // like get_random_u32()

class Service;

// What ipvsadm -a/-e give a destination (struct ip_vs_dest_user_kern).
struct DestSettings {
    Ipv4 address;
    std::uint16_t port = 0;
    ForwardMethod method = ForwardMethod::Route;
    int weight = 1;
    std::uint32_t upperThreshold = 0;
    std::uint32_t lowerThreshold = 0;
};

// A scheduler (struct ip_vs_scheduler): notified of destination changes as the kernel's
// add_dest/del_dest/upd_dest hooks are, and asked to pick a destination for a new connection.
// schedule() returns nullptr when the kernel's would ("no destination available").
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual std::string_view name() const = 0;
    // Called after dest was linked into the list (ip_vs_add_dest -> __ip_vs_update_dest).
    virtual void addDest(Service&, Dest&) {}
    // Called after dest was unlinked (__ip_vs_unlink_dest -> sched->del_dest); dest.next still
    // points at its old successor, as list_del_rcu leaves it, so a scheduler that kept dest
    // as its position can step back with dest.next->prev (ip_vs_rr_del_dest does).
    virtual void delDest(Service&, Dest&) {}
    // Called after an existing destination's settings changed (ip_vs_edit_dest).
    virtual void updDest(Service&, Dest&) {}
    virtual Dest* schedule(Service& service, const PacketInfo& packet) = 0;
};

struct SchedulerContext {
    Clock clock;
    Random random;
    // Tests only: builds schedulers by name instead of makeScheduler (a fake behind the
    // Scheduler interface). Unset in the product.
    std::function<std::unique_ptr<Scheduler>(std::string_view, Service&)> factory;
};

// The scheduler of a name (rr wrr lc wlc sed nq fo ovf twos dh sh mh lblc lblcr), set up for
// a service as its init_service would; nullptr for an unknown name.
std::unique_ptr<Scheduler> makeScheduler(std::string_view name, Service& service,
                                         const SchedulerContext& context);

class Service {
public:
    std::uint32_t fwmark = 0;
    Protocol protocol = Protocol::Tcp;
    Ipv4 address;
    std::uint16_t port = 0;
    std::uint32_t flags = 0;        // kSvc* bits
    std::uint32_t timeout = 0;      // persistence timeout, seconds
    Ipv4 netmask{0xffffffffu};      // persistence granularity
    Stats stats;

    Service() = default;
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // The destination list, newest first (ip_vs_add_dest uses list_add_rcu at the head).
    ListNode& destinations() { return m_head; }
    bool isHead(const ListNode* node) const { return node == &m_head; }
    static Dest* dest(ListNode* node) { return static_cast<Dest*>(node); }
    // Calls f for each destination in list order.
    template <typename F>
    void forEachDest(F&& f)
    {
        for (ListNode* n = m_head.next; n != &m_head; n = n->next)
            f(*dest(n));
    }
    std::size_t destCount() const { return m_count; }

    // ip_vs_add_dest: a destination in the trash (same address and port) comes back with its
    // counters; either way __ip_vs_update_dest sets it up, links it at the head and tells the
    // scheduler (add_dest).
    Dest& addDest(const DestSettings& settings);
    // ip_vs_edit_dest -> __ip_vs_update_dest: new settings; the overload flag is cleared when
    // the new upper threshold is 0 or above the old one; the scheduler is told (upd_dest).
    void editDest(Dest& dest, const DestSettings& settings);
    Dest* findDest(Ipv4 address, std::uint16_t port);
    // A destination by its slot number, live or in the trash.
    Dest& destAt(std::uint32_t slot) { return *m_storage[slot]; }
    // ip_vs_del_dest: the destination is unlinked, kept in the trash for the connections that
    // still refer to it, and the scheduler is told (del_dest).
    void delDest(Dest& dest);
    Scheduler* scheduler() { return m_scheduler.get(); }
    // Installs a scheduler (ip_vs_bind_scheduler); the old one's state is dropped.
    void setScheduler(std::unique_ptr<Scheduler> scheduler) { m_scheduler = std::move(scheduler); }

private:
    ListNode m_head;
    std::size_t m_count = 0;
    std::vector<std::unique_ptr<Dest>> m_storage; // live and trashed destinations
    std::unique_ptr<Scheduler> m_scheduler;
};

} // namespace lvs::core::ipvs
