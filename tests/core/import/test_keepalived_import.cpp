// keepalived.conf import: import(export(x)) keeps every example director's services, checks and
// VRRP instances; the seeds' and DPVS's snippets read as expected; malformed text gives
// file:line:column errors; unknown keywords are warnings.
#include <QtTest>

#include "core/export/export.h"
#include "core/export/keepalived.h"
#include "core/import/keepalived.h"
#include "core/io/lvslab_file.h"
#include "tests/core/keepalived_test_support.h"

#include <algorithm>
#include <filesystem>

using namespace lvs::core;
using lvs::core::exports::KeepalivedDialect;

namespace {

using lvs::test::examples;
using lvs::test::kSource;

bool usesFullNat(const Node& n)
{
    for (const VirtualService& s : n.services)
        for (const Destination& d : s.destinations)
            if (d.method == ForwardMethod::FullNat)
                return true;
    return false;
}

// What keepalived.conf carries: no ids, no real-server links, a destination's port made
// explicit (0 means the service's), no protocol on a fwmark service.
std::vector<VirtualService> comparable(std::vector<VirtualService> services)
{
    for (VirtualService& s : services) {
        s.id = kNoId;
        if (s.fwmark != 0)
            s.protocol = Protocol::Tcp;
        for (Destination& d : s.destinations) {
            d.id = kNoId;
            d.realServer = kNoId;
            if (d.port == 0)
                d.port = s.port;
        }
    }
    return services;
}

std::vector<VrrpInstance> comparable(std::vector<VrrpInstance> vrrp)
{
    for (VrrpInstance& v : vrrp) {
        v.id = kNoId;
        v.interfaceId = kNoId;
    }
    return vrrp;
}

std::string describe(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& l : lines)
        out += l + "\n";
    return out;
}

} // namespace

class TestKeepalivedImport : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("director");
        QTest::addColumn<bool>("dpvs");
        for (const auto& entry : examples()) {
            auto t = loadLvslab(entry.path().string());
            QVERIFY(t);
            for (const Node& n : t->nodes) {
                if (n.kind != NodeKind::Director)
                    continue;
                const std::string row = entry.path().stem().string() + "-" + n.name;
                // Upstream writes full-NAT services as comments: only DPVS's text round-trips them.
                if (!usesFullNat(n))
                    QTest::newRow(row.c_str()) << QString::fromStdString(entry.path().string())
                                               << QString::fromStdString(n.name) << false;
                QTest::newRow((row + ".dpvs").c_str())
                    << QString::fromStdString(entry.path().string()) << QString::fromStdString(n.name) << true;
            }
        }
    }
    void roundTrip()
    {
        QFETCH(QString, example);
        QFETCH(QString, director);
        QFETCH(bool, dpvs);
        auto t = loadLvslab(example.toStdString());
        QVERIFY(t);
        const Node* d = t->findNodeByName(director.toStdString());
        QVERIFY(d);
        auto text = exports::keepalivedConf(*t, *d, dpvs ? KeepalivedDialect::Dpvs : KeepalivedDialect::Upstream);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        auto back = import::parseKeepalived(*text, "exported.conf");
        QVERIFY2(back, back ? "" : back.error().message.c_str());
        QVERIFY2(back->warnings.empty(), describe(back->warnings).c_str());
        QCOMPARE(back->director.name, d->name);
        QVERIFY2(comparable(back->director.services) == comparable(d->services), text->c_str());
        QVERIFY(comparable(back->director.vrrp) == comparable(d->vrrp));
        QCOMPARE(back->director.vrrpInterfaceNames.size(), d->vrrp.size());
        for (std::size_t i = 0; i < d->vrrp.size(); ++i) {
            auto [node, iface] = t->findInterface(d->vrrp[i].interfaceId);
            QVERIFY(iface);
            QCOMPARE(back->director.vrrpInterfaceNames[i], iface->name);
        }
        QVERIFY(back->director.localAddresses == (usesFullNat(*d) ? d->localAddresses : std::vector<Ipv4>{}));

        // The whole import builds a design that has the director with the same services.
        auto design = import::importKeepalived(*text, "exported.conf");
        QVERIFY2(design, design ? "" : design.error().message.c_str());
        const Node* imported = design->findNodeByName(d->name);
        QVERIFY(imported);
        QVERIFY(comparable(imported->services) == comparable(d->services));
    }

    // Sync groups of two instances, and every field the export writes, survive the round trip.
    void roundTripEveryField()
    {
        const Topology t = lvs::test::everyKeywordDesign();
        const Node& d = *t.findNodeByName("Director2");
        auto text = exports::keepalivedConf(t, d);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        auto back = import::parseKeepalived(*text, "every.conf");
        QVERIFY2(back, back ? "" : back.error().message.c_str());
        QVERIFY2(back->warnings.empty(), describe(back->warnings).c_str());
        QVERIFY2(comparable(back->director.services) == comparable(d.services), text->c_str());
        QVERIFY2(comparable(back->director.vrrp) == comparable(d.vrrp), text->c_str());
    }

    // The seeds' snippets (course notes, keepalived chapter) and DPVS's tutorial config.
    void seedsAndDpvs()
    {
        const std::string text = R"(! Configuration File for keepalived
global_defs {
   notification_email {
     root@localhost
   }
   router_id node1
}

vrrp_sync_group VG_1 {
    group {
        VI_1
        VI_2
    }
}

vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    nopreempt
    virtual_ipaddress {
        172.16.100.80 dev eth0 label eth0:0
    }
}

