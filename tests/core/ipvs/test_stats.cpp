// Tests of the IPVS statistics and rate estimator: every expected value is worked out by hand
// from the kernel's formulas (ip_vs_est.c: avg += ((delta << 9 or << 4) - avg) >> 2 per 2 s
// round; read-out (avg + 0x1FF) >> 10 and (avg + 0xF) >> 5), in the row's name or comment.
#include <QtTest>

#include "core/ipvs/stats.h"

using namespace lvs::core::ipvs;
using std::chrono::milliseconds;

namespace {

// Runs the rounds due at 2 s, 4 s, ... of an Estimation started at 0, counting connsPerRound
// new connections on stats before each round.
void runRounds(Estimation& est, Stats& stats, int rounds, int connsPerRound)
{
    for (int i = 1; i <= rounds; ++i) {
        for (int c = 0; c < connsPerRound; ++c)
            stats.addConn();
        est.tick(milliseconds(2000 * i));
    }
}

} // namespace

class TestStats : public QObject {
    Q_OBJECT

private slots:
    // A steady connection rate through the estimator. R = delta << 9 is the per-second rate
    // scaled by 2^10; the gap g = R - avg shrinks as g' = g - floor(g / 4) = ceil(3g / 4).
    // For 1000 conns/s (2000 a round) R = 1024000:
    //   g: 1024000, 768000, 576000, 432000, 324000, 243000, 182250, 136688, 102516, 76887,
    //      57666, 43250, 32438, 24329, 18247, 13686, 10265, 7699, 5775, 4332, 3249, 2437,
    //      1828, 1371, 1029, 772, 579, 435 (rounds 0..27).
    // ipvsadm shows 1000 once avg + 511 >= 1000 * 1024, i.e. g <= 511: round 27, 54 s.
    void steadyConnRate_data()
    {
        QTest::addColumn<int>("connsPerRound");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<quint64>("scaled");
        QTest::addColumn<quint64>("cps");
        QTest::newRow("estimation_timer: 1000 conns/s, round 1: (1024000 - 0) >> 2 = 256000, 250.0 -> 250")
            << 2000 << 1 << quint64(256000) << quint64(250);
        QTest::newRow("estimation_timer: round 2: 256000 + 192000 = 448000, 437.5 rounds down -> 437")
            << 2000 << 2 << quint64(448000) << quint64(437);
        QTest::newRow("estimation_timer: round 3: 448000 + 144000 = 592000, 578.125 -> 578")
            << 2000 << 3 << quint64(592000) << quint64(578);
        QTest::newRow("estimation_timer: round 26: g = 579, 1023421 -> 999")
            << 2000 << 26 << quint64(1023421) << quint64(999);
        QTest::newRow("estimation_timer: round 27: g = 435, 1023565 -> 1000")
            << 2000 << 27 << quint64(1023565) << quint64(1000);
        // R = 512: g 512 384 288 216 162 122 92 69 52 39 30 23 18 14 11 9 7 6 5 4 3, then
        // stays at 3 (ceil(9/4) = 3): avg 509, (509 + 511) >> 10 = 0.
        QTest::newRow("ip_vs_read_estimator: 0.5 conn/s settles at 509 and never shows")
            << 1 << 40 << quint64(509) << quint64(0);
        // R = 1536: g stays at 3 from round 23: avg 1533, (1533 + 511) >> 10 = 1.
        QTest::newRow("ip_vs_read_estimator: 1.5 conns/s settles at 1533 and shows 1")
            << 3 << 40 << quint64(1533) << quint64(1);
    }
    void steadyConnRate()
    {
        QFETCH(int, connsPerRound);
        QFETCH(int, rounds);
        QFETCH(quint64, scaled);
        QFETCH(quint64, cps);
        Estimation est;
        Stats s;
        est.start(s);
        runRounds(est, s, rounds, connsPerRound);
        QCOMPARE(quint64(s.estimator().cps), scaled);
        const StatsSnapshot shown = s.read();
        QCOMPARE(quint64(shown.rates.cps), cps);
        QCOMPARE(quint64(shown.counters.conns), quint64(connsPerRound) * quint64(rounds));
    }

