// Per-protocol connection states and timeouts of kernel IPVS as Linux 6.1 (Debian 12) has them:
// the TCP, UDP and SCTP state machines (net/netfilter/ipvs/ip_vs_proto_{tcp,udp,sctp}.c), their
// timeout tables, and what ipvsadm --set / -L --timeout change and show (ip_vs_ctl.c).
//
// All times are whole seconds; the kernel keeps jiffies (seconds * HZ), which for the whole
// seconds ipvsadm passes converts both ways without loss.
#pragma once

#include "core/ipvs/service.h"
#include "core/util/result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvs::core::ipvs {

// Connection flags the state machines read and write (include/uapi/linux/ip_vs.h). The values
// are the kernel's, so they share a flags word with kConnTemplate (conn_table.h).
inline constexpr std::uint16_t kConnNoOutput = 0x0080; // IP_VS_CONN_F_NOOUTPUT
inline constexpr std::uint16_t kConnInactive = 0x0100; // IP_VS_CONN_F_INACTIVE

// ip_vs_conn.c ip_vs_conn_new: a new entry has state 0 and 3 s to live until its first packet
// gives it its state's timeout.
inline constexpr std::uint32_t kNewConnTimeout = 3;

// CONFIG_HZ of Debian 12's kernel; only ip_vs_set_timeout's range check (INT_MAX / HZ) uses it.
inline constexpr int kHz = 250;

// ipvsadm.c MAX_TIMEOUT: the largest value --set accepts, 31 days.
inline constexpr int kMaxSetTimeout = 86400 * 31;

// The flags a new connection gets from its destination (ip_vs_ctl.c __ip_vs_update_dest): always
// INACTIVE (ip_vs_bind_dest counts it in inactconns), and NOOUTPUT for every method but NAT,
// since DR and TUN replies bypass the director. FULLNAT (not upstream) sees its replies like
// NAT, so it gets no NOOUTPUT.
std::uint16_t newConnFlags(ForwardMethod method);

// The direction of a packet for the state machines (IP_VS_DIR_*, include/net/ip_vs.h): Input is
// client to server (ip_vs_in), Output a reply the director sees (ip_vs_out). InputOnly is where
// set_tcp_state / set_sctp_state go by themselves for a NOOUTPUT connection.
enum class PacketDirection : std::uint8_t { Input = 0, Output = 1, InputOnly = 2 };

// ---- TCP (ip_vs_proto_tcp.c) ----

// IP_VS_TCP_S_* in the kernel's order, which the tables' columns follow.
enum class TcpState : std::uint8_t {
    None,
    Established,
    SynSent,
    SynRecv,
    FinWait,
    TimeWait,
    Close,
    CloseWait,
    LastAck,
    Listen,
    SynAck,
};
inline constexpr std::size_t kTcpStateCount = 11; // IP_VS_TCP_S_LAST

// The TCP header flag bits, as in the header's flags byte.
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;

// The rows of the tables, one per kind of packet.
enum class TcpEvent : std::uint8_t { Syn, Fin, Ack, Rst };

// tcp_states (Normal) or tcp_states_dos (Secure, which the secure_tcp defense sysctl selects
// through tcp_timeout_change).
enum class TcpTable : std::uint8_t { Normal, Secure };

// tcp_state_name_table: "NONE", "ESTABLISHED", ... as ipvsadm -c shows them.
std::string_view tcpStateName(TcpState state);
// tcp_state_idx: RST wins over SYN, SYN over FIN, FIN over ACK; nullopt when the packet has
// none of the four (set_tcp_state then moves the connection to CLOSE).
std::optional<TcpEvent> tcpEvent(std::uint8_t flags);
// One cell of the tables: the state after a packet of event in direction (already turned into
// InputOnly for a NOOUTPUT connection). No event means CLOSE, as in set_tcp_state.
TcpState tcpNextState(TcpState from, PacketDirection direction, std::optional<TcpEvent> event,
                      TcpTable table = TcpTable::Normal);
