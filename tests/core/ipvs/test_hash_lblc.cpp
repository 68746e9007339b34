// Tests of the locality-based least-connection scheduler "lblc": cache hits, when a cached
// server is replaced, and the expiry timer driven by the injected clock.
#include <QtTest>

#include "core/ipvs/sched/hash_lblc.h"
#include "core/ipvs/sched/registry.h"
#include "hash_test_support.h"

using namespace lvs::core;
using namespace lvs::core::ipvs;
using namespace lvs::core::ipvs::test;

namespace {

QString letter(const Dest* d)
{
    return test::letter(d, "none");
}

// A service created at t = 1000 with A then B (list B A), both weight 1.
struct Lab {
    Service service;
    std::uint64_t now = 1000;
    LblcScheduler* lblc = nullptr;

    Lab()
    {
        SchedulerContext context;
        context.clock = [this] { return now; };
        auto s = makeHashScheduler("lblc", service, context);
        lblc = static_cast<LblcScheduler*>(s.get());
        service.setScheduler(std::move(s));
        for (char name : {'A', 'B'}) {
            DestSettings d;
            d.address = serverAddress(name);
            d.port = 80;
            service.addDest(d);
        }
    }
    Dest& dest(char name) { return *service.findDest(serverAddress(name), 80); }
    QString schedule(Ipv4 vip)
    {
        PacketInfo p;
        p.saddr = addr("172.16.0.5");
        p.sport = 5000;
        p.daddr = vip;
        p.dport = 80;
        return letter(service.scheduler()->schedule(service, p));
    }
    QString schedule(const QString& vip) { return schedule(addr(vip)); }
};

} // namespace

