// Tests of the per-protocol connection states and timeouts: every cell of the kernel's TCP and
// SCTP tables (read off net/netfilter/ipvs/ip_vs_proto_{tcp,sctp}.c by hand and written here as
// state names), packet sequences whose states, timeouts and counters were worked out by hand
// from those tables, and ipvsadm --set / -L --timeout against ip_vs_ctl.c and ipvsadm.c.
#include <QtTest>

#include "core/ipvs/proto_state.h"

#include <span>

using namespace lvs::core;
using namespace lvs::core::ipvs;

namespace {

QString str(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString flagNames(std::uint16_t flags)
{
    QStringList names;
    if (flags & kConnInactive)
        names << "INACTIVE";
    if (flags & kConnNoOutput)
        names << "NOOUTPUT";
    return names.isEmpty() ? "-" : names.join('|');
}

ForwardMethod methodOf(const QString& name)
{
    if (name == "DR")
        return ForwardMethod::Route;
    if (name == "TUN")
        return ForwardMethod::Tunnel;
    if (name == "FULLNAT")
        return ForwardMethod::FullNat;
    return ForwardMethod::Masq;
}

PacketDirection directionOf(QChar c)
{
    if (c == 'o')
        return PacketDirection::Output;
    if (c == 'n')
        return PacketDirection::InputOnly;
    return PacketDirection::Input;
}

// TCP header flags from letters: S F A R P (PSH) U (URG); "-" for none.
std::uint8_t tcpFlagsOf(const QString& letters)
{
    std::uint8_t flags = 0;
    for (QChar c : letters) {
        switch (c.unicode()) {
        case 'S': flags |= kTcpSyn; break;
        case 'F': flags |= kTcpFin; break;
        case 'A': flags |= kTcpAck; break;
        case 'R': flags |= kTcpRst; break;
        case 'P': flags |= kTcpPsh; break;
        case 'U': flags |= 0x20; break;
        default: break;
        }
    }
    return flags;
}

std::uint8_t sctpChunkOf(const QString& name)
{
    static const QMap<QString, int> types{
        {"DATA", kSctpData},
        {"INIT", kSctpInit},
        {"INIT_ACK", kSctpInitAck},
        {"SACK", kSctpSack},
        {"ABORT", kSctpAbort},
        {"SHUTDOWN", kSctpShutdown},
        {"SHUTDOWN_ACK", kSctpShutdownAck},
        {"ERROR", kSctpError},
        {"COOKIE_ECHO", kSctpCookieEcho},
        {"COOKIE_ACK", kSctpCookieAck},
        {"SHUTDOWN_COMPLETE", kSctpShutdownComplete},
    };
    bool number = false;
    const int n = name.toInt(&number);
    if (number)
        return std::uint8_t(n);
    if (!types.contains(name))
        qFatal("unknown chunk %s", qPrintable(name));
    return std::uint8_t(types.value(name));
}

struct Outcome {
    QString trace;
    quint32 timeout = 0;
    quint32 active = 0;
    quint32 inact = 0;
    QString flags;
};

// Runs a script against one new connection of protocol to a destination of method. The
// connection starts as ip_vs_conn_new leaves it, already counted in the destination's inactconns
// by ip_vs_bind_dest (unless "unbound": no destination at all). Statements, space-separated:
//   i:X o:X n:X   a packet Input / Output / InputOnly; X is TCP flag letters (S F A R P U, "-"
//                 for none), SCTP chunk names (FIRST or FIRST+NEXT) or ignored for UDP
//   set:T/F/U     ipvsadm --set T F U
//   listen        ip_vs_tcp_conn_listen
// The trace has the state name after each packet (and after listen).
Outcome run(const QString& protocol, const QString& method, const QString& script,
            const QString& options)
{
    const bool secure = options.contains("secure");
    const bool bound = !options.contains("unbound");
    TimeoutTables timeouts;
    Dest dest;
    dest.inactConns = bound ? 1 : 0;
    ProtoConnState conn;
    conn.flags = newConnFlags(methodOf(method));
    const Protocol proto = protocol == "udp" ? Protocol::Udp
                           : protocol == "sctp" ? Protocol::Sctp
                                                : Protocol::Tcp;
    QStringList trace;
    for (const QString& statement : script.split(' ', Qt::SkipEmptyParts)) {
        if (statement.startsWith("set:")) {
            const QStringList v = statement.mid(4).split('/');
            if (!setTimeouts(timeouts, Timeouts{v[0].toInt(), v[1].toInt(), v[2].toInt()}))
                trace << "set-failed";
            continue;
        }
        StateTransition t;
        if (statement == "listen") {
            t = tcpConnListen(conn, timeouts);
        } else {
            const PacketDirection direction = directionOf(statement.at(0));
            const QString payload = statement.mid(2);
            if (proto == Protocol::Tcp) {
                t = tcpTransition(conn, direction, tcpFlagsOf(payload), timeouts, bound,
                                  secure ? TcpTable::Secure : TcpTable::Normal);
            } else if (proto == Protocol::Udp) {
                t = udpTransition(conn, direction, timeouts);
            } else {
                const QStringList chunks = payload.split('+');
                std::optional<std::uint8_t> next;
                if (chunks.size() > 1)
                    next = sctpChunkOf(chunks[1]);
                t = sctpTransition(conn, direction, sctpEvent(sctpChunkOf(chunks[0]), next),
                                   timeouts, bound);
            }
        }
        applyTransition(conn, t, bound ? &dest : nullptr);
        trace << str(stateName(proto, conn.state));
    }
    return Outcome{trace.join(' '), conn.timeout, dest.activeConns, dest.inactConns,
                   flagNames(conn.flags)};
}

void addScriptColumns()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("options");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("trace");
    QTest::addColumn<quint32>("timeout");
    QTest::addColumn<quint32>("active");
    QTest::addColumn<quint32>("inact");
    QTest::addColumn<QString>("flags");
}

void checkScript(const QString& protocol)
{
    QFETCH(QString, method);
    QFETCH(QString, options);
    QFETCH(QString, script);
    QFETCH(QString, trace);
    QFETCH(quint32, timeout);
    QFETCH(quint32, active);
    QFETCH(quint32, inact);
    QFETCH(QString, flags);
    const Outcome got = run(protocol, method, script, options);
    QCOMPARE(got.trace, trace);
    QCOMPARE(got.timeout, timeout);
    QCOMPARE(got.active, active);
    QCOMPARE(got.inact, inact);
    QCOMPARE(got.flags, flags);
}

// The kernel's tables as read off the source, one line per (direction, event), the next state
// for each current state in IP_VS_*_S_* order.
struct GridLine {
    const char* direction;
    const char* event;
    const char* next;
};

const GridLine kTcpStates[] = {
    {"INPUT", "syn", "SYN_RECV ESTABLISHED ESTABLISHED SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV"},
    {"INPUT", "fin", "CLOSE CLOSE_WAIT SYN_SENT TIME_WAIT TIME_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN TIME_WAIT"},
    {"INPUT", "ack", "ESTABLISHED ESTABLISHED SYN_SENT ESTABLISHED FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT CLOSE LISTEN ESTABLISHED"},
    {"INPUT", "rst", "CLOSE CLOSE CLOSE SYN_RECV CLOSE CLOSE CLOSE CLOSE LAST_ACK LISTEN SYN_RECV"},
    {"OUTPUT", "syn", "SYN_SENT ESTABLISHED SYN_SENT SYN_RECV SYN_SENT SYN_SENT SYN_SENT SYN_SENT SYN_SENT LISTEN SYN_RECV"},
    {"OUTPUT", "fin", "TIME_WAIT FIN_WAIT SYN_SENT TIME_WAIT FIN_WAIT TIME_WAIT CLOSE TIME_WAIT LAST_ACK LISTEN TIME_WAIT"},
    {"OUTPUT", "ack", "ESTABLISHED ESTABLISHED SYN_SENT ESTABLISHED FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK ESTABLISHED ESTABLISHED"},
    {"OUTPUT", "rst", "CLOSE CLOSE SYN_SENT CLOSE CLOSE TIME_WAIT CLOSE CLOSE CLOSE CLOSE CLOSE"},
    {"INPUT-ONLY", "syn", "SYN_RECV ESTABLISHED ESTABLISHED SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV"},
    {"INPUT-ONLY", "fin", "CLOSE FIN_WAIT SYN_SENT TIME_WAIT FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN TIME_WAIT"},
    {"INPUT-ONLY", "ack", "ESTABLISHED ESTABLISHED SYN_SENT ESTABLISHED FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT CLOSE LISTEN ESTABLISHED"},
    {"INPUT-ONLY", "rst", "CLOSE CLOSE CLOSE SYN_RECV CLOSE CLOSE CLOSE CLOSE LAST_ACK LISTEN CLOSE"},
};

const GridLine kTcpStatesDos[] = {
    {"INPUT", "syn", "SYN_RECV ESTABLISHED ESTABLISHED SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYN_RECV SYNACK"},
    {"INPUT", "fin", "CLOSE CLOSE_WAIT SYN_SENT TIME_WAIT TIME_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN SYNACK"},
    {"INPUT", "ack", "ESTABLISHED ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT CLOSE LISTEN SYNACK"},
    {"INPUT", "rst", "CLOSE CLOSE CLOSE SYN_RECV CLOSE CLOSE CLOSE CLOSE LAST_ACK LISTEN CLOSE"},
    {"OUTPUT", "syn", "SYN_SENT ESTABLISHED SYN_SENT SYNACK SYN_SENT SYN_SENT SYN_SENT SYN_SENT SYN_SENT LISTEN SYNACK"},
    {"OUTPUT", "fin", "TIME_WAIT FIN_WAIT SYN_SENT TIME_WAIT FIN_WAIT TIME_WAIT CLOSE TIME_WAIT LAST_ACK LISTEN TIME_WAIT"},
    {"OUTPUT", "ack", "ESTABLISHED ESTABLISHED SYN_SENT ESTABLISHED FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK ESTABLISHED ESTABLISHED"},
    {"OUTPUT", "rst", "CLOSE CLOSE SYN_SENT CLOSE CLOSE TIME_WAIT CLOSE CLOSE CLOSE CLOSE CLOSE"},
    {"INPUT-ONLY", "syn", "SYNACK ESTABLISHED ESTABLISHED SYN_RECV SYNACK SYNACK SYNACK SYNACK SYNACK SYNACK SYNACK"},
    {"INPUT-ONLY", "fin", "CLOSE FIN_WAIT SYN_SENT TIME_WAIT FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN TIME_WAIT"},
    {"INPUT-ONLY", "ack", "ESTABLISHED ESTABLISHED SYN_SENT ESTABLISHED FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT CLOSE LISTEN ESTABLISHED"},
    {"INPUT-ONLY", "rst", "CLOSE CLOSE CLOSE SYN_RECV CLOSE CLOSE CLOSE CLOSE LAST_ACK LISTEN CLOSE"},
};

const GridLine kSctpStates[] = {
    {"INPUT", "DATA", "ESTABLISHED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "INIT", "INIT1 INIT INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT INIT INIT"},
    {"INPUT", "INIT_ACK", "C-WAIT C-WAIT C-WAIT C-SENT C-REPLIED COOKIE COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "COOKIE_ECHO", "C-REPLIED INIT INIT C-REPLIED C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "COOKIE_ACK", "ESTABLISHED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE ESTABLISHED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "SHUTDOWN", "S-RECEIVED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED S-RECEIVED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "SHUTDOWN_ACK", "CLOSED INIT INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED CLOSED S-RECEIVED CLOSED REJECTED CLOSED"},
    {"INPUT", "SHUTDOWN_COMPLETE", "CLOSED CLOSED CLOSED C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED CLOSED REJECTED CLOSED"},
    {"INPUT", "ERROR", "CLOSED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE CLOSED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT", "ABORT", "CLOSED CLOSED CLOSED CLOSED CLOSED REJECTED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED"},
    {"OUTPUT", "DATA", "ESTABLISHED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "INIT", "C-WAIT C-WAIT C-WAIT C-WAIT C-WAIT C-WAIT C-WAIT C-WAIT ESTABLISHED C-WAIT C-WAIT C-WAIT C-WAIT C-WAIT"},
    {"OUTPUT", "INIT_ACK", "C-SENT C-SENT C-SENT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "COOKIE_ECHO", "C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "COOKIE_ACK", "ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "SHUTDOWN", "S-SENT S-SENT S-SENT S-SENT S-SENT S-SENT S-SENT S-SENT S-SENT S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "SHUTDOWN_ACK", "S-ACK-SENT S-ACK-SENT S-ACK-SENT S-ACK-SENT S-ACK-SENT C-WAIT COOKIE C-ECHOED ESTABLISHED S-ACK-SENT S-ACK-SENT S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "SHUTDOWN_COMPLETE", "CLOSED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "ERROR", "CLOSED CLOSED CLOSED CLOSED CLOSED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"OUTPUT", "ABORT", "CLOSED REJECTED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED"},
    {"INPUT-ONLY", "DATA", "ESTABLISHED INIT1 INIT C-SENT C-REPLIED ESTABLISHED COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "INIT", "INIT1 INIT INIT INIT INIT INIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT INIT INIT"},
    {"INPUT-ONLY", "INIT_ACK", "C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED C-ECHOED COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "COOKIE_ECHO", "ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "COOKIE_ACK", "ESTABLISHED INIT1 INIT ESTABLISHED ESTABLISHED C-WAIT ESTABLISHED ESTABLISHED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "SHUTDOWN", "S-RECEIVED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED S-RECEIVED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "SHUTDOWN_ACK", "CLOSED INIT INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED CLOSED CLOSED S-RECEIVED CLOSED REJECTED CLOSED"},
    {"INPUT-ONLY", "SHUTDOWN_COMPLETE", "CLOSED CLOSED CLOSED CLOSED CLOSED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT CLOSED CLOSED REJECTED CLOSED"},
    {"INPUT-ONLY", "ERROR", "CLOSED INIT1 INIT C-SENT C-REPLIED C-WAIT COOKIE C-ECHOED ESTABLISHED S-SENT S-RECEIVED S-ACK-SENT REJECTED CLOSED"},
    {"INPUT-ONLY", "ABORT", "CLOSED CLOSED CLOSED CLOSED CLOSED REJECTED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED"},
};

PacketDirection gridDirection(const QString& name)
{
    return name == "OUTPUT" ? PacketDirection::Output
           : name == "INPUT" ? PacketDirection::Input
                             : PacketDirection::InputOnly;
}

const QStringList kTcpEvents{"syn", "fin", "ack", "rst"};
const QStringList kSctpEvents{"DATA",     "INIT",         "INIT_ACK",          "COOKIE_ECHO",
                              "COOKIE_ACK", "SHUTDOWN",   "SHUTDOWN_ACK",      "SHUTDOWN_COMPLETE",
                              "ERROR",    "ABORT"};

} // namespace

class TestProtoState : public QObject {
    Q_OBJECT

private slots:
    // tcp_state_name_table, and tcp_state_name's "ERR!" past IP_VS_TCP_S_LAST.
    void tcpStateNames_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        const char* names[] = {"NONE",  "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
                               "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "SYNACK"};
        for (int s = 0; s < 11; ++s)
            QTest::addRow("tcp_state_name_table[%d]", s) << s << names[s];
        QTest::addRow("tcp_state_name: 11 (IP_VS_TCP_S_LAST) is ERR!") << 11 << "ERR!";
    }
    void tcpStateNames()
    {
        QFETCH(int, state);
        QFETCH(QString, name);
        QCOMPARE(str(tcpStateName(static_cast<TcpState>(state))), name);
    }

    // tcp_state_idx: which row of the tables a packet's flags select.
    void tcpEventPriority_data()
    {
        QTest::addColumn<QString>("flags");
        QTest::addColumn<QString>("event");
        QTest::newRow("tcp_state_idx: SYN") << "S" << "syn";
        QTest::newRow("tcp_state_idx: SYN+ACK is syn") << "SA" << "syn";
        QTest::newRow("tcp_state_idx: FIN+ACK is fin") << "FA" << "fin";
        QTest::newRow("tcp_state_idx: ACK") << "A" << "ack";
        QTest::newRow("tcp_state_idx: PSH+ACK is ack") << "PA" << "ack";
        QTest::newRow("tcp_state_idx: RST") << "R" << "rst";
        QTest::newRow("tcp_state_idx: RST+ACK is rst") << "RA" << "rst";
        QTest::newRow("tcp_state_idx: RST outranks SYN") << "SR" << "rst";
        QTest::newRow("tcp_state_idx: SYN outranks FIN") << "SF" << "syn";
        QTest::newRow("tcp_state_idx: RST outranks FIN") << "FR" << "rst";
        QTest::newRow("tcp_state_idx: no flags is -1") << "-" << "none";
        QTest::newRow("tcp_state_idx: PSH+URG alone is -1") << "PU" << "none";
    }
    void tcpEventPriority()
    {
        QFETCH(QString, flags);
        QFETCH(QString, event);
        const std::optional<TcpEvent> e = tcpEvent(tcpFlagsOf(flags));
        QCOMPARE(e ? kTcpEvents.at(int(*e)) : QString("none"), event);
    }

    // Every cell of tcp_states and tcp_states_dos.
    void tcpTables_data()
    {
        QTest::addColumn<bool>("secure");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<QString>("event");
        QTest::addColumn<int>("from");
        QTest::addColumn<QString>("next");
        for (bool secure : {false, true}) {
            for (const GridLine& line : secure ? std::span(kTcpStatesDos) : std::span(kTcpStates)) {
                const QStringList next = QString(line.next).split(' ');
                if (next.size() != 11)
                    qFatal("grid line %s %s has %d cells", line.direction, line.event, int(next.size()));
                for (int from = 0; from < 11; ++from)
                    QTest::addRow("%s %s %s from %s", secure ? "tcp_states_dos" : "tcp_states",
                                  line.direction, line.event,
                                  tcpStateName(static_cast<TcpState>(from)).data())
                        << secure << line.direction << line.event << from << next[from];
            }
        }
    }
    void tcpTables()
    {
        QFETCH(bool, secure);
        QFETCH(QString, direction);
        QFETCH(QString, event);
        QFETCH(int, from);
        QFETCH(QString, next);
        const TcpState got = tcpNextState(static_cast<TcpState>(from), gridDirection(direction),
                                          static_cast<TcpEvent>(kTcpEvents.indexOf(event)),
                                          secure ? TcpTable::Secure : TcpTable::Normal);
        QCOMPARE(str(tcpStateName(got)), next);
    }

    // tcp_state_active_table: what set_tcp_state counts in activeconns.
    void tcpActive_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("active");
        const bool active[] = {false, true, true, true, false, false, false, false, false, false, true};
        for (int s = 0; s < 11; ++s)
            QTest::addRow("tcp_state_active_table[%s]", tcpStateName(static_cast<TcpState>(s)).data())
                << s << active[s];
    }
    void tcpActive()
    {
        QFETCH(int, state);
        QFETCH(bool, active);
        QCOMPARE(tcpStateActive(static_cast<TcpState>(state)), active);
    }

    // tcp_timeouts, and that set_tcp_state gives each state its entry (through a table cell
    // that leads there from NONE or ESTABLISHED).
    void tcpTimeouts_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<quint32>("seconds");
        const quint32 seconds[] = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
        for (int s = 0; s < 11; ++s)
            QTest::addRow("tcp_timeouts[%s]", tcpStateName(static_cast<TcpState>(s)).data())
                << s << seconds[s];
    }
    void tcpTimeouts()
    {
        QFETCH(int, state);
        QFETCH(quint32, seconds);
        const TimeoutTables tables;
        QCOMPARE(tables.of(static_cast<TcpState>(state)), seconds);
        // A connection already in the state that gets a packet keeping it there (LISTEN stays
        // under an input ACK, LAST_ACK under an input FIN, ...) has the entry as its timeout.
        ProtoConnState conn{std::uint8_t(state), kConnInactive, 0};
        for (std::uint8_t flags : {kTcpSyn, kTcpFin, kTcpAck, kTcpRst}) {
            for (PacketDirection d : {PacketDirection::Input, PacketDirection::Output}) {
                const StateTransition t = tcpTransition(conn, d, flags, tables);
                if (t.conn.state == state)
                    QCOMPARE(t.conn.timeout, seconds);
            }
        }
    }

    // Packet sequences through set_tcp_state. NAT connections see both directions; DR and TUN
    // connections carry NOOUTPUT and use the INPUT-ONLY rows.
    void tcpSequences_data()
    {
        addScriptColumns();
        QTest::newRow("set_tcp_state NAT handshake: SYN in -> SYN_RECV (active), SYN+ACK out, ACK in -> ESTABLISHED")
            << "NAT" << "" << "i:S o:SA i:A"
            << "SYN_RECV SYN_RECV ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("set_tcp_state NAT client closes: FIN in -> CLOSE_WAIT, server FIN out -> TIME_WAIT")
            << "NAT" << "" << "i:S o:SA i:A i:FA o:A o:FA i:A"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE_WAIT CLOSE_WAIT TIME_WAIT TIME_WAIT"
            << 120u << 0u << 1u << "INACTIVE";
        QTest::newRow("set_tcp_state NAT server closes: FIN out -> FIN_WAIT, client FIN in -> TIME_WAIT")
            << "NAT" << "" << "i:S o:SA i:A o:FA i:A i:FA o:A"
            << "SYN_RECV SYN_RECV ESTABLISHED FIN_WAIT FIN_WAIT TIME_WAIT TIME_WAIT"
            << 120u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states INPUT-ONLY DR: handshake, data and close seen from the client only")
            << "DR" << "" << "i:S i:A i:PA i:FA i:A"
            << "SYN_RECV ESTABLISHED ESTABLISHED FIN_WAIT FIN_WAIT" << 120u << 0u << 1u
            << "INACTIVE|NOOUTPUT";
        QTest::newRow("tcp_states INPUT-ONLY TUN handshake")
            << "TUN" << "" << "i:S i:A" << "SYN_RECV ESTABLISHED" << 900u << 1u << 0u << "NOOUTPUT";
        QTest::newRow("tcp_states INPUT-ONLY given as the direction itself (IP_VS_DIR_INPUT_ONLY)")
            << "NAT" << "" << "n:S n:A n:FA" << "SYN_RECV ESTABLISHED FIN_WAIT" << 120u << 0u
            << 1u << "INACTIVE";
        QTest::newRow("set_tcp_state DR: an output packet clears NOOUTPUT, input rows from then on")
            << "DR" << "" << "i:S o:SA i:A i:FA"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE_WAIT" << 60u << 0u << 1u << "INACTIVE";
        QTest::newRow("set_tcp_state FULLNAT has no NOOUTPUT: input rows")
            << "FULLNAT" << "" << "i:S i:A i:FA" << "SYN_RECV ESTABLISHED CLOSE_WAIT" << 60u
            << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states INPUT rst: a client RST closes ESTABLISHED")
            << "NAT" << "" << "i:S o:SA i:A i:RA"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states OUTPUT rst: a server RST closes ESTABLISHED")
            << "NAT" << "" << "i:S o:SA i:A o:R"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states OUTPUT rst: the server refuses the SYN")
            << "NAT" << "" << "i:S o:RA" << "SYN_RECV CLOSE" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states INPUT rst: a client RST in SYN_RECV leaves it there")
            << "NAT" << "" << "i:S i:R" << "SYN_RECV SYN_RECV" << 60u << 1u << 0u << "-";
        QTest::newRow("tcp_states INPUT-ONLY rst: a DR client RST closes ESTABLISHED")
            << "DR" << "" << "i:S i:A i:R" << "SYN_RECV ESTABLISHED CLOSE" << 10u << 0u << 1u
            << "INACTIVE|NOOUTPUT";
        QTest::newRow("tcp_states INPUT-ONLY rst: a DR client RST in SYN_RECV leaves it there")
            << "DR" << "" << "i:S i:R" << "SYN_RECV SYN_RECV" << 60u << 1u << 0u << "NOOUTPUT";
        QTest::newRow("tcp_state_idx: SYN+RST in ESTABLISHED is a RST")
            << "NAT" << "" << "i:S o:SA i:A i:SR"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_state_idx: SYN+FIN from NONE is a SYN")
            << "NAT" << "" << "i:SF" << "SYN_RECV" << 60u << 1u << 0u << "-";
        QTest::newRow("set_tcp_state: a packet without SYN/FIN/ACK/RST moves ESTABLISHED to CLOSE")
            << "NAT" << "" << "i:S o:SA i:A i:P"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("tcp_states INPUT ack from NONE: picked up mid-stream -> ESTABLISHED")
            << "NAT" << "" << "i:A" << "ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("tcp_states OUTPUT syn from NONE: opened by the server -> SYN_SENT")
            << "NAT" << "" << "o:S i:SA o:A" << "SYN_SENT ESTABLISHED ESTABLISHED" << 900u
            << 1u << 0u << "-";
        QTest::newRow("tcp_states INPUT syn in TIME_WAIT: port reuse goes back to SYN_RECV")
            << "NAT" << "" << "i:S o:SA i:A i:FA o:FA i:A i:S"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE_WAIT TIME_WAIT TIME_WAIT SYN_RECV" << 60u
            << 1u << 0u << "-";
        QTest::newRow("ip_vs_tcp_conn_listen, then a passive FTP data handshake")
            << "NAT" << "" << "listen i:S o:SA i:A"
            << "LISTEN SYN_RECV SYN_RECV ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("tcp_states_dos NAT: a client ACK alone does not establish; the server's ACK does")
            << "NAT" << "secure" << "i:S i:A o:SA i:A o:A"
            << "SYN_RECV SYN_RECV SYNACK SYNACK ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("tcp_states_dos INPUT-ONLY DR: SYN -> SYNACK (active), ACK -> ESTABLISHED")
            << "DR" << "secure" << "i:S i:A" << "SYNACK ESTABLISHED" << 900u << 1u << 0u
            << "NOOUTPUT";
        QTest::newRow("set_tcp_state without a destination: INACTIVE stays, no counter moves")
            << "NAT" << "unbound" << "i:S o:SA i:A" << "SYN_RECV SYN_RECV ESTABLISHED" << 900u
            << 0u << 0u << "INACTIVE";
        QTest::newRow("ip_vs_conn_new: 3 s and NONE before the first packet")
            << "NAT" << "" << "" << "" << 3u << 0u << 1u << "INACTIVE";
        QTest::newRow("ip_vs_set_timeout, then set_tcp_state: a packet that keeps ESTABLISHED picks up --set tcp")
            << "NAT" << "" << "i:S o:SA i:A set:60/0/0 o:A"
            << "SYN_RECV SYN_RECV ESTABLISHED ESTABLISHED" << 60u << 1u << 0u << "-";
        QTest::newRow("ip_vs_set_timeout, then set_tcp_state: the timeout already running is kept until the next packet")
            << "NAT" << "" << "i:S o:SA i:A set:60/0/0"
            << "SYN_RECV SYN_RECV ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("ip_vs_set_timeout tcpfin is FIN_WAIT only: a NAT client close keeps CLOSE_WAIT's 60")
            << "NAT" << "" << "set:0/30/0 i:S o:SA i:A i:FA"
            << "SYN_RECV SYN_RECV ESTABLISHED CLOSE_WAIT" << 60u << 0u << 1u << "INACTIVE";
        QTest::newRow("ip_vs_set_timeout tcpfin: a NAT server close gets FIN_WAIT's 30")
            << "NAT" << "" << "set:0/30/0 i:S o:SA i:A o:FA"
            << "SYN_RECV SYN_RECV ESTABLISHED FIN_WAIT" << 30u << 0u << 1u << "INACTIVE";
        QTest::newRow("ip_vs_set_timeout tcpfin: TIME_WAIT keeps its 120")
            << "NAT" << "" << "set:0/30/0 i:S o:SA i:A o:FA i:FA"
            << "SYN_RECV SYN_RECV ESTABLISHED FIN_WAIT TIME_WAIT" << 120u << 0u << 1u
            << "INACTIVE";
        QTest::newRow("ip_vs_set_timeout tcpfin: a DR client close gets FIN_WAIT's 30")
            << "DR" << "" << "set:0/30/0 i:S i:A i:FA" << "SYN_RECV ESTABLISHED FIN_WAIT" << 30u
            << 0u << 1u << "INACTIVE|NOOUTPUT";
    }
    void tcpSequences() { checkScript("tcp"); }

    // udp_state_transition and udp_timeouts.
    void udpSequences_data()
    {
        addScriptColumns();
        QTest::newRow("udp_state_transition: first packet in -> UDP, 300 s")
            << "NAT" << "" << "i:" << "UDP" << 300u << 0u << 1u << "INACTIVE";
        QTest::newRow("udp_state_transition: replies out reset it too")
            << "NAT" << "" << "i: o: i:" << "UDP UDP UDP" << 300u << 0u << 1u << "INACTIVE";
        QTest::newRow("udp_state_transition after ip_vs_set_timeout udp 10")
            << "NAT" << "" << "i: set:0/0/10 o:" << "UDP UDP" << 10u << 0u << 1u << "INACTIVE";
        QTest::newRow("ip_vs_set_timeout tcp and tcpfin leave udp_timeouts")
            << "NAT" << "" << "set:60/30/0 i:" << "UDP" << 300u << 0u << 1u << "INACTIVE";
        QTest::newRow("udp_state_transition ignores NOOUTPUT: a DR reply does not clear it")
            << "DR" << "" << "i: o:" << "UDP UDP" << 300u << 0u << 1u << "INACTIVE|NOOUTPUT";
    }
    void udpSequences() { checkScript("udp"); }

    // udp_state_name_table, sctp_state_name_table and ip_vs_state_name's "ERR!".
    void stateNames_data()
    {
        QTest::addColumn<int>("protocol");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("tcp_state_name_table[NONE]") << int(Protocol::Tcp) << 0 << "NONE";
        QTest::newRow("tcp_state_name 11 is ERR!") << int(Protocol::Tcp) << 11 << "ERR!";
        QTest::newRow("udp_state_name_table[NORMAL]") << int(Protocol::Udp) << 0 << "UDP";
        QTest::newRow("udp_state_name 1 is ERR!") << int(Protocol::Udp) << 1 << "ERR!";
        const char* sctp[] = {"NONE",     "INIT1",       "INIT",   "C-SENT",     "C-REPLIED",
                              "C-WAIT",   "COOKIE",      "C-ECHOED", "ESTABLISHED", "S-SENT",
                              "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED"};
        for (int s = 0; s < 14; ++s)
            QTest::addRow("sctp_state_name_table[%d]", s) << int(Protocol::Sctp) << s << sctp[s];
        QTest::newRow("sctp_state_name 14 is ERR!") << int(Protocol::Sctp) << 14 << "ERR!";
    }
    void stateNames()
    {
        QFETCH(int, protocol);
        QFETCH(int, state);
        QFETCH(QString, name);
        QCOMPARE(str(stateName(static_cast<Protocol>(protocol), std::uint8_t(state))), name);
    }

    // sctp_events[] and set_sctp_state's look past a COOKIE ECHO / COOKIE ACK for an ABORT.
    void sctpEvents_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("next");
        QTest::addColumn<QString>("event");
        QTest::newRow("sctp_events[DATA]") << 0 << -1 << "DATA";
        QTest::newRow("sctp_events[INIT]") << 1 << -1 << "INIT";
        QTest::newRow("sctp_events[INIT_ACK]") << 2 << -1 << "INIT_ACK";
        QTest::newRow("sctp_events[SACK] is DATA") << 3 << -1 << "DATA";
        QTest::newRow("sctp_events[HEARTBEAT] is DATA") << 4 << -1 << "DATA";
        QTest::newRow("sctp_events[HEARTBEAT_ACK] is DATA") << 5 << -1 << "DATA";
        QTest::newRow("sctp_events[ABORT]") << 6 << -1 << "ABORT";
        QTest::newRow("sctp_events[SHUTDOWN]") << 7 << -1 << "SHUTDOWN";
        QTest::newRow("sctp_events[SHUTDOWN_ACK]") << 8 << -1 << "SHUTDOWN_ACK";
        QTest::newRow("sctp_events[ERROR]") << 9 << -1 << "ERROR";
        QTest::newRow("sctp_events[COOKIE_ECHO]") << 10 << -1 << "COOKIE_ECHO";
        QTest::newRow("sctp_events[COOKIE_ACK]") << 11 << -1 << "COOKIE_ACK";
        QTest::newRow("sctp_events[ECN_ECNE] is DATA") << 12 << -1 << "DATA";
        QTest::newRow("sctp_events[ECN_CWR] is DATA") << 13 << -1 << "DATA";
        QTest::newRow("sctp_events[SHUTDOWN_COMPLETE]") << 14 << -1 << "SHUTDOWN_COMPLETE";
        QTest::newRow("set_sctp_state: type 15, past sctp_events, is DATA") << 15 << -1 << "DATA";
        QTest::newRow("set_sctp_state: I-DATA (64) is DATA") << 64 << -1 << "DATA";
        QTest::newRow("set_sctp_state: RE-CONFIG (130) is DATA") << 130 << -1 << "DATA";
        QTest::newRow("set_sctp_state: COOKIE ECHO bundled before ABORT is ABORT") << 10 << 6 << "ABORT";
        QTest::newRow("set_sctp_state: COOKIE ACK bundled before ABORT is ABORT") << 11 << 6 << "ABORT";
        QTest::newRow("set_sctp_state: COOKIE ECHO bundled before DATA stays COOKIE_ECHO") << 10 << 0 << "COOKIE_ECHO";
        QTest::newRow("set_sctp_state: only cookie chunks look ahead (SHUTDOWN before ABORT)") << 7 << 6 << "SHUTDOWN";
    }
    void sctpEvents()
    {
        QFETCH(int, chunk);
        QFETCH(int, next);
        QFETCH(QString, event);
        std::optional<std::uint8_t> n;
        if (next >= 0)
            n = std::uint8_t(next);
        QCOMPARE(kSctpEvents.at(int(sctpEvent(std::uint8_t(chunk), n))), event);
    }

    // Every cell of sctp_states.
    void sctpTable_data()
    {
        QTest::addColumn<QString>("direction");
        QTest::addColumn<QString>("event");
        QTest::addColumn<int>("from");
        QTest::addColumn<QString>("next");
        for (const GridLine& line : kSctpStates) {
            const QStringList next = QString(line.next).split(' ');
            if (next.size() != 14)
                qFatal("grid line %s %s has %d cells", line.direction, line.event, int(next.size()));
            for (int from = 0; from < 14; ++from)
                QTest::addRow("sctp_states %s %s from %s", line.direction, line.event,
                              sctpStateName(static_cast<SctpState>(from)).data())
                    << line.direction << line.event << from << next[from];
        }
    }
    void sctpTable()
    {
        QFETCH(QString, direction);
        QFETCH(QString, event);
        QFETCH(int, from);
        QFETCH(QString, next);
        const SctpState got = sctpNextState(static_cast<SctpState>(from), gridDirection(direction),
                                            static_cast<SctpEvent>(kSctpEvents.indexOf(event)));
        QCOMPARE(str(sctpStateName(got)), next);
    }

    // set_sctp_state: only IP_VS_SCTP_S_ESTABLISHED leaves IP_VS_CONN_F_INACTIVE clear.
    void sctpActive_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("active");
        for (int s = 0; s < 14; ++s)
            QTest::addRow("set_sctp_state active[%s]", sctpStateName(static_cast<SctpState>(s)).data())
                << s << (s == int(SctpState::Established));
    }
    void sctpActive()
    {
        QFETCH(int, state);
        QFETCH(bool, active);
        QCOMPARE(sctpStateActive(static_cast<SctpState>(state)), active);
    }

