// Tests of design validation: the examples are clean, and each rule catches a broken variant of
// an example (and nothing else does), with a fix that clears it.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "core/model/edit.h"
#include "core/validate/validate.h"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

using namespace lvs::core;
using namespace lvs::core::validate;

namespace {

const QStringList kExamples = {"fwm-http-https", "keepalived-ha", "lvs-dr",   "lvs-fullnat",
                               "lvs-nat",        "lvs-tun",       "mysql-wlc", "pcc-port0"};

Topology example(const QString& name)
{
    auto loaded = loadLvslab(LVSLAB_SOURCE_DIR "/examples/" + name.toStdString() + ".lvslab");
    if (!loaded)
        qFatal("cannot load example %s: %s", qPrintable(name), loaded.error().front().toString().c_str());
    return std::move(*loaded);
}

Node& node(Topology& t, std::string_view name)
{
    for (Node& n : t.nodes)
        if (n.name == name)
            return n;
    qFatal("no node %s", std::string(name).c_str());
}

Interface& iface(Node& n, std::string_view name)
{
    for (Interface& i : n.interfaces)
        if (i.name == name)
            return i;
    qFatal("no interface %s", std::string(name).c_str());
}

Destination& dest(Node& director, Ipv4 rip, std::size_t service = 0)
{
    for (Destination& d : director.services.at(service).destinations)
        if (d.address == rip)
            return d;
    qFatal("no destination %s", rip.toString().c_str());
}

Ipv4 ip(const char* text)
{
    return *Ipv4::parse(text);
}

Ipv4Prefix prefix(const char* text)
{
    return *Ipv4Prefix::parse(text);
}

// Every error and warning (infos are advice, allowed in a clean design).
std::vector<Finding> problems(const std::vector<Finding>& all)
{
    std::vector<Finding> out;
    for (const Finding& f : all)
        if (f.severity != Severity::Info)
            out.push_back(f);
    return out;
}

QString describe(const std::vector<Finding>& findings)
{
    QString text;
    for (const Finding& f : findings)
        text += QString::fromStdString(std::string(toString(f.severity)) + " " + f.code + " "
                                       + f.subject.name + ": " + f.message.en + "\n");
    return text;
}

// One broken variant: the example, the edit that breaks it, the one rule that must catch it,
// whether that rule offers a fix, and the seed line or kernel source behind the rule.
struct Case {
    const char* name;
    const char* example;
    std::function<void(Topology&)> breakIt;
    const char* code;
    bool hasFix;
    const char* source;
};

const std::vector<Case>& cases()
{
    static const std::vector<Case> kCases = {
        // ---- NAT ----
        {"nat rip outside dip network", "lvs-nat",
         [](Topology& t) {
             Node& rs = node(t, "RS1");
             iface(rs, "eth0").addresses = {prefix("192.168.20.11/24")};
             rs.defaultGateway = ip("192.168.20.1");
             dest(node(t, "Director"), ip("192.168.10.11")).address = ip("192.168.20.11");
         },
         "NAT-SAME-NETWORK", false, "seed 002:157, 003:131 RIP和DIP必须在同一个IP网络"},
        {"nat rs gateway is not the dip", "lvs-nat",
         [](Topology& t) { node(t, "RS1").defaultGateway = ip("192.168.10.1"); },
         "NAT-GATEWAY", true, "seed 002:157, 003:131 RS的网关要指向DIP"},
        {"nat rs without gateway", "mysql-wlc",
         [](Topology& t) { node(t, "RS2").defaultGateway.reset(); },
         "NAT-GATEWAY", true, "seed 003:532 RIP的网关指向DIP"},
        {"nat director does not forward", "lvs-nat",
         [](Topology& t) { node(t, "Director").sysctls.erase("net.ipv4.ip_forward"); },
         "NAT-IP-FORWARD", true, "seed 003:432-438 net.ipv4.ip_forward = 1; seed 001:153 内核IP转发参数设置"},
        {"nat client inside the rs network", "lvs-nat",
         [](Topology& t) { iface(node(t, "Client"), "eth0").addresses = {prefix("192.168.10.50/24")}; },
         "NAT-CLIENT-ON-RS-NET", false, "seed 002:159 请求报文和响应报文都必须经由Director转发"},
        // ---- DR ----
        {"dr rs on another segment", "lvs-dr",
         [](Topology& t) {
             for (const Link& l : t.links)
                 if (l.a.node == node(t, "RS1").id) {
                     (void)edit::removeLink(t, l.id);
                     break;
                 }
         },
         "DR-SAME-SEGMENT", false, "seed 002:189 RS跟Director要在同一个物理网络; 003:152"},
        {"dr vip missing on lo", "lvs-dr", [](Topology& t) { node(t, "RS1").vips.clear(); },
         "DR-VIP-ON-LO", true, "seed 003:150 把VIP绑定本地回环接口lo的别名上; 004:188 lo:0 /32"},
        {"dr vip on lo as /24", "lvs-dr",
         [](Topology& t) { node(t, "RS2").vips.front().address.length = 24; },
         "DR-VIP-ON-LO", true, "seed 003:678 ifconfig lo:0 $vip netmask 255.255.255.255"},
        {"dr arp_ignore 0", "lvs-dr",
         [](Topology& t) {
             node(t, "RS1").sysctls["net.ipv4.conf.all.arp_ignore"] = 0;
             node(t, "RS1").sysctls["net.ipv4.conf.eth0.arp_ignore"] = 0;
         },
         "DR-ARP-IGNORE", true,
         "seed 003:550, 004:177 arp_ignore=1; include/linux/inetdevice.h IN_DEV_ARP_IGNORE = IN_DEV_MAXCONF, net/ipv4/arp.c arp_ignore()"},
        {"dr arp_ignore unset", "keepalived-ha",
         [](Topology& t) {
             std::erase_if(node(t, "RS2").sysctls, [](const auto& kv) { return kv.first.ends_with("arp_ignore"); });
         },
         "DR-ARP-IGNORE", true, "seed 004:184-185 echo 1 > .../all/arp_ignore, .../eth0/arp_ignore"},
        {"dr arp_announce unset", "lvs-dr",
         [](Topology& t) {
             std::erase_if(node(t, "RS1").sysctls, [](const auto& kv) { return kv.first.ends_with("arp_announce"); });
         },
         "DR-ARP-ANNOUNCE", true,
         "seed 003:555, 004:176 arp_announce=2; include/linux/inetdevice.h IN_DEV_ARP_ANNOUNCE = IN_DEV_MAXCONF, net/ipv4/arp.c arp_solicit()"},
        {"dr rs gateway is the dip", "lvs-dr", [](Topology& t) { node(t, "RS1").defaultGateway = ip("172.18.100.6"); },
         "DR-GATEWAY", true, "seed 002:187 RIP的网关不能指向DIP; 003:152, 003:667"},
        {"dr port mapping", "lvs-dr", [](Topology& t) { dest(node(t, "Director"), ip("172.18.100.11")).port = 8080; },
         "DR-PORT-MAPPING", true, "seed 002:193, 003:154 不支持端口映射"},
        {"dr router cannot reach the vip", "lvs-dr",
         [](Topology& t) {
             const Ipv4 vip = ip("10.0.0.7");
             node(t, "Director").services.front().address = vip;
             node(t, "Director").vips.front().address = Ipv4Prefix{vip, 32};
             node(t, "RS1").vips.front().address = Ipv4Prefix{vip, 32};
             node(t, "RS2").vips.front().address = Ipv4Prefix{vip, 32};
         },
         "DR-ROUTER-VIP", true, "seed 002:175, 003:144 确保前端路由器将目标IP为VIP的请求报文发往Director"},
        // ---- TUN ----
        {"tun rs has no route to the dip", "lvs-tun", [](Topology& t) { node(t, "RS1").defaultGateway.reset(); },
         "TUN-ROUTE", false, "seed 002:201 在原IP报文之外再封装一个IP首部（源IP是DIP，目标IP是RIP）"},
        {"tun vip on lo", "lvs-tun", [](Topology& t) { node(t, "RS1").vips.front().device = VipDevice::Loopback; },
         "TUN-VIP-ON-TUNL0", true, "seed 001:165 TUN:同DR，但要注意配置重点在隧道设备"},
        {"tun rp_filter unset on all", "lvs-tun",
         [](Topology& t) { node(t, "RS2").sysctls.erase("net.ipv4.conf.all.rp_filter"); },
         "TUN-RP-FILTER", true, "include/linux/inetdevice.h IN_DEV_RPFILTER = IN_DEV_MAXCONF; net/ipv4/fib_frontend.c fib_validate_source()"},
        {"tun rp_filter strict on tunl0", "lvs-tun",
         [](Topology& t) { node(t, "RS1").sysctls["net.ipv4.conf.tunl0.rp_filter"] = 1; },
         "TUN-RP-FILTER", true, "include/linux/inetdevice.h IN_DEV_RPFILTER = IN_DEV_MAXCONF"},
        {"tun port mapping", "lvs-tun", [](Topology& t) { dest(node(t, "Director"), ip("172.21.100.12")).port = 8080; },
         "TUN-PORT-MAPPING", true, "seed 002:209, 003:170 不支持端口映射"},
        // ---- FULLNAT ----
        {"fullnat no local address", "lvs-fullnat", [](Topology& t) { node(t, "Director").localAddresses.clear(); },
         "FULLNAT-LOCAL-ADDRESS", true, "seed 002:217-219 CIP --> DIP; 003:182"},
        {"fullnat local address out of reach", "lvs-fullnat",
         [](Topology& t) { node(t, "Director").localAddresses = {ip("10.9.9.9")}; },
         "FULLNAT-LOCAL-REACH", false, "seed 002:241 RIP和DIP未必在同一IP网络，但要能通信; 003:186"},
        // ---- Addressing ----
        {"duplicate address", "lvs-nat", [](Topology& t) { iface(node(t, "RS2"), "eth0").addresses = {prefix("192.168.10.11/24")}; },
         "NET-DUPLICATE-ADDRESS", false, "seed 003:157 地址冲突"},
        {"duplicate local address", "lvs-fullnat",
         [](Topology& t) { node(t, "Director").localAddresses.push_back(ip("192.168.10.12")); },
         "NET-DUPLICATE-ADDRESS", false, "seed 003:157 地址冲突"},
        {"overlapping prefixes on one segment", "lvs-nat",
         [](Topology& t) { iface(node(t, "RS2"), "eth0").addresses = {prefix("192.168.10.12/16")}; },
         "NET-PREFIX-OVERLAP", true, "seed 003:427 IP地址、子网掩码、网关"},
        {"gateway outside the connected networks", "lvs-dr", [](Topology& t) { node(t, "Client").defaultGateway = ip("10.0.0.1"); },
         "NET-GATEWAY-UNREACHABLE", false, "net/ipv4/fib_semantics.c fib_check_nh(): ENETUNREACH"},
        // ---- Services ----
        {"service without destinations", "lvs-nat", [](Topology& t) { node(t, "Director").services.front().destinations.clear(); },
         "SVC-NO-DESTINATION", false, "seed 000:96-104 ipvsadm -a 添加RS"},
        {"all weights zero", "mysql-wlc",
         [](Topology& t) {
             for (Destination& d : node(t, "Director").services.front().destinations)
                 d.weight = 0;
         },
         "SVC-WEIGHTS-ZERO", true, "net/netfilter/ipvs/ip_vs_wlc.c skips IP_VS_DEST_F_OVERLOAD and weight 0"},
        {"sh with persistence", "lvs-nat",
         [](Topology& t) {
             node(t, "Director").services.front().scheduler = "sh";
             node(t, "Director").services.front().persistence = 300;
         },
         "SVC-SH-PERSISTENCE", true, "seed 003:706 LVS持久连接，类似SH算法; 000:37"},
        {"mark service without mark rule", "fwm-http-https", [](Topology& t) { node(t, "Director").fwmarkRules.clear(); },
         "FWM-NO-RULE", false, "seed 000:86-91, 004:200-204 iptables -t mangle ... --set-mark; ipvsadm -A -f"},
        {"mark rule without service", "fwm-http-https",
         [](Topology& t) {
             FwmarkRule r = node(t, "Director").fwmarkRules.front();
             r.id = edit::allocateId(t);
             r.mark = 20;
             node(t, "Director").fwmarkRules.push_back(r);
         },
         "FWM-UNUSED-RULE", true, "seed 004:206-214 通过FWM定义集群方式"},
        {"lower threshold above upper", "lvs-nat",
         [](Topology& t) {
             Destination& d = dest(node(t, "Director"), ip("192.168.10.11"));
             d.upperThreshold = 5;
             d.lowerThreshold = 10;
         },
         "SVC-THRESHOLD", true, "seed 004:139 [-x upper] [-y lower]; net/netfilter/ipvs/ip_vs_ctl.c ip_vs_add_dest(): -ERANGE"},
        {"lower threshold with no upper", "lvs-dr",
         [](Topology& t) { dest(node(t, "Director"), ip("172.18.100.12")).lowerThreshold = 1; },
         "SVC-THRESHOLD", true, "net/netfilter/ipvs/ip_vs_ctl.c ip_vs_add_dest(): l_threshold > u_threshold -> -ERANGE"},
        // ---- VRRP ----
        {"vrrp virtual_router_id mismatch", "keepalived-ha",
         [](Topology& t) { node(t, "Director2").vrrp.front().virtualRouterId = 52; },
         "VRRP-ROUTER-ID", true, "seed 004:255-294 VRRP master/backup, vrrp instance"},
        {"vrrp virtual_ipaddress mismatch", "keepalived-ha",
         [](Topology& t) { node(t, "Director2").vrrp.front().virtualAddresses = {prefix("192.168.1.251/32")}; },
         "VRRP-ADDRESSES", true, "seed 004:281-283 virtual_ipaddress"},
        {"vrrp two masters", "keepalived-ha",
         [](Topology& t) { node(t, "Director2").vrrp.front().state = VrrpState::Master; },
         "VRRP-TWO-MASTERS", true, "seed 001:130-131 MASTER 192.168.1.202 / BACKUP 192.168.1.204"},
        // ---- Health checks ----
        {"tcp check on a port the rs does not serve", "keepalived-ha",
         [](Topology& t) { std::erase_if(node(t, "RS1").apps, [](const AppService& a) { return a.port == 3306; }); },
         "CHECK-PORT", true, "seed 004:230 传输层：检测端口开放状态; 004:309 TCP_CHECK"},
        {"http check on a port the rs does not serve", "keepalived-ha",
         [](Topology& t) { node(t, "RS2").apps = {AppService{AppKind::UdpEcho, 80, {}}}; },
         "CHECK-PORT", true, "seed 004:299-306 HTTP_GET url path / status_code 200"},
    };
    return kCases;
}

// The advice (infos) each clean example gets.
const std::map<QString, std::multiset<std::string>> kInfos = {
    {"fwm-http-https", {"HA-SINGLE-DIRECTOR"}},
    {"keepalived-ha", {}},
    {"lvs-dr", {"HA-SINGLE-DIRECTOR"}},
    {"lvs-fullnat", {"FULLNAT-TOA", "HA-SINGLE-DIRECTOR"}},
    {"lvs-nat", {"HA-SINGLE-DIRECTOR"}},
    {"lvs-tun", {"TUN-IPIP", "TUN-IPIP", "TUN-MTU", "HA-SINGLE-DIRECTOR"}},
    {"mysql-wlc", {"HA-SINGLE-DIRECTOR"}},
    {"pcc-port0", {"HA-SINGLE-DIRECTOR"}},
};

} // namespace

