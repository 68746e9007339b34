// Tests of the ipvsadm -Ln listing: libipvs's sort order (quirks included) and the line formats.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "core/ipvs/listing.h"
#include "core/ipvs/service.h"

using namespace lvs::core;

namespace {

VirtualService service(const char* proto, const char* address, int port, std::uint32_t fwmark = 0)
{
    VirtualService s;
    s.fwmark = fwmark;
    s.protocol = *protocolFromString(proto);
    s.address = *Ipv4::parse(address);
    s.port = static_cast<std::uint16_t>(port);
    return s;
}

QStringList names(const std::vector<VirtualService>& services)
{
    QStringList out;
    for (const VirtualService* s : sortedServices(services))
        out << QString::fromStdString(serviceName(*s));
    return out;
}

} // namespace

class TestListing : public QObject {
    Q_OBJECT

private slots:
    // libipvs.c ipvs_cmp_services: fwmark, then protocol number (TCP 6 < UDP 17 < SCTP 132),
    // then address, then port.
    void serviceOrder()
    {
        std::vector<VirtualService> services{
            service("tcp", "0.0.0.0", 0, 10), service("udp", "172.18.100.7", 53),
            service("tcp", "172.18.100.7", 443), service("sctp", "172.18.100.7", 80),
            service("tcp", "172.18.100.6", 3306), service("tcp", "172.18.100.7", 80),
            service("tcp", "0.0.0.0", 0, 2)};
        QCOMPARE(names(services), (QStringList{"TCP  172.18.100.6:3306", "TCP  172.18.100.7:80",
                                               "TCP  172.18.100.7:443", "UDP  172.18.100.7:53",
                                               "SCTP 172.18.100.7:80", "FWM  2", "FWM  10"}));
    }

    // libipvs.c ipvs_cmp_services computes `r = ntohl(a) - ntohl(b)` into an int, which wraps:
    // 10.0.0.1 - 200.0.0.1 is 0x42000000, positive, so ipvsadm lists 200.0.0.1 first.
    void addressSubtractionWraps()
    {
        std::vector<VirtualService> two{service("tcp", "10.0.0.1", 80), service("tcp", "200.0.0.1", 80)};
        QCOMPARE(names(two), (QStringList{"TCP  200.0.0.1:80", "TCP  10.0.0.1:80"}));
        // 172.18.100.7 - 10.0.0.1 is above 2^31 too: the seeds' VIP lists before 10.0.0.1.
        std::vector<VirtualService> seeds{service("tcp", "10.0.0.1", 80), service("tcp", "172.18.100.7", 80)};
        QCOMPARE(names(seeds), (QStringList{"TCP  172.18.100.7:80", "TCP  10.0.0.1:80"}));
        // Addresses less than 2^31 apart sort in plain order.
        std::vector<VirtualService> near{service("tcp", "192.168.10.1", 80), service("tcp", "172.18.100.7", 80)};
        QCOMPARE(names(near), (QStringList{"TCP  172.18.100.7:80", "TCP  192.168.10.1:80"}));
    }

    // libipvs.c ipvs_cmp_dests: address then port; a destination without a port takes the
    // service's (ipvsadm.c fills it in before adding it).
    void destinationOrder()
    {
        VirtualService s = service("tcp", "172.18.100.7", 80);
        for (auto [addr, port] : {std::pair{"172.18.100.12", 80}, std::pair{"172.18.100.11", 8080},
                                  std::pair{"172.18.100.11", 0}}) {
            Destination d;
            d.address = *Ipv4::parse(addr);
            d.port = static_cast<std::uint16_t>(port);
            s.destinations.push_back(d);
        }
        QStringList order;
        for (const Destination* d : sortedDestinations(s))
            order << QString::fromStdString(d->address.toString() + ":" + std::to_string(effectivePort(s, *d)));
        QCOMPARE(order, (QStringList{"172.18.100.11:80", "172.18.100.11:8080", "172.18.100.12:80"}));
    }

