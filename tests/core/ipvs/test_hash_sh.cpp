// Tests of the source hashing scheduler "sh": its 256-bucket table, the hash of the source
// address (and port), and what happens when the bucket's server is unavailable.
#include <QtTest>

#include "core/ipvs/sched/hash_sh.h"
#include "core/ipvs/sched/registry.h"
#include "hash_test_support.h"

using namespace lvs::core;
using namespace lvs::core::ipvs;
using namespace lvs::core::ipvs::test;

namespace {

struct Lab {
    Service service;
    SourceHashScheduler* sh = nullptr;

    explicit Lab(std::uint32_t flags = 0)
    {
        service.flags = flags;
        auto s = makeHashScheduler("sh", service, SchedulerContext{});
        sh = static_cast<SourceHashScheduler*>(s.get());
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
            out += letter(sh->bucket(static_cast<std::size_t>(i)));
        return out;
    }
    int count(char name) const
    {
        int n = 0;
        for (std::size_t i = 0; i < SourceHashScheduler::kTabSize; ++i)
            n += letter(sh->bucket(i)) == QString(QChar(name));
        return n;
    }
    QString schedule(const QString& cip, int cport)
    {
        PacketInfo p;
        p.saddr = addr(cip);
        p.sport = static_cast<std::uint16_t>(cport);
        p.daddr = addr("192.168.10.100");
        p.dport = 80;
        Dest* d = service.scheduler()->schedule(service, p);
        return d ? letter(d) : "none";
    }
};

} // namespace

class TestHashSh : public QObject {
    Q_OBJECT

private slots:
    // ip_vs_sh_reassign: the list is newest first; each destination fills `weight` buckets
    // (weight 0 fills one: "++d_count >= weight"), wrapping round the list to bucket 255.
    void table_data()
    {
        QTest::addColumn<QString>("weights"); // per server in the order added: A, B, C
        QTest::addColumn<QString>("first");   // buckets 0..5
        QTest::addColumn<QString>("last");    // bucket 255
        QTest::addColumn<int>("countA");
        QTest::addColumn<int>("countB");
        QTest::addColumn<int>("countC");
        // List B A; BBA repeated: 85 whole periods, then bucket 255 = B.
        QTest::newRow("ip_vs_sh_reassign: A w1 then B w2") << "12" << "BBABBA" << "B" << 85 << 171
                                                           << 0;
        // List B A; B(1) A(0->1 bucket) alternate; 255 is odd -> A.
        QTest::newRow("ip_vs_sh_reassign: weight 0 still takes one bucket")
            << "01" << "BABABA" << "A" << 128 << 128 << 0;
        // List C B A; 256 = 85*3 + 1 so C gets 86; 255 % 3 == 0 -> C.
        QTest::newRow("ip_vs_sh_reassign: three of weight 1, newest first")
            << "111" << "CBACBA" << "C" << 85 << 85 << 86;
        // List B A; period B AAA; 255 % 4 == 3 -> A.
        QTest::newRow("ip_vs_sh_reassign: A w3, B w1") << "31" << "BAAABA" << "A" << 192 << 64 << 0;
        QTest::newRow("ip_vs_sh_reassign: no destination, every bucket empty")
            << "" << "------" << "-" << 0 << 0 << 0;
    }
    void table()
    {
        QFETCH(QString, weights);
        QFETCH(QString, first);
        QFETCH(QString, last);
        QFETCH(int, countA);
        QFETCH(int, countB);
        QFETCH(int, countC);
        Lab lab;
        for (int i = 0; i < weights.size(); ++i)
            lab.add(static_cast<char>('A' + i), weights[i].digitValue());
        QCOMPARE(lab.buckets(0, 6), first);
        QCOMPARE(lab.buckets(255, 1), last);
        QCOMPARE(lab.count('A'), countA);
        QCOMPARE(lab.count('B'), countB);
        QCOMPARE(lab.count('C'), countC);
    }