    // Packets (<< 9, 2^10) and bytes (<< 4, 2^5) side by side: 500 in-packets/s of 1500 B and
    // 250 out-packets/s of 100 B, i.e. per round 1000 and 500 packets, 1500000 and 50000 bytes.
    //   inpps  R = 512000:   128000, 224000, 296000     -> 125, 218.75->219, 289.06->289
    //   outpps R = 256000:    64000, 112000, 148000     -> 62.5->62, 109.4->109, 144.5->145
    //   inbps  R = 24000000: 6000000, 10500000, 13875000 -> 187500, 328125, 433593.75->433594
    //   outbps R = 800000:   200000, 350000, 462500      -> 6250, 10937.5->10937, 14453.1->14453
    void packetAndByteRates_data()
    {
        QTest::addColumn<int>("inPkts");
        QTest::addColumn<int>("inLen");
        QTest::addColumn<int>("outPkts");
        QTest::addColumn<int>("outLen");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<quint64>("inpps");
        QTest::addColumn<quint64>("outpps");
        QTest::addColumn<quint64>("inbps");
        QTest::addColumn<quint64>("outbps");
        QTest::newRow("estimation_timer: packets and bytes, round 1")
            << 1000 << 1500 << 500 << 100 << 1
            << quint64(125) << quint64(62) << quint64(187500) << quint64(6250);
        QTest::newRow("estimation_timer: packets and bytes, round 2")
            << 1000 << 1500 << 500 << 100 << 2
            << quint64(219) << quint64(109) << quint64(328125) << quint64(10937);
        QTest::newRow("estimation_timer: packets and bytes, round 3")
            << 1000 << 1500 << 500 << 100 << 3
            << quint64(289) << quint64(145) << quint64(433594) << quint64(14453);
        // One 3-byte packet in and one 1-byte packet out a round: bytes R = 48 settles at
        // 45 ((45 + 15) >> 5 = 1), R = 16 at 13 (0); packets R = 512 settle at 509 (0).
        QTest::newRow("ip_vs_read_estimator: 1.5 B/s shows 1, 0.5 B/s shows 0")
            << 1 << 3 << 1 << 1 << 40
            << quint64(0) << quint64(0) << quint64(1) << quint64(0);
    }
    void packetAndByteRates()
    {
        QFETCH(int, inPkts);
        QFETCH(int, inLen);
        QFETCH(int, outPkts);
        QFETCH(int, outLen);
        QFETCH(int, rounds);
        QFETCH(quint64, inpps);
        QFETCH(quint64, outpps);
        QFETCH(quint64, inbps);
        QFETCH(quint64, outbps);
        Estimation est;
        Stats s;
        est.start(s);
        for (int r = 1; r <= rounds; ++r) {
            for (int i = 0; i < inPkts; ++i)
                s.addIn(std::uint64_t(inLen));
            for (int i = 0; i < outPkts; ++i)
                s.addOut(std::uint64_t(outLen));
            est.tick(milliseconds(2000 * r));
        }
        const StatsRates shown = s.read().rates;
        QCOMPARE(quint64(shown.cps), quint64(0));
        QCOMPARE(quint64(shown.inpps), inpps);
        QCOMPARE(quint64(shown.outpps), outpps);
        QCOMPARE(quint64(shown.inbps), inbps);
        QCOMPARE(quint64(shown.outbps), outbps);
    }

