// Per-protocol connection states and timeouts of kernel IPVS: the tables and the per-packet steps.
#include "core/ipvs/proto_state.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace lvs::core::ipvs {

namespace {

// ---- TCP tables (ip_vs_proto_tcp.c tcp_states, tcp_states_dos) ----
// One row per event, one column per current state in IP_VS_TCP_S_* order; the 4-row blocks are
// the directions Input, Output, InputOnly (tcp_state_off).
namespace tcp {
constexpr TcpState NO = TcpState::None;
constexpr TcpState ES = TcpState::Established;
constexpr TcpState SS = TcpState::SynSent;
constexpr TcpState SR = TcpState::SynRecv;
constexpr TcpState FW = TcpState::FinWait;
constexpr TcpState TW = TcpState::TimeWait;
constexpr TcpState CL = TcpState::Close;
constexpr TcpState CW = TcpState::CloseWait;
constexpr TcpState LA = TcpState::LastAck;
constexpr TcpState LI = TcpState::Listen;
constexpr TcpState SA = TcpState::SynAck;

using Row = std::array<TcpState, kTcpStateCount>;
using Block = std::array<Row, 4>; // syn, fin, ack, rst
using Table = std::array<Block, 3>;

//                        from: NONE ESTAB SYN_S SYN_R FIN_W TIME_W CLOSE CLOSE_W LAST_A LISTEN SYNACK
constexpr Table kNormal{{
    {{
        /* Input     syn */ Row{SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /*           fin */ Row{CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW},
        /*           ack */ Row{ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /*           rst */ Row{CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR},
    }},
    {{
        /* Output    syn */ Row{SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR},
        /*           fin */ Row{TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        /*           ack */ Row{ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        /*           rst */ Row{CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
    }},
    {{
        /* InputOnly syn */ Row{SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /*           fin */ Row{CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        /*           ack */ Row{ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /*           rst */ Row{CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    }},
}};

// The secure_tcp variant: a handshake is believed only once the server has answered, so an
// input ACK does not lead out of SYN_RECV and the director-only path passes through SYNACK.
constexpr Table kSecure{{
    {{
        /* Input     syn */ Row{SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA},
        /*           fin */ Row{CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA},
        /*           ack */ Row{ES, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA},
        /*           rst */ Row{CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    }},
    {{
        /* Output    syn */ Row{SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA},
        /*           fin */ Row{TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        /*           ack */ Row{ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        /*           rst */ Row{CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
    }},
    {{
        /* InputOnly syn */ Row{SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA},
        /*           fin */ Row{CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        /*           ack */ Row{ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /*           rst */ Row{CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    }},
}};

constexpr std::array<std::string_view, kTcpStateCount> kNames{
    "NONE",  "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "SYNACK",
};

// tcp_state_active_table (Linux 4.7 and later; before, set_tcp_state tested ESTABLISHED only).
constexpr std::array<bool, kTcpStateCount> kActive{
    false, true, true, true, false, false, false, false, false, false, true,
};
} // namespace tcp

// ---- SCTP tables (ip_vs_proto_sctp.c sctp_states) ----
// [direction][event][current state], events in ipvs_sctp_event_t order.
namespace sctp {
constexpr SctpState NO = SctpState::None;
constexpr SctpState I1 = SctpState::Init1;
constexpr SctpState IN = SctpState::Init;
constexpr SctpState CS = SctpState::CookieSent;
constexpr SctpState CR = SctpState::CookieReplied;
constexpr SctpState CW = SctpState::CookieWait;
constexpr SctpState CO = SctpState::Cookie;
constexpr SctpState CE = SctpState::CookieEchoed;
constexpr SctpState ES = SctpState::Established;
constexpr SctpState SS = SctpState::ShutdownSent;
constexpr SctpState SR = SctpState::ShutdownReceived;
constexpr SctpState SA = SctpState::ShutdownAckSent;
constexpr SctpState RJ = SctpState::Rejected;
constexpr SctpState CL = SctpState::Closed;

using Row = std::array<SctpState, kSctpStateCount>;
using Block = std::array<Row, 10>;

//                    from: NONE I1  INIT C-S C-R C-W COOK C-E EST S-S S-R S-A REJ CLOSED
constexpr std::array<Block, 3> kStates{{
    {{
        /* Input  DATA      */ Row{ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* INIT             */ Row{I1, IN, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, IN, IN},
        /* INIT ACK         */ Row{CW, CW, CW, CS, CR, CO, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ECHO      */ Row{CR, IN, IN, CR, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ACK       */ Row{ES, I1, IN, CS, CR, CW, CO, ES, ES, SS, SR, SA, RJ, CL},
        /* SHUTDOWN         */ Row{SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
        /* SHUTDOWN ACK     */ Row{CL, IN, IN, CS, CR, CW, CO, CE, ES, CL, SR, CL, RJ, CL},
        /* SHUTDOWN COMPL.  */ Row{CL, CL, CL, CS, CR, CW, CO, CE, ES, SS, SR, CL, RJ, CL},
        /* ERROR            */ Row{CL, I1, IN, CS, CR, CW, CO, CL, ES, SS, SR, SA, RJ, CL},
        /* ABORT            */ Row{CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
    }},
    {{
        /* Output DATA      */ Row{ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* INIT             */ Row{CW, CW, CW, CW, CW, CW, CW, CW, ES, CW, CW, CW, CW, CW},
        /* INIT ACK         */ Row{CS, CS, CS, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ECHO      */ Row{CE, CE, CE, CE, CE, CE, CE, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ACK       */ Row{ES, ES, ES, ES, ES, ES, ES, ES, ES, SS, SR, SA, RJ, CL},
        /* SHUTDOWN         */ Row{SS, SS, SS, SS, SS, SS, SS, SS, SS, SS, SR, SA, RJ, CL},
        /* SHUTDOWN ACK     */ Row{SA, SA, SA, SA, SA, CW, CO, CE, ES, SA, SA, SA, RJ, CL},
        /* SHUTDOWN COMPL.  */ Row{CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* ERROR            */ Row{CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* ABORT            */ Row{CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
    }},
    {{
        /* InputOnly DATA   */ Row{ES, I1, IN, CS, CR, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* INIT             */ Row{I1, IN, IN, IN, IN, IN, CO, CE, ES, SS, SR, SA, IN, IN},
        /* INIT ACK         */ Row{CE, CE, CE, CE, CE, CE, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ECHO      */ Row{ES, ES, ES, ES, ES, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* COOKIE ACK       */ Row{ES, I1, IN, ES, ES, CW, ES, ES, ES, SS, SR, SA, RJ, CL},
        /* SHUTDOWN         */ Row{SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
        /* SHUTDOWN ACK     */ Row{CL, IN, IN, CS, CR, CW, CO, CE, CL, CL, SR, CL, RJ, CL},
        /* SHUTDOWN COMPL.  */ Row{CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, CL, CL, RJ, CL},
        /* ERROR            */ Row{CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
        /* ABORT            */ Row{CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
    }},
}};

constexpr std::array<std::string_view, kSctpStateCount> kNames{
    "NONE",        "INIT1",  "INIT",       "C-SENT",     "C-REPLIED", "C-WAIT",   "COOKIE",
    "C-ECHOED",    "ESTABLISHED", "S-SENT", "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED",
};

// sctp_events[]: chunk types 0..14; anything past the table is DATA.
constexpr std::array<SctpEvent, 15> kEvents{
    SctpEvent::Data,        // 0 DATA
    SctpEvent::Init,        // 1 INIT
    SctpEvent::InitAck,     // 2 INIT ACK
    SctpEvent::Data,        // 3 SACK
    SctpEvent::Data,        // 4 HEARTBEAT
    SctpEvent::Data,        // 5 HEARTBEAT ACK
    SctpEvent::Abort,       // 6 ABORT
    SctpEvent::Shutdown,    // 7 SHUTDOWN
    SctpEvent::ShutdownAck, // 8 SHUTDOWN ACK
    SctpEvent::Error,       // 9 ERROR
    SctpEvent::CookieEcho,  // 10 COOKIE ECHO
    SctpEvent::CookieAck,   // 11 COOKIE ACK
    SctpEvent::Data,        // 12 ECNE
    SctpEvent::Data,        // 13 CWR
    SctpEvent::ShutdownComplete, // 14 SHUTDOWN COMPLETE
};
} // namespace sctp

std::size_t index(auto value) { return static_cast<std::size_t>(value); }

// The NOOUTPUT handling that opens set_tcp_state and set_sctp_state: a NOOUTPUT connection's
// input packets use the InputOnly rows; its first output packet clears the flag for good.
PacketDirection effectiveDirection(std::uint16_t& flags, PacketDirection direction)
{
    if (flags & kConnNoOutput) {
        if (direction == PacketDirection::Output)
            flags &= static_cast<std::uint16_t>(~kConnNoOutput);
        else
            direction = PacketDirection::InputOnly;
    }
    return direction;
}

// The counter bookkeeping of set_tcp_state / set_sctp_state once the state has changed.
CountChange countChange(std::uint16_t& flags, bool bound, bool nowActive)
{
    if (!bound)
        return CountChange::None;
    if (!(flags & kConnInactive) && !nowActive) {
        flags |= kConnInactive;
        return CountChange::ToInactive;
    }
    if ((flags & kConnInactive) && nowActive) {
        flags &= static_cast<std::uint16_t>(~kConnInactive);
        return CountChange::ToActive;
    }
    return CountChange::None;
}

} // namespace

std::uint16_t newConnFlags(ForwardMethod method)
{
    std::uint16_t flags = kConnInactive;
    if (method == ForwardMethod::Route || method == ForwardMethod::Tunnel)
        flags |= kConnNoOutput;
    return flags;
}

// ---- TCP ----

std::string_view tcpStateName(TcpState state)
{
    return index(state) < kTcpStateCount ? tcp::kNames[index(state)] : "ERR!";
}

std::optional<TcpEvent> tcpEvent(std::uint8_t flags)
{
    if (flags & kTcpRst)
        return TcpEvent::Rst;
    if (flags & kTcpSyn)
        return TcpEvent::Syn;
    if (flags & kTcpFin)
        return TcpEvent::Fin;
    if (flags & kTcpAck)
        return TcpEvent::Ack;
    return std::nullopt;
}

TcpState tcpNextState(TcpState from, PacketDirection direction, std::optional<TcpEvent> event,
                      TcpTable table)
{
    if (!event)
        return TcpState::Close;
    const tcp::Table& t = table == TcpTable::Secure ? tcp::kSecure : tcp::kNormal;
    return t[index(direction)][index(*event)][index(from)];
}

bool tcpStateActive(TcpState state)
{
    return index(state) < kTcpStateCount && tcp::kActive[index(state)];
}

// ---- UDP ----

std::string_view udpStateName(UdpState state)
{
    return state == UdpState::Normal ? "UDP" : "ERR!";
}

// ---- SCTP ----

std::string_view sctpStateName(SctpState state)
{
    return index(state) < kSctpStateCount ? sctp::kNames[index(state)] : "ERR!";
}

SctpEvent sctpEvent(std::uint8_t firstChunk, std::optional<std::uint8_t> nextChunk)
{
    std::uint8_t type = firstChunk;
    if ((type == kSctpCookieEcho || type == kSctpCookieAck) && nextChunk == kSctpAbort)
        type = kSctpAbort;
    return type < sctp::kEvents.size() ? sctp::kEvents[type] : SctpEvent::Data;
}

SctpState sctpNextState(SctpState from, PacketDirection direction, SctpEvent event)
{
    return sctp::kStates[index(direction)][index(event)][index(from)];
}

bool sctpStateActive(SctpState state)
{
    return state == SctpState::Established;
}

std::string_view stateName(Protocol protocol, std::uint8_t state)
{
    switch (protocol) {
    case Protocol::Tcp:
        return tcpStateName(static_cast<TcpState>(state));
    case Protocol::Udp:
        return udpStateName(static_cast<UdpState>(state));
    case Protocol::Sctp:
        return sctpStateName(static_cast<SctpState>(state));
    }
    return "ERR!";
}

// ---- Timeouts ----

Result<void> setTimeouts(TimeoutTables& tables, const Timeouts& values)
{
    const auto outOfRange = [](int v) { return v < 0 || v > INT_MAX / kHz; };
    // Every value is checked before any is stored, as ip_vs_set_timeout does.
    if (outOfRange(values.tcp) || outOfRange(values.tcpFin) || outOfRange(values.udp))
        return fail("Invalid argument");
    if (values.tcp)
        tables.tcp[index(TcpState::Established)] = static_cast<std::uint32_t>(values.tcp);
    if (values.tcpFin)
        tables.tcp[index(TcpState::FinWait)] = static_cast<std::uint32_t>(values.tcpFin);
    if (values.udp)
        tables.udp = static_cast<std::uint32_t>(values.udp);
    return {};
}

Timeouts getTimeouts(const TimeoutTables& tables)
{
    return Timeouts{static_cast<int>(tables.of(TcpState::Established)),
                    static_cast<int>(tables.of(TcpState::FinWait)),
                    static_cast<int>(tables.udp)};
}

std::string formatTimeouts(const Timeouts& values)
{
    return "Timeout (tcp tcpfin udp): " + std::to_string(values.tcp) + " " +
           std::to_string(values.tcpFin) + " " + std::to_string(values.udp) + "\n";
}

Result<int> parseTimeoutValue(std::string_view text)
{
    // string_to_number: strtol over the whole argument, then the range 0..MAX_TIMEOUT.
    const std::string s(text);
    errno = 0;
    char* end = nullptr;
    const long number = std::strtol(s.c_str(), &end, 10);
    if (*end == '\0' && end != s.c_str() && errno != ERANGE && number >= 0 &&
        number <= kMaxSetTimeout)
        return static_cast<int>(number);
    return fail("invalid timeout value `" + s + "' specified");
}

// ---- Per-packet steps ----

StateTransition tcpTransition(const ProtoConnState& conn, PacketDirection direction,
                              std::uint8_t flags, const TimeoutTables& timeouts, bool bound,
                              TcpTable table)
{
    StateTransition t{conn, CountChange::None};
    direction = effectiveDirection(t.conn.flags, direction);
    const auto from = static_cast<TcpState>(conn.state);
    const TcpState next = tcpNextState(from, direction, tcpEvent(flags), table);
    if (next != from)
        t.count = countChange(t.conn.flags, bound, tcpStateActive(next));
    t.conn.state = static_cast<std::uint8_t>(next);
    t.conn.timeout = timeouts.of(next);
    return t;
}

StateTransition udpTransition(const ProtoConnState& conn, PacketDirection /*direction*/,
                              const TimeoutTables& timeouts)
{
    StateTransition t{conn, CountChange::None};
    t.conn.timeout = timeouts.udp;
    return t;
}

StateTransition sctpTransition(const ProtoConnState& conn, PacketDirection direction,
                               SctpEvent event, const TimeoutTables& timeouts, bool bound)
{
    StateTransition t{conn, CountChange::None};
    direction = effectiveDirection(t.conn.flags, direction);
    const auto from = static_cast<SctpState>(conn.state);
    const SctpState next = sctpNextState(from, direction, event);
    if (next != from)
        t.count = countChange(t.conn.flags, bound, sctpStateActive(next));
    t.conn.state = static_cast<std::uint8_t>(next);
    t.conn.timeout = timeouts.of(next);
    return t;
}

StateTransition tcpConnListen(const ProtoConnState& conn, const TimeoutTables& timeouts)
{
    StateTransition t{conn, CountChange::None};
    t.conn.state = static_cast<std::uint8_t>(TcpState::Listen);
    t.conn.timeout = timeouts.of(TcpState::Listen);
    return t;
}

void applyTransition(ProtoConnState& conn, const StateTransition& transition, Dest* dest)
{
    conn = transition.conn;
    if (!dest)
        return;
    switch (transition.count) {
    case CountChange::None:
        break;
    case CountChange::ToActive:
        ++dest->activeConns;
        --dest->inactConns;
        break;
    case CountChange::ToInactive:
        --dest->activeConns;
        ++dest->inactConns;
        break;
    }
}

} // namespace lvs::core::ipvs
