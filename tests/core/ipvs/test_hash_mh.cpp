// Tests of the Maglev hashing scheduler "mh": hsiphash keys of servers and clients, the
// weight handling (gcd, rshift, last_weight), the lookup table and the fallback walk.
#include <QtTest>

#include "core/ipvs/sched/hash_mh.h"
#include "core/ipvs/sched/registry.h"
#include "hash_test_support.h"

using namespace lvs::core;
using namespace lvs::core::ipvs;
using namespace lvs::core::ipvs::test;

// Every expected number below was computed outside this code base from the kernel source: an
// independent SipHash-1-3 (checked first against lib/test_siphash.c's 64-bit hsiphash vectors)
// keyed with generate_hash_secret()'s constants, and ip_vs_mh_permutate / ip_vs_mh_populate
// followed step by step for 4093 slots.

namespace {

struct Lab {
    Service service;
    MaglevHashScheduler* mh = nullptr;

    explicit Lab(std::uint32_t flags = 0)
    {
        service.flags = flags;
        auto s = makeHashScheduler("mh", service, SchedulerContext{});
        mh = static_cast<MaglevHashScheduler*>(s.get());
        service.setScheduler(std::move(s));
    }
    void add(char name, int weight)
    {
        DestSettings s;
        s.address = serverAddress(name);
        s.port = 80;
        s.weight = weight;
        service.addDest(s);
    }
    void setWeight(char name, int weight)
    {
        Dest* d = service.findDest(serverAddress(name), 80);
        DestSettings s;
        s.address = d->address;
        s.port = 80;
        s.weight = weight;
        service.editDest(*d, s);
    }
    int count(char name) const
    {
        int n = 0;
        for (std::size_t i = 0; i < MaglevHashScheduler::kTabSize; ++i)
            n += letter(mh->lookup(i)) == QString(QChar(name));
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

class TestHashMh : public QObject {
    Q_OBJECT

private slots:
    // ip_vs_mh_hashkey(addr, port, key, 0): hsiphash of the u32 port + ntohl(addr).
    void hashKey_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("secondKey");
        QTest::addColumn<quint32>("expected");
        QTest::newRow("ip_vs_mh_permutate offset key: 10.0.0.1:80 (hash1)")
            << "10.0.0.1" << 80 << false << quint32(0x439c0cbe);
        QTest::newRow("ip_vs_mh_permutate skip key: 10.0.0.1:80 (hash2)")
            << "10.0.0.1" << 80 << true << quint32(0x97b3dc47);
        QTest::newRow("ip_vs_mh_permutate offset key: 10.0.0.2:80 (hash1)")
            << "10.0.0.2" << 80 << false << quint32(0xa1cf683b);
        QTest::newRow("ip_vs_mh_permutate skip key: 10.0.0.2:80 (hash2)")
            << "10.0.0.2" << 80 << true << quint32(0xfa5d46df);
        QTest::newRow("ip_vs_mh_get: client 192.168.1.10, port 0")
            << "192.168.1.10" << 0 << false << quint32(0xd5e959b6);
        QTest::newRow("ip_vs_mh_get: client 172.16.0.5, port 0")
            << "172.16.0.5" << 0 << false << quint32(0xed735258);
    }
    void hashKey()
    {
        QFETCH(QString, address);
        QFETCH(int, port);
        QFETCH(bool, secondKey);
        QFETCH(quint32, expected);
        const HsiphashKey& key =
            secondKey ? MaglevHashScheduler::kHash2 : MaglevHashScheduler::kHash1;
        const auto p = static_cast<std::uint16_t>(port);
        QCOMPARE(MaglevHashScheduler::hashKey(addr(address), p, key, 0), expected);
    }

    // ip_vs_mh_gcd_weight / ip_vs_mh_shift_weight / ip_vs_mh_permutate's turns, and how many
    // of the 4093 slots each server gets (A added first, B second: list B A).
    void weights_data()
    {
        QTest::addColumn<int>("weightA");
        QTest::addColumn<int>("weightB");
        QTest::addColumn<int>("gcd");
        QTest::addColumn<int>("rshift");
        QTest::addColumn<int>("countA");
        QTest::addColumn<int>("countB");
        QTest::newRow("ip_vs_mh_populate: 1 and 1, B (first in list) gets the odd slot")
            << 1 << 1 << 1 << 0 << 2046 << 2047;
        QTest::newRow("ip_vs_mh_gcd_weight: 4 and 2 -> gcd 2, turns 2 and 1")
            << 4 << 2 << 2 << 0 << 2728 << 1365;
        QTest::newRow("ip_vs_mh_shift_weight: 100 and 1 -> fls(100) = 7, rshift 1")
            << 100 << 1 << 1 << 1 << 4012 << 81;
        QTest::newRow("ip_vs_mh_shift_weight: 9000 and 3 -> gcd 3, fls(3000) = 12, rshift 6")
            << 9000 << 3 << 3 << 6 << 4005 << 88;
        QTest::newRow("ip_vs_mh_permutate: 1 >> 1 = 0 still gets one turn (lw != 0)")
            << 1 << 64 << 1 << 1 << 124 << 3969;
        QTest::newRow("ip_vs_mh_shift_weight: 63 fits in 6 bits, rshift 0")
            << 1 << 63 << 1 << 0 << 63 << 4030;
        QTest::newRow("ip_vs_mh_permutate: added with weight 0 -> no turn")
            << 5 << 0 << 5 << 0 << 4093 << 0;
        QTest::newRow("ip_vs_mh_populate: gcd 0 -> ip_vs_mh_reset, empty table")
            << 0 << 0 << 0 << 0 << 0 << 0;
    }
    void weights()
    {
        QFETCH(int, weightA);
        QFETCH(int, weightB);
        QFETCH(int, gcd);
        QFETCH(int, rshift);
        QFETCH(int, countA);
        QFETCH(int, countB);
        Lab lab;
        lab.add('A', weightA);
        lab.add('B', weightB);
        QCOMPARE(lab.mh->gcd(), gcd);
        QCOMPARE(lab.mh->rshift(), rshift);
        QCOMPARE(lab.count('A'), countA);
        QCOMPARE(lab.count('B'), countB);
    }

    // ip_vs_mh_populate: each server's first claim is its own offset (hash1 % 4093): A 3167,
    // B 1231.
    void firstChoices()
    {
        Lab lab;
        lab.add('A', 1);
        lab.add('B', 1);
        QCOMPARE(letter(lab.mh->lookup(3167)), QString("A"));
        QCOMPARE(letter(lab.mh->lookup(1231)), QString("B"));
    }

    // Servers A, B, C of weight 1 (list C B A). Slots (hash1 % 4093) of the clients: 192.168.1.10
    // 3323 (A), 192.168.1.11 2189 (A), 172.16.0.5 82 (C), 203.0.113.7 1705 (C); with mh-port
    // 192.168.1.10:40000 1622 (A), :40001 1264 (C). The fallback walk rehashes with offsets
    // ihash, ihash+1, ...
    void schedule_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<int>("cport");
        QTest::addColumn<uint>("flags");
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("expected");
        const uint fallback = kSvcSched1;
        const uint port = kSvcSched2;
        QTest::newRow("ip_vs_mh_get: 192.168.1.10 -> slot 3323 (A)")
            << "192.168.1.10" << 5000 << 0u << "" << "A";
        QTest::newRow("ip_vs_mh_get: 172.16.0.5 -> slot 82 (C)") << "172.16.0.5" << 5000 << 0u << ""
                                                               << "C";
        QTest::newRow("ip_vs_mh_get: 192.168.1.11 -> slot 2189 (A)")
            << "192.168.1.11" << 5000 << 0u << "" << "A";
        QTest::newRow("ip_vs_mh_get_port: mh-port 192.168.1.10:40000 -> slot 1622 (A)")
            << "192.168.1.10" << 40000 << port << "" << "A";
        QTest::newRow("ip_vs_mh_get_port: mh-port 192.168.1.10:40001 -> slot 1264 (C)")
            << "192.168.1.10" << 40001 << port << "" << "C";
        QTest::newRow("ip_vs_mh_get: A overloaded -> none") << "192.168.1.10" << 5000 << 0u
                                                          << "A:overloaded" << "none";
        QTest::newRow("ip_vs_mh_get_fallback: A overloaded, 192.168.1.10 -> C")
            << "192.168.1.10" << 5000 << fallback << "A:overloaded" << "C";
        QTest::newRow("ip_vs_mh_get_fallback: A overloaded, 192.168.1.11 -> B")
            << "192.168.1.11" << 5000 << fallback << "A:overloaded" << "B";
        QTest::newRow("ip_vs_mh_get_fallback: C overloaded, 172.16.0.5 -> A")
            << "172.16.0.5" << 5000 << fallback << "C:overloaded" << "A";
        QTest::newRow("ip_vs_mh_get_fallback: C overloaded, 203.0.113.7 -> B")
            << "203.0.113.7" << 5000 << fallback << "C:overloaded" << "B";
        // __ip_vs_update_dest keeps last_weight on an edit to 0: A keeps its slots.
        QTest::newRow("__ip_vs_update_dest last_weight: A edited to 0 keeps slot 3323 -> none")
            << "192.168.1.10" << 5000 << 0u << "A:edit0" << "none";
        QTest::newRow("ip_vs_mh_get_fallback: A edited to 0 -> C")
            << "192.168.1.10" << 5000 << fallback << "A:edit0" << "C";
        // Added with weight 0, last_weight is 0: no slots; the table is that of C B alone.
        QTest::newRow("ip_vs_mh_permutate: A added with 0 owns no slot -> C")
            << "192.168.1.10" << 5000 << 0u << "A:add0" << "C";
        QTest::newRow("ip_vs_mh_dest_changed (del_dest): A removed, 10.1.2.3 -> B")
            << "10.1.2.3" << 5000 << 0u << "A:delete" << "B";
    }
    void schedule()
    {
        QFETCH(QString, client);
        QFETCH(int, cport);
        QFETCH(uint, flags);
        QFETCH(QString, change);
        QFETCH(QString, expected);
        Lab lab(flags);
        lab.add('A', change == "A:add0" ? 0 : 1);
        lab.add('B', 1);
        lab.add('C', 1);
        if (change == "A:overloaded")
            lab.service.findDest(serverAddress('A'), 80)->overloaded = true;
        else if (change == "C:overloaded")
            lab.service.findDest(serverAddress('C'), 80)->overloaded = true;
        else if (change == "A:edit0")
            lab.setWeight('A', 0);
        else if (change == "A:delete")
            lab.service.delDest(*lab.service.findDest(serverAddress('A'), 80));
        QCOMPARE(lab.schedule(client, cport), expected);
    }

    // ip_vs_mh_get_fallback on an empty table (no destinations): none.
    void noDestination()
    {
        Lab lab(kSvcSched1);
        QCOMPARE(lab.schedule("192.168.1.10", 5000), QString("none"));
    }
};

QTEST_APPLESS_MAIN(TestHashMh)
#include "test_hash_mh.moc"