// tcp_state_active_table: whether a connection in this state counts in activeconns.
// ESTABLISHED, and since Linux 4.7 also SYN_SENT, SYN_RECV and SYNACK.
bool tcpStateActive(TcpState state);

// ---- UDP (ip_vs_proto_udp.c) ----

// IP_VS_UDP_S_NORMAL, the only state; udp_state_name_table calls it "UDP".
enum class UdpState : std::uint8_t { Normal };
std::string_view udpStateName(UdpState state);

// ---- SCTP (ip_vs_proto_sctp.c) ----

// IP_VS_SCTP_S_* in the kernel's order.
enum class SctpState : std::uint8_t {
    None,
    Init1,
    Init,
    CookieSent,
    CookieReplied,
    CookieWait,
    Cookie,
    CookieEchoed,
    Established,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
    Rejected,
    Closed,
};
inline constexpr std::size_t kSctpStateCount = 14; // IP_VS_SCTP_S_LAST

// enum ipvs_sctp_event_t: the rows of sctp_states.
enum class SctpEvent : std::uint8_t {
    Data, // DATA, SACK, HEARTBEAT(-ACK), ECNE, CWR and every unknown chunk type
    Init,
    InitAck,
    CookieEcho,
    CookieAck,
    Shutdown,
    ShutdownAck,
    ShutdownComplete,
    Error,
    Abort,
};

// SCTP chunk types (RFC 9260 section 3.2) that pick an event.
inline constexpr std::uint8_t kSctpData = 0;
inline constexpr std::uint8_t kSctpInit = 1;
inline constexpr std::uint8_t kSctpInitAck = 2;
inline constexpr std::uint8_t kSctpSack = 3;
inline constexpr std::uint8_t kSctpAbort = 6;
inline constexpr std::uint8_t kSctpShutdown = 7;
inline constexpr std::uint8_t kSctpShutdownAck = 8;
inline constexpr std::uint8_t kSctpError = 9;
inline constexpr std::uint8_t kSctpCookieEcho = 10;
inline constexpr std::uint8_t kSctpCookieAck = 11;
inline constexpr std::uint8_t kSctpShutdownComplete = 14;

// sctp_state_name_table: "NONE", "INIT1", "C-SENT", ...
std::string_view sctpStateName(SctpState state);
// set_sctp_state's choice of event: sctp_events[] for the first chunk's type (types past the
// table are DATA), except that a COOKIE ECHO or COOKIE ACK bundled with a following ABORT
// counts as the ABORT. nextChunk is the type of the chunk after the first, if any.
SctpEvent sctpEvent(std::uint8_t firstChunk, std::optional<std::uint8_t> nextChunk = {});
// One cell of sctp_states.
SctpState sctpNextState(SctpState from, PacketDirection direction, SctpEvent event);
// set_sctp_state counts only ESTABLISHED as active (SCTP has no active-state table).
bool sctpStateActive(SctpState state);

// ip_vs_state_name for a connection (not a template) of protocol: the protocol's name for the
// state, "ERR!" for a state number past its table.
std::string_view stateName(Protocol protocol, std::uint8_t state);

// ---- Timeouts ----

