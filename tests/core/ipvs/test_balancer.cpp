// Tests of the Balancer: connection accounting, overload thresholds and persistence templates,
// each case following the kernel function named in it. A fake scheduler (the first available
// destination in list order) keeps these cases independent of any real scheduler.
#include <QtTest>

#include "core/ipvs/balancer.h"

using namespace lvs::core;
using namespace lvs::core::ipvs;

namespace {

// Picks the first destination in list order that is neither overloaded nor of weight 0.
class FirstAvailable final : public Scheduler {
public:
    std::string_view name() const override { return "first"; }
    Dest* schedule(Service& service, const PacketInfo&) override
    {
        Dest* chosen = nullptr;
        service.forEachDest([&](Dest& d) {
            if (!chosen && !d.overloaded && d.weight > 0)
                chosen = &d;
        });
        return chosen;
    }
};

SchedulerContext context()
{
    SchedulerContext c;
    c.factory = [](std::string_view name, Service&) -> std::unique_ptr<Scheduler> {
        if (name == "first")
            return std::make_unique<FirstAvailable>();
        return nullptr;
    };
    return c;
}

Ipv4 ip(const char* text)
{
    return *Ipv4::parse(text);
}

std::unique_ptr<Balancer> balancer(std::optional<std::uint32_t> persistence = {},
                                   std::uint16_t port = 80, std::uint32_t fwmark = 0)
{
    ServiceSettings s;
    s.address = ip("172.18.100.7");
    s.port = port;
    s.fwmark = fwmark;
    s.persistence = persistence;
    s.scheduler = "first";
    auto b = Balancer::create(s, context());
    if (!b)
        qFatal("no balancer: %s", b.error().message.c_str());
    return std::move(*b);
}

DestSettings dest(const char* address, int weight = 1, std::uint32_t upper = 0, std::uint32_t lower = 0)
{
    return DestSettings{ip(address), 80, ForwardMethod::Route, weight, upper, lower};
}

PacketInfo packet(const char* client, std::uint16_t sport, std::uint16_t dport = 80)
{
    return PacketInfo{Protocol::Tcp, ip(client), sport, ip("172.18.100.7"), dport};
}

QString chosen(Balancer& b, std::optional<ConnId> id)
{
    return id ? QString::fromStdString(b.destOf(*id)->name()) : QString("none");
}

} // namespace

class TestBalancer : public QObject {
    Q_OBJECT

private slots:
    // ip_vs_add_dest: list_add_rcu puts each new destination at the head; a deleted one that
    // is added again comes back from the trash with its counters (ip_vs_trash_get_dest).
    void unknownScheduler()
    {
        ServiceSettings s;
        s.scheduler = "fastest";
        auto b = Balancer::create(s, context());
        QVERIFY(!b.has_value());
        QCOMPARE(QString::fromStdString(b.error().message), QString("Scheduler or persistence engine not found"));
    }

