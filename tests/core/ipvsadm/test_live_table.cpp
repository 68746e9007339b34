// ipvsadm's command line on the live table a director runs: the same answers as the offline
// table for the seeds' session, and listings that show the engine's live counters
// (ActiveConn/InActConn, --stats after an estimation round, -Lnc) and -Z.
#include <QtTest>

#include "core/ipvs/proto_state.h"
#include "core/ipvsadm/live_table.h"
#include "core/ipvsadm/run.h"
#include "core/ipvsadm/state_table.h"

#include <sstream>

using namespace lvs::core;
using namespace lvs::core::ipvsadm;

namespace {

std::vector<std::string> words(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

struct Result2 {
    int status;
    std::string out;
    std::string err;
};

Result2 run(Control& c, const std::string& line)
{
    Invocation io;
    int status = runIpvsadm(words(line), c, io);
    return {status, io.out, io.err};
}

ipvs::SchedulerContext context()
{
    ipvs::SchedulerContext ctx;
    ctx.random = [] { return 4u; };
    return ctx;
}

} // namespace

class TestLiveTable : public QObject {
    Q_OBJECT

private slots:
    // The seeds' session gives the same listings and -S on the live table as offline.
    void sameAnswersAsOffline()
    {
        LiveTable live(context());
        StateTable offline;
        for (const char* line : {"-A -t 172.18.100.6:80 -s rr", "-a -t 172.18.100.6:80 -r 192.168.10.11 -m -w 1",
                                 "-a -t 172.18.100.6:80 -r 192.168.10.12 -m -w 3", "-A -t 172.18.100.6:3306 -s wlc",
                                 "-a -t 172.18.100.6:3306 -r 192.168.100.21 -m -w 1", "-E -t 172.18.100.6:80 -s wrr",
                                 "-e -t 172.18.100.6:80 -r 192.168.10.11 -m -w 10", "-A -f 10 -s rr -p 300",
                                 "-a -f 10 -r 172.16.100.21 -g", "--set 1000 100 200",
                                 "-A -t 10.0.0.1:80", "-a -t 10.0.0.1:80 -r 10.0.0.2 -y 5", "-d -t 10.0.0.1:80 -r 10.0.0.9",
                                 "-E -t 10.9.9.9:80 -s rr"}) {
            Result2 a = run(live, line);
            Result2 b = run(offline, line);
            QCOMPARE(a.status, b.status);
            QCOMPARE(a.err, b.err);
        }
        for (const char* line : {"-Ln", "-S -n", "-Ln --thresholds", "-L --timeout", "-Ln --persistent-conn"})
            QCOMPARE(run(live, line).out, run(offline, line).out);
    }

    // What the engine cannot do is refused as a kernel without it would.
    void engineLimits()
    {
        LiveTable live(context());
        Result2 r = run(live, "-A -t [2001:db8::1]:80 -s rr");
        QCOMPARE(r.status, 255);
        QCOMPARE(r.err, std::string("Operation not supported with specified address family\n"));
        r = run(live, "-A -t 10.0.0.1:80 -p --pe sip");
        QCOMPARE(r.err, std::string("Scheduler or persistence engine not found\n"));
    }

    // Live counters: SYN_RECV already counts as active (tcp_state_active_table, Linux >= 4.7),
    // FIN_WAIT as inactive; packets count after the next estimation round; -Lnc lists the
    // connection; -Z zeroes the stats.
    void liveCounters()
    {
        LiveTable live(context());
        run(live, "-A -t 172.18.100.6:80 -s rr");
        run(live, "-a -t 172.18.100.6:80 -r 192.168.10.11 -m");
        ipvs::Balancer* b = live.lookup(0, Protocol::Tcp, Ipv4{0xac126406}, 80);
        QVERIFY(b);
        QCOMPARE(live.lookup(0, Protocol::Tcp, Ipv4{0xac126406}, 81), nullptr);
        auto conn = b->connect({Protocol::Tcp, Ipv4{0xac126464}, 40000, Ipv4{0xac126406}, 80});
        QVERIFY(conn);
        b->packet(*conn, ipvs::PacketDirection::Input, 0x02, 60); // SYN
        Result2 r = run(live, "-Ln");
        QVERIFY2(r.out.find("  -> 192.168.10.11:80             Masq    1      1          0         \n") != std::string::npos, r.out.c_str());
        b->packet(*conn, ipvs::PacketDirection::Output, 0x12, 60); // SYN+ACK
        b->packet(*conn, ipvs::PacketDirection::Input, 0x10, 52);  // ACK: established
        r = run(live, "-Ln");
        QVERIFY2(r.out.find("  -> 192.168.10.11:80             Masq    1      1          0         \n") != std::string::npos, r.out.c_str());
        r = run(live, "-Lnc");
        QVERIFY2(r.out.find("TCP 15:00  ESTABLISHED 172.18.100.100:40000 172.18.100.6:80    192.168.10.11:80\n") != std::string::npos,
                 r.out.c_str());
        live.advanceTo(std::chrono::milliseconds{2000}); // one estimation round
        r = run(live, "-Ln --stats --exact");
        QVERIFY2(r.out.find("TCP  172.18.100.6:80                     1        2        1      112       60\n") != std::string::npos,
                 r.out.c_str());
        b->packet(*conn, ipvs::PacketDirection::Input, 0x11, 52); // FIN
        r = run(live, "-Ln");
        QVERIFY2(r.out.find("  -> 192.168.10.11:80             Masq    1      0          1         \n") != std::string::npos, r.out.c_str());
        QCOMPARE(run(live, "-Z").status, 0);
        live.advanceTo(std::chrono::milliseconds{4000});
        // ip_vs_zero_stats: the zero point is the last round's copy, so the FIN counted after
        // that round (and before -Z) still shows after the next one.
        r = run(live, "-Ln --stats --exact");
        QVERIFY2(r.out.find("TCP  172.18.100.6:80                     0        1        0       52        0\n") != std::string::npos,
                 r.out.c_str());
    }
};

QTEST_APPLESS_MAIN(TestLiveTable)
#include "test_live_table.moc"