local_address_group laddr_g1 {
    192.168.100.200 dpdk0    # IP IFNAME, one local address a line
    192.168.100.201 dpdk0
}

virtual_server 192.168.100.254 80
{
    delay_loop 3
    lb_algo rr
    lb_kind FNAT                # full-NAT
    protocol TCP
    laddr_group_name laddr_g1

    real_server 192.168.100.2 80 {
        weight 100
        inhibit_on_failure
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 3
            nb_get_retry 3
            delay_before_retry 3
        }
    }
}
)";
        auto r = import::parseKeepalived(text, "seeds.conf");
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const import::ImportedDirector& d = r->director;
        QCOMPARE(d.name, std::string("node1"));
        QCOMPARE(d.vrrp.size(), std::size_t{1});
        QCOMPARE(d.vrrp[0].syncGroup, std::string("VG_1"));
        QVERIFY(d.vrrp[0].nopreempt);
        QCOMPARE(d.vrrp[0].virtualAddresses.front().toString(), std::string("172.16.100.80/32"));
        QCOMPARE(d.vrrpInterfaceNames, std::vector<std::string>{"eth0"});
        QCOMPARE(d.localAddresses.size(), std::size_t{2});
        QCOMPARE(d.services.size(), std::size_t{1});
        const VirtualService& s = d.services[0];
        QCOMPARE(s.scheduler, std::string("rr"));
        QVERIFY(s.check.kind == CheckKind::HttpGet);
        QCOMPARE(s.check.retry, 3);
        QCOMPARE(s.check.delayLoop, 3);
        QVERIFY(s.check.inhibitOnFailure);
        QVERIFY(s.destinations.front().method == ForwardMethod::FullNat);
        QCOMPARE(s.destinations.front().weight, std::int64_t{100});
        // notification_email and label are not modelled: warnings, with file:line.
        const std::string w = describe(r->warnings);
        QVERIFY2(w.find("seeds.conf:3:4: keyword 'notification_email' in global_defs is not read (ignored)") != std::string::npos,
                 w.c_str());
        QVERIFY2(w.find("seeds.conf:23:") != std::string::npos, w.c_str());
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("unmatched close") << "global_defs {\n}\n}\n" << "in.conf:3:1: '}' without a matching '{'";
        QTest::newRow("never closed") << "global_defs {\n router_id a\n\nvrrp_instance VI_1 {\n"
                                      << "in.conf:4:1: 'vrrp_instance' opens a block that is never closed";
        QTest::newRow("brace alone") << "{\n}\n" << "in.conf:1:1: '{' with no keyword before it";
        QTest::newRow("quote") << "global_defs {\n router_id \"a b\n}\n" << "in.conf:2:12: unterminated quoted word";
        QTest::newRow("include") << "global_defs {\n}\n  include /etc/keepalived/conf.d/*.conf\n"
                                 << "in.conf:3:3: include is not supported";
        QTest::newRow("bad address") << "virtual_server 10.0.0.300 80 {\n}\n"
                                     << "in.conf:1:16: '10.0.0.300' is not an IPv4 address";
        QTest::newRow("ipv6") << "virtual_server 2001::1 80 {\n}\n" << "in.conf:1:16: '2001::1' is not an IPv4 address";
        QTest::newRow("bad port") << "virtual_server 10.0.0.1 http {\n}\n"
                                  << "in.conf:1:25: 'virtual_server' needs a whole number 0..65535, not 'http'";
        QTest::newRow("no block") << "virtual_server 10.0.0.1 80\n" << "in.conf:1:1: 'virtual_server' needs a block";
        QTest::newRow("bad lb_kind") << "virtual_server 10.0.0.1 80 {\n  lb_kind XX\n}\n"
                                     << "in.conf:2:11: 'lb_kind' must be NAT, DR, TUN or FNAT, not 'XX'";
        QTest::newRow("bad weight") << "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  weight -1\n }\n}\n"
                                    << "in.conf:3:10: 'weight' needs a whole number 0..2147483647, not '-1'";
        QTest::newRow("bad priority") << "vrrp_instance V {\n interface eth0\n priority 300\n}\n"
                                      << "in.conf:3:11: 'priority' needs a whole number 1..255";
        QTest::newRow("bad state") << "vrrp_instance V {\n state PRIMARY\n}\n"
                                   << "in.conf:2:8: state must be MASTER or BACKUP, not 'PRIMARY'";
        QTest::newRow("no interface") << "vrrp_instance V {\n state MASTER\n}\n"
                                      << "in.conf:1:1: vrrp_instance V has no interface";
        QTest::newRow("bad vip") << "vrrp_instance V {\n interface eth0\n virtual_ipaddress {\n  10.1/33\n }\n}\n"
                                 << "in.conf:4:3: '10.1/33' is not an IPv4 address or prefix";
        QTest::newRow("bad granularity") << "virtual_server 10.0.0.1 80 {\n persistence_granularity 255.0.255.0\n}\n"
                                         << "in.conf:2:26: persistence_granularity needs a netmask";
        QTest::newRow("missing argument") << "virtual_server 10.0.0.1 80 {\n lb_algo\n}\n"
                                          << "in.conf:2:2: 'lb_algo' needs a scheduler";
        QTest::newRow("bad laddr") << "local_address_group g {\n 10.0.0.1-5 dpdk0\n}\n"
                                   << "in.conf:2:2: '10.0.0.1-5' is not an IPv4 local address";
    }
    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        auto r = import::parseKeepalived(text.toStdString(), "in.conf");
        QVERIFY2(!r, "accepted");
        QVERIFY2(r.error().message.starts_with(error.toStdString()), r.error().message.c_str());
        auto t = import::importKeepalived(text.toStdString(), "in.conf");
        QVERIFY(!t);
    }

    void unknownKeywordsAreWarnings()
    {
        const std::string text = "vrrp_script chk {\n script \"/bin/true\"\n}\n"
                                 "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  quorum 2\n"
                                 "  real_server 10.0.0.2 80 {\n    MISC_CHECK {\n      misc_path /bin/true\n    }\n  }\n}\n";
        std::vector<std::string> warnings;
        auto t = import::importKeepalived(text, "w.conf", &warnings);
        QVERIFY2(t, t ? "" : t.error().message.c_str());
        QCOMPARE(warnings.size(), std::size_t{3});
        QCOMPARE(warnings[0], std::string("w.conf:1:1: keyword 'vrrp_script' at the top level is not read (ignored)"));
        QCOMPARE(warnings[1], std::string("w.conf:6:3: keyword 'quorum' in virtual_server is not read (ignored)"));
        QCOMPARE(warnings[2], std::string("w.conf:8:5: keyword 'MISC_CHECK' in real_server is not read (ignored)"));
    }
};

QTEST_GUILESS_MAIN(TestKeepalivedImport)
#include "test_keepalived_import.moc"
