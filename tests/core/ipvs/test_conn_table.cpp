// Tests of the connection table: both lookups, erase and slot reuse, growth, and timers.
#include <QtTest>

#include "core/ipvs/conn_table.h"

#include <map>

using namespace lvs::core::ipvs;

namespace {

ConnEntry conn(std::uint32_t client, std::uint16_t cport, std::uint32_t expires, std::uint32_t laddr = 0)
{
    ConnEntry e;
    e.caddr = client;
    e.cport = cport;
    e.vaddr = 0xac126407; // 172.18.100.7
    e.vport = 80;
    e.daddr = 0xac12640b; // 172.18.100.11
    e.dport = 80;
    e.laddr = laddr;
    e.lport = laddr ? static_cast<std::uint16_t>(cport + 1) : 0;
    e.expires = expires;
    return e;
}

} // namespace

class TestConnTable : public QObject {
    Q_OBJECT

private slots:
    void lookups()
    {
        ConnTable t(16);
        ConnIndex a = t.insert(conn(0xac140064, 1000, 100));
        ConnIndex b = t.insert(conn(0xac140064, 1001, 100, 0xc0a80ac9)); // FULLNAT, laddr .201
        QCOMPARE(t.findIn(6, 0xac140064, 1000, 0xac126407, 80), a);
        QCOMPARE(t.findIn(6, 0xac140064, 1001, 0xac126407, 80), b);
        QCOMPARE(t.findIn(17, 0xac140064, 1000, 0xac126407, 80), kNoConn); // another protocol
        QCOMPARE(t.findIn(6, 0xac140064, 1000, 0xac126407, 443), kNoConn);
        // Replies: NAT/DR by the client, FULLNAT by the local address and port.
        QCOMPARE(t.findOut(6, 0xac12640b, 80, 0xac140064, 1000), a);
        QCOMPARE(t.findOut(6, 0xac12640b, 80, 0xc0a80ac9, 1002), b);
        QCOMPARE(t.findOut(6, 0xac12640b, 80, 0xac140064, 1001), kNoConn);
    }

    void eraseAndReuse()
    {
        ConnTable t(16);
        ConnIndex a = t.insert(conn(1, 1, 10));
        ConnIndex b = t.insert(conn(2, 2, 10));
        t.erase(a);
        QCOMPARE(t.size(), std::size_t(1));
        QCOMPARE(t.findIn(6, 1, 1, 0xac126407, 80), kNoConn);
        QCOMPARE(t.findIn(6, 2, 2, 0xac126407, 80), b);
        ConnIndex c = t.insert(conn(3, 3, 10));
        QCOMPARE(c, a); // the freed slot is reused
        QCOMPARE(t.findIn(6, 3, 3, 0xac126407, 80), c);
    }

    // Past one entry per bucket the table doubles; every entry stays findable both ways.
    void growth()
    {
        ConnTable t(1024);
        for (std::uint32_t i = 0; i < 5000; ++i)
            t.insert(conn(0x0a000000 + i, static_cast<std::uint16_t>(i), 100));
        QCOMPARE(t.size(), std::size_t(5000));
        for (std::uint32_t i = 0; i < 5000; ++i) {
            QVERIFY(t.findIn(6, 0x0a000000 + i, static_cast<std::uint16_t>(i), 0xac126407, 80) != kNoConn);
            QVERIFY(t.findOut(6, 0xac12640b, 80, 0x0a000000 + i, static_cast<std::uint16_t>(i)) != kNoConn);
        }
    }

