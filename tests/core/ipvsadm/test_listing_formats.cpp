// Golden tests of ipvsadm's output formats (core/ipvsadm/listing). Every expected string was
// worked out by hand from the printf formats of ipvsadm 1.31's ipvsadm.c (named in each row);
// S(n) stands for n spaces so the padding arithmetic stays readable: a "%-28s" of a 15-character
// name followed by the format's separating space is written S(13 + 1) = S(14).
#include <QtTest>

#include "core/ipvs/balancer.h"
#include "core/ipvs/conn_table.h"
#include "core/ipvs/service.h"
#include "core/ipvsadm/listing.h"
#include "core/ipvsadm/options.h"

#include <arpa/inet.h>
#include <cstring>

using namespace lvs::core;
using namespace lvs::core::ipvsadm;

namespace {

std::string S(int n)
{
    return std::string(static_cast<std::size_t>(n), ' ');
}

Ipv4 ip(const char* text)
{
    return *Ipv4::parse(text);
}

// An IPv4 or IPv6 address as libipvs hands it over; the IPv6 text goes through the C library's
// inet_pton, so these tables do not lean on the code under test to build their input.
Address addr(const char* text)
{
    if (!std::strchr(text, ':'))
        return Address::of(ip(text));
    Address a;
    a.ipv6 = true;
    if (inet_pton(AF_INET6, text, a.v6.data()) != 1)
        qFatal("bad IPv6 address in a test table: %s", text);
    return a;
}

ListedDest dest(const char* address, std::uint16_t port, ForwardMethod method, int weight,
                std::uint32_t active, std::uint32_t inact)
{
    ListedDest d;
    d.address = addr(address);
    d.port = port;
    d.method = method;
    d.weight = weight;
    d.activeConns = active;
    d.inactConns = inact;
    return d;
}

// TCP 10.0.0.1:80 rr with two destinations (listed out of order) and counters that cross
// every print_largenum boundary.
ListedService webService()
{
    ListedService s;
    s.protocol = Protocol::Tcp;
    s.address = addr("10.0.0.1");
    s.port = 80;
    s.scheduler = "rr";
    s.stats.counters = {100001233, 100056789, 98765432109ULL, 123456912469134ULL,
                        99999999999999ULL};
    s.stats.rates = {120000003, 47, 6, 1000002500, 999999999};

    ListedDest d1 = dest("192.168.1.11", 80, ForwardMethod::Route, 1, 3, 5);
    d1.persistConns = 1;
    d1.upperThreshold = 100;
    d1.lowerThreshold = 50;
    d1.stats.counters = {1234, 56789, 0, 123456789, 0};
    d1.stats.rates = {3, 40, 0, 2500, 0};

    ListedDest d2 = dest("192.168.1.10", 80, ForwardMethod::Masq, 2, 12, 0);
    d2.stats.counters = {99999999, 100000000, 98765432109ULL, 123456789012345ULL,
                         99999999999999ULL};
    d2.stats.rates = {120000000, 7, 6, 1000000000, 999999999};

    s.dests = {d1, d2};
    return s;
}

// UDP 10.0.0.2:53 sh with both sh flags, persistent 300 with a /24 granularity.
ListedService dnsService()
{
    ListedService s;
    s.protocol = Protocol::Udp;
    s.address = addr("10.0.0.2");
    s.port = 53;
    s.scheduler = "sh";
    s.flags = ipvs::kSvcPersistent | ipvs::kSvcSched1 | ipvs::kSvcSched2;
    s.timeout = 300;
    s.netmask = ip("255.255.255.0").value;
    s.dests = {dest("192.168.2.10", 53, ForwardMethod::Route, 1, 0, 7)};
    return s;
}

// FWM 7 wlc, persistent 360 with the default /32 mask, a tunnel and a masq destination.
ListedService markService()
{
    ListedService s;
    s.fwmark = 7;
    s.scheduler = "wlc";
    s.flags = ipvs::kSvcPersistent;
    s.timeout = 360;
    s.dests = {dest("192.168.3.10", 0, ForwardMethod::Tunnel, 5, 1, 0),
               dest("192.168.3.9", 0, ForwardMethod::Masq, 0, 0, 0)};
    return s;
}

// Listed out of ipvs_cmp_services order: FWM, UDP, TCP.
std::vector<ListedService> wholeTable()
{
    return {markService(), dnsService(), webService()};
}

ListedConn conn(const char* protocol, const char* c, std::uint16_t cport, const char* v,
                std::uint16_t vport, const char* d, std::uint16_t dport, const char* state,
                std::uint32_t expires)
{
    ListedConn x;
    x.protocol = protocol;
    x.caddr = addr(c);
    x.cport = cport;
    x.vaddr = addr(v);
    x.vport = vport;
    x.daddr = addr(d);
    x.dport = dport;
    x.state = state;
    x.expires = expires;
    return x;
}

std::vector<ListedConn> someConnections()
{
    ListedConn sip = conn("UDP", "172.16.0.7", 5060, "10.0.0.3", 5060, "192.168.4.10", 5060,
                          "UDP", 120);
    sip.peName = "sip";
    sip.peData = "abc";
    return {conn("TCP", "172.16.0.5", 40000, "10.0.0.1", 80, "192.168.1.10", 80, "ESTABLISHED",
                 899),
            conn("UDP", "172.16.0.6", 5353, "10.0.0.2", 53, "192.168.2.10", 53, "UDP", 65),
            conn("TCP", "172.16.0.5", 0, "10.0.0.1", 80, "192.168.1.10", 80, "NONE", 360),
            sip};
}

const std::string kVersion = "IP Virtual Server version 1.2.1 (size=4096)\n";

enum Flag { Stats = 1, Rate = 2, Thresholds = 4, PersistentConn = 8, Exact = 16, TunInfo = 32 };

ListFormat numericFormat()
{
    ListFormat f;
    f.numeric = true;
    return f;
}

ListFormat formatOf(int flags)
{
    ListFormat f;
    f.numeric = true;
    f.stats = flags & Stats;
    f.rate = flags & Rate;
    f.thresholds = flags & Thresholds;
    f.persistentConn = flags & PersistentConn;
    f.exact = flags & Exact;
    f.tunInfo = flags & TunInfo;
    return f;
}

ListedDest tunnelDest(const char* address, int type, std::uint16_t port, int flags)
{
    ListedDest d = dest(address, 80, ForwardMethod::Tunnel, 1, 0, 0);
    d.tunnelType = type;
    d.tunnelPort = port;
    d.tunnelFlags = flags;
    return d;
}

// TCP 10.0.0.5:80 rr with a gue tunnel (port 6080, csum), a gre tunnel (nocsum), an ipip
// tunnel and a masq destination.
ListedService tunnelService()
{
    ListedService s;
    s.protocol = Protocol::Tcp;
    s.address = addr("10.0.0.5");
    s.port = 80;
    s.scheduler = "rr";
    s.dests = {tunnelDest("192.168.6.10", 1, 6080, 1), tunnelDest("192.168.6.11", 2, 0, 0),
               tunnelDest("192.168.6.13", 0, 0, 0),
               dest("192.168.6.12", 80, ForwardMethod::Masq, 2, 0, 0)};
    return s;
}

// A mixed table listed out of ipvs_cmp_services order:
//   FWM 5 -6 wlc persistent 360 with a /64 granularity, one destination [2001:db8::20]:0;
//   TCP [2001:db8::1]:80 rr, destinations ::11 (Masq), ::10 (Route) and a long one whose
//       name overflows "%-28s";
//   UDP 10.0.0.2:53 rr (IPv4), one destination;
//   FWM 5 wlc (IPv4, the same mark: the kernel keys a fwmark service by mark and family),
//       one ipip destination;
//   TCP [fd00::1]:443 wlc persistent 300 with the default prefix length 128.
std::vector<ListedService> ipv6Table()
{
    ListedService fwm6;
    fwm6.fwmark = 5;
    fwm6.ipv6 = true; // -f 5 -6: se->af is AF_INET6
    fwm6.scheduler = "wlc";
    fwm6.flags = ipvs::kSvcPersistent;
    fwm6.timeout = 360;
    fwm6.netmask = 64; // -M 64: a prefix length for AF_INET6
    fwm6.dests = {dest("2001:db8::20", 0, ForwardMethod::Route, 1, 0, 0)};

    ListedService web6;
    web6.address = addr("2001:db8::1");
    web6.port = 80;
    web6.scheduler = "rr";
    web6.dests = {dest("2001:db8::11", 80, ForwardMethod::Masq, 2, 12, 0),
                  dest("2001:db8::10", 80, ForwardMethod::Route, 1, 3, 5),
                  dest("2001:db8:1234:5678:9abc:def0:1234:5678", 8080, ForwardMethod::Route, 1, 0,
                       0)};

    ListedService dns4;
    dns4.protocol = Protocol::Udp;
    dns4.address = addr("10.0.0.2");
    dns4.port = 53;
    dns4.scheduler = "rr";
    dns4.dests = {dest("192.168.2.10", 53, ForwardMethod::Route, 1, 0, 0)};

    ListedService fwm4;
    fwm4.fwmark = 5;
    fwm4.scheduler = "wlc";
    fwm4.dests = {dest("192.168.3.10", 0, ForwardMethod::Tunnel, 1, 0, 0)};

    ListedService ula;
    ula.address = addr("fd00::1");
    ula.port = 443;
    ula.scheduler = "wlc";
    ula.flags = ipvs::kSvcPersistent;
    ula.timeout = 300;
    ula.netmask = 128; // the kernel's value when no -M was given
    ula.dests = {dest("fd00::10", 443, ForwardMethod::Masq, 1, 0, 0)};

    return {fwm6, web6, dns4, fwm4, ula};
}

ListedService serviceAt(const char* address, std::uint16_t port)
{
    ListedService s;
    s.address = addr(address);
    s.port = port;
    s.scheduler = "rr";
    return s;
}

// What list_all -Ln prints before the first service: the version line and print_title's.
const std::string kPlainHead = kVersion + "Prot LocalAddress:Port Scheduler Flags\n"
    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";

} // namespace

