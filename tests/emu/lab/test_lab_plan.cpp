// Tests of the lab planner and naming: the plan of every example against its golden dump, name
// round trips, and the refusals (bad lab names, ids too long for an interface name).
// Run with LVSLAB_WRITE_GOLDEN=1 to write a missing golden file (then review it by reading).
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/lab/naming.h"
#include "emu/lab/plan.h"

#include <fstream>
#include <set>
#include <sstream>

using namespace lvs::emu::lab;

namespace {

const char* const kExamples[] = {"lvs-nat",        "lvs-dr",    "lvs-tun",   "lvs-fullnat",
                                 "fwm-http-https", "pcc-port0", "mysql-wlc", "keepalived-ha"};

lvs::core::Topology example(const std::string& name)
{
    auto t = lvs::core::loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab");
    if (!t)
        qFatal("cannot load %s", name.c_str());
    return *t;
}

} // namespace

class TestLabPlan : public QObject {
    Q_OBJECT

private slots:
    void golden_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* e : kExamples)
            QTest::newRow(e) << QString(e);
    }
    void golden()
    {
        QFETCH(QString, name);
        auto plan = makePlan(example(name.toStdString()), "ex");
        QVERIFY2(plan.has_value(), plan ? "" : plan.error().message.c_str());
        std::string text = toText(*plan);
        std::string path = std::string(LVSLAB_SOURCE_DIR "/tests/golden/lab/") + name.toStdString() + ".plan";
        std::ifstream in(path);
        if (!in && qEnvironmentVariableIsSet("LVSLAB_WRITE_GOLDEN")) {
            std::ofstream(path) << text;
            QSKIP("golden file written: review it");
        }
        QVERIFY2(in.good(), ("missing " + path).c_str());
        std::stringstream expected;
        expected << in.rdbuf();
        QCOMPARE(QString::fromStdString(text), QString::fromStdString(expected.str()));
    }

    // The plan's promises, checked on every example: every interface name fits IFNAMSIZ, every
    // lab-made name parses back to what built it, every step names a namespace of the plan.
    void invariants_data() { golden_data(); }
    void invariants()
    {
        QFETCH(QString, name);
        auto plan = makePlan(example(name.toStdString()), "abcdefg"); // the longest lab name
        QVERIFY(plan.has_value());
        std::set<std::string> spaces;
        for (const PlanNamespace& n : plan->namespaces) {
            spaces.insert(n.name);
            auto parsed = parseName(n.name, true);
            QVERIFY(parsed.has_value());
            QCOMPARE(parsed->lab, std::string("abcdefg"));
            QCOMPARE(parsed->id, n.node);
        }
        for (const PlanBridge& b : plan->bridges) {
            QVERIFY(b.name.size() <= kMaxInterfaceName);
            auto parsed = parseName(b.name, false);
            QVERIFY(parsed && parsed->kind == NameKind::Bridge && parsed->id == b.segment);
        }
        for (const PlanVeth& v : plan->veths)
            for (const PlanVethEnd* e : {&v.a, &v.b}) {
                QVERIFY2(e->name.size() <= kMaxInterfaceName, e->name.c_str());
                QVERIFY(spaces.contains(e->ns));
                if (!e->master.empty()) {
                    auto parsed = parseName(e->name, false);
                    QVERIFY(parsed && parsed->kind == NameKind::Port && parsed->id == v.link);
                }
            }
        for (const PlanAddress& a : plan->addresses)
            QVERIFY(spaces.contains(a.ns));
        for (const PlanRoute& r : plan->routes)
            QVERIFY(spaces.contains(r.ns));
        QCOMPARE(*makePlan(example(name.toStdString()), "abcdefg"), *plan); // pure: same input, same plan
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("isNamespace");
        QTest::newRow("node namespace") << "lvslab-nat-n4" << true;
        QTest::newRow("bridges namespace") << "lvslab-a-b-br" << true;
        QTest::newRow("bridge") << "abcdefg-b99999" << false;
        QTest::newRow("port") << "nat-p12" << false;
        QTest::newRow("port side a") << "nat-p12a" << false;
        QTest::newRow("port side b, dashed lab") << "lvs-nat-p7b" << false;
    }
    void roundTrip()
    {
        QFETCH(QString, name);
        QFETCH(bool, isNamespace);
        auto parsed = parseName(name.toStdString(), isNamespace);
        QVERIFY(parsed.has_value());
        std::string built;
        switch (parsed->kind) {
        case NameKind::NodeNamespace: built = nodeNamespace(parsed->lab, parsed->id); break;
        case NameKind::BridgesNamespace: built = bridgesNamespace(parsed->lab); break;
        case NameKind::Bridge: built = bridgeName(parsed->lab, parsed->id); break;
        case NameKind::Port: built = portName(parsed->lab, parsed->id, parsed->side); break;
        }
        QCOMPARE(QString::fromStdString(built), name);
    }

    // Names a lab never makes: the cleaner must leave them alone.
    void foreignNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("isNamespace");
        QTest::newRow("user namespace") << "blue" << true;
        QTest::newRow("other tool") << "cni-1234-abcd" << true;
        QTest::newRow("no id") << "lvslab-nat-n" << true;
        QTest::newRow("leading zero") << "lvslab-nat-n04" << true;
        QTest::newRow("upper case lab") << "lvslab-NAT-n4" << true;
        QTest::newRow("lab too long") << "lvslab-abcdefgh-n4" << true;
        QTest::newRow("interface eth0") << "eth0" << false;
        QTest::newRow("docker bridge") << "docker0" << false;
        QTest::newRow("veth of docker") << "veth1a2b3c4" << false;
        QTest::newRow("unknown kind") << "nat-x12" << false;
        QTest::newRow("too long") << "abcdefgh-p12345" << false;
        QTest::newRow("namespace as interface") << "lvslab-nat-n4" << false;
    }
    void foreignNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, isNamespace);
        QVERIFY(!parseName(name.toStdString(), isNamespace).has_value());
    }

    void badLabNames_data()
    {
        QTest::addColumn<QString>("lab");
        QTest::newRow("empty") << "";
        QTest::newRow("too long") << "abcdefgh";
        QTest::newRow("upper case") << "Nat";
        QTest::newRow("slash") << "a/b";
        QTest::newRow("leading dash") << "-ab";
    }
    void badLabNames()
    {
        QFETCH(QString, lab);
        auto plan = makePlan(example("lvs-nat"), lab.toStdString());
        QVERIFY(!plan.has_value());
        QVERIFY(plan.error().message.find("lab name") != std::string::npos);
    }

    void labNameFromFile()
    {
        QCOMPARE(labNameFrom("lvs-nat"), std::string("lvs-nat"));
        QCOMPARE(labNameFrom("Keepalived-HA"), std::string("keepali"));
        QCOMPARE(labNameFrom("fwm-http-https"), std::string("fwm-htt"));
        QCOMPARE(labNameFrom("abcdef-x"), std::string("abcdef"));
        QCOMPARE(labNameFrom("测试"), std::string("lab"));
        for (const char* e : kExamples)
            QVERIFY(labNameError(labNameFrom(e)).empty());
    }

    void idTooLargeIsRefused()
    {
        auto t = example("lvs-nat");
        t.nodes[0].id = 100000;
        t.links[0].a.node = 100000;
        auto plan = makePlan(t, "ex");
        QVERIFY(!plan.has_value());
        QVERIFY(plan.error().message.find("100000") != std::string::npos);
    }

    void danglingLinkIsRefused()
    {
        auto t = example("lvs-nat");
        t.links[0].a.interfaceId = 999;
        QVERIFY(!makePlan(t, "ex").has_value());
    }

    // An interface no link attaches still gets its addresses, on a dummy device.
    void unlinkedInterfaceBecomesDummy()
    {
        auto t = example("lvs-nat");
        t.links.erase(t.links.begin()); // Client's eth0
        auto plan = makePlan(t, "ex");
        QVERIFY(plan.has_value());
        QCOMPARE(plan->dummies.size(), std::size_t(1));
        QCOMPARE(plan->dummies[0].ns, std::string("lvslab-ex-n1"));
        QCOMPARE(plan->dummies[0].name, std::string("eth0"));
    }
};

QTEST_GUILESS_MAIN(TestLabPlan)
#include "test_lab_plan.moc"
