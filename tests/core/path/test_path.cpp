// The packet-path engine: a hop table per mode on the examples, the MACs of every hop, broken
// designs stopping at the right hop with the right reason, the scheduler's successive choices,
// firewall marks and persistence (80 and 443 to one real server), and the JSON form.
// Kernel references: net/netfilter/ipvs/ip_vs_xmit.c (ip_vs_nat_xmit, ip_vs_dr_xmit,
// ip_vs_tunnel_xmit), ip_vs_core.c (ip_vs_in, ip_vs_out), ip_vs_ctl.c (ip_vs_service_find),
// net/ipv4/arp.c (arp_ignore), net/ipv4/fib_frontend.c (fib_validate_source, rp_filter).
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "core/model/edit.h"
#include "core/path/path.h"

#include <nlohmann/json.hpp>

using namespace lvs::core;

namespace {

Topology example(const char* name)
{
    auto t = loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab");
    if (!t)
        qFatal("cannot load %s", name);
    return *t;
}

Node& node(Topology& t, const std::string& name)
{
    for (Node& n : t.nodes)
        if (n.name == name)
            return n;
    qFatal("no node %s", name.c_str());
}

std::vector<path::Trace> trace(const Topology& t, path::Options o = {})
{
    auto r = path::tracePaths(t, o);
    if (!r)
        qFatal("%s", r.error().message.c_str());
    return *r;
}

// "NODE IN>OUT [OUTER] SRC:SPORT>DST:DPORT" per hop.
QStringList hops(const path::Leg& leg)
{
    QStringList out;
    for (const path::Hop& h : leg.hops) {
        QString line = QString::fromStdString(h.node + " " + (h.inInterface.empty() ? "-" : h.inInterface) + ">"
                                              + (h.outInterface.empty() ? "-" : h.outInterface) + " ");
        if (h.headers.outerSrc)
            line += QString::fromStdString("[" + h.headers.outerSrc->toString() + ">" + h.headers.outerDst->toString() + "] ");
        line += QString::fromStdString(h.headers.src.toString() + ":" + std::to_string(h.headers.sport) + ">"
                                       + h.headers.dst.toString() + ":" + std::to_string(h.headers.dport));
        out << line;
    }
    return out;
}

// Every hop that sends: the source MAC is its out interface's, the destination MAC the next
// hop's in interface's (the lab's deterministic MACs, so a capture can be compared).
void checkMacs(const Topology& t, const path::Leg& leg)
{
    auto mac = [&](const std::string& nodeName, const std::string& iface) {
        for (const Node& n : t.nodes)
            if (n.name == nodeName)
                for (const Interface& i : n.interfaces)
                    if (i.name == iface)
                        return interfaceMac(i);
        return Mac{};
    };
    for (std::size_t k = 0; k + 1 < leg.hops.size(); ++k) {
        const path::Hop& h = leg.hops[k];
        QCOMPARE(h.headers.srcMac, mac(h.node, h.outInterface));
        QCOMPARE(h.headers.dstMac, mac(leg.hops[k + 1].node, leg.hops[k + 1].inInterface));
    }
}

} // namespace