    void listingOfExamples_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("director");
        QTest::addColumn<QString>("expected");
        const QString head = "IP Virtual Server version 1.2.1 (size=4096)\n"
                             "Prot LocalAddress:Port Scheduler Flags\n"
                             "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
        QTest::newRow("lvs-nat") << "lvs-nat" << "Director"
            << head + "TCP  172.18.100.6:80 rr\n"
                      "  -> 192.168.10.11:80             Masq    1      0          0         \n"
                      "  -> 192.168.10.12:80             Masq    2      0          0         \n";
        QTest::newRow("fwm-http-https") << "fwm-http-https" << "Director"
            << head + "FWM  10 rr persistent 300\n"
                      "  -> 172.18.100.11:0              Route   1      0          0         \n"
                      "  -> 172.18.100.12:0              Route   2      0          0         \n";
        QTest::newRow("pcc-port0") << "pcc-port0" << "Director"
            << head + "TCP  172.18.100.7:0 rr persistent 360\n"
                      "  -> 172.18.100.11:0              Route   1      0          0         \n"
                      "  -> 172.18.100.12:0              Route   1      0          0         \n";
        QTest::newRow("keepalived-ha") << "keepalived-ha" << "Director2"
            << head + "TCP  192.168.1.250:80 rr\n"
                      "  -> 192.168.1.201:80             Route   1      0          0         \n"
                      "  -> 192.168.1.203:80             Route   1      0          0         \n"
                      "TCP  192.168.1.250:3306 wlc\n"
                      "  -> 192.168.1.201:3306           Route   1      0          0         \n"
                      "  -> 192.168.1.203:3306           Route   1      0          0         \n";
        QTest::newRow("lvs-tun") << "lvs-tun" << "Director"
            << head + "TCP  172.18.100.7:80 wrr\n"
                      "  -> 172.19.100.11:80             Tunnel  1      0          0         \n"
                      "  -> 172.21.100.12:80             Tunnel  1      0          0         \n";
    }
    void listingOfExamples()
    {
        QFETCH(QString, example);
        QFETCH(QString, director);
        QFETCH(QString, expected);
        auto t = loadLvslab(LVSLAB_SOURCE_DIR "/examples/" + example.toStdString() + ".lvslab");
        QVERIFY(t.has_value());
        const Node* d = t->findNodeByName(director.toStdString());
        QVERIFY(d);
        QCOMPARE(QString::fromStdString(listNumeric(d->services)), expected);
    }

    void persistenceMaskAndFlags()
    {
        VirtualService s = service("tcp", "172.18.100.7", 80);
        s.scheduler = "sh";
        s.schedFlags = {"sh-fallback", "sh-port"};
        s.persistence = 300;
        s.persistenceNetmask = *Ipv4::parse("255.255.255.0");
        QVERIFY(QString::fromStdString(listNumeric({s})).contains(
            "TCP  172.18.100.7:80 sh (sh-fallback,sh-port) persistent 300 mask 255.255.255.0\n"));
    }

    // ipvsadm.c print_sched_flags (1.31): bits named for sh and mh, generic for the others, in
    // bit order whatever the rule's spelling; sh and mh have no name for the third bit.
    void schedFlags_data()
    {
        QTest::addColumn<QString>("scheduler");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("expected");
        QTest::newRow("print_sched_flags: sh, spelled flag-2,flag-1") << "sh" << QStringList{"flag-2", "flag-1"} << "sh-fallback,sh-port";
        QTest::newRow("print_sched_flags: mh") << "mh" << QStringList{"mh-port"} << "mh-port";
        QTest::newRow("print_sched_flags: rr gets generic names") << "rr" << QStringList{"sh-port", "flag-3"} << "flag-2,flag-3";
        QTest::newRow("print_sched_flags: sh drops flag-3") << "sh" << QStringList{"flag-3"} << "";
    }
    void schedFlags()
    {
        QFETCH(QString, scheduler);
        QFETCH(QStringList, flags);
        QFETCH(QString, expected);
        std::uint32_t bits = 0;
        for (const QString& f : flags)
            bits |= lvs::core::ipvs::schedFlagBit(f.toStdString());
        QCOMPARE(QString::fromStdString(schedFlagsText(scheduler.toStdString(), bits)), expected);
    }

    // print_service_entry prints " (" and ")" around print_sched_flags whenever any of the
    // three bits is set, even when print_sched_flags names none of them.
    void emptyFlagParentheses()
    {
        VirtualService s = service("tcp", "172.18.100.7", 80);
        s.scheduler = "sh";
        s.schedFlags = {"flag-3"};
        QVERIFY(QString::fromStdString(listNumeric({s})).contains("TCP  172.18.100.7:80 sh ()\n"));
    }
};

QTEST_GUILESS_MAIN(TestListing)
#include "test_listing.moc"