class TestListingFormats : public QObject {
    Q_OBJECT

private slots:
    // print_largenum at each boundary: "%9llu" below 10^8, then "%8lluK" (/10^3) below 10^9,
    // "%8lluM" (/10^6) below 10^11, "%8lluG" (/10^9) below 10^14, "%8lluT" (/10^12); --exact
    // "%*llu" with width 9 up to 8 digits, digits + 1 beyond.
    void largeNumber_data()
    {
        QTest::addColumn<quint64>("value");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<QString>("expected");
        QTest::newRow("print_largenum 0") << quint64(0) << false << "        0";
        QTest::newRow("print_largenum 10^8-1 plain") << quint64(99999999) << false << " 99999999";
        QTest::newRow("print_largenum 10^8 K") << quint64(100000000) << false << "  100000K";
        QTest::newRow("print_largenum 10^9-1 K truncates") << quint64(999999999) << false
                                                           << "  999999K";
        QTest::newRow("print_largenum 10^9 M") << quint64(1000000000) << false << "    1000M";
        QTest::newRow("print_largenum 10^11-1 M") << quint64(99999999999ULL) << false
                                                  << "   99999M";
        QTest::newRow("print_largenum 10^11 G") << quint64(100000000000ULL) << false
                                                << "     100G";
        QTest::newRow("print_largenum 10^14-1 G") << quint64(99999999999999ULL) << false
                                                  << "   99999G";
        QTest::newRow("print_largenum 10^14 T") << quint64(100000000000000ULL) << false
                                                << "     100T";
        QTest::newRow("print_largenum exact 0") << quint64(0) << true << "        0";
        QTest::newRow("print_largenum exact 8 digits width 9") << quint64(12345678) << true
                                                               << " 12345678";
        QTest::newRow("print_largenum exact 9 digits width 10") << quint64(123456789) << true
                                                                << " 123456789";
        QTest::newRow("print_largenum exact 20 digits") << quint64(18446744073709551615ULL)
                                                        << true << " 18446744073709551615";
    }
    void largeNumber()
    {
        QFETCH(quint64, value);
        QFETCH(bool, exact);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(ipvsadm::largeNumber(value, exact)), expected);
    }

    // list_all (-Ln and its variants) of one table; the rows name the print_title and
    // print_service_entry branches they exercise.
    void listAll_data()
    {
        QTest::addColumn<int>("table"); // 0: webService only, 1: wholeTable, 2: tunnelService
        QTest::addColumn<int>("flags");
        QTest::addColumn<QString>("expected");

        const std::string plainTitle =
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";

        // print_service_entry plain: "%s %s" + " (flags)" + " persistent %u" + " mask %s";
        // destinations "  -> %-28s %-7s %-6d %-10u %-10u\n" sorted by address
        // (ipvs_cmp_dests), services by fwmark then protocol (ipvs_cmp_services).
        QTest::newRow("list_all -Ln counters, sched flags, persistence, fwmark")
            << 1 << 0
            << QString::fromStdString(
                   kVersion + plainTitle
                   + "TCP  10.0.0.1:80 rr\n"
                   + "  -> 192.168.1.10:80" + S(14) + "Masq" + S(4) + "2" + S(6) + "12" + S(9)
                   + "0" + S(9) + "\n"
                   + "  -> 192.168.1.11:80" + S(14) + "Route" + S(3) + "1" + S(6) + "3" + S(10)
                   + "5" + S(9) + "\n"
                   + "UDP  10.0.0.2:53 sh (sh-fallback,sh-port) persistent 300 mask "
                     "255.255.255.0\n"
                   + "  -> 192.168.2.10:53" + S(14) + "Route" + S(3) + "1" + S(6) + "0" + S(10)
                   + "7" + S(9) + "\n"
                   + "FWM  7 wlc persistent 360\n"
                   + "  -> 192.168.3.9:0" + S(16) + "Masq" + S(4) + "0" + S(6) + "0" + S(10)
                   + "0" + S(9) + "\n"
                   + "  -> 192.168.3.10:0" + S(15) + "Tunnel" + S(2) + "5" + S(6) + "1" + S(10)
                   + "0" + S(9) + "\n");

        // print_title FMT_STATS: "%-33s %8s %8s %8s %8s %8s\n"; service "%-33s" then five
        // print_largenum, destinations "  -> %-28s" then five print_largenum.
        const std::string statsTitle = "Prot LocalAddress:Port" + S(15) + "Conns" + S(3) + "InPkts"
            + S(2) + "OutPkts" + S(2) + "InBytes" + S(1) + "OutBytes\n"
            + "  -> RemoteAddress:Port\n";
        QTest::newRow("list_all --stats K/M/G/T scaling")
            << 0 << int(Stats)
            << QString::fromStdString(
                   kVersion + statsTitle
                   + "TCP  10.0.0.1:80" + S(17) + S(2) + "100001K" + S(2) + "100056K" + S(3)
                   + "98765M" + S(5) + "123T" + S(3) + "99999G\n"
                   + "  -> 192.168.1.10:80" + S(13) + S(1) + "99999999" + S(2) + "100000K"
                   + S(3) + "98765M" + S(5) + "123T" + S(3) + "99999G\n"
                   + "  -> 192.168.1.11:80" + S(13) + S(5) + "1234" + S(4) + "56789" + S(8)
                   + "0" + S(2) + "123456K" + S(8) + "0\n");
        QTest::newRow("list_all --stats --exact")
            << 0 << int(Stats | Exact)
            << QString::fromStdString(
                   kVersion + statsTitle
                   + "TCP  10.0.0.1:80" + S(17) + " 100001233 100056789 98765432109"
                     " 123456912469134 99999999999999\n"
                   + "  -> 192.168.1.10:80" + S(13) + " 99999999 100000000 98765432109"
                     " 123456789012345 99999999999999\n"
                   + "  -> 192.168.1.11:80" + S(13) + S(5) + "1234" + S(4) + "56789" + S(8)
                   + "0 123456789" + S(8) + "0\n");

        // print_title FMT_RATE; the service's five rates go through print_largenum, a
        // destination's CPS/InPPS/OutPPS are " %8u" (never scaled) and only its BPS are.
        const std::string rateTitle = "Prot LocalAddress:Port" + S(17) + "CPS" + S(4) + "InPPS"
            + S(3) + "OutPPS" + S(4) + "InBPS" + S(3) + "OutBPS\n" + "  -> RemoteAddress:Port\n";
        QTest::newRow("list_all --rate scaling, dest pps unscaled")
            << 0 << int(Rate)
            << QString::fromStdString(
                   kVersion + rateTitle
                   + "TCP  10.0.0.1:80" + S(17) + S(2) + "120000K" + S(7) + "47" + S(8) + "6"
                   + S(4) + "1000M" + S(2) + "999999K\n"
                   + "  -> 192.168.1.10:80" + S(13) + " 120000000" + S(8) + "7" + S(8) + "6"
                   + S(4) + "1000M" + S(2) + "999999K\n"
                   + "  -> 192.168.1.11:80" + S(13) + S(8) + "3" + S(7) + "40" + S(8) + "0"
                   + S(5) + "2500" + S(8) + "0\n");
        QTest::newRow("list_all --rate --exact")
            << 0 << int(Rate | Exact)
            << QString::fromStdString(
                   kVersion + rateTitle
                   + "TCP  10.0.0.1:80" + S(17) + " 120000003" + S(7) + "47" + S(8) + "6"
                   + " 1000002500 999999999\n"
                   + "  -> 192.168.1.10:80" + S(13) + " 120000000" + S(8) + "7" + S(8) + "6"
                   + " 1000000000 999999999\n"
                   + "  -> 192.168.1.11:80" + S(13) + S(8) + "3" + S(7) + "40" + S(8) + "0"
                   + S(5) + "2500" + S(8) + "0\n");

        // print_title FMT_THRESHOLDS "%-33s %-10s %-10s %-10s %-10s\n"; the service line is
        // the plain one; destinations "  -> %-28s %-10u %-10u %-10u %-10u\n".
        QTest::newRow("list_all --thresholds")
            << 0 << int(Thresholds)
            << QString::fromStdString(
                   kVersion + "Prot LocalAddress:Port" + S(12)
                   + "Uthreshold Lthreshold ActiveConn InActConn \n"
                   + "  -> RemoteAddress:Port\n"
                   + "TCP  10.0.0.1:80 rr\n"
                   + "  -> 192.168.1.10:80" + S(14) + "0" + S(10) + "0" + S(10) + "12" + S(9)
                   + "0" + S(9) + "\n"
                   + "  -> 192.168.1.11:80" + S(14) + "100" + S(8) + "50" + S(9) + "3" + S(10)
                   + "5" + S(9) + "\n");

        // print_title FMT_PERSISTENTCONN "%-33s %-9s %-11s %-10s %-10s\n"; destinations
        // "  -> %-28s %-9u %-11u %-10u %-10u\n" (weight, persistconns, active, inactive).
        QTest::newRow("list_all --persistent-conn")
            << 0 << int(PersistentConn)
            << QString::fromStdString(
                   kVersion + "Prot LocalAddress:Port" + S(12) + "Weight" + S(4)
                   + "PersistConn ActiveConn InActConn \n"
                   + "  -> RemoteAddress:Port\n"
                   + "TCP  10.0.0.1:80 rr\n"
                   + "  -> 192.168.1.10:80" + S(14) + "2" + S(9) + "0" + S(11) + "12" + S(9)
                   + "0" + S(9) + "\n"
                   + "  -> 192.168.1.11:80" + S(14) + "1" + S(9) + "1" + S(11) + "3" + S(10)
                   + "5" + S(9) + "\n");

        // print_title FMT_TUN_INFO: the plain title with "TunnelInfo    " after Forward; the
        // service line is the plain one; destinations "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n"
        // with fwd_tun_info: "gue:%d:%s", "gre:%s", "ipip" (tunflags "-c" "+c" "r+c"), "n/a"
        // for a destination that is not a tunnel.
        QTest::newRow("list_all --tun-info")
            << 2 << int(TunInfo)
            << QString::fromStdString(
                   kVersion + "Prot LocalAddress:Port Scheduler Flags\n"
                   + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn "
                     "InActConn\n"
                   + "TCP  10.0.0.5:80 rr\n"
                   + "  -> 192.168.6.10:80" + S(14) + "Tunnel" + S(2) + "gue:6080:+c" + S(3) + "1"
                   + S(6) + "0" + S(10) + "0" + S(9) + "\n"
                   + "  -> 192.168.6.11:80" + S(14) + "Tunnel" + S(2) + "gre:-c" + S(8) + "1"
                   + S(6) + "0" + S(10) + "0" + S(9) + "\n"
                   + "  -> 192.168.6.12:80" + S(14) + "Masq" + S(4) + "n/a" + S(11) + "2" + S(6)
                   + "0" + S(10) + "0" + S(9) + "\n"
                   + "  -> 192.168.6.13:80" + S(14) + "Tunnel" + S(2) + "ipip" + S(10) + "1"
                   + S(6) + "0" + S(10) + "0" + S(9) + "\n");
        // --stats wins over --tun-info in print_title and print_service_entry.
        QTest::newRow("list_all --stats before --tun-info")
            << 0 << int(Stats | TunInfo)
            << QString::fromStdString(
                   kVersion + statsTitle
                   + "TCP  10.0.0.1:80" + S(17) + S(2) + "100001K" + S(2) + "100056K" + S(3)
                   + "98765M" + S(5) + "123T" + S(3) + "99999G\n"
                   + "  -> 192.168.1.10:80" + S(13) + S(1) + "99999999" + S(2) + "100000K"
                   + S(3) + "98765M" + S(5) + "123T" + S(3) + "99999G\n"
                   + "  -> 192.168.1.11:80" + S(13) + S(5) + "1234" + S(4) + "56789" + S(8)
                   + "0" + S(2) + "123456K" + S(8) + "0\n");
    }
    void listAll()
    {
        QFETCH(int, table);
        QFETCH(int, flags);
        QFETCH(QString, expected);
        std::vector<ListedService> services = table == 0 ? std::vector<ListedService>{webService()}
            : table == 1                                 ? wholeTable()
                                                         : std::vector<ListedService>{tunnelService()};
        QCOMPARE(QString::fromStdString(ipvsadm::listAll(services, formatOf(flags))), expected);
    }

    // list_all with FMT_RULE (-S -n): no version line, no title; "-A %s -s %s" + " -p %u" +
    // " -M %s" + " -b flags"; destinations "-a %s -r %s %s -w %d", a tunnel one through
    // print_tunnel_rule (" --tun-type ipip").
    void saveRules()
    {
        const std::string expected = "-A -t 10.0.0.1:80 -s rr\n"
                                     "-a -t 10.0.0.1:80 -r 192.168.1.10:80 -m -w 2\n"
                                     "-a -t 10.0.0.1:80 -r 192.168.1.11:80 -g -w 1\n"
                                     "-A -u 10.0.0.2:53 -s sh -p 300 -M 255.255.255.0"
                                     " -b sh-fallback,sh-port\n"
                                     "-a -u 10.0.0.2:53 -r 192.168.2.10:53 -g -w 1\n"
                                     "-A -f 7 -s wlc -p 360\n"
                                     "-a -f 7 -r 192.168.3.9:0 -m -w 0\n"
                                     "-a -f 7 -r 192.168.3.10:0 -i -w 5 --tun-type ipip\n";
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules(wholeTable(), true)),
                 QString::fromStdString(expected));
    }

    // print_tunnel_rule: gre "--tun-type %s %s", gue "--tun-type %s --tun-port %d %s" with
    // tun_flags_opts ("--tun-nocsum", "--tun-csum", "--tun-remcsum"), ipip "--tun-type %s".
    void saveTunnelRules()
    {
        const std::string expected =
            "-A -t 10.0.0.5:80 -s rr\n"
            "-a -t 10.0.0.5:80 -r 192.168.6.10:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum\n"
            "-a -t 10.0.0.5:80 -r 192.168.6.11:80 -i -w 1 --tun-type gre --tun-nocsum\n"
            "-a -t 10.0.0.5:80 -r 192.168.6.12:80 -m -w 2\n"
            "-a -t 10.0.0.5:80 -r 192.168.6.13:80 -i -w 1 --tun-type ipip\n";
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({tunnelService()}, true)),
                 QString::fromStdString(expected));
    }

    // print_service_entry: --pe and -o. -S prints " -p %u", " --pe %s", " -o" in that order
    // (--pe whether or not the service is persistent); -L prints " pe %s" only inside the
    // persistent part, then " ops".
    void persistenceEngineAndOps()
    {
        ListedService s;
        s.protocol = Protocol::Udp;
        s.address = addr("10.0.0.3");
        s.port = 5060;
        s.scheduler = "rr";
        s.flags = ipvs::kSvcPersistent | 0x0004; // IP_VS_SVC_F_ONEPACKET
        s.timeout = 60;
        s.peName = "sip";
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, true)),
                 QStringLiteral("-A -u 10.0.0.3:5060 -s rr -p 60 --pe sip -o\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, numericFormat())),
                 QStringLiteral("UDP  10.0.0.3:5060 rr persistent 60 pe sip ops\n"));
        s.flags = 0x0004 | ipvs::kSvcSched1;
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, true)),
                 QStringLiteral("-A -u 10.0.0.3:5060 -s rr --pe sip -o -b flag-1\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, numericFormat())),
                 QStringLiteral("UDP  10.0.0.3:5060 rr (flag-1) ops\n"));
    }

    // print_service_entry: sprintf(svc_name, "FWM  %d", fwmark) and "-f %d": a mark above
    // INT_MAX prints as a negative number.
    void fwmarkThroughPercentD()
    {
        ListedService s = markService();
        s.fwmark = 4294967295u;
        s.dests.clear();
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, numericFormat())),
                 QStringLiteral("FWM  -1 wlc persistent 360\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, true)),
                 QStringLiteral("-A -f -1 -s wlc -p 360\n"));
        s.fwmark = 2147483647u;
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, true)),
                 QStringLiteral("-A -f 2147483647 -s wlc -p 360\n"));
    }

    // list_conn / print_conn (-Lnc): "pro expire %-11s %-18s %-18s %s\n", entries
    // "%-3s %-6s %-11s %-18s %-18s %s\n" with expire "%02d:%02d"; with --persistent-conn the
    // header gains "pe name"/"pe_data" and only entries with a persistence engine the columns.
    void listConnections_data()
    {
        QTest::addColumn<int>("flags");
        QTest::addColumn<QString>("expected");
        const std::string rows =
            "TCP 14:59" + S(2) + "ESTABLISHED 172.16.0.5:40000" + S(3) + "10.0.0.1:80" + S(8)
            + "192.168.1.10:80\n"
            + "UDP 01:05" + S(2) + "UDP" + S(9) + "172.16.0.6:5353" + S(4) + "10.0.0.2:53" + S(8)
            + "192.168.2.10:53\n"
            + "TCP 06:00" + S(2) + "NONE" + S(8) + "172.16.0.5:0" + S(7) + "10.0.0.1:80" + S(8)
            + "192.168.1.10:80\n";
        QTest::newRow("list_conn -Lnc tcp, udp, template, pe entry")
            << 0
            << QString::fromStdString(
                   "IPVS connection entries\n"
                   "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                   + "destination\n" + rows
                   + "UDP 02:00" + S(2) + "UDP" + S(9) + "172.16.0.7:5060" + S(4)
                   + "10.0.0.3:5060" + S(6) + "192.168.4.10:5060\n");
        QTest::newRow("list_conn -Lnc --persistent-conn")
            << int(PersistentConn)
            << QString::fromStdString(
                   "IPVS connection entries\n"
                   "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                   + "destination" + S(8) + "pe name" + S(10) + "pe_data\n" + rows
                   + "UDP 02:00" + S(2) + "UDP" + S(9) + "172.16.0.7:5060" + S(4)
                   + "10.0.0.3:5060" + S(6) + "192.168.4.10:5060 sip" + S(16) + "abc\n");
    }
    void listConnections()
    {
        QFETCH(int, flags);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(ipvsadm::listConnections(someConnections(),
                                                                 formatOf(flags))),
                 expected);
    }

    // Without -n, addrport_to_anyname asks the resolvers; a miss falls back to the number,
    // and port names are asked for TCP, UDP and SCTP only (port_to_service).
    void namesThroughResolver()
    {
        NameResolver names;
        names.host = [](const Address& a) -> std::optional<std::string> {
            if (a == addr("10.0.0.1"))
                return "www";
            return std::nullopt;
        };
        names.service = [](std::uint16_t port, int proto) -> std::optional<std::string> {
            if (port == 80 && proto == 6)
                return "http";
            return std::nullopt;
        };
        ListFormat f = numericFormat();
        f.numeric = false;
        std::string out = ipvsadm::listService(webService(), f, names);
        QCOMPARE(QString::fromStdString(out),
                 QString::fromStdString(
                     "Prot LocalAddress:Port Scheduler Flags\n"
                     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                     "TCP  www:http rr\n"
                     + std::string("  -> 192.168.1.10:http") + S(12) + "Masq" + S(4) + "2" + S(6)
                     + "12" + S(9) + "0" + S(9) + "\n"
                     + "  -> 192.168.1.11:http" + S(12) + "Route" + S(3) + "1" + S(6) + "3"
                     + S(10) + "5" + S(9) + "\n"));
    }

    // print_service_entry's "%-4s %s" for SCTP and port_to_service's "sctp" lookups, in -L
    // and in -S (option_from_protocol: "--sctp-service").
    void sctpService()
    {
        NameResolver names;
        names.service = [](std::uint16_t port, int proto) -> std::optional<std::string> {
            if (port == 3868 && proto == 132)
                return "diameter";
            return std::nullopt;
        };
        ListedService s;
        s.protocol = Protocol::Sctp;
        s.address = addr("10.0.0.4");
        s.port = 3868;
        s.scheduler = "rr";
        s.dests = {dest("192.168.5.10", 3868, ForwardMethod::Masq, 1, 0, 0)};
        ListFormat f = numericFormat();
        f.numeric = false;
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, f, names)),
                 QString::fromStdString("SCTP 10.0.0.4:diameter rr\n"
                                        "  -> 192.168.5.10:diameter" + S(8) + "Masq" + S(4) + "1"
                                        + S(6) + "0" + S(10) + "0" + S(9) + "\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, false, names)),
                 QStringLiteral("-A --sctp-service 10.0.0.4:diameter -s rr\n"
                                "-a --sctp-service 10.0.0.4:diameter -r 192.168.5.10:diameter -m -w 1\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({s}, true, names)),
                 QStringLiteral("-A --sctp-service 10.0.0.4:3868 -s rr\n"
                                "-a --sctp-service 10.0.0.4:3868 -r 192.168.5.10:3868 -m -w 1\n"));
    }

    // print_conn: SCTP ports are named too (proto IPPROTO_SCTP), "%-3s" lets "SCTP" overflow,
    // and a line with a pe name but no pe_data (sscanf n == 10) keeps the short format even
    // with --persistent-conn.
    void connSctpAndShortPe()
    {
        NameResolver names;
        names.service = [](std::uint16_t port, int proto) -> std::optional<std::string> {
            if (port == 3868 && proto == 132)
                return "diameter";
            return std::nullopt;
        };
        ListedConn sctp = conn("SCTP", "172.16.0.8", 3868, "10.0.0.4", 3868, "192.168.5.10",
                               3868, "ESTABLISHED", 10);
        ListedConn noData = conn("UDP", "172.16.0.7", 5060, "10.0.0.3", 5060, "192.168.4.10",
                                 5060, "UDP", 59);
        noData.peName = "sip";
        ListFormat f = formatOf(PersistentConn);
        f.numeric = false;
        QCOMPARE(QString::fromStdString(ipvsadm::listConnections({sctp, noData}, f, names)),
                 QString::fromStdString(
                     "IPVS connection entries\n"
                     "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                     + "destination" + S(8) + "pe name" + S(10) + "pe_data\n"
                     + "SCTP 00:10" + S(2) + "ESTABLISHED 172.16.0.8:diameter 10.0.0.4:diameter"
                     + S(2) + "192.168.5.10:diameter\n"
                     + "UDP 00:59" + S(2) + "UDP" + S(9) + "172.16.0.7:5060" + S(4)
                     + "10.0.0.3:5060" + S(6) + "192.168.4.10:5060\n"));
    }

    // IPv6 in list_all (-Ln, --stats) over ipv6Table() and a long-named service.
    // print_service_entry: addrport_to_anyname brackets an AF_INET6 address ("[%s]:%u") and
    // inet_ntop compresses it; svc_name is cut at 33 and dname at 28 only when not AF_INET6,
    // so IPv6 names overflow "%-33s" and "%-28s" as printf lets them; a fwmark service with
    // af AF_INET6 is "FWM  %d IPv6"; its -M is the prefix length through " mask %i", left out
    // when 128. ipvs_cmp_services compares af before protocol: the IPv4 UDP service precedes
    // the IPv6 TCP ones, and FWM 5 precedes FWM 5 IPv6. Among the IPv6 ones [fd00::1] precedes
    // [2001:db8::1]: 0x20010db8 - 0xfd000000 wraps to a positive int.
    void ipv6ListAll_data()
    {
        QTest::addColumn<int>("table"); // 0: ipv6Table, 1: one long-named IPv6 service
        QTest::addColumn<int>("flags");
        QTest::addColumn<QString>("expected");

        QTest::newRow("print_service_entry IPv6 -Ln: brackets, FWM IPv6, mask %i, af order")
            << 0 << 0
            << QString::fromStdString(
                   kPlainHead
                   + "UDP  10.0.0.2:53 rr\n"
                   + "  -> 192.168.2.10:53" + S(14) + "Route" + S(3) + "1" + S(6) + "0" + S(10)
                   + "0" + S(9) + "\n"
                   + "TCP  [fd00::1]:443 wlc persistent 300\n"
                   + "  -> [fd00::10]:443" + S(15) + "Masq" + S(4) + "1" + S(6) + "0" + S(10)
                   + "0" + S(9) + "\n"
                   + "TCP  [2001:db8::1]:80 rr\n"
                   + "  -> [2001:db8::10]:80" + S(12) + "Route" + S(3) + "1" + S(6) + "3" + S(10)
                   + "5" + S(9) + "\n"
                   + "  -> [2001:db8::11]:80" + S(12) + "Masq" + S(4) + "2" + S(6) + "12" + S(9)
                   + "0" + S(9) + "\n"
                   + "  -> [2001:db8:1234:5678:9abc:def0:1234:5678]:8080 Route" + S(3) + "1" + S(6)
                   + "0" + S(10) + "0" + S(9) + "\n"
                   + "FWM  5 wlc\n"
                   + "  -> 192.168.3.10:0" + S(15) + "Tunnel" + S(2) + "1" + S(6) + "0" + S(10)
                   + "0" + S(9) + "\n"
                   + "FWM  5 IPv6 wlc persistent 360 mask 64\n"
                   + "  -> [2001:db8::20]:0" + S(13) + "Route" + S(3) + "1" + S(6) + "0" + S(10)
                   + "0" + S(9) + "\n");

        // FMT_STATS: "%-33s" of a 50-character svc_name and "  -> %-28s" of a 45-character
        // dname pad nothing; the print_largenum columns follow straight on.
        QTest::newRow("print_service_entry IPv6 --stats: names overflow the columns")
            << 1 << int(Stats)
            << QString::fromStdString(
                   kVersion + "Prot LocalAddress:Port" + S(15) + "Conns" + S(3) + "InPkts" + S(2)
                   + "OutPkts" + S(2) + "InBytes" + S(1) + "OutBytes\n"
                   + "  -> RemoteAddress:Port\n"
                   + "TCP  [2001:db8:1234:5678:9abc:def0:1234:5678]:8080" + S(8) + "1" + S(8)
                   + "2" + S(8) + "3" + S(8) + "4" + S(8) + "5\n"
                   + "  -> [2001:db8:1234:5678:9abc:def0:1234:5679]:8080" + S(8) + "6" + S(8)
                   + "7" + S(8) + "8" + S(8) + "9" + S(7) + "10\n");
    }
    void ipv6ListAll()
    {
        QFETCH(int, table);
        QFETCH(int, flags);
        QFETCH(QString, expected);
        std::vector<ListedService> services = ipv6Table();
        if (table == 1) {
            ListedService s = serviceAt("2001:db8:1234:5678:9abc:def0:1234:5678", 8080);
            s.stats.counters = {1, 2, 3, 4, 5};
            ListedDest d = dest("2001:db8:1234:5678:9abc:def0:1234:5679", 8080,
                                ForwardMethod::Masq, 1, 0, 0);
            d.stats.counters = {6, 7, 8, 9, 10};
            s.dests = {d};
            services = {s};
        }
        QCOMPARE(QString::fromStdString(ipvsadm::listAll(services, formatOf(flags))), expected);
    }

    // print_service_entry with FMT_RULE (-S -n) for IPv6: "-t [%s]:%u" names, a fwmark
    // service of af AF_INET6 as "-f %d -6" (so -R restores it as IPv6), its prefix length as
    // " -M %i"; destinations in ipvs_cmp_dests order, the same af-first service order as -L.
    void ipv6SaveRules()
    {
        const std::string expected =
            "-A -u 10.0.0.2:53 -s rr\n"
            "-a -u 10.0.0.2:53 -r 192.168.2.10:53 -g -w 1\n"
            "-A -t [fd00::1]:443 -s wlc -p 300\n"
            "-a -t [fd00::1]:443 -r [fd00::10]:443 -m -w 1\n"
            "-A -t [2001:db8::1]:80 -s rr\n"
            "-a -t [2001:db8::1]:80 -r [2001:db8::10]:80 -g -w 1\n"
            "-a -t [2001:db8::1]:80 -r [2001:db8::11]:80 -m -w 2\n"
            "-a -t [2001:db8::1]:80 -r [2001:db8:1234:5678:9abc:def0:1234:5678]:8080 -g -w 1\n"
            "-A -f 5 -s wlc\n"
            "-a -f 5 -r 192.168.3.10:0 -i -w 1 --tun-type ipip\n"
            "-A -f 5 -6 -s wlc -p 360 -M 64\n"
            "-a -f 5 -6 -r [2001:db8::20]:0 -g -w 1\n";
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules(ipv6Table(), true)),
                 QString::fromStdString(expected));
    }

    // addrport_to_anyname without -n: "%s%s%s:%s" brackets an AF_INET6 host *name* too, and
    // snprintf(buf, 60, ...) keeps 59 characters. print_service_entry then cuts an IPv4
    // svc_name at 33 and an IPv4 dname at 28 but leaves IPv6 ones whole; -S cuts neither. The
    // dname cut follows the destination's own af (e->af): a tunnel destination of the other
    // family is cut, or not, by its own. (Each service's IPv4 destination sorts first:
    // 0xc0a8010a - 0x20010db8 wraps negative, 0x20010db8 - 0xc0a8010a does not.)
    void ipv6Names()
    {
        NameResolver names;
        names.host = [](const Address& a) -> std::optional<std::string> {
            if (a == addr("10.0.0.1") || a == addr("2001:db8::2"))
                return "a-rather-long-host-name.example"; // 31 characters
            if (a == addr("192.168.1.10") || a == addr("2001:db8::10"))
                return "backend-0123456789.rack-0123456789.hall-0123456789.example.net"; // 62
            return std::nullopt;
        };
        names.service = [](std::uint16_t port, int proto) -> std::optional<std::string> {
            if (port == 80 && proto == 6)
                return "http";
            return std::nullopt;
        };
        ListFormat f = numericFormat();
        f.numeric = false;

        const std::string tail = S(3) + "1" + S(6) + "0" + S(10) + "0" + S(9) + "\n";
        ListedService v4 = serviceAt("10.0.0.1", 80);
        v4.dests = {dest("2001:db8::10", 80, ForwardMethod::Tunnel, 1, 0, 0),
                    dest("192.168.1.10", 80, ForwardMethod::Route, 1, 0, 0)};
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(v4, f, names)),
                 QString::fromStdString(
                     "TCP  a-rather-long-host-name.exam rr\n"
                     "  -> backend-0123456789.rack-0123 Route" + tail
                     + "  -> [backend-0123456789.rack-0123456789.hall-0123456789.example Tunnel"
                     + S(2) + "1" + S(6) + "0" + S(10) + "0" + S(9) + "\n"));
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({v4}, false, names)),
                 QStringLiteral("-A -t a-rather-long-host-name.example:http -s rr\n"
                                "-a -t a-rather-long-host-name.example:http"
                                " -r backend-0123456789.rack-0123456789.hall-0123456789.example."
                                " -g -w 1\n"
                                "-a -t a-rather-long-host-name.example:http"
                                " -r [backend-0123456789.rack-0123456789.hall-0123456789.example"
                                " -i -w 1 --tun-type ipip\n"));

        ListedService v6 = serviceAt("2001:db8::2", 80);
        v6.dests = {dest("2001:db8::10", 80, ForwardMethod::Route, 1, 0, 0),
                    dest("192.168.1.10", 80, ForwardMethod::Tunnel, 1, 0, 0)};
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(v6, f, names)),
                 QString::fromStdString(
                     "TCP  [a-rather-long-host-name.example]:http rr\n"
                     "  -> backend-0123456789.rack-0123 Tunnel" + S(2) + "1" + S(6) + "0" + S(10)
                     + "0" + S(9) + "\n"
                     + "  -> [backend-0123456789.rack-0123456789.hall-0123456789.example Route"
                     + tail));
        v6.dests.pop_back();
        QCOMPARE(QString::fromStdString(ipvsadm::saveRules({v6}, false, names)),
                 QStringLiteral("-A -t [a-rather-long-host-name.example]:http -s rr\n"
                                "-a -t [a-rather-long-host-name.example]:http"
                                " -r [backend-0123456789.rack-0123456789.hall-0123456789.example"
                                " -g -w 1\n"));
    }

    // ipvs_sort_services is qsort() with ipvs_cmp_services, and Debian's glibc qsort is
    // msort.c's merge sort. Three addresses spread round 2^32 compare in a cycle through the
    // wrapped subtraction (10.0.0.1 < 100.0.0.1 < 200.0.0.1 < 10.0.0.1), so the order printed is
    // the merge sort's: given 200, 100, 10 it sorts [100, 10] to [10, 100], then takes 200
    // first (200 - 10 wraps negative). Checked against glibc 2.36's qsort() with the same
    // comparator; std::stable_sort prints 100, 200, 10 here. IPv6 addresses compare word by
    // word with the same wrap: fd00:: and fe80:: both precede 2001:db8::.
    void sortServicesAsGlibcQsort()
    {
        std::vector<ListedService> cycle = {serviceAt("200.0.0.1", 80), serviceAt("100.0.0.1", 80),
                                            serviceAt("10.0.0.1", 80)};
        QCOMPARE(QString::fromStdString(ipvsadm::listAll(cycle, numericFormat())),
                 QString::fromStdString(kPlainHead + "TCP  200.0.0.1:80 rr\n"
                                        + "TCP  10.0.0.1:80 rr\n" + "TCP  100.0.0.1:80 rr\n"));
        std::vector<ListedService> v6 = {serviceAt("2001:db8::1", 80), serviceAt("fd00::1", 80),
                                         serviceAt("fe80::1", 80)};
        QCOMPARE(QString::fromStdString(ipvsadm::listAll(v6, numericFormat())),
                 QString::fromStdString(kPlainHead + "TCP  [fd00::1]:80 rr\n"
                                        + "TCP  [fe80::1]:80 rr\n"
                                        + "TCP  [2001:db8::1]:80 rr\n"));
        ListFormat noSort = numericFormat();
        noSort.noSort = true;
        QCOMPARE(QString::fromStdString(ipvsadm::listAll(v6, noSort)),
                 QString::fromStdString(kPlainHead + "TCP  [2001:db8::1]:80 rr\n"
                                        + "TCP  [fd00::1]:80 rr\n" + "TCP  [fe80::1]:80 rr\n"));
    }

    // ipvs_cmp_dests asks only the first destination's af: an IPv4 one compares its address
    // with the first 32 bits of an IPv6 one, an IPv6 one all four words against an IPv4
    // address followed by zeros. 32.1.13.184 is 0x20010db8, the first word of 2001:db8::30,
    // so IPv4-first they tie on the address and the port decides (90 > 80), IPv6-first the
    // last word does (0x30 > 0): either way the second one is printed first. The IPv6 tunnel
    // destination of an IPv4 service is not cut at 28 (e->af decides, not the service's af).
    void sortMixedFamilyDests_data()
    {
        QTest::addColumn<bool>("ipv4First");
        QTest::newRow("ipvs_cmp_dests IPv4 then IPv6") << true;
        QTest::newRow("ipvs_cmp_dests IPv6 then IPv4") << false;
    }
    void sortMixedFamilyDests()
    {
        QFETCH(bool, ipv4First);
        ListedService s = serviceAt("10.0.0.5", 80);
        ListedDest v4 = dest("32.1.13.184", 90, ForwardMethod::Tunnel, 1, 0, 0);
        ListedDest v6 = dest("2001:db8::30", 80, ForwardMethod::Tunnel, 1, 0, 0);
        s.dests = ipv4First ? std::vector<ListedDest>{v4, v6} : std::vector<ListedDest>{v6, v4};
        const std::string v4Line = "  -> 32.1.13.184:90" + S(15) + "Tunnel" + S(2) + "1" + S(6)
            + "0" + S(10) + "0" + S(9) + "\n";
        const std::string v6Line = "  -> [2001:db8::30]:80" + S(12) + "Tunnel" + S(2) + "1"
            + S(6) + "0" + S(10) + "0" + S(9) + "\n";
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, numericFormat())),
                 QString::fromStdString("TCP  10.0.0.5:80 rr\n"
                                        + (ipv4First ? v6Line + v4Line : v4Line + v6Line)));
    }

    // print_conn for IPv6 lines of /proc/net/ip_vs_conn (ip_vs_conn_seq_show writes them with
    // %pI6, all eight groups with leading zeros): inet_pton reads them back and
    // addrport_to_anyname prints them compressed in brackets, overflowing "%-18s". The
    // destination's family is read on its own (daf): an IPv6 connection to an IPv4 tunnel
    // destination and the reverse. With --persistent-conn the destination is "%-16s".
    void ipv6Connections_data()
    {
        QTest::addColumn<int>("flags");
        QTest::addColumn<QString>("expected");
        const std::string rows =
            "TCP 14:59" + S(2) + "ESTABLISHED [2001:db8:ffff::5]:40000 [2001:db8::1]:80" + S(3)
            + "[2001:db8::10]:80\n"
            + "TCP 06:00" + S(2) + "NONE" + S(8) + "[2001:db8:ffff::5]:0 [2001:db8::1]:80" + S(3)
            + "[2001:db8::10]:80\n"
            + "UDP 01:05" + S(2) + "UDP" + S(9) + "[2001:db8:ffff::6]:5353 [2001:db8::2]:53" + S(3)
            + "192.168.6.10:53\n"
            + "TCP 00:10" + S(2) + "ESTABLISHED 172.16.0.5:40001" + S(3) + "10.0.0.5:80" + S(8)
            + "[2001:db8::30]:80\n";
        QTest::newRow("print_conn -Lnc IPv6")
            << 0
            << QString::fromStdString(
                   "IPVS connection entries\n"
                   "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                   + "destination\n" + rows
                   + "UDP 02:00" + S(2) + "UDP" + S(9)
                   + "[2001:db8:ffff::7]:5060 [2001:db8::3]:5060"
                   + S(1) + "[2001:db8::40]:5060\n");
        QTest::newRow("print_conn -Lnc --persistent-conn IPv6")
            << int(PersistentConn)
            << QString::fromStdString(
                   "IPVS connection entries\n"
                   "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                   + "destination" + S(8) + "pe name" + S(10) + "pe_data\n" + rows
                   + "UDP 02:00" + S(2) + "UDP" + S(9)
                   + "[2001:db8:ffff::7]:5060 [2001:db8::3]:5060"
                   + S(1) + "[2001:db8::40]:5060 sip" + S(16) + "abc\n");
    }
    void ipv6Connections()
    {
        QFETCH(int, flags);
        QFETCH(QString, expected);
        ListedConn sip = conn("UDP", "2001:db8:ffff::7", 5060, "2001:db8::3", 5060,
                              "2001:db8::40", 5060, "UDP", 120);
        sip.peName = "sip";
        sip.peData = "abc";
        std::vector<ListedConn> connections = {
            conn("TCP", "2001:db8:ffff::5", 40000, "2001:db8::1", 80, "2001:db8::10", 80,
                 "ESTABLISHED", 899),
            conn("TCP", "2001:db8:ffff::5", 0, "2001:db8::1", 80, "2001:db8::10", 80, "NONE", 360),
            conn("UDP", "2001:db8:ffff::6", 5353, "2001:db8::2", 53, "192.168.6.10", 53, "UDP", 65),
            conn("TCP", "172.16.0.5", 40001, "10.0.0.5", 80, "2001:db8::30", 80, "ESTABLISHED", 10),
            sip};
        QCOMPARE(QString::fromStdString(ipvsadm::listConnections(connections, formatOf(flags))),
                 expected);
    }

    // print_conn without -n: an IPv6 host name comes back in brackets, as in the listings.
    void ipv6ConnectionNames()
    {
        NameResolver names;
        names.host = [](const Address& a) -> std::optional<std::string> {
            if (a == addr("2001:db8::1"))
                return "www6";
            return std::nullopt;
        };
        names.service = [](std::uint16_t port, int proto) -> std::optional<std::string> {
            if (port == 80 && proto == 6)
                return "http";
            return std::nullopt;
        };
        ListFormat f = numericFormat();
        f.numeric = false;
        QCOMPARE(QString::fromStdString(ipvsadm::listConnections(
                     {conn("TCP", "2001:db8:ffff::5", 40000, "2001:db8::1", 80, "2001:db8::10", 80,
                           "ESTABLISHED", 899)},
                     f, names)),
                 QString::fromStdString(
                     "IPVS connection entries\n"
                     "pro expire state" + S(7) + "source" + S(13) + "virtual" + S(12)
                     + "destination\n"
                     + "TCP 14:59" + S(2) + "ESTABLISHED [2001:db8:ffff::5]:40000 [www6]:http"
                     + S(8) + "[2001:db8::10]:http\n"));
    }

    // listedService reads a running Balancer as ipvs_get_service/ipvs_get_dests would.
    void fromBalancer()
    {
        ipvs::ServiceSettings s;
        s.address = ip("172.18.100.7");
        s.port = 80;
        s.scheduler = "rr";
        s.persistence = 60;
        auto b = ipvs::Balancer::create(s, ipvs::SchedulerContext{});
        QVERIFY(b.has_value());
        ipvs::DestSettings d;
        d.address = ip("172.18.100.12");
        d.port = 80;
        d.method = ForwardMethod::Masq;
        d.weight = 3;
        QVERIFY((*b)->addDest(d).has_value());
        d.address = ip("172.18.100.11");
        d.method = ForwardMethod::Route;
        d.weight = 1;
        QVERIFY((*b)->addDest(d).has_value());

        ListedService listed = listedService(**b);
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(listed, numericFormat())),
                 QString::fromStdString(
                     "TCP  172.18.100.7:80 rr persistent 60\n"
                     + std::string("  -> 172.18.100.11:80") + S(13) + "Route" + S(3) + "1"
                     + S(6) + "0" + S(10) + "0" + S(9) + "\n"
                     + "  -> 172.18.100.12:80" + S(13) + "Masq" + S(4) + "3" + S(6) + "0"
                     + S(10) + "0" + S(9) + "\n"));
    }

    // listedConn: ip_vs_proto_name, ip_vs_state_name ("NONE" for a template) and the seconds
    // left on the timer.
    void fromConnEntry()
    {
        ipvs::ConnEntry e;
        e.protocol = 6;
        e.caddr = ip("172.16.0.5").value;
        e.cport = 0;
        e.vaddr = ip("10.0.0.1").value;
        e.vport = 80;
        e.daddr = ip("192.168.1.10").value;
        e.dport = 80;
        e.flags = ipvs::kConnTemplate;
        e.expires = 1360;
        ListedConn c = listedConn(e, 1000);
        QCOMPARE(QString::fromStdString(c.protocol), QStringLiteral("TCP"));
        QCOMPARE(QString::fromStdString(c.state), QStringLiteral("NONE"));
        QCOMPARE(c.expires, 360u);
        QVERIFY(c.caddr == addr("172.16.0.5"));

        e.protocol = 17;
        e.flags = 0;
        e.expires = ipvs::kNever;
        c = listedConn(e, 1000);
        QCOMPARE(QString::fromStdString(c.protocol), QStringLiteral("UDP"));
        QCOMPARE(QString::fromStdString(c.state), QStringLiteral("UDP"));
        QCOMPARE(c.expires, 0u);
    }

    // DPVS full-NAT (docs/ipvsadm-dialect.md): fwd_name is DPVS's "FullNat", which fills the
    // "%-7s" Forward column exactly; fwd_switch is "--fullnat", not DPVS's "-b" (upstream's
    // --sched-flags), so the -S line reads back through the parser as the same destination.
    void fullNatDestination()
    {
        ListedService s = webService();
        s.dests = {dest("192.168.1.12", 8080, ForwardMethod::FullNat, 3, 4, 1)};
        QCOMPARE(QString::fromStdString(ipvsadm::serviceEntry(s, numericFormat())),
                 QString::fromStdString("TCP  10.0.0.1:80 rr\n  -> 192.168.1.12:8080" + S(12)
                                        + "FullNat" + S(1) + "3" + S(6) + "4" + S(10) + "1"
                                        + S(9) + "\n"));
        const std::string rules = ipvsadm::saveRules({s}, true);
        QCOMPARE(QString::fromStdString(rules),
                 QStringLiteral("-A -t 10.0.0.1:80 -s rr\n"
                                "-a -t 10.0.0.1:80 -r 192.168.1.12:8080 --fullnat -w 3\n"));
        std::vector<std::string> words;
        std::string line = rules.substr(rules.find("-a "));
        line.pop_back(); // the newline
        for (std::size_t at = 0; at != std::string::npos;) {
            std::size_t space = line.find(' ', at);
            words.push_back(line.substr(at, space == std::string::npos ? space : space - at));
            at = space == std::string::npos ? space : space + 1;
        }
        auto parsed = ipvsadm::parseIpvsadm(words);
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
        QVERIFY(parsed->forward == ForwardMethod::FullNat);
        QCOMPARE(parsed->server->port, std::uint16_t{8080});
        QCOMPARE(parsed->weight, 3);
    }
};

QTEST_APPLESS_MAIN(TestListingFormats)
#include "test_listing_formats.moc"