class TestPath : public QObject {
    Q_OBJECT

private slots:
    void modes_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QStringList>("request");
        QTest::addColumn<QStringList>("response");
        // NAT: DNAT to the RIP at the director, the reply SNATed back there (gateway = DIP).
        QTest::newRow("nat") << "lvs-nat"
                             << QStringList{"Client ->eth0 172.18.100.100:40000>172.18.100.6:80",
                                            "Director eth0>eth1 172.18.100.100:40000>192.168.10.12:80",
                                            "RS2 eth0>- 172.18.100.100:40000>192.168.10.12:80"}
                             << QStringList{"RS2 ->eth0 192.168.10.12:80>172.18.100.100:40000",
                                            "Director eth1>eth0 172.18.100.6:80>172.18.100.100:40000",
                                            "Client eth0>- 172.18.100.6:80>172.18.100.100:40000"};
        // DR: the IP packet never changes; the reply goes RS -> router -> client.
        QTest::newRow("dr") << "lvs-dr"
                            << QStringList{"Client ->eth0 172.20.0.100:40000>172.18.100.7:80",
                                           "Router eth0>eth1 172.20.0.100:40000>172.18.100.7:80",
                                           "Director eth0>eth0 172.20.0.100:40000>172.18.100.7:80",
                                           "RS2 eth0>- 172.20.0.100:40000>172.18.100.7:80"}
                            << QStringList{"RS2 ->eth0 172.18.100.7:80>172.20.0.100:40000",
                                           "Router eth1>eth0 172.18.100.7:80>172.20.0.100:40000",
                                           "Client eth0>- 172.18.100.7:80>172.20.0.100:40000"};
        // TUN: an outer header DIP -> RIP across the router; tunl0 strips it; direct reply.
        QTest::newRow("tun") << "lvs-tun"
                             << QStringList{"Client ->eth0 172.20.0.100:40000>172.18.100.7:80",
                                            "Router eth0>eth1 172.20.0.100:40000>172.18.100.7:80",
                                            "Director eth0>eth0 [172.18.100.6>172.21.100.12] 172.20.0.100:40000>172.18.100.7:80",
                                            "Router eth1>eth3 [172.18.100.6>172.21.100.12] 172.20.0.100:40000>172.18.100.7:80",
                                            "RS2 eth0>- 172.20.0.100:40000>172.18.100.7:80"}
                             << QStringList{"RS2 ->eth0 172.18.100.7:80>172.20.0.100:40000",
                                            "Router eth3>eth0 172.18.100.7:80>172.20.0.100:40000",
                                            "Client eth0>- 172.18.100.7:80>172.20.0.100:40000"};
        // FULLNAT: source to a local address, destination to RIP:8080; the reply comes back.
        QTest::newRow("fullnat") << "lvs-fullnat"
                                 << QStringList{"Client ->eth0 172.20.0.100:40000>172.18.100.7:80",
                                                "Router eth0>eth1 172.20.0.100:40000>172.18.100.7:80",
                                                "Director eth0>eth1 192.168.10.201:40000>192.168.10.12:8080",
                                                "RS2 eth0>- 192.168.10.201:40000>192.168.10.12:8080"}
                                 << QStringList{"RS2 ->eth0 192.168.10.12:8080>192.168.10.201:40000",
                                                "Director eth1>eth0 172.18.100.7:80>172.20.0.100:40000",
                                                "Router eth1>eth0 172.18.100.7:80>172.20.0.100:40000",
                                                "Client eth0>- 172.18.100.7:80>172.20.0.100:40000"};
    }
    void modes()
    {
        QFETCH(QString, example);
        QFETCH(QStringList, request);
        QFETCH(QStringList, response);
        const Topology t = ::example(qPrintable(example));
        auto traces = trace(t);
        QCOMPARE(traces.size(), std::size_t{1});
        QVERIFY(traces[0].request.delivered);
        QVERIFY(traces[0].response.delivered);
        QCOMPARE(hops(traces[0].request), request);
        QCOMPARE(hops(traces[0].response), response);
        checkMacs(t, traces[0].request);
        checkMacs(t, traces[0].response);
        // The director's hooks: IPVS works at INPUT and sends on at OUTPUT/POSTROUTING.
        for (const path::Hop& h : traces[0].request.hops)
            if (h.node == "Director")
                QCOMPARE(h.hooks, (std::vector<std::string>{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}));
    }

    // What each hop changed is marked: the director of NAT changes ip.dst and both MACs.
    void changedFields()
    {
        const Topology t = example("lvs-nat");
        auto traces = trace(t);
        const path::Hop& d = traces[0].request.hops[1];
        QCOMPARE(d.changed, (std::vector<std::string>{"eth.src", "eth.dst", "ip.dst"}));
        const path::Hop& back = traces[0].response.hops[1];
        QCOMPARE(back.changed, (std::vector<std::string>{"eth.src", "eth.dst", "ip.src"}));
        QVERIFY(traces[0].request.hops[0].changed.empty());
        const Topology tun = example("lvs-tun");
        auto tt = trace(tun);
        QCOMPARE(tt[0].request.hops[2].changed, (std::vector<std::string>{"eth.src", "eth.dst", "outer.src", "outer.dst"}));
        const Topology fnat = example("lvs-fullnat");
        auto ft = trace(fnat);
        QCOMPARE(ft[0].request.hops[2].changed,
                 (std::vector<std::string>{"eth.src", "eth.dst", "ip.src", "ip.dst", "dport", "toa"}));
        QCOMPARE(*ft[0].request.hops[2].headers.toaAddress, Ipv4{0xac140064}); // the CIP 172.20.0.100
    }

    void brokenDesigns_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("leg");
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("reason");
        QTest::newRow("NAT: RS gateway not the DIP") << "nat-gateway" << "response" << "Client"
            << "Client gets a reply from 192.168.10.12:80 but its connection is to 172.18.100.6:80";
        QTest::newRow("DR: no arp_ignore on RS1") << "dr-arp" << "request" << "Router"
            << "is answered by 2 hosts";
        QTest::newRow("TUN: no VIP on the RS") << "tun-vip" << "request" << "RS2"
            << "RS2 has no 172.18.100.7 (the VIP) on tunl0 or anywhere";
        QTest::newRow("TUN: rp_filter 1") << "tun-rp" << "request" << "RS2" << "rp_filter=1 on RS2";
        QTest::newRow("DR: port mapping") << "dr-port" << "request" << "Director" << "DR cannot change the port";
        QTest::newRow("NAT: RS serves another port") << "nat-noapp" << "request" << "RS2"
            << "RS2 serves nothing on tcp port 80: the request is refused (RST)";
        QTest::newRow("router does not forward") << "dr-noforward" << "request" << "Router"
            << "Router does not forward (net.ipv4.ip_forward=0)";
        QTest::newRow("all weights 0") << "nat-weights" << "request" << "Director" << "has no available real server";
    }
    void brokenDesigns()
    {
        QFETCH(QString, variant);
        QFETCH(QString, leg);
        QFETCH(QString, node);
        QFETCH(QString, reason);
        Topology t;
        if (variant == "nat-gateway" || variant == "nat-noapp" || variant == "nat-weights") {
            t = example("lvs-nat");
            if (variant == "nat-gateway") {
                // A second router between the two segments, and RS2's gateway pointing at it: the
                // reply reaches the client without passing the director's SNAT.
                auto r = edit::addNode(t, NodeKind::Router, "Router", {400, 400});
                Node& router = ::node(t, "Router");
                router.interfaces[0].addresses = {Ipv4Prefix{Ipv4{0xc0a80a01}, 24}}; // 192.168.10.1
                auto eth1 = edit::addInterface(t, *r, "eth1");
                for (Interface& i : ::node(t, "Router").interfaces)
                    if (i.id == *eth1)
                        i.addresses = {Ipv4Prefix{Ipv4{0xac126401}, 16}}; // 172.18.100.1
                edit::connect(t, {*r, ::node(t, "Router").interfaces[0].id}, {::node(t, "Private").id, kNoId});
                edit::connect(t, {*r, *eth1}, {::node(t, "Public").id, kNoId});
                ::node(t, "RS2").defaultGateway = Ipv4{0xc0a80a01};
            }
            if (variant == "nat-noapp")
                ::node(t, "RS2").apps.clear();
            if (variant == "nat-weights")
                for (Destination& d : ::node(t, "Director").services[0].destinations)
                    d.weight = 0;
        } else if (variant.startsWith("dr")) {
            t = example("lvs-dr");
            if (variant == "dr-arp")
                for (auto& [k, v] : ::node(t, "RS1").sysctls)
                    if (k.ends_with("arp_ignore"))
                        v = 0;
            if (variant == "dr-port")
                for (Destination& d : ::node(t, "Director").services[0].destinations)
                    d.port = 8080;
            if (variant == "dr-noforward")
                ::node(t, "Router").sysctls["net.ipv4.ip_forward"] = 0;
        } else {
            t = example("lvs-tun");
            if (variant == "tun-vip")
                ::node(t, "RS2").vips.clear();
            if (variant == "tun-rp")
                ::node(t, "RS2").sysctls["net.ipv4.conf.all.rp_filter"] = 1;
        }
        auto traces = trace(t);
        const path::Leg& l = leg == "request" ? traces[0].request : traces[0].response;
        QVERIFY(!l.delivered);
        QCOMPARE(QString::fromStdString(l.brokenAt), node);
        QVERIFY2(QString::fromStdString(l.breakReason).contains(reason), l.breakReason.c_str());
    }

    // Successive requests follow the scheduler (rr over RS2, RS1 — the kernel's newest-first
    // list), wlc counts the inactive (TIME_WAIT) connections left by earlier requests.
    void successiveRequests()
    {
        path::Options o;
        o.requests = 4;
        auto rr = trace(example("lvs-nat"), o);
        QStringList chosen;
        for (const auto& t : rr)
            chosen << QString::fromStdString(t.realServer);
        QCOMPARE(chosen, (QStringList{"RS2", "RS1", "RS2", "RS1"}));
        auto wlc = trace(example("lvs-fullnat"), o);
        chosen.clear();
        for (const auto& t : wlc)
            chosen << QString::fromStdString(t.realServer);
        QCOMPARE(chosen, (QStringList{"RS2", "RS1", "RS2", "RS1"}));
    }

    // Seed 004: one mark for 80 and 443, persistent: every request of a client goes to one RS.
    // The port-0 service (PCC) does the same for any port.
    void marksAndPersistence()
    {
        path::Options o;
        o.targets = {"tcp:172.18.100.7:80", "tcp:172.18.100.7:443"};
        o.requests = 6;
        auto fwm = trace(example("fwm-http-https"), o);
        for (const auto& t : fwm) {
            QCOMPARE(t.realServer, fwm[0].realServer);
            QVERIFY(t.request.delivered && t.response.delivered);
            QCOMPARE(t.request.hops[2].headers.mark, std::uint32_t{10});
        }
        o.targets = {"tcp:172.18.100.7:80", "tcp:172.18.100.7:23"};
        auto pcc = trace(example("pcc-port0"), o);
        for (const auto& t : pcc)
            QCOMPARE(t.realServer, pcc[0].realServer);
    }

    void badOptions()
    {
        path::Options o;
        o.targets = {"tcp:1.2.3"};
        QVERIFY(!path::tracePaths(example("lvs-nat"), o));
        o.targets = {};
        o.client = "Nobody";
        auto r = path::tracePaths(example("lvs-nat"), o);
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message), QString("no node named \"Nobody\""));
    }

    void json()
    {
        auto traces = trace(example("lvs-tun"));
        auto j = nlohmann::json::parse(path::tracesToJson(traces));
        QCOMPARE(j.size(), std::size_t{1});
        QCOMPARE(j[0]["method"].get<std::string>(), std::string("tunnel"));
        const auto& hop = j[0]["request_path"]["hops"][2];
        QCOMPARE(hop["node"].get<std::string>(), std::string("Director"));
        QCOMPARE(hop["headers"]["outer_dst"].get<std::string>(), std::string("172.21.100.12"));
        QVERIFY(j[0]["response_path"]["delivered"].get<bool>());
        QVERIFY(path::formatTraces(traces).find("IPIP *172.18.100.6 > *172.21.100.12") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestPath)
#include "test_path.moc"
