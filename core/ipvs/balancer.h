// One virtual service at work: scheduling of new connections with persistence templates, and
// the accounting the kernel does around it (ip_vs_core.c ip_vs_schedule / ip_vs_sched_persist,
// ip_vs_conn.c ip_vs_bind_dest / ip_vs_unbind_dest / ip_vs_conn_expire). Connections and
// templates live in one ConnTable, as the kernel keeps both in ip_vs_conn_tab.
#pragma once

#include "core/ipvs/conn_table.h"
#include "core/ipvs/proto_state.h"
#include "core/ipvs/service.h"
#include "core/util/result.h"

#include <cstdint>
#include <optional>

namespace lvs::core::ipvs {

// IPVS_SVC_PERSISTENT_TIMEOUT (include/net/ip_vs.h): what a bare ipvsadm -p means.
inline constexpr std::uint32_t kPersistentTimeout = 6 * 60;
// ip_vs_conn_expire: a template that still controls connections when it expires is re-armed
// for 60 s, and keeps that timeout from then on.
inline constexpr std::uint32_t kTemplateRearm = 60;

// The settings of ipvsadm -A/-E.
struct ServiceSettings {
    std::uint32_t fwmark = 0;
    Protocol protocol = Protocol::Tcp;
    Ipv4 address;
    std::uint16_t port = 0;
    std::string scheduler = "wlc";
    std::uint32_t schedFlags = 0;             // kSvcSched* bits
    std::optional<std::uint32_t> persistence; // seconds
    Ipv4 netmask{0xffffffffu};
};

using ConnId = ConnIndex;

class Balancer {
public:
    // Sets up a service as ip_vs_add_service does; fails for an unknown scheduler ("Scheduler
    // or persistence engine not found", libipvs's message for ENOENT).
    // estimation: the director's (one per network namespace, with its total); the Balancer
    // keeps its own when none is given. It must outlive the Balancer.
    static Result<std::unique_ptr<Balancer>> create(const ServiceSettings& settings,
                                                    SchedulerContext context,
                                                    std::size_t expectedConnections = 1024,
                                                    Estimation* estimation = nullptr);

    Service& service() { return m_service; }
    const ConnTable& connections() const { return m_table; }
    // ip_vs_edit_service: new settings; a different scheduler is bound afresh (its state
    // starts over), the same one keeps its state.
    Result<void> edit(const ServiceSettings& settings);

    // ip_vs_add_dest / ip_vs_edit_dest / ip_vs_del_dest with the kernel's checks: the lower
    // threshold may not exceed the upper ("ERANGE"), a destination may not be added twice
    // ("Destination already exists") nor edited or deleted when absent ("No such destination").
    Result<void> addDest(const DestSettings& settings);
    Result<void> editDest(const DestSettings& settings);
    Result<void> delDest(Ipv4 address, std::uint16_t port);

    // A packet that starts a connection: ip_vs_schedule (ip_vs_sched_persist for a persistent
    // service). Returns the new connection, bound inactive to its destination, or nullopt when
    // the kernel would create none (no destination, or a non-persistent service asked on a port
    // it does not serve). The connection has no timer (kNever) until setExpiry gives it one.
    std::optional<ConnId> connect(const PacketInfo& packet);
    Dest* destOf(ConnId id);
    // TCP state changes: to ESTABLISHED (inactive -> active) and away from it (active ->
    // inactive), as ip_vs_tcp's set_state counts them. No threshold check here, as in the kernel.
    void setActive(ConnId id, bool active);
    // The connection a packet belongs to: from the client (ip_vs_conn_in_get, by <protocol,
    // caddr, cport, vaddr, vport>) or from the real server (ip_vs_conn_out_get, by <protocol,
    // rip, rport, peer, peer port>, the peer being the client or a FULLNAT local address).
    std::optional<ConnId> findIn(const PacketInfo& packet) const;
    std::optional<ConnId> findOut(Protocol protocol, Ipv4 rip, std::uint16_t rport, Ipv4 peer,
                                  std::uint16_t peerPort) const;
    // One TCP or UDP packet of a connection (ip_vs_set_state): the protocol's state machine
    // moves its state and the destination's active/inactive counters, and its timer restarts
    // with the new state's timeout (set_tcp_state, udp_state_transition).
    // The packet (len bytes, the whole IP packet) also counts in the destination's, the
    // service's and the total statistics (ip_vs_in_stats / ip_vs_out_stats).
    void packet(ConnId id, PacketDirection direction, std::uint8_t tcpFlags = 0, std::uint64_t len = 0);
    Estimation& estimation() { return *m_estimation; }
    // The per-state timeouts (ipvsadm --set changes them through setTimeouts).
    TimeoutTables& timeouts() { return m_timeouts; }
    // The connection's timer: it expires (and is unbound) at `expires` unless touched again.
    void setExpiry(ConnId id, std::uint32_t expires);
    // The connection's entry is destroyed: unbound from its destination (thresholds checked)
    // and from its persistence template.
    void close(ConnId id);
    // Moves the clock to now (seconds) and fires every timer that fell due, on time.
    void advanceTo(std::uint32_t now);
    std::uint32_t now() const { return m_now; }

private:
    Balancer(SchedulerContext context, std::size_t expected, Estimation* estimation)
        : m_estimation(estimation ? estimation : &m_ownEstimation), m_context(std::move(context)),
          m_table(expected)
    {
    }
    Result<void> apply(const ServiceSettings& settings, bool fresh);
    void bind(Dest& dest, bool isTemplate);
    void unbind(Dest& dest, bool isTemplate, bool wasActive);
    Dest* schedulePersistent(const PacketInfo& packet, ConnIndex& control);
    // A timer fired at entry.expires: the new expiry to keep it, or nullopt once it is gone.
    std::optional<std::uint32_t> expired(ConnIndex index);

    Estimation m_ownEstimation; // before m_service: the stats it lists go first
    Estimation* m_estimation;
    SchedulerContext m_context;
    Service m_service;
    std::string m_scheduler;
    std::uint32_t m_now = 0;
    ConnTable m_table;
    TimeoutTables m_timeouts;
};

} // namespace lvs::core::ipvs
