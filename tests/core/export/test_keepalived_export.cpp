// keepalived.conf export: golden files for every example's directors (both dialects where they
// differ), and the names and values keepalived.conf cannot hold, refused with the node and field.
// Run with LVSLAB_UPDATE_GOLDEN=1 to rewrite the golden files after reviewing a change.
#include <QtTest>

#include "core/export/export.h"
#include "core/export/keepalived.h"
#include "core/io/lvslab_file.h"
#include "tests/core/keepalived_test_support.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace lvs::core;
using lvs::core::exports::KeepalivedDialect;

namespace {

using lvs::test::examples;
using lvs::test::kSource;

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Topology loadExample(const std::string& name)
{
    auto t = loadLvslab((kSource / "examples" / (name + ".lvslab")).string());
    if (!t)
        qFatal("cannot load example %s: %s", name.c_str(), t.error().front().toString().c_str());
    return *t;
}

// A small design with one director, for the refusal cases.
Topology smallDesign()
{
    Topology t = loadExample("keepalived-ha");
    return t;
}

Node& director(Topology& t, const std::string& name)
{
    for (Node& n : t.nodes)
        if (n.name == name)
            return n;
    qFatal("no node %s", name.c_str());
}

} // namespace

class TestKeepalivedExport : public QObject {
    Q_OBJECT
private slots:
    void golden_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("director");
        QTest::addColumn<bool>("dpvs");
        for (const auto& entry : examples()) {
            const std::string example = entry.path().stem().string();
            const Topology t = loadExample(example);
            for (const Node& n : t.nodes) {
                if (n.kind != NodeKind::Director)
                    continue;
                const std::string row = example + "-" + n.name;
                QTest::newRow(row.c_str()) << QString::fromStdString(example) << QString::fromStdString(n.name) << false;
                const bool fullNat = std::any_of(n.services.begin(), n.services.end(), [](const VirtualService& s) {
                    return std::any_of(s.destinations.begin(), s.destinations.end(),
                                       [](const Destination& d) { return d.method == ForwardMethod::FullNat; });
                });
                if (fullNat)
                    QTest::newRow((row + ".dpvs").c_str())
                        << QString::fromStdString(example) << QString::fromStdString(n.name) << true;
            }
        }
    }
    void golden()
    {
        QFETCH(QString, example);
        QFETCH(QString, director);
        QFETCH(bool, dpvs);
        const Topology t = loadExample(example.toStdString());
        const Node* d = t.findNodeByName(director.toStdString());
        QVERIFY(d);
        auto text = exports::keepalivedConf(t, *d, dpvs ? KeepalivedDialect::Dpvs : KeepalivedDialect::Upstream);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        const auto file = kSource / "tests" / "golden" / "keepalived"
            / (example.toStdString() + "-" + director.toStdString() + (dpvs ? ".dpvs" : "") + ".conf");
        if (qEnvironmentVariableIsSet("LVSLAB_UPDATE_GOLDEN")) {
            std::ofstream(file, std::ios::binary) << *text;
            QSKIP("golden file written");
        }
        QVERIFY2(std::filesystem::exists(file), file.c_str());
        QCOMPARE(QString::fromStdString(*text), QString::fromStdString(readFile(file)));
    }

    // The dispatcher's "keepalived" format is the upstream dialect.
    void dispatcherIsUpstream()
    {
        const Topology t = loadExample("lvs-fullnat");
        auto viaFormat = exports::exportDesign(t, exports::Format::Keepalived, {});
        QVERIFY(viaFormat);
        auto upstream = exports::keepalivedConf(t, *t.findNodeByName("Director"), KeepalivedDialect::Upstream);
        QVERIFY(upstream);
        QCOMPARE(*viaFormat, *upstream);
        QVERIFY(viaFormat->find("\nvirtual_server") == std::string::npos);
        QVERIFY(viaFormat->find("# virtual_server 172.18.100.7 80 {") != std::string::npos);
    }

    void syncGroup()
    {
        Topology t = smallDesign();
        Node& d = director(t, "Director1");
        VrrpInstance second = d.vrrp.front();
        second.name = "VI_2";
        second.virtualRouterId = 52;
        d.vrrp.front().syncGroup = "VG_1";
        auto one = exports::keepalivedConf(t, d);
        QVERIFY(one);
        QVERIFY2(one->find("# vrrp_sync_group VG_1 {") != std::string::npos, one->c_str());
        second.syncGroup = "VG_1";
        d.vrrp.push_back(second);
        auto two = exports::keepalivedConf(t, d);
        QVERIFY(two);
        QVERIFY2(two->find("vrrp_sync_group VG_1 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n")
                     != std::string::npos,
                 two->c_str());
    }

    // What keepalived.conf cannot hold: the error names the director, the subject and the field.
    void refused_data()
    {
        QTest::addColumn<int>("what");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        // what: 0 director name, 1 instance name, 2 interface name, 3 auth_pass, 4 url path,
        // 5 digest, 6 scheduler, 7 nopreempt+MASTER, 8 sync group, 9 instance interface gone,
        // 10 a fwmark service whose real server has a port, 11 a DR sorry_server on another port
        QTest::newRow("name with space") << 0 << "Director 1" << "router_id (the director's name) \"Director 1\" contains white space";
        QTest::newRow("name with brace") << 0 << "D{1" << "contains '{'";
        QTest::newRow("name with hash") << 0 << "D#1" << "contains '#'";
        QTest::newRow("name with bang") << 0 << "D!1" << "contains '!'";
        QTest::newRow("name with quote") << 0 << "D\"1" << "contains '\"'";
        QTest::newRow("name with newline") << 0 << "D\n1" << "\"D\\x0a1\" contains a control character";
        QTest::newRow("name with dollar") << 0 << "${X}" << "contains '$'";
        QTest::newRow("name starting @") << 0 << "@host" << "starts with '@'";
        QTest::newRow("empty name") << 0 << "" << "is empty";
        QTest::newRow("instance name") << 1 << "VI 1" << "vrrp_instance name \"VI 1\" contains white space";
        QTest::newRow("interface name") << 2 << "eth}0" << "VRRP instance VI_1: interface \"eth}0\" contains '}'";
        QTest::newRow("auth_pass space") << 3 << "a b" << "VRRP instance VI_1: auth_pass \"a b\" contains white space";
        QTest::newRow("auth_pass long") << 3 << "123456789" << "auth_pass has 9 characters; VRRP carries at most 8";
        QTest::newRow("url path") << 4 << "/a b" << "service tcp 192.168.1.250:80: url path \"/a b\" contains white space";
        QTest::newRow("url path comment") << 4 << "/#x" << "url path \"/#x\" contains '#'";
        QTest::newRow("digest") << 5 << "abc" << "digest \"abc\" is not an MD5 sum";
        QTest::newRow("scheduler") << 6 << "r r" << "lb_algo \"r r\" contains white space";
        QTest::newRow("nopreempt master") << 7 << "" << "nopreempt needs state BACKUP";
        QTest::newRow("sync group") << 8 << "VG!" << "vrrp_sync_group \"VG!\" contains '!'";
        QTest::newRow("no interface") << 9 << "" << "its interface is not one of the director's";
        QTest::newRow("sorry server port with DR") << 11 << "" << "sorry_server port 8080 must be the service's port with DR";
        QTest::newRow("fwmark real server port") << 10 << "" << "service fwmark 10: real server 192.168.1.201 has port 80, which keepalived clears";
    }
    void refused()
    {
        QFETCH(int, what);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        Topology t = smallDesign();
        Node& d = director(t, "Director1");
        const std::string v = value.toStdString();
        switch (what) {
        case 0: d.name = v; break;
        case 1: d.vrrp.front().name = v; break;
        case 2: d.interfaces.front().name = v; break;
        case 3: d.vrrp.front().authPass = v; break;
        case 4: d.services.front().check.urlPath = v; break;
        case 5: d.services.front().check.digest = v; break;
        case 6: d.services.front().scheduler = v; break;
        case 7: d.vrrp.front().nopreempt = true; break;
        case 8: d.vrrp.front().syncGroup = v; break;
        case 9: d.vrrp.front().interfaceId = 9999; break;
        case 10: d.services.front().fwmark = 10; break;
        case 11: d.services.front().sorryServer = std::pair{Ipv4{0x7f000001u}, std::uint16_t{8080}}; break;
        }
        auto text = exports::keepalivedConf(t, d);
        QVERIFY2(!text, text ? text->c_str() : "");
        const std::string& m = text.error().message;
        QVERIFY2(m.starts_with("keepalived export: director \""), m.c_str());
        QVERIFY2(m.find(expected.toStdString()) != std::string::npos, m.c_str());
    }

    // Every keyword the export can write, where it belongs (everyKeywordDesign()).
    void everyField()
    {
        const Topology t = lvs::test::everyKeywordDesign();
        const Node& d = *t.findNodeByName("Director2");
        auto text = exports::keepalivedConf(t, d);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        for (const char* want : {"    lb_algo sh\n    sh-port\n    sh-fallback\n    lb_kind DR\n",
                                 "    persistence_timeout 300\n    persistence_granularity 255.255.255.0\n",
                                 "    alpha\n    sorry_server 192.168.1.200 80\n",
                                 "        uthreshold 100\n        lthreshold 10\n        inhibit_on_failure\n",
                                 "        lvs_method TUN\n",
                                 "                digest 9b3a0c85a887a256d6939da88aabd8cd\n",
                                 "            connect_port 8080\n"})
            QVERIFY2(text->find(want) != std::string::npos, want);
    }
};

QTEST_GUILESS_MAIN(TestKeepalivedExport)
#include "test_keepalived_export.moc"