class TestHashLblc : public QObject {
    Q_OBJECT

private slots:
    // The first packet to 10.1.2.3 finds no entry and caches __ip_vs_lblc_schedule's pick, B
    // (first in list, loads equal). The row then changes the servers and sends another packet.
    void cache_data()
    {
        QTest::addColumn<int>("weightB");
        QTest::addColumn<int>("activeB");
        QTest::addColumn<int>("activeA");
        QTest::addColumn<bool>("flagA"); // IP_VS_DEST_F_OVERLOAD
        QTest::addColumn<bool>("flagB");
        QTest::addColumn<bool>("deleteB");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("entries"); // the kernel's tbl->entries
        QTest::addColumn<int>("size");    // entries really in the table
        QTest::newRow("ip_vs_lblc_schedule: cache hit though A is less loaded")
            << 1 << 1 << 0 << false << false << false << "B" << 1 << 1;
        QTest::newRow("is_overloaded: B 2 active > weight 1 and A 0*2 < 1 -> replaced by A")
            << 1 << 2 << 0 << false << false << false << "A" << 2 << 1;
        QTest::newRow("is_overloaded: B 2 active > weight 1 but nobody under half -> kept")
            << 1 << 2 << 1 << false << false << false << "B" << 1 << 1;
        QTest::newRow("ip_vs_lblc_schedule: the OVERLOAD flag does not void a hit")
            << 1 << 5 << 5 << false << true << false << "B" << 1 << 1;
        QTest::newRow("ip_vs_lblc_schedule: weight 0 voids the hit -> A")
            << 0 << 0 << 0 << false << false << false << "A" << 2 << 1;
        QTest::newRow("ip_vs_lblc_schedule: removed (not AVAILABLE) voids the hit -> A")
            << 1 << 0 << 0 << false << false << true << "A" << 2 << 1;
        // Rescheduling skips OVERLOADED A and picks B again: ip_vs_lblc_new keeps the entry.
        QTest::newRow("ip_vs_lblc_new: same server picked again, entry kept")
            << 1 << 2 << 0 << true << false << false << "B" << 1 << 1;
        QTest::newRow("__ip_vs_lblc_schedule: every server OVERLOADED -> none")
            << 1 << 2 << 0 << true << true << false << "none" << 1 << 1;
    }
    void cache()
    {
        QFETCH(int, weightB);
        QFETCH(int, activeB);
        QFETCH(int, activeA);
        QFETCH(bool, flagA);
        QFETCH(bool, flagB);
        QFETCH(bool, deleteB);
        QFETCH(QString, expected);
        QFETCH(int, entries);
        QFETCH(int, size);
        Lab lab;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("B"));
        lab.now = 1010;
        if (weightB != 1) {
            DestSettings s;
            s.address = serverAddress('B');
            s.port = 80;
            s.weight = weightB;
            lab.service.editDest(lab.dest('B'), s);
        }
        lab.dest('B').activeConns = static_cast<std::uint32_t>(activeB);
        lab.dest('A').activeConns = static_cast<std::uint32_t>(activeA);
        lab.dest('A').overloaded = flagA;
        lab.dest('B').overloaded = flagB;
        if (deleteB)
            lab.service.delDest(lab.dest('B'));
        QCOMPARE(lab.schedule("10.1.2.3"), expected);
        QCOMPARE(lab.lblc->table().entries(), entries);
        QCOMPARE(static_cast<int>(lab.lblc->table().size()), size);
    }

    // The entry for 10.1.2.3 is made at createdAt (B). Then B gets one active connection, so a
    // fresh pick would be A while the cached B is still fine. Timer runs every 60 s from 1000;
    // every 30th (1000 + 1800 k) is ip_vs_lblc_full_check, dropping entries unless
    // time_before(now, lastuse + 24 h): made at 1010, 1010 + 86400 = 87410, so the first full
    // check to drop it is 89200 (k = 49); made at 2800, 2800 + 86400 = 89200 exactly.
    void expiry_data()
    {
        QTest::addColumn<qulonglong>("createdAt");
        QTest::addColumn<qulonglong>("usedAgainAt"); // 0: not used in between
        QTest::addColumn<qulonglong>("probeAt");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ip_vs_lblc_full_check: 24 h unused but no full check since -> B")
            << 1010ull << 0ull << 89199ull << "B";
        QTest::newRow("ip_vs_lblc_full_check: dropped at 89200 -> fresh pick A")
            << 1010ull << 0ull << 89200ull << "A";
        QTest::newRow("ip_vs_lblc_full_check at 87400: 1010 + 86400 not reached -> B")
            << 1010ull << 0ull << 87410ull << "B";
        QTest::newRow("ip_vs_lblc_full_check: exactly 24 h at the 89200 check, dropped -> A")
            << 2800ull << 0ull << 89200ull << "A";
        QTest::newRow("ip_vs_lblc_schedule refreshes lastuse: used at 50000, kept -> B")
            << 1010ull << 50000ull << 89200ull << "B";
    }
    void expiry()
    {
        QFETCH(qulonglong, createdAt);
        QFETCH(qulonglong, usedAgainAt);
        QFETCH(qulonglong, probeAt);
        QFETCH(QString, expected);
        Lab lab;
        lab.now = createdAt;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("B"));
        lab.dest('B').activeConns = 1; // 1 > weight 1 is false: B stays usable
        if (usedAgainAt) {
            lab.now = usedAgainAt;
            QCOMPARE(lab.schedule("10.1.2.3"), QString("B"));
        }
        lab.now = probeAt;
        QCOMPARE(lab.schedule("10.1.2.3"), expected);
    }

    // ip_vs_lblc_check_expire over max_size (16384): 16400 entries made at t = 1060; at the
    // 1420 run (exactly 1060 + ENTRY_TIMEOUT 360, no longer time_before) the goal is
    // (16400 - 16384) * 4 / 3 = 21, and whole buckets go from rover + 1: bucket 1 holds 17 of
    // the addresses 10.100.0.0 + i (i < 16400) by hash_32(addr, 10), bucket 2 holds 15, so 32
    // go. The probe to 10.200.0.1 adds one entry.
    void partialExpire_data()
    {
        QTest::addColumn<qulonglong>("probeAt");
        QTest::addColumn<int>("size");
        QTest::newRow("ip_vs_lblc_check_expire: 1360 run, nothing idle for 6 min yet")
            << 1419ull << 16401;
        QTest::newRow("ip_vs_lblc_check_expire: 1420 run drops buckets 1 and 2 (32)")
            << 1420ull << 16369;
    }
    void partialExpire()
    {
        QFETCH(qulonglong, probeAt);
        QFETCH(int, size);
        Lab lab;
        lab.now = 1060;
        const std::uint32_t base = addr("10.100.0.0").value;
        for (std::uint32_t i = 0; i < 16400; ++i)
            lab.schedule(Ipv4{base + i});
        QCOMPARE(static_cast<int>(lab.lblc->table().size()), 16400);
        lab.now = probeAt;
        lab.schedule("10.200.0.1");
        QCOMPARE(static_cast<int>(lab.lblc->table().size()), size);
        QCOMPARE(lab.lblc->table().entries(), size);
    }
};

QTEST_APPLESS_MAIN(TestHashLblc)
#include "test_hash_lblc.moc"
