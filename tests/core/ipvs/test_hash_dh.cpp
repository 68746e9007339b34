// Tests of the destination hashing scheduler "dh": its 256-bucket table and the hash of the
// packet's destination address.
#include <QtTest>

#include "core/ipvs/sched/hash_dh.h"
#include "core/ipvs/sched/registry.h"
#include "hash_test_support.h"

using namespace lvs::core;
using namespace lvs::core::ipvs;
using namespace lvs::core::ipvs::test;

namespace {

struct Lab {
    Service service;
    DestinationHashScheduler* dh = nullptr;

    Lab()
    {
        auto s = makeHashScheduler("dh", service, SchedulerContext{});
        dh = static_cast<DestinationHashScheduler*>(s.get());
        service.setScheduler(std::move(s));
    }
    Dest& add(char name, int weight)
    {
        DestSettings s;
        s.address = Ipv4{0x0A000000u + static_cast<std::uint32_t>(name - 'A' + 1)};
        s.port = 80;
        s.weight = weight;
        return service.addDest(s);
    }
    Dest* find(char name)
    {
        return service.findDest(Ipv4{0x0A000000u + static_cast<std::uint32_t>(name - 'A' + 1)}, 80);
    }
    QString buckets(int from, int count) const
    {
        QString out;
        for (int i = from; i < from + count; ++i)
            out += letter(dh->bucket(static_cast<std::size_t>(i)));
        return out;
    }
    QString schedule(const QString& cip, const QString& dip)
    {
        PacketInfo p;
        p.saddr = addr(cip);
        p.sport = 5000;
        p.daddr = addr(dip);
        p.dport = 80;
        Dest* d = service.scheduler()->schedule(service, p);
        return d ? letter(d) : "none";
    }
};

} // namespace

class TestHashDh : public QObject {
    Q_OBJECT

private slots:
    // ip_vs_dh_reassign: one bucket per destination in list order (newest first), round and
    // round, whatever the weights.
    void table_data()
    {
        QTest::addColumn<QString>("weights"); // per server in the order added: A, B, C
        QTest::addColumn<QString>("first");   // buckets 0..5
        QTest::addColumn<QString>("last");    // bucket 255
        QTest::newRow("ip_vs_dh_reassign: A w1, B w5, C w1 -> C B A repeated, weights ignored")
            << "151" << "CBACBA" << "C";
        QTest::newRow("ip_vs_dh_reassign: A w1, B w2 -> B A alternate") << "12" << "BABABA" << "A";
        QTest::newRow("ip_vs_dh_reassign: weight 0 is in the table too") << "01" << "BABABA" << "A";
        QTest::newRow("ip_vs_dh_reassign: no destination") << "" << "------" << "-";
    }
    void table()
    {
        QFETCH(QString, weights);
        QFETCH(QString, first);
        QFETCH(QString, last);
        Lab lab;
        for (int i = 0; i < weights.size(); ++i)
            lab.add(static_cast<char>('A' + i), weights[i].digitValue());
        QCOMPARE(lab.buckets(0, 6), first);
        QCOMPARE(lab.buckets(255, 1), last);
    }

    // Table C B A. ip_vs_dh_hashkey = hash_32(ntohl(daddr), 8), by hand: 10.1.2.3 -> 2 (A),
    // 172.16.0.5 -> 1 (B), 192.168.1.11 -> 90 (C). ip_vs_dh_schedule refuses a bucket whose
    // server has weight <= 0 or is OVERLOADED; there is no fallback.
    void schedule_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("vip");
        QTest::addColumn<QString>("change"); // "", "A:w0", "A:overloaded", "A:delete"
        QTest::addColumn<QString>("expected");
        QTest::newRow("ip_vs_dh_get: daddr 10.1.2.3 -> bucket 2 (A)")
            << "192.168.1.10" << "10.1.2.3" << "" << "A";
        QTest::newRow("ip_vs_dh_get: the source address does not count")
            << "172.16.99.99" << "10.1.2.3" << "" << "A";
        QTest::newRow("ip_vs_dh_get: daddr 172.16.0.5 -> bucket 1 (B)")
            << "192.168.1.10" << "172.16.0.5" << "" << "B";
        QTest::newRow("ip_vs_dh_get: daddr 192.168.1.11 -> bucket 90 (C)")
            << "192.168.1.10" << "192.168.1.11" << "" << "C";
        QTest::newRow("ip_vs_dh_schedule: weight-0 owner -> none")
            << "192.168.1.10" << "10.1.2.3" << "A:w0" << "none";
        QTest::newRow("ip_vs_dh_schedule: overloaded owner -> none")
            << "192.168.1.10" << "10.1.2.3" << "A:overloaded" << "none";
        // del_dest refills the table C B C B ...: bucket 2 is C.
        QTest::newRow("ip_vs_dh_dest_changed (del_dest): A removed, bucket 2 is C")
            << "192.168.1.10" << "10.1.2.3" << "A:delete" << "C";
    }
    void schedule()
    {
        QFETCH(QString, client);
        QFETCH(QString, vip);
        QFETCH(QString, change);
        QFETCH(QString, expected);
        Lab lab;
        lab.add('A', 1);
        lab.add('B', 1);
        lab.add('C', 1);
        Dest* a = lab.find('A');
        if (change == "A:w0") {
            DestSettings s;
            s.address = a->address;
            s.port = 80;
            s.weight = 0;
            lab.service.editDest(*a, s);
        } else if (change == "A:overloaded") {
            a->overloaded = true;
        } else if (change == "A:delete") {
            lab.service.delDest(*a);
        }
        QCOMPARE(lab.schedule(client, vip), expected);
    }
};

QTEST_APPLESS_MAIN(TestHashDh)
#include "test_hash_dh.moc"