    // ip_vs_sh_dest_changed is add_dest, del_dest and upd_dest: every change refills the table
    // from A w1, B w2 (BBA...).
    void rebuild_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("first");
        QTest::newRow("ip_vs_sh_dest_changed (upd_dest): B w2 -> w1") << "edit" << "BABABA";
        QTest::newRow("ip_vs_sh_dest_changed (del_dest): B removed") << "delete" << "AAAAAA";
        QTest::newRow("ip_vs_sh_dest_changed (add_dest): C w1 at the head") << "add" << "CBBACB";
    }
    void rebuild()
    {
        QFETCH(QString, action);
        QFETCH(QString, first);
        Lab lab;
        lab.add('A', 1);
        lab.add('B', 2);
        if (action == "edit") {
            DestSettings s;
            s.address = lab.find('B')->address;
            s.port = 80;
            s.weight = 1;
            lab.service.editDest(*lab.find('B'), s);
        } else if (action == "delete") {
            lab.service.delDest(*lab.find('B'));
        } else {
            lab.add('C', 1);
        }
        QCOMPARE(lab.buckets(0, 6), first);
    }

    // Table C B A (all weight 1: bucket i is C, B, A for i % 3 == 0, 1, 2). Buckets from
    // ip_vs_sh_hashkey = (offset + hash_32(port + ntohl(saddr), 8)) & 255, worked out as
    // (value * 0x61C88647 mod 2^32) >> 24:
    //   192.168.1.10 -> 248 (A), 172.16.0.5 -> 1 (B), 192.168.1.11 -> 90 (C), 10.1.2.3 -> 2 (A);
    //   with sh-port 192.168.1.10:40000 -> 156 (C), :40001 -> 254 (A).
    // ip_vs_sh_get_fallback walks offsets roffset = ihash + k, and hashkey adds ihash again:
    // buckets 2*ihash + k. For 10.1.2.3 that is 4 (B), 5, ...; for 192.168.1.11 180 (C), 181
    // (B); for 192.168.1.10:40000 with sh-port 56 (A).
    void schedule_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<int>("cport");
        QTest::addColumn<uint>("flags");
        QTest::addColumn<QString>("unavailable"); // servers, then ":w0" or ":overloaded"
        QTest::addColumn<QString>("expected");
        const uint fallback = kSvcSched1;
        const uint port = kSvcSched2;
        QTest::newRow("ip_vs_sh_get: 192.168.1.10 -> bucket 248 (A)")
            << "192.168.1.10" << 5000 << 0u << "" << "A";
        QTest::newRow("ip_vs_sh_get: 172.16.0.5 -> bucket 1 (B)")
            << "172.16.0.5" << 5000 << 0u << "" << "B";
        QTest::newRow("ip_vs_sh_get: 192.168.1.11 -> bucket 90 (C)")
            << "192.168.1.11" << 5000 << 0u << "" << "C";
        QTest::newRow("ip_vs_sh_schedule: without sh-port the port does not count")
            << "192.168.1.10" << 40000 << 0u << "" << "A";
        QTest::newRow("ip_vs_sh_get_port: sh-port 192.168.1.10:40000 -> bucket 156 (C)")
            << "192.168.1.10" << 40000 << port << "" << "C";
        QTest::newRow("ip_vs_sh_get_port: sh-port 192.168.1.10:40001 -> bucket 254 (A)")
            << "192.168.1.10" << 40001 << port << "" << "A";
        QTest::newRow("ip_vs_sh_get: weight-0 owner, no fallback -> none")
            << "10.1.2.3" << 5000 << 0u << "A:w0" << "none";
        QTest::newRow("ip_vs_sh_get: overloaded owner, no fallback -> none")
            << "10.1.2.3" << 5000 << 0u << "A:overloaded" << "none";
        QTest::newRow("ip_vs_sh_get_fallback: available owner is kept")
            << "10.1.2.3" << 5000 << fallback << "" << "A";
        QTest::newRow("ip_vs_sh_get_fallback: weight-0 owner of 2, walk starts at 4 (B) not 3 (C)")
            << "10.1.2.3" << 5000 << fallback << "A:w0" << "B";
        QTest::newRow("ip_vs_sh_get_fallback: overloaded owner of 2, walk starts at 4 (B)")
            << "10.1.2.3" << 5000 << fallback << "A:overloaded" << "B";
        QTest::newRow("ip_vs_sh_get_fallback: owner of 90 (C), 180 also C, 181 is B")
            << "192.168.1.11" << 5000 << fallback << "C:overloaded" << "B";
        QTest::newRow("ip_vs_sh_get_fallback: sh-port bucket 156 (C), walk from 56 (A)")
            << "192.168.1.10" << 40000 << (fallback | port) << "C:w0" << "A";
        QTest::newRow("ip_vs_sh_get_fallback: every server unavailable -> none")
            << "10.1.2.3" << 5000 << fallback << "ABC:overloaded" << "none";
    }
    void schedule()
    {
        QFETCH(QString, client);
        QFETCH(int, cport);
        QFETCH(uint, flags);
        QFETCH(QString, unavailable);
        QFETCH(QString, expected);
        Lab lab(flags);
        lab.add('A', 1);
        lab.add('B', 1);
        lab.add('C', 1);
        const QStringList parts = unavailable.split(':');
        for (QChar c : parts.value(0)) {
            Dest* d = lab.find(static_cast<char>(c.toLatin1()));
            if (parts.value(1) == "w0") {
                DestSettings s;
                s.address = d->address;
                s.port = 80;
                s.weight = 0;
                lab.service.editDest(*d, s); // refills the table: weight 0 keeps its bucket
            } else {
                d->overloaded = true;
            }
        }
        QCOMPARE(lab.buckets(0, 3), QString("CBA"));
        QCOMPARE(lab.schedule(client, cport), expected);
    }

    // ip_vs_sh_get with an empty table: no destination at all.
    void noDestination()
    {
        Lab lab(kSvcSched1);
        QCOMPARE(lab.schedule("10.1.2.3", 5000), QString("none"));
    }
};

QTEST_APPLESS_MAIN(TestHashSh)
#include "test_hash_sh.moc"