    // ip_vs_read_estimator on its own: (x + 0x1FF) >> 10 for the 2^10 fields and (x + 0xF) >> 5
    // for the 2^5 ones; exactly one half rounds down, anything above it up.
    void readOutRounding_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<quint64>("scaled");
        QTest::addColumn<quint64>("shown");
        QTest::newRow("ip_vs_read_estimator: cps 511/1024 -> 0") << "cps" << quint64(511) << quint64(0);
        QTest::newRow("ip_vs_read_estimator: cps 512/1024 = 0.5 -> 0") << "cps" << quint64(512) << quint64(0);
        QTest::newRow("ip_vs_read_estimator: cps 513/1024 -> 1") << "cps" << quint64(513) << quint64(1);
        QTest::newRow("ip_vs_read_estimator: cps 1536/1024 = 1.5 -> 1") << "cps" << quint64(1536) << quint64(1);
        QTest::newRow("ip_vs_read_estimator: cps 1537/1024 -> 2") << "cps" << quint64(1537) << quint64(2);
        QTest::newRow("ip_vs_read_estimator: inpps 2560/1024 = 2.5 -> 2") << "inpps" << quint64(2560) << quint64(2);
        QTest::newRow("ip_vs_read_estimator: outpps 2561/1024 -> 3") << "outpps" << quint64(2561) << quint64(3);
        QTest::newRow("ip_vs_read_estimator: inbps 15/32 -> 0") << "inbps" << quint64(15) << quint64(0);
        QTest::newRow("ip_vs_read_estimator: inbps 16/32 = 0.5 -> 0") << "inbps" << quint64(16) << quint64(0);
        QTest::newRow("ip_vs_read_estimator: inbps 17/32 -> 1") << "inbps" << quint64(17) << quint64(1);
        QTest::newRow("ip_vs_read_estimator: outbps 48/32 = 1.5 -> 1") << "outbps" << quint64(48) << quint64(1);
        QTest::newRow("ip_vs_read_estimator: outbps 49/32 -> 2") << "outbps" << quint64(49) << quint64(2);
    }
    void readOutRounding()
    {
        QFETCH(QString, field);
        QFETCH(quint64, scaled);
        QFETCH(quint64, shown);
        Estimator e;
        std::uint64_t StatsRates::*out = nullptr;
        if (field == "cps") {
            e.cps = scaled;
            out = &StatsRates::cps;
        } else if (field == "inpps") {
            e.inpps = scaled;
            out = &StatsRates::inpps;
        } else if (field == "outpps") {
            e.outpps = scaled;
            out = &StatsRates::outpps;
        } else if (field == "inbps") {
            e.inbps = scaled;
            out = &StatsRates::inbps;
        } else {
            e.outbps = scaled;
            out = &StatsRates::outbps;
        }
        StatsRates expected;
        expected.*out = shown;
        QCOMPARE(readEstimator(e), expected); // the other four stay 0
    }

    // One round on a given average: the s64 difference is shifted arithmetically, so a falling
    // average steps by floor((R - avg) / 4), one more than a truncating division would.
    void roundArithmetic_data()
    {
        QTest::addColumn<quint64>("before");
        QTest::addColumn<quint64>("delta");
        QTest::addColumn<quint64>("after");
        QTest::newRow("estimation_timer: rising, 0 + (1 << 9) >> 2 = 128") << quint64(0) << quint64(1) << quint64(128);
        QTest::newRow("estimation_timer: rising, 1000 + (2048 - 1000) >> 2 = 1262")
            << quint64(1000) << quint64(4) << quint64(1262);
        QTest::newRow("estimation_timer: falling, 5 + floor(-5 / 4) = 5 - 2 = 3") << quint64(5) << quint64(0) << quint64(3);
        QTest::newRow("estimation_timer: falling, 1 + floor(-1 / 4) = 0") << quint64(1) << quint64(0) << quint64(0);
        QTest::newRow("estimation_timer: falling, 1024000 - 256000 = 768000")
            << quint64(1024000) << quint64(0) << quint64(768000);
    }
    void roundArithmetic()
    {
        QFETCH(quint64, before);
        QFETCH(quint64, delta);
        QFETCH(quint64, after);
        Estimator e;
        e.cps = before;
        e.lastConns = 10;
        StatsCounters now;
        now.conns = 10 + delta;
        estimateRound(e, now);
        QCOMPARE(quint64(e.cps), after);
        QCOMPARE(quint64(e.lastConns), quint64(10 + delta));
        QCOMPARE(quint64(e.inpps), quint64(0));
    }

    // The timer: armed 2 s after the namespace's estimator is set up, re-armed 2 s on.
    void roundTiming_data()
    {
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("now");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<int>("next");
        QTest::newRow("__ip_vs_estimator_init: no round before start + 2 s") << 0 << 1999 << 0 << 2000;
        QTest::newRow("estimation_timer: the round due at start + 2 s runs") << 0 << 2000 << 1 << 4000;
        QTest::newRow("estimation_timer: every round due by now runs (2, 4, 6 s)") << 0 << 6500 << 3 << 8000;
        QTest::newRow("__ip_vs_estimator_init: a start at 1 s: nothing at 2.999 s") << 1000 << 2999 << 0 << 3000;
        QTest::newRow("__ip_vs_estimator_init: a start at 1 s: first round at 3 s") << 1000 << 3000 << 1 << 5000;
    }
    void roundTiming()
    {
        QFETCH(int, start);
        QFETCH(int, now);
        QFETCH(int, rounds);
        QFETCH(int, next);
        Estimation est{milliseconds(start)};
        QCOMPARE(int(est.tick(milliseconds(now))), rounds);
        QCOMPARE(int(est.nextRound().count()), next);
        QCOMPARE(int(est.tick(milliseconds(now))), 0); // nothing runs twice
    }

    // What ipvsadm reads is kstats, refreshed only by a round: 2000 connections counted at
    // 0.5 s, read at readAt. A late tick runs the 2, 4 and 6 s rounds at once; the counts all
    // land on the first: 256000, then 192000, 144000 -> (144000 + 511) >> 10 = 141.
    void countersLag_data()
    {
        QTest::addColumn<int>("readAt");
        QTest::addColumn<quint64>("conns");
        QTest::addColumn<quint64>("cps");
        QTest::newRow("ip_vs_copy_stats: before the first round nothing shows") << 1999 << quint64(0) << quint64(0);
        QTest::newRow("ip_vs_copy_stats: the round at 2 s copies the counters") << 2000 << quint64(2000) << quint64(250);
        QTest::newRow("model: a late tick(6 s) lays all counts on the 2 s round") << 6000 << quint64(2000) << quint64(141);
    }
    void countersLag()
    {
        QFETCH(int, readAt);
        QFETCH(quint64, conns);
        QFETCH(quint64, cps);
        Estimation est;
        Stats s;
        est.start(s);
        est.tick(milliseconds(500));
        for (int i = 0; i < 2000; ++i)
            s.addConn();
        est.tick(milliseconds(readAt));
        QCOMPARE(quint64(s.live().conns), quint64(2000));
        QCOMPARE(quint64(s.read().counters.conns), conns);
        QCOMPARE(quint64(s.read().rates.cps), cps);
    }

    // ipvsadm -Z: `before` connections, the round at 2 s, `between` more, -Z, `after` more, and
    // maybe the round at 4 s. The zero point is kstats (the 2 s sum), so `between` shows again.
    void zeroing_data()
    {
        QTest::addColumn<int>("before");
        QTest::addColumn<int>("between");
        QTest::addColumn<int>("after");
        QTest::addColumn<bool>("roundAfter");
        QTest::addColumn<quint64>("conns");
        QTest::addColumn<quint64>("cps");
        QTest::newRow("ip_vs_zero_stats: right after -Z counters and rates read 0")
            << 2000 << 0 << 0 << false << quint64(0) << quint64(0);
        QTest::newRow("ip_vs_zero_stats: the next round counts from the zero point, 500 -> 64000, 62.5 -> 62")
            << 2000 << 0 << 500 << true << quint64(500) << quint64(62);
        QTest::newRow("ip_vs_zero_stats: what came between the round and -Z shows, 800 -> 102400, 100")
            << 2000 << 300 << 500 << true << quint64(800) << quint64(100);
        QTest::newRow("ip_vs_zero_estimator: the average restarts from 0 (250, not 437)")
            << 2000 << 0 << 2000 << true << quint64(2000) << quint64(250);
    }
    void zeroing()
    {
        QFETCH(int, before);
        QFETCH(int, between);
        QFETCH(int, after);
        QFETCH(bool, roundAfter);
        QFETCH(quint64, conns);
        QFETCH(quint64, cps);
        Estimation est;
        Stats s;
        est.start(s);
        runRounds(est, s, 1, before);
        QCOMPARE(quint64(s.read().counters.conns), quint64(before));
        for (int i = 0; i < between; ++i)
            s.addConn();
        s.zero();
        for (int i = 0; i < after; ++i)
            s.addConn();
        if (roundAfter)
            est.tick(milliseconds(4000));
        QCOMPARE(quint64(s.read().counters.conns), conns);
        QCOMPARE(quint64(s.read().rates.cps), cps);
        QCOMPARE(quint64(s.live().conns), quint64(before + between + after)); // -Z never touches it
    }

    // sysctl run_estimation, 2000 connections a round throughout: on for onBefore rounds, off
    // for off rounds, on again for onAfter rounds.
    void runEstimation_data()
    {
        QTest::addColumn<int>("onBefore");
        QTest::addColumn<int>("off");
        QTest::addColumn<int>("onAfter");
        QTest::addColumn<quint64>("conns");
        QTest::addColumn<quint64>("cps");
        QTest::newRow("estimation_timer (run_estimation=0): counters freeze with the rates")
            << 1 << 3 << 0 << quint64(2000) << quint64(250);
        // delta 8000: R = 4096000, 256000 + 960000 = 1216000, 1187.5 -> 1187.
        QTest::newRow("estimation_timer: the first round after re-enabling sees the whole gap")
            << 1 << 3 << 1 << quint64(10000) << quint64(1187);
        QTest::newRow("estimation_timer (run_estimation=0 from the start): nothing shows")
            << 0 << 2 << 0 << quint64(0) << quint64(0);
    }
    void runEstimation()
    {
        QFETCH(int, onBefore);
        QFETCH(int, off);
        QFETCH(int, onAfter);
        QFETCH(quint64, conns);
        QFETCH(quint64, cps);
        Estimation est;
        Stats s;
        est.start(s);
        int round = 0;
        auto run = [&](int n) {
            for (int i = 0; i < n; ++i) {
                for (int c = 0; c < 2000; ++c)
                    s.addConn();
                est.tick(milliseconds(2000 * ++round));
            }
        };
        run(onBefore);
        est.setRunEstimation(false);
        run(off);
        est.setRunEstimation(true);
        run(onAfter);
        QCOMPARE(quint64(s.read().counters.conns), conns);
        QCOMPARE(quint64(s.read().rates.cps), cps);
    }

    // ip_vs_conn_stats / ip_vs_in_stats / ip_vs_out_stats count on the destination, its
    // service and the total together. Service 1 has destinations A, B, C; each connection has
    // `pkts` requests of 60 B in and replies of 1500 B out. Service 2 (one destination, 4
    // connections, 4 packets each way) shares the total.
    void serviceIsSumOfDests_data()
    {
        QTest::addColumn<QList<int>>("conns");
        QTest::addColumn<QList<int>>("pkts");
        QTest::addColumn<bool>("cInTrash");
        QTest::addColumn<quint64>("svcConns");
        QTest::addColumn<quint64>("svcPkts");
        QTest::addColumn<quint64>("svcInBytes");
        QTest::addColumn<quint64>("svcOutBytes");
        QTest::newRow("ip_vs_conn_stats / ip_vs_in_stats / ip_vs_out_stats: 3+5+0 conns, 10+20+1 pkts")
            << QList<int>{3, 5, 0} << QList<int>{10, 20, 1} << false
            << quint64(8) << quint64(31) << quint64(31 * 60) << quint64(31 * 1500);
        QTest::newRow("ip_vs_in_stats: packets of a destination in the trash count nowhere")
            << QList<int>{3, 5, 0} << QList<int>{10, 20, 7} << true
            << quint64(8) << quint64(30) << quint64(30 * 60) << quint64(30 * 1500);
    }
    void serviceIsSumOfDests()
    {
        QFETCH(QList<int>, conns);
        QFETCH(QList<int>, pkts);
        QFETCH(bool, cInTrash);
        QFETCH(quint64, svcConns);
        QFETCH(quint64, svcPkts);
        QFETCH(quint64, svcInBytes);
        QFETCH(quint64, svcOutBytes);
        Estimation est;
        Stats svc, a, b, c, svc2, d;
        for (Stats* s : {&svc, &a, &b, &c, &svc2, &d})
            est.start(*s);
        Stats* dests[] = {&a, &b, &c};
        for (int i = 0; i < 3; ++i) {
            const bool available = !(i == 2 && cInTrash);
            for (int n = 0; n < conns[i]; ++n)
                connStats(*dests[i], svc, est.total());
            for (int n = 0; n < pkts[i]; ++n) {
                QCOMPARE(inStats(dests[i], available, svc, est.total(), 60), available);
                QCOMPARE(outStats(dests[i], available, svc, est.total(), 1500), available);
            }
        }
        for (int n = 0; n < 4; ++n) {
            connStats(d, svc2, est.total());
            inStats(&d, true, svc2, est.total(), 60);
            outStats(&d, true, svc2, est.total(), 1500);
        }
        QVERIFY(!inStats(nullptr, true, svc, est.total(), 60)); // no destination: not counted
        est.tick(milliseconds(2000));

        const StatsCounters shown = svc.read().counters;
        QCOMPARE(quint64(shown.conns), svcConns);
        QCOMPARE(quint64(shown.inpkts), svcPkts);
        QCOMPARE(quint64(shown.outpkts), svcPkts);
        QCOMPARE(quint64(shown.inbytes), svcInBytes);
        QCOMPARE(quint64(shown.outbytes), svcOutBytes);
        auto sum = [](std::initializer_list<const Stats*> list) {
            StatsCounters t;
            for (const Stats* s : list) {
                const StatsCounters k = s->read().counters;
                t.conns += k.conns;
                t.inpkts += k.inpkts;
                t.outpkts += k.outpkts;
                t.inbytes += k.inbytes;
                t.outbytes += k.outbytes;
            }
            return t;
        };
        QVERIFY(shown == sum({&a, &b, &c}));
        QVERIFY(svc2.read().counters == d.read().counters);
        QVERIFY(est.total().read().counters == sum({&svc, &svc2}));
        if (cInTrash)
            QVERIFY(c.read().counters == StatsCounters{});
    }

    // ip_vs_stop_estimator when a destination goes to the trash, ip_vs_start_estimator when it
    // comes back: 2000 connections before the 2 s round, stop, 1000 more, rounds at 4 and 6 s.
    // Back before 8 s, the 8 s round sees delta 1000: R = 512000, 256000 + 64000 = 320000,
    // 312.5 -> 312.
    void stopAndStart_data()
    {
        QTest::addColumn<bool>("restart");
        QTest::addColumn<quint64>("conns");
        QTest::addColumn<quint64>("cps");
        QTest::newRow("ip_vs_stop_estimator: no more rounds, the last values stay") << false << quint64(2000) << quint64(250);
        QTest::newRow("ip_vs_start_estimator: resumes from its old values") << true << quint64(3000) << quint64(312);
    }
    void stopAndStart()
    {
        QFETCH(bool, restart);
        QFETCH(quint64, conns);
        QFETCH(quint64, cps);
        Estimation est;
        Stats s;
        est.start(s);
        runRounds(est, s, 1, 2000);
        est.stop(s);
        QVERIFY(!s.started());
        for (int i = 0; i < 1000; ++i)
            s.addConn();
        est.tick(milliseconds(6000));
        if (restart)
            est.start(s);
        est.tick(milliseconds(8000));
        QCOMPARE(quint64(s.read().counters.conns), conns);
        QCOMPARE(quint64(s.read().rates.cps), cps);
    }

    // A Stats destroyed while started leaves the list (the total is always on it), and one
    // that outlives its Estimation is left without one.
    void lifetimes()
    {
        auto est = std::make_unique<Estimation>();
        QCOMPARE(int(est->startedCount()), 1);
        {
            Stats s;
            est->start(s);
            est->start(s); // already on the list
            QCOMPARE(int(est->startedCount()), 2);
        }
        QCOMPARE(int(est->startedCount()), 1);
        Stats survivor;
        est->start(survivor);
        est.reset();
        QVERIFY(!survivor.started());
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "test_stats.moc"