// The per-state timeout tables of one director (pd->timeout_table of each protocol, per network
// namespace), in seconds; default-constructed they hold tcp_timeouts, udp_timeouts and
// sctp_timeouts.
struct TimeoutTables {
    std::array<std::uint32_t, kTcpStateCount> tcp{2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
    std::uint32_t udp = 300;
    std::array<std::uint32_t, kSctpStateCount> sctp{2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61,
                                                    4, 61};

    std::uint32_t of(TcpState state) const { return tcp[static_cast<std::size_t>(state)]; }
    std::uint32_t of(SctpState state) const { return sctp[static_cast<std::size_t>(state)]; }
    bool operator==(const TimeoutTables&) const = default;
};

// What ipvsadm --set gives and -L --timeout shows (struct ip_vs_timeout_user), in seconds:
// tcp is the ESTABLISHED timeout, tcpFin the FIN_WAIT one (and no other), udp the UDP one.
struct Timeouts {
    int tcp = 900;
    int tcpFin = 120;
    int udp = 300;
    bool operator==(const Timeouts&) const = default;
};

// ip_vs_ctl.c ip_vs_set_timeout: each nonzero value replaces its table entry; 0 leaves it. A
// value below 0 or above INT_MAX / HZ fails with "Invalid argument" (EINVAL) and changes
// nothing, not even the valid values. SCTP's table is never touched.
Result<void> setTimeouts(TimeoutTables& tables, const Timeouts& values);
// __ip_vs_get_timeouts: the three entries --set writes.
Timeouts getTimeouts(const TimeoutTables& tables);
// ipvsadm list_timeout: "Timeout (tcp tcpfin udp): 900 120 300\n".
std::string formatTimeouts(const Timeouts& values);
// ipvsadm parse_timeout for one --set argument: a decimal from 0 to kMaxSetTimeout as strtol
// reads it (leading blanks and a sign allowed, nothing after the digits); otherwise the error
// "invalid timeout value `ARG' specified", on which ipvsadm exits with 2.
Result<int> parseTimeoutValue(std::string_view text);

// ---- One packet's effect on a connection ----

// The fields of a connection the state machines read and write: struct ip_vs_conn's state,
// flags and timeout (ConnEntry holds the same three). A new connection starts as ip_vs_conn_new
// leaves it, with newConnFlags() of its destination.
struct ProtoConnState {
    std::uint8_t state = 0;
    std::uint16_t flags = kConnInactive;
    std::uint32_t timeout = kNewConnTimeout;
    bool operator==(const ProtoConnState&) const = default;
};

// How a packet moves the connection between its destination's counters.
enum class CountChange : std::uint8_t {
    None,
    ToActive,   // inactconns -> activeconns, INACTIVE cleared
    ToInactive, // activeconns -> inactconns, INACTIVE set
};

// The outcome of one packet: the connection's new fields and the counter move.
struct StateTransition {
    ProtoConnState conn;
    CountChange count = CountChange::None;
};

// set_tcp_state for a packet with the TCP header flags `flags`: NOOUTPUT turns Input into
// InputOnly and is cleared by the first Output packet; the tables give the next state; only a
// change of state moves the counters, and only for a connection bound to a destination
// (bound); the timeout is always reset to the new state's, so a packet that keeps the state
// still refreshes it (and picks up a --set made since).
StateTransition tcpTransition(const ProtoConnState& conn, PacketDirection direction,
                              std::uint8_t flags, const TimeoutTables& timeouts, bool bound = true,
                              TcpTable table = TcpTable::Normal);
// udp_state_transition: the state stays NORMAL and the timeout is reset to the UDP one in both
// directions; the flags and counters never change, so a UDP connection counts in inactconns
// for all its life.
StateTransition udpTransition(const ProtoConnState& conn, PacketDirection direction,
                              const TimeoutTables& timeouts);
// set_sctp_state for a packet whose chunks gave event; NOOUTPUT and counters as for TCP, with
// only ESTABLISHED active.
StateTransition sctpTransition(const ProtoConnState& conn, PacketDirection direction,
                               SctpEvent event, const TimeoutTables& timeouts, bool bound = true);
// ip_vs_tcp_conn_listen (the FTP helper's data connections): LISTEN with its timeout; flags and
// counters untouched.
StateTransition tcpConnListen(const ProtoConnState& conn, const TimeoutTables& timeouts);

// Stores transition in conn and, when dest is given, moves the connection between dest's
// activeconns and inactconns as the kernel's atomic_inc/atomic_dec do. A caller that keeps the
// counters itself (Balancer::setActive) passes no dest and acts on transition.count.
void applyTransition(ProtoConnState& conn, const StateTransition& transition, Dest* dest = nullptr);

} // namespace lvs::core::ipvs