    // sctp_timeouts.
    void sctpTimeouts_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<quint32>("seconds");
        const quint32 seconds[] = {2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61, 4, 61};
        for (int s = 0; s < 14; ++s)
            QTest::addRow("sctp_timeouts[%s]", sctpStateName(static_cast<SctpState>(s)).data())
                << s << seconds[s];
    }
    void sctpTimeouts()
    {
        QFETCH(int, state);
        QFETCH(quint32, seconds);
        QCOMPARE(TimeoutTables{}.of(static_cast<SctpState>(state)), seconds);
    }

    // Associations through set_sctp_state.
    void sctpSequences_data()
    {
        addScriptColumns();
        QTest::newRow("set_sctp_state NAT setup: INIT in, INIT ACK out, COOKIE ECHO in, COOKIE ACK out")
            << "NAT" << "" << "i:INIT o:INIT_ACK i:COOKIE_ECHO o:COOKIE_ACK i:DATA"
            << "INIT1 C-SENT C-REPLIED ESTABLISHED ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("set_sctp_state NAT setup half done: C-REPLIED still counts inactive")
            << "NAT" << "" << "i:INIT o:INIT_ACK i:COOKIE_ECHO" << "INIT1 C-SENT C-REPLIED" << 61u
            << 0u << 1u << "INACTIVE";
        QTest::newRow("set_sctp_state NAT shutdown by the client: only ESTABLISHED counts active")
            << "NAT" << ""
            << "i:INIT o:INIT_ACK i:COOKIE_ECHO o:COOKIE_ACK i:SHUTDOWN o:SHUTDOWN_ACK i:SHUTDOWN_COMPLETE"
            << "INIT1 C-SENT C-REPLIED ESTABLISHED S-RECEIVED S-ACK-SENT CLOSED" << 61u << 0u << 1u
            << "INACTIVE";
        QTest::newRow("sctp_states INPUT-ONLY DR: INIT, COOKIE ECHO -> ESTABLISHED, ABORT -> CLOSED")
            << "DR" << "" << "i:INIT i:COOKIE_ECHO i:DATA i:ABORT"
            << "INIT1 ESTABLISHED ESTABLISHED CLOSED" << 61u << 0u << 1u << "INACTIVE|NOOUTPUT";
        QTest::newRow("sctp_states OUTPUT ABORT answering an INIT -> REJECTED, 4 s")
            << "NAT" << "" << "i:INIT o:ABORT" << "INIT1 REJECTED" << 4u << 0u << 1u << "INACTIVE";
        QTest::newRow("sctp_states INPUT INIT again: INIT1 -> INIT, 61 s")
            << "NAT" << "" << "i:INIT i:INIT" << "INIT1 INIT" << 61u << 0u << 1u << "INACTIVE";
        QTest::newRow("set_sctp_state: a COOKIE ECHO bundled with an ABORT closes")
            << "NAT" << "" << "i:INIT o:INIT_ACK i:COOKIE_ECHO+ABORT" << "INIT1 C-SENT CLOSED"
            << 61u << 0u << 1u << "INACTIVE";
        QTest::newRow("set_sctp_state DR: an output packet clears NOOUTPUT")
            << "DR" << "" << "i:INIT o:INIT_ACK i:COOKIE_ECHO o:COOKIE_ACK"
            << "INIT1 C-SENT C-REPLIED ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("sctp_states OUTPUT INIT: an association the server opens")
            << "NAT" << "" << "o:INIT i:INIT_ACK o:COOKIE_ECHO i:COOKIE_ACK"
            << "C-WAIT COOKIE C-ECHOED ESTABLISHED" << 900u << 1u << 0u << "-";
        QTest::newRow("ip_vs_set_timeout leaves sctp_timeouts")
            << "NAT" << "" << "set:60/30/10 i:INIT o:INIT_ACK i:COOKIE_ECHO o:COOKIE_ACK"
            << "INIT1 C-SENT C-REPLIED ESTABLISHED" << 900u << 1u << 0u << "-";
    }
    void sctpSequences() { checkScript("sctp"); }

    // __ip_vs_update_dest: the flags a new connection starts with.
    void newConnFlags_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("flags");
        QTest::newRow("__ip_vs_update_dest NAT (-m): INACTIVE") << "NAT" << "INACTIVE";
        QTest::newRow("__ip_vs_update_dest DR (-g): INACTIVE|NOOUTPUT") << "DR" << "INACTIVE|NOOUTPUT";
        QTest::newRow("__ip_vs_update_dest TUN (-i): INACTIVE|NOOUTPUT") << "TUN" << "INACTIVE|NOOUTPUT";
        QTest::newRow("FULLNAT sees replies like NAT: INACTIVE") << "FULLNAT" << "INACTIVE";
    }
    void newConnFlags()
    {
        QFETCH(QString, method);
        QFETCH(QString, flags);
        QCOMPARE(flagNames(ipvs::newConnFlags(methodOf(method))), flags);
    }

    // applyTransition with and without the destination: the caller that keeps the counters
    // itself gets the move in StateTransition::count.
    void applyTransition_data()
    {
        QTest::addColumn<QString>("flags");
        QTest::addColumn<bool>("giveDest");
        QTest::addColumn<int>("count");
        QTest::addColumn<quint32>("active");
        QTest::addColumn<quint32>("inact");
        QTest::newRow("set_tcp_state SYN in with the destination: inactconns -> activeconns")
            << "S" << true << int(CountChange::ToActive) << 1u << 0u;
        QTest::newRow("set_tcp_state SYN in, counters kept by the caller: reported, not applied")
            << "S" << false << int(CountChange::ToActive) << 0u << 1u;
        QTest::newRow("set_tcp_state FIN in from NONE -> CLOSE: no move (already inactive)")
            << "F" << true << int(CountChange::None) << 0u << 1u;
    }
    void applyTransition()
    {
        QFETCH(QString, flags);
        QFETCH(bool, giveDest);
        QFETCH(int, count);
        QFETCH(quint32, active);
        QFETCH(quint32, inact);
        Dest dest;
        dest.inactConns = 1;
        ProtoConnState conn;
        const StateTransition t =
            tcpTransition(conn, PacketDirection::Input, tcpFlagsOf(flags), TimeoutTables{});
        ipvs::applyTransition(conn, t, giveDest ? &dest : nullptr);
        QCOMPARE(int(t.count), count);
        QVERIFY(conn == t.conn);
        QCOMPARE(dest.activeConns, active);
        QCOMPARE(dest.inactConns, inact);
    }

    // ip_vs_set_timeout / __ip_vs_get_timeouts, shown as ipvsadm -L --timeout prints them.
    void setTimeouts_data()
    {
        QTest::addColumn<int>("tcp");
        QTest::addColumn<int>("tcpFin");
        QTest::addColumn<int>("udp");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("listed");
        QTest::addColumn<quint32>("timeWait");
        QTest::addColumn<quint32>("closeWait");
        QTest::newRow("list_timeout defaults (tcp_timeouts ESTABLISHED, FIN_WAIT; udp_timeouts)")
            << 0 << 0 << 0 << true << "Timeout (tcp tcpfin udp): 900 120 300\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout 3600 30 10: ESTABLISHED, FIN_WAIT, UDP only")
            << 3600 << 30 << 10 << true << "Timeout (tcp tcpfin udp): 3600 30 10\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout 0 30 0: 0 leaves a value")
            << 0 << 30 << 0 << true << "Timeout (tcp tcpfin udp): 900 30 300\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout 1 1 1")
            << 1 << 1 << 1 << true << "Timeout (tcp tcpfin udp): 1 1 1\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout INT_MAX/HZ is accepted")
            << 8589934 << 0 << 0 << true << "Timeout (tcp tcpfin udp): 8589934 120 300\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout INT_MAX/HZ + 1 is EINVAL")
            << 8589935 << 0 << 0 << false << "Timeout (tcp tcpfin udp): 900 120 300\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout negative tcpfin is EINVAL, the valid tcp not stored")
            << 60 << -1 << 0 << false << "Timeout (tcp tcpfin udp): 900 120 300\n" << 120u << 60u;
        QTest::newRow("ip_vs_set_timeout negative udp is EINVAL, tcp and tcpfin not stored")
            << 60 << 30 << -5 << false << "Timeout (tcp tcpfin udp): 900 120 300\n" << 120u << 60u;
    }
    void setTimeouts()
    {
        QFETCH(int, tcp);
        QFETCH(int, tcpFin);
        QFETCH(int, udp);
        QFETCH(bool, ok);
        QFETCH(QString, listed);
        QFETCH(quint32, timeWait);
        QFETCH(quint32, closeWait);
        TimeoutTables tables;
        const Result<void> r = ipvs::setTimeouts(tables, Timeouts{tcp, tcpFin, udp});
        QCOMPARE(r.has_value(), ok);
        if (!ok)
            QCOMPARE(QString::fromStdString(r.error().message), QString("Invalid argument"));
        QCOMPARE(QString::fromStdString(formatTimeouts(getTimeouts(tables))), listed);
        QCOMPARE(tables.of(TcpState::TimeWait), timeWait);
        QCOMPARE(tables.of(TcpState::CloseWait), closeWait);
        QVERIFY(tables.sctp == TimeoutTables{}.sctp);
    }

    // ipvsadm parse_timeout / string_to_number for one --set argument.
    void parseTimeoutValue_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("value"); // -1: rejected
        QTest::newRow("parse_timeout 900") << "900" << 900;
        QTest::newRow("parse_timeout 0") << "0" << 0;
        QTest::newRow("parse_timeout MAX_TIMEOUT (31 days)") << "2678400" << 2678400;
        QTest::newRow("parse_timeout MAX_TIMEOUT + 1") << "2678401" << -1;
        QTest::newRow("parse_timeout -1") << "-1" << -1;
        QTest::newRow("parse_timeout letters") << "abc" << -1;
        QTest::newRow("parse_timeout empty") << "" << -1;
        QTest::newRow("parse_timeout trailing garbage") << "12x" << -1;
        QTest::newRow("parse_timeout strtol skips leading blanks") << " 5" << 5;
        QTest::newRow("parse_timeout strtol takes a plus sign") << "+7" << 7;
        QTest::newRow("parse_timeout ERANGE") << "99999999999999999999" << -1;
    }
    void parseTimeoutValue()
    {
        QFETCH(QString, text);
        QFETCH(int, value);
        const Result<int> r = ipvs::parseTimeoutValue(text.toStdString());
        if (value < 0) {
            QVERIFY(!r);
            QCOMPARE(QString::fromStdString(r.error().message),
                     "invalid timeout value `" + text + "' specified");
        } else {
            QVERIFY(r);
            QCOMPARE(*r, value);
        }
    }
};

QTEST_APPLESS_MAIN(TestProtoState)
#include "test_proto_state.moc"
