// Tests of the locality-based least-connection with replication scheduler "lblcr": set
// growth, the weighted least-connection member, the 24 h shrink and the expiry timer.
#include <QtTest>

#include "core/ipvs/sched/hash_lblcr.h"
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
    LblcrScheduler* lblcr = nullptr;

    Lab()
    {
        SchedulerContext context;
        context.clock = [this] { return now; };
        auto s = makeHashScheduler("lblcr", service, context);
        lblcr = static_cast<LblcrScheduler*>(s.get());
        service.setScheduler(std::move(s));
        for (char name : {'A', 'B'}) {
            DestSettings d;
            d.address = serverAddress(name);
            d.port = 80;
            service.addDest(d);
        }
    }
    Dest& dest(char name) { return *service.findDest(serverAddress(name), 80); }
    QString schedule(const QString& vip)
    {
        PacketInfo p;
        p.saddr = addr("172.16.0.5");
        p.sport = 5000;
        p.daddr = addr(vip);
        p.dport = 80;
        return letter(service.scheduler()->schedule(service, p));
    }
    // The members of the set of vip, head first ("-" when there is no entry).
    QString members(const QString& vip) const
    {
        const LblcrScheduler::DestSet* set = lblcr->setOf(addr(vip));
        if (!set)
            return "-";
        QString out;
        for (const Dest* d : set->members)
            out += letter(d);
        return out;
    }
};

} // namespace

class TestHashLblcr : public QObject {
    Q_OBJECT

private slots:
    // ip_vs_lblcr_new, then ip_vs_dest_set_insert on an overloaded member.
    void growth()
    {
        Lab lab;
        lab.now = 1010;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("B")); // first in list, loads equal
        QCOMPARE(lab.members("10.1.2.3"), QString("B"));
        QCOMPARE(lab.lblcr->setOf(addr("10.1.2.3"))->lastMod, std::uint64_t{1010});
        // is_overloaded(B): 2 active > weight 1, and A has 0*2 < 1: A joins at the head.
        lab.now = 1020;
        lab.dest('B').activeConns = 2;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("A"));
        QCOMPARE(lab.members("10.1.2.3"), QString("AB"));
        QCOMPARE(lab.lblcr->setOf(addr("10.1.2.3"))->lastMod, std::uint64_t{1020});
        // A is the least loaded member now: no change to the set, lastmod kept.
        lab.now = 1030;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("A"));
        QCOMPARE(lab.members("10.1.2.3"), QString("AB"));
        QCOMPARE(lab.lblcr->setOf(addr("10.1.2.3"))->lastMod, std::uint64_t{1020});
    }

    // The set of 10.1.2.3 is {A, B} (A at the head), last changed and last used at 1010. Then
    // the row sets the loads and sends a packet at probeAt. The shrink needs
    // time_after(now, lastmod + 24 h): now > 87410. The full check drops the entry at the first
    // 1000 + 1800 k >= 87410, i.e. 89200.
    void setPick_data()
    {
        QTest::addColumn<int>("activeA");
        QTest::addColumn<int>("activeB");
        QTest::addColumn<bool>("deleteA");
        QTest::addColumn<qulonglong>("probeAt");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("members");
        QTest::newRow("ip_vs_dest_set_min: A (0) less loaded than B (512)")
            << 0 << 2 << false << 1020ull << "A" << "AB";
        QTest::newRow("ip_vs_dest_set_min: B (0) less loaded than A (256)")
            << 1 << 0 << false << 1020ull << "B" << "AB";
        QTest::newRow("ip_vs_dest_set_min: tie keeps the head, A not overloaded")
            << 2 << 2 << false << 1020ull << "A" << "AB";
        QTest::newRow("ip_vs_dest_set_min: skips a removed (not AVAILABLE) member")
            << 0 << 2 << true << 1020ull << "B" << "AB";
        QTest::newRow("ip_vs_lblcr_schedule: exactly 24 h after lastmod, no shrink")
            << 0 << 2 << false << 87410ull << "A" << "AB";
        QTest::newRow("ip_vs_dest_set_max: after 24 h the most loaded B leaves")
            << 0 << 2 << false << 87411ull << "A" << "A";
        QTest::newRow("ip_vs_lblcr_schedule: tie, A is min and max: dropped yet returned")
            << 0 << 0 << false << 87411ull << "A" << "B";
        QTest::newRow("ip_vs_lblcr_full_check: entry gone at 89200, fresh set {B}")
            << 0 << 0 << false << 89200ull << "B" << "B";
    }
    void setPick()
    {
        QFETCH(int, activeA);
        QFETCH(int, activeB);
        QFETCH(bool, deleteA);
        QFETCH(qulonglong, probeAt);
        QFETCH(QString, expected);
        QFETCH(QString, members);
        Lab lab;
        lab.now = 1010;
        lab.schedule("10.1.2.3");
        lab.dest('B').activeConns = 2;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("A"));
        QCOMPARE(lab.members("10.1.2.3"), QString("AB"));
        lab.dest('A').activeConns = static_cast<std::uint32_t>(activeA);
        lab.dest('B').activeConns = static_cast<std::uint32_t>(activeB);
        if (deleteA)
            lab.service.delDest(lab.dest('A'));
        lab.now = probeAt;
        QCOMPARE(lab.schedule("10.1.2.3"), expected);
        QCOMPARE(lab.members("10.1.2.3"), members);
    }

    // The timer only runs on schedule(); a packet to another address shows the entry of
    // 10.1.2.3 before and after the full check that drops it: ip_vs_lblcr_full_check keeps an
    // entry while time_after(lastuse + 24 h, now). Made at 1010: dropped by the 89200 check;
    // made at 2800: 2800 + 86400 = 89200, dropped by that check too.
    void fullCheck_data()
    {
        QTest::addColumn<qulonglong>("createdAt");
        QTest::addColumn<qulonglong>("probeAt");
        QTest::addColumn<QString>("members");
        QTest::newRow("ip_vs_lblcr_check_expire: counter 30 at 87400, entry too young")
            << 1010ull << 87400ull << "B";
        QTest::newRow("ip_vs_lblcr_check_expire: 89199, next full check not run yet")
            << 1010ull << 89199ull << "B";
        QTest::newRow("ip_vs_lblcr_full_check: 89200 drops it") << 1010ull << 89200ull << "-";
        QTest::newRow("ip_vs_lblcr_full_check: exactly 24 h unused at 89200, dropped")
            << 2800ull << 89200ull << "-";
        QTest::newRow("ip_vs_lblcr_full_check: made at 2801, kept at 89200")
            << 2801ull << 89200ull << "B";
    }
    void fullCheck()
    {
        QFETCH(qulonglong, createdAt);
        QFETCH(qulonglong, probeAt);
        QFETCH(QString, members);
        Lab lab;
        lab.now = createdAt;
        QCOMPARE(lab.schedule("10.1.2.3"), QString("B"));
        lab.now = probeAt;
        lab.schedule("10.9.9.9");
        QCOMPARE(lab.members("10.1.2.3"), members);
    }
};

QTEST_APPLESS_MAIN(TestHashLblcr)
#include "test_hash_lblcr.moc"