    // Open addressing with backward-shift deletion: after any mix of inserts and erases every
    // live entry is found both ways and no erased one is (checked against a std::map model,
    // with a fixed seed so a failure repeats).
    void eraseKeepsProbeRuns()
    {
        ConnTable t(1024);
        std::map<std::pair<std::uint32_t, std::uint16_t>, ConnIndex> model;
        std::uint32_t seed = 7;
        auto next = [&] { return seed = seed * 1103515245u + 12345u; };
        for (int step = 0; step < 20000; ++step) {
            std::uint32_t client = 0x0a000000u + (next() >> 20) % 3000;
            auto port = static_cast<std::uint16_t>(1 + (next() >> 16) % 4);
            auto key = std::pair{client, port};
            auto it = model.find(key);
            if (it == model.end()) {
                model[key] = t.insert(conn(client, port, 100));
            } else {
                t.erase(it->second);
                model.erase(it);
            }
        }
        QCOMPARE(t.size(), model.size());
        std::size_t listed = 0;
        t.forEach([&](ConnIndex, const ConnEntry&) { ++listed; });
        QCOMPARE(listed, model.size());
        for (const auto& [key, index] : model) {
            QCOMPARE(t.findIn(6, key.first, key.second, 0xac126407, 80), index);
            QCOMPARE(t.findOut(6, 0xac12640b, 80, key.first, key.second), index);
        }
        for (std::uint32_t c = 0x0a000000u; c < 0x0a000000u + 3000; ++c)
            for (std::uint16_t p = 1; p <= 4; ++p)
                if (!model.count({c, p}))
                    QCOMPARE(t.findIn(6, c, p, 0xac126407, 80), kNoConn);
    }

    // ip_vs_conn_unhash: an unhashed entry is no longer found from the client side, but its
    // timer and server-side lookup remain until it is erased.
    void unhash()
    {
        ConnTable t(16);
        ConnIndex a = t.insert(conn(1, 1, 10));
        t.unhashIn(a);
        QCOMPARE(t.findIn(6, 1, 1, 0xac126407, 80), kNoConn);
        QCOMPARE(t.findOut(6, 0xac12640b, 80, 1, 1), a);
        ConnIndex b = t.insert(conn(1, 1, 10)); // the same key again, as a fresh template would be
        QCOMPARE(t.findIn(6, 1, 1, 0xac126407, 80), b);
        t.erase(a);
        QCOMPARE(t.findIn(6, 1, 1, 0xac126407, 80), b);
        QCOMPARE(t.size(), std::size_t(1));
    }

    // Timers fire at their second, oldest first; a callback can re-arm (as a template with
    // connections is) or let the entry go.
    void expiry()
    {
        ConnTable t(16);
        ConnIndex a = t.insert(conn(1, 1, 5));
        ConnIndex b = t.insert(conn(2, 2, 3));
        ConnIndex c = t.insert(conn(3, 3, 5000)); // beyond one turn of the wheel
        std::vector<ConnIndex> fired;
        auto drop = [&](ConnIndex i) -> std::optional<std::uint32_t> {
            fired.push_back(i);
            return std::nullopt;
        };
        QCOMPARE(t.expire(2, drop), std::size_t(0));
        QCOMPARE(t.expire(4, drop), std::size_t(1));
        QCOMPARE(fired, std::vector<ConnIndex>{b});
        bool rearmed = false;
        QCOMPARE(t.expire(5, [&](ConnIndex i) -> std::optional<std::uint32_t> {
                     fired.push_back(i);
                     if (rearmed)
                         return std::nullopt;
                     rearmed = true;
                     return 65u; // ip_vs_conn_expire's 60 s re-arm
                 }),
                 std::size_t(1));
        QCOMPARE(t.size(), std::size_t(2));
        QCOMPARE(t.at(a).expires, 65u);
        QCOMPARE(t.expire(64, drop), std::size_t(0));
        QCOMPARE(t.expire(65, drop), std::size_t(1));
        // A long jump walks the whole wheel once and still skips what is not due.
        QCOMPARE(t.expire(4999, drop), std::size_t(0));
        QCOMPARE(t.expire(9000, drop), std::size_t(1));
        QCOMPARE(fired.back(), c);
        QCOMPARE(t.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestConnTable)
#include "test_conn_table.moc"