class TestValidate : public QObject {
    Q_OBJECT

private slots:
    void examplesAreClean_data()
    {
        QTest::addColumn<QString>("example");
        for (const QString& e : kExamples)
            QTest::newRow(qPrintable(e)) << e;
    }
    void examplesAreClean()
    {
        QFETCH(QString, example);
        const std::vector<Finding> all = validate::validate(::example(example));
        QVERIFY2(problems(all).empty(), qPrintable(describe(all)));
        std::multiset<std::string> infos;
        for (const Finding& f : all)
            infos.insert(f.code);
        QVERIFY2(infos == kInfos.at(example), qPrintable(describe(all)));
    }

    void brokenVariant_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("source"); // the seed line or kernel source behind the rule
        for (std::size_t i = 0; i < cases().size(); ++i)
            QTest::newRow(cases()[i].name) << int(i) << QString::fromUtf8(cases()[i].source);
    }
    void brokenVariant()
    {
        QFETCH(int, index);
        const Case& c = cases()[static_cast<std::size_t>(index)];
        Topology t = example(c.example);
        c.breakIt(t);
        const std::vector<Finding> all = validate::validate(t);
        const std::vector<Finding> found = problems(all);
        QVERIFY2(!found.empty(), qPrintable("no finding for " + QString(c.code)));
        const RuleInfo* rule = nullptr;
        for (const RuleInfo& r : rules())
            if (r.code == c.code)
                rule = &r;
        QVERIFY(rule);
        for (const Finding& f : found) {
            QVERIFY2(f.code == c.code, qPrintable("another rule fired:\n" + describe(all)));
            QVERIFY(f.severity == rule->severity);
            QVERIFY(!f.message.en.empty());
            QVERIFY(!f.message.zhCN.empty());
            QVERIFY(!f.subject.name.empty());
            QVERIFY(f.subject.id != kNoId);
            QCOMPARE(f.fix.has_value(), c.hasFix);
        }
        if (!c.hasFix)
            return;
        // Apply the fixes one by one, as a user clicks them; the design is clean afterwards.
        for (int round = 0; round < 8; ++round) {
            const std::vector<Finding> now = problems(validate::validate(t));
            if (now.empty())
                break;
            QVERIFY(now.front().fix);
            QVERIFY(!now.front().fix->description.en.empty());
            QVERIFY(!now.front().fix->description.zhCN.empty());
            auto applied = now.front().fix->apply(t);
            QVERIFY2(applied.has_value(), applied ? "" : applied.error().message.c_str());
        }
        const std::vector<Finding> after = validate::validate(t);
        QVERIFY2(problems(after).empty(), qPrintable(describe(after)));
    }

    // The kernel reads arp_ignore/arp_announce as max(conf/all, conf/DEV)
    // (include/linux/inetdevice.h IN_DEV_MAXCONF): either one set is enough.
    void arpSettingsUseTheLargerOfAllAndDevice_data()
    {
        QTest::addColumn<QString>("keep");
        QTest::newRow("all only") << "all";
        QTest::newRow("eth0 only") << "eth0";
    }
    void arpSettingsUseTheLargerOfAllAndDevice()
    {
        QFETCH(QString, keep);
        Topology t = example("lvs-dr");
        for (const char* rs : {"RS1", "RS2"})
            std::erase_if(node(t, rs).sysctls, [&](const auto& kv) {
                return kv.first.find("." + keep.toStdString() + ".") == std::string::npos;
            });
        QCOMPARE(node(t, "RS1").sysctls.size(), std::size_t(2));
        const std::vector<Finding> all = validate::validate(t);
        QVERIFY2(problems(all).empty(), qPrintable(describe(all)));
    }

    void everyRuleIsTestedAndDocumented()
    {
        std::set<std::string> tested;
        for (const Case& c : cases())
            tested.insert(c.code);
        for (const auto& [example, infos] : kInfos)
            tested.insert(infos.begin(), infos.end());
        std::ifstream doc(LVSLAB_SOURCE_DIR "/docs/validation-rules.md");
        QVERIFY(doc);
        std::stringstream text;
        text << doc.rdbuf();
        std::set<std::string_view> codes;
        for (const RuleInfo& r : rules()) {
            QVERIFY2(codes.insert(r.code).second, r.code.data());
            QVERIFY2(tested.count(std::string(r.code)), qPrintable("untested rule " + QString::fromUtf8(r.code.data())));
            QVERIFY2(text.str().find("`" + std::string(r.code) + "`") != std::string::npos,
                     qPrintable("undocumented rule " + QString::fromUtf8(r.code.data())));
        }
    }

    // A fix re-finds its objects by id: on a document without them it fails and changes nothing.
    void fixOnAnotherDocumentFails()
    {
        Topology t = example("lvs-nat");
        node(t, "RS1").defaultGateway.reset();
        const std::vector<Finding> found = problems(validate::validate(t));
        QCOMPARE(found.size(), std::size_t(1));
        Topology empty;
        QVERIFY(!found.front().fix->apply(empty));
        QCOMPARE(empty, Topology{});
    }
};

QTEST_GUILESS_MAIN(TestValidate)
#include "test_validate.moc"