    void listOrderAndTrash()
    {
        auto b = balancer();
        QVERIFY(b->addDest(dest("172.18.100.11")).has_value());
        QVERIFY(b->addDest(dest("172.18.100.12")).has_value());
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1000))), QString("172.18.100.12:80"));
        QCOMPARE(QString::fromStdString(b->addDest(dest("172.18.100.12")).error().message),
                 QString("Destination already exists"));
        QVERIFY(b->delDest(ip("172.18.100.12"), 80).has_value());
        QCOMPARE(QString::fromStdString(b->delDest(ip("172.18.100.12"), 80).error().message),
                 QString("No such destination"));
        QVERIFY(b->addDest(dest("172.18.100.12")).has_value());
        QCOMPARE(b->service().findDest(ip("172.18.100.12"), 80)->inactConns, 1u);
    }

    // ip_vs_add_dest / ip_vs_edit_dest: "if (udest->l_threshold > udest->u_threshold) return
    // -ERANGE", so -y without -x is refused.
    void lowerAboveUpperIsRefused()
    {
        auto b = balancer();
        auto r = b->addDest(dest("172.18.100.11", 1, 0, 5));
        QVERIFY(!r.has_value());
        QCOMPARE(QString::fromStdString(r.error().message),
                 QString("lower threshold 5 is above upper threshold 0 (ERANGE)"));
    }

    // ip_vs_bind_dest counts a new connection inactive; ip_vs_tcp's state change to ESTABLISHED
    // moves it to active, and back when it leaves.
    void activeAndInactive()
    {
        auto b = balancer();
        b->addDest(dest("172.18.100.11"));
        auto c = b->connect(packet("172.20.0.100", 1000));
        Dest* d = b->destOf(*c);
        QCOMPARE(d->inactConns, 1u);
        QCOMPARE(d->activeConns, 0u);
        b->setActive(*c, true);
        QCOMPARE(d->inactConns, 0u);
        QCOMPARE(d->activeConns, 1u);
        b->setActive(*c, false);
        QCOMPARE(d->inactConns, 1u);
        b->close(*c);
        QCOMPARE(d->inactConns + d->activeConns, 0u);
    }

    void overload_data()
    {
        QTest::addColumn<int>("upper");
        QTest::addColumn<int>("lower");
        QTest::addColumn<int>("overloadedAt");
        QTest::addColumn<int>("clearedAt");
        // ip_vs_bind_dest: overloaded once total >= u. ip_vs_unbind_dest: cleared when
        // total < l; without l, when total*4 < u*3.
        QTest::newRow("ip_vs_unbind_dest: u=4, no l: clear at total*4 < 12, so at 2") << 4 << 0 << 4 << 2;
        QTest::newRow("ip_vs_unbind_dest: u=4, l=3: clear below 3, so at 2") << 4 << 3 << 4 << 2;
        QTest::newRow("ip_vs_unbind_dest: u=4, l=4: clear below 4, so at 3") << 4 << 4 << 4 << 3;
        QTest::newRow("ip_vs_unbind_dest: u=8, no l: clear at total*4 < 24, so at 5") << 8 << 0 << 8 << 5;
    }
    void overload()
    {
        QFETCH(int, upper);
        QFETCH(int, lower);
        QFETCH(int, overloadedAt);
        QFETCH(int, clearedAt);
        auto b = balancer();
        b->addDest(dest("172.18.100.11", 1, std::uint32_t(upper), std::uint32_t(lower)));
        std::vector<ConnId> conns;
        for (int i = 1; i <= overloadedAt; ++i) {
            auto c = b->connect(packet("172.20.0.100", std::uint16_t(1000 + i)));
            QVERIFY(c.has_value());
            conns.push_back(*c);
            b->setActive(*c, true); // active and inactive both count in the total
            QCOMPARE(b->service().findDest(ip("172.18.100.11"), 80)->overloaded, i >= overloadedAt);
        }
        // Overloaded: the scheduler skips it, so no destination is left.
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 999))), QString("none"));
        Dest* d = b->service().findDest(ip("172.18.100.11"), 80);
        int total = overloadedAt;
        while (total > 0) {
            b->close(conns[std::size_t(total - 1)]);
            --total;
            QCOMPARE(d->overloaded, total > clearedAt);
        }
    }

    // __ip_vs_update_dest: an edit clears the overload flag when the new upper threshold is 0 or
    // above the old one, and keeps it otherwise.
    void editClearsOverload_data()
    {
        QTest::addColumn<int>("newUpper");
        QTest::addColumn<bool>("stillOverloaded");
        QTest::newRow("__ip_vs_update_dest: u 2 -> 0 clears") << 0 << false;
        QTest::newRow("__ip_vs_update_dest: u 2 -> 3 clears") << 3 << false;
        QTest::newRow("__ip_vs_update_dest: u 2 -> 2 keeps") << 2 << true;
        QTest::newRow("__ip_vs_update_dest: u 2 -> 1 keeps") << 1 << true;
    }
    void editClearsOverload()
    {
        QFETCH(int, newUpper);
        QFETCH(bool, stillOverloaded);
        auto b = balancer();
        b->addDest(dest("172.18.100.11", 1, 2));
        b->connect(packet("172.20.0.100", 1));
        b->connect(packet("172.20.0.100", 2));
        Dest* d = b->service().findDest(ip("172.18.100.11"), 80);
        QVERIFY(d->overloaded);
        QVERIFY(b->editDest(dest("172.18.100.11", 1, std::uint32_t(newUpper))).has_value());
        QCOMPARE(d->overloaded, stillOverloaded);
    }

    // ip_vs_sched_persist: a client keeps its destination while the template lives, even when
    // that destination is overloaded or set to weight 0 (ip_vs_check_template: only a deleted,
    // no longer AVAILABLE destination invalidates it; expire_quiescent_template defaults to 0).
    void persistenceSticks()
    {
        auto b = balancer(300);
        b->addDest(dest("172.18.100.11"));
        b->addDest(dest("172.18.100.12"));
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1000))), QString("172.18.100.12:80"));
        Dest* d12 = b->service().findDest(ip("172.18.100.12"), 80);
        QCOMPARE(d12->persistConns, 1u);
        b->editDest(dest("172.18.100.12", 0));
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1001))), QString("172.18.100.12:80"));
        // Another client is scheduled afresh and cannot get the weight-0 server.
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.101", 1000))), QString("172.18.100.11:80"));
        // Deleted: the template is invalid, the client is scheduled again.
        b->delDest(ip("172.18.100.12"), 80);
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1002))), QString("172.18.100.11:80"));
    }

    // ip_vs_conn_put restarts the template's timer (timeout after its last use);
    // ip_vs_conn_expire re-arms a template that still controls connections for 60 s, and its
    // timeout stays 60 s.
    void templateExpiry()
    {
        auto b = balancer(300);
        b->addDest(dest("172.18.100.11"));
        auto c1 = b->connect(packet("172.20.0.100", 1000));       // t=0: template until 300
        b->advanceTo(200);
        auto c2 = b->connect(packet("172.20.0.100", 1001));       // t=200: until 500
        Dest* d = b->destOf(*c1);
        b->close(*c1);
        b->advanceTo(499);
        QCOMPARE(d->persistConns, 1u);
        b->advanceTo(500); // c2 still open: re-armed until 560
        QCOMPARE(d->persistConns, 1u);
        b->close(*c2);
        b->advanceTo(559);
        QCOMPARE(d->persistConns, 1u);
        b->advanceTo(560);
        QCOMPARE(d->persistConns, 0u);
        // A new template starts over with the service's timeout.
        b->addDest(dest("172.18.100.12")); // now first in the list
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1002))), QString("172.18.100.12:80"));
    }

    // ip_vs_conn_expire for a connection: its timer unbinds it (counters, thresholds) and
    // releases its template, which then expires on its own timer (one table holds both).
    void connectionTimer()
    {
        auto b = balancer(100);
        b->addDest(dest("172.18.100.11", 1, 1));
        auto c = b->connect(packet("172.20.0.100", 1000));
        Dest* d = b->destOf(*c);
        QVERIFY(d->overloaded);
        b->setActive(*c, true);
        b->setExpiry(*c, 150);
        QCOMPARE(b->connections().size(), std::size_t(2)); // the connection and its template
        b->advanceTo(100); // the template is due but controls c: re-armed to 160
        QCOMPARE(d->persistConns, 1u);
        b->advanceTo(150); // c's timer
        QCOMPARE(d->activeConns, 0u);
        QVERIFY(!d->overloaded); // ip_vs_unbind_dest: no lower threshold, 0*4 < 1*3
        QCOMPARE(b->connections().size(), std::size_t(1));
        b->advanceTo(160);
        QCOMPARE(d->persistConns, 0u);
        QCOMPARE(b->connections().size(), std::size_t(0));
    }

    // The director's path for a NAT connection: ip_vs_conn_in_get / ip_vs_conn_out_get find it
    // both ways; set_tcp_state moves it SYN_RECV (active since Linux 4.7's
    // tcp_state_active_table, 60 s), ESTABLISHED (900 s), then on the client's FIN to
    // CLOSE_WAIT (inactive, 60 s); its timer then expires it and unbinds it.
    void natConnectionLifecycle()
    {
        auto b = balancer();
        b->addDest(DestSettings{ip("192.168.10.11"), 8080, ForwardMethod::Masq, 1, 0, 0});
        PacketInfo syn = packet("172.20.0.100", 40000);
        auto c = b->connect(syn);
        QVERIFY(c.has_value());
        QCOMPARE(b->findIn(syn), c);
        QCOMPARE(b->findOut(Protocol::Tcp, ip("192.168.10.11"), 8080, ip("172.20.0.100"), 40000), c);
        QCOMPARE(b->findOut(Protocol::Tcp, ip("192.168.10.11"), 80, ip("172.20.0.100"), 40000), std::nullopt);
        Dest* d = b->destOf(*c);
        b->advanceTo(1000);
        b->packet(*c, PacketDirection::Input, kTcpSyn, 60);
        QCOMPARE(b->connections().at(*c).state, std::uint8_t(TcpState::SynRecv));
        QCOMPARE(d->activeConns, 1u);
        QCOMPARE(b->connections().at(*c).expires, 1060u);
        b->packet(*c, PacketDirection::Output, kTcpSyn | kTcpAck, 60);
        b->packet(*c, PacketDirection::Input, kTcpAck, 52);
        QCOMPARE(b->connections().at(*c).state, std::uint8_t(TcpState::Established));
        QCOMPARE(b->connections().at(*c).expires, 1900u);
        b->packet(*c, PacketDirection::Input, kTcpFin | kTcpAck, 52);
        QCOMPARE(b->connections().at(*c).state, std::uint8_t(TcpState::CloseWait));
        // ip_vs_conn_stats / ip_vs_in_stats / ip_vs_out_stats count on the destination, the
        // service and the total; ipvsadm reads them after the next 2-second round.
        QCOMPARE(d->stats.live(), (StatsCounters{1, 3, 1, 164, 60}));
        QCOMPARE(b->service().stats.live(), (StatsCounters{1, 3, 1, 164, 60}));
        QCOMPARE(b->estimation().total().live(), (StatsCounters{1, 3, 1, 164, 60}));
        QCOMPARE(d->activeConns, 0u);
        QCOMPARE(d->inactConns, 1u);
        b->advanceTo(1059);
        QCOMPARE(b->connections().size(), std::size_t(1));
        b->advanceTo(1060);
        QCOMPARE(b->connections().size(), std::size_t(0));
        QCOMPARE(d->inactConns, 0u);
        QCOMPARE(b->service().stats.read().counters, (StatsCounters{1, 3, 1, 164, 60}));
    }

    // ip_vs_sched_persist keys templates by saddr & netmask: -M 255.255.255.0 puts a /24 of
    // clients on one template.
    void netmaskGranularity()
    {
        ServiceSettings s;
        s.address = ip("172.18.100.7");
        s.port = 80;
        s.persistence = 300;
        s.netmask = ip("255.255.255.0");
        s.scheduler = "first";
        auto b = std::move(*Balancer::create(s, context()));
        b->addDest(dest("172.18.100.11"));
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.100", 1000))), QString("172.18.100.11:80"));
        b->addDest(dest("172.18.100.12"));
        QCOMPARE(chosen(*b, b->connect(packet("172.20.0.200", 1000))), QString("172.18.100.11:80"));
        QCOMPARE(chosen(*b, b->connect(packet("172.20.1.5", 1000))), QString("172.18.100.12:80"));
    }

    // ip_vs_schedule: a non-persistent service takes only its own port; a persistent port-0
    // service (PCC) takes every port and keys the template by vport 0, so 80 and 23 of one
    // client share a destination.
    void portZero()
    {
        auto plain = balancer({}, 80);
        plain->addDest(dest("172.18.100.11"));
        QCOMPARE(chosen(*plain, plain->connect(packet("172.20.0.100", 1000, 23))), QString("none"));

        auto pcc = balancer(360, 0);
        pcc->addDest(DestSettings{ip("172.18.100.11"), 0, ForwardMethod::Route, 1, 0, 0});
        QCOMPARE(chosen(*pcc, pcc->connect(packet("172.20.0.100", 1000, 80))), QString("172.18.100.11:0"));
        pcc->addDest(DestSettings{ip("172.18.100.12"), 0, ForwardMethod::Route, 1, 0, 0});
        QCOMPARE(chosen(*pcc, pcc->connect(packet("172.20.0.100", 1001, 23))), QString("172.18.100.11:0"));
        QCOMPARE(chosen(*pcc, pcc->connect(packet("172.20.0.101", 1001, 23))), QString("172.18.100.12:0"));
    }
};

QTEST_GUILESS_MAIN(TestBalancer)
#include "test_balancer.moc"
