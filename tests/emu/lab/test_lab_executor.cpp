// Tests of the lab executor against the recording NetlinkOps fake: the order of operations, the
// manifest written before each creation, refusal of a running name, convergence after a cut-
// short up, rollback on injected errors (EPERM, EEXIST), down, and what clean may remove.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/lab/executor.h"
#include "emu/lab/recording_ops.h"

#include <algorithm>
#include <cerrno>

using namespace lvs::emu::lab;

namespace {

Plan planOf(const std::string& example, const std::string& lab)
{
    auto t = lvs::core::loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + example + ".lvslab");
    if (!t)
        qFatal("cannot load %s", example.c_str());
    auto p = makePlan(*t, lab);
    if (!p)
        qFatal("no plan: %s", p.error().message.c_str());
    return *p;
}

// The index of the first log line starting with prefix, or -1.
int indexOf(const std::vector<std::string>& log, const std::string& prefix, int from = 0)
{
    for (int i = from; i < static_cast<int>(log.size()); ++i)
        if (log[i].starts_with(prefix))
            return i;
    return -1;
}

struct Fixture {
    std::shared_ptr<std::vector<std::string>> log = std::make_shared<std::vector<std::string>>();
    RecordingOps ops{log};
    MemoryManifestStore store{log};
    LabExecutor executor{ops, store};
};

} // namespace

class TestLabExecutor : public QObject {
    Q_OBJECT

private slots:
    void upCreatesInPlanOrder()
    {
        Fixture f;
        auto m = f.executor.up(planOf("lvs-nat", "t"), "lvs-nat.lvslab");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        const auto& log = *f.log;
        int ns = indexOf(log, "addNamespace");
        int br = indexOf(log, "addBridge");
        int veth = indexOf(log, "addVeth");
        int master = indexOf(log, "setMaster");
        int sysctl = indexOf(log, "setSysctl");
        int up = indexOf(log, "setUp");
        int addr = indexOf(log, "addAddress");
        int route = indexOf(log, "addRoute");
        int proc = indexOf(log, "startProcess");
        QVERIFY(ns >= 0 && br > ns && veth > br && master > veth && sysctl > master && up > sysctl && addr > up
                && route > addr && proc > route);
        // The last namespace is made before the first bridge.
        QVERIFY(indexOf(log, "addNamespace lvslab-t-br") < br);
        QVERIFY((m->state) == LabState::Running);
        QCOMPARE(m->namespaces.size(), std::size_t(5)); // 4 nodes (the 2 segments are bridges), + the bridges namespace
        QCOMPARE(m->processes.size(), std::size_t(3));  // lvs-director, and RS1 and RS2's agents
        QVERIFY((f.store.load("t")->state) == LabState::Running);
        QCOMPARE(f.store.load("t")->nodes.at("RS1"), std::string("lvslab-t-n8"));
        QCOMPARE(f.ops.namespaces.size(), std::size_t(5));
    }

    // A kill -9 at any step must leave a manifest that names the namespace being made: each
    // addNamespace comes after a manifest save that lists it, each process start after a save.
    void manifestIsWrittenBeforeEachCreation()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-dr", "t"), "").has_value());
        const auto& log = *f.log;
        int creations = 0;
        for (int i = 0; i < static_cast<int>(log.size()); ++i) {
            if (log[i].starts_with("addNamespace ")) {
                std::string ns = log[i].substr(13);
                QVERIFY2(i > 0 && log[i - 1].starts_with("manifest starting") && log[i - 1].find(" " + ns) != std::string::npos,
                         log[i].c_str());
                ++creations;
            }
            if (log[i].starts_with("startProcess")) {
                QVERIFY2(i > 0 && log[i - 1].starts_with("manifest starting"), log[i].c_str());
                ++creations;
            }
        }
        QCOMPARE(creations, 5 + 1 + 3); // namespaces of 5 nodes and the bridges, lvs-director and 2 agents
        QVERIFY(log.back().starts_with("manifest running"));
    }

    void upOfARunningNameIsRefused()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-nat", "t"), "a.lvslab").has_value());
        std::size_t before = f.log->size();
        auto again = f.executor.up(planOf("lvs-dr", "t"), "b.lvslab");
        QVERIFY(!again.has_value());
        QVERIFY2(again.error().message.find("lab \"t\" is running") != std::string::npos, again.error().message.c_str());
        QVERIFY(again.error().message.find("lvsctl lab down t") != std::string::npos);
        for (std::size_t i = before; i < f.log->size(); ++i) // nothing was made or removed
            QVERIFY2(!(*f.log)[i].starts_with("add") && !(*f.log)[i].starts_with("delete"), (*f.log)[i].c_str());
    }

    // An up that died half-way (state starting, owner gone): the next up removes its remains
    // first, then builds, and ends with exactly the plan's namespaces.
    void upAfterAnInterruptedUpConverges()
    {
        Fixture f;
        f.ops.failNext("addVeth", EINTR); // stands in for the kill: the run stops at a veth
        Manifest half;
        half.lab = "t";
        half.state = LabState::Starting;
        half.owner = {31337, 5}; // not alive
        half.namespaces = {"lvslab-t-n1", "lvslab-t-n4"};
        f.ops.namespaces = {"lvslab-t-n1", "lvslab-t-n4", "lvslab-t-n99"};
        f.ops.running.insert({1234, 9});
        f.ops.processNamespace[1234] = "lvslab-t-n4";
        half.processes.push_back({{1234, 9}, "lvslab-t-n4", "RS1", "agent http:80"});
        QVERIFY(f.store.save(half).has_value());
        f.log->clear();
        auto m = f.executor.up(planOf("lvs-nat", "t"), "");
        // failNext("addVeth") is still armed: this up fails and rolls back...
        QVERIFY(!m.has_value());
        QVERIFY(f.ops.namespaces.empty());
        QVERIFY(f.ops.running.empty());
        QVERIFY(!f.store.load("t").has_value());
        // ...and the one after converges.
        m = f.executor.up(planOf("lvs-nat", "t"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        QCOMPARE(f.ops.namespaces.size(), std::size_t(5));
        QVERIFY(!f.ops.namespaces.contains("lvslab-t-n99"));
    }

    void staleNamespacesWithoutManifestAreRemovedByUp()
    {
        Fixture f;
        f.ops.namespaces = {"lvslab-t-n1", "lvslab-t-br", "blue"};
        QVERIFY(f.executor.up(planOf("lvs-nat", "t"), "").has_value());
        QVERIFY(indexOf(*f.log, "deleteNamespace lvslab-t-n1") < indexOf(*f.log, "addNamespace lvslab-t-n1"));
        QVERIFY(f.ops.namespaces.contains("blue"));
        QVERIFY(indexOf(*f.log, "deleteNamespace blue") < 0);
    }

    void failures_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("succeeds");
        QTest::addColumn<QString>("message");
        QTest::newRow("EPERM on the first namespace") << "addNamespace" << EPERM << false << "needs root";
        QTest::newRow("EEXIST on a namespace") << "addNamespace lvslab-t-n4" << EEXIST << false << "File exists";
        QTest::newRow("EPERM on a veth") << "addVeth" << EPERM << false << "needs root";
        QTest::newRow("EEXIST on a bridge is success") << "addBridge" << EEXIST << true << "";
        QTest::newRow("EEXIST on an address is success") << "addAddress" << EEXIST << true << "";
        QTest::newRow("EEXIST on a route is success") << "addRoute" << EEXIST << true << "";
        QTest::newRow("missing sysctl") << "setSysctl lvslab-t-n4 net.ipv4.ip_forward" << ENOENT << false << "ip_forward";
        QTest::newRow("missing optional bridge sysctl") << "setSysctl lvslab-t-br" << ENOENT << true << "";
        QTest::newRow("agent does not start") << "startProcess lvslab-t-n10" << EIO << false << "RS2";
    }
    void failures()
    {
        QFETCH(QString, step);
        QFETCH(int, code);
        QFETCH(bool, succeeds);
        QFETCH(QString, message);
        Fixture f;
        f.ops.failNext(step.toStdString(), code);
        auto m = f.executor.up(planOf("lvs-nat", "t"), "");
        QCOMPARE(m.has_value(), succeeds);
        if (succeeds) {
            QCOMPARE(f.ops.namespaces.size(), std::size_t(5));
            return;
        }
        QVERIFY2(m.error().message.find(message.toStdString()) != std::string::npos, m.error().message.c_str());
        QVERIFY(m.error().message.find("removed again") != std::string::npos);
        QVERIFY(f.ops.namespaces.empty());  // rolled back
        QVERIFY(f.ops.running.empty());
        QVERIFY(!f.store.load("t").has_value());
    }

    // No ipip module: the lab runs without tunl0 on the TUN real server, and says so.
    void noTunnelModuleLeavesTunl0Out()
    {
        Fixture f;
        f.ops.failNext("ensureTunnel lvslab-t-n13", EOPNOTSUPP);
        auto m = f.executor.up(planOf("lvs-tun", "t"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        QCOMPARE(std::count_if(m->notes.begin(), m->notes.end(),
                               [](const std::string& n) { return n.find("cannot take tunnelled requests") != std::string::npos; }),
                 1);
        for (const std::string& line : *f.log)
            QVERIFY2(!(line.find("lvslab-t-n13") != std::string::npos && line.find("tunl0") != std::string::npos),
                     line.c_str());
        QVERIFY(indexOf(*f.log, "addAddress lvslab-t-n15 tunl0") >= 0); // RS2 has its tunl0
    }

    // No ipip module, but a TUN device as tunl0: each TUN real server gets its decapsulator,
    // and tunl0 is configured as the kernel's would be.
    void userspaceTunnelStartsDecapsulators()
    {
        Fixture f;
        f.ops.tunnelDevice = TunnelDevice::Userspace;
        auto m = f.executor.up(planOf("lvs-tun", "t"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        QCOMPARE(std::count_if(m->processes.begin(), m->processes.end(),
                               [](const ManifestProcess& p) { return p.what == "decap tunl0"; }),
                 2);
        QCOMPARE(m->processes.size(), std::size_t(5)); // the director, two decapsulators, two agents
        QVERIFY(indexOf(*f.log, "addAddress lvslab-t-n13 tunl0") >= 0);
        QVERIFY(indexOf(*f.log, "setSysctl lvslab-t-n13 net.ipv4.conf.tunl0.rp_filter=0") >= 0);
    }

    // With the kernel's ipip no decapsulator runs.
    void kernelTunnelStartsNoDecapsulator()
    {
        Fixture f;
        auto m = f.executor.up(planOf("lvs-tun", "t"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        QCOMPARE(m->processes.size(), std::size_t(3));
    }

    void downRemovesEverything()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-dr", "t"), "").has_value());
        QVERIFY(!f.ops.running.empty());
        f.log->clear();
        QVERIFY(f.executor.down("t").has_value());
        QVERIFY(f.ops.namespaces.empty());
        QVERIFY(f.ops.running.empty());
        QVERIFY(!f.store.load("t").has_value());
        // Processes go before their namespaces.
        QVERIFY(indexOf(*f.log, "stopProcess ") < indexOf(*f.log, "deleteNamespace"));
        QVERIFY(f.log->front().starts_with("manifest stopping"));
    }

    void downOfAnUnknownLabFails()
    {
        Fixture f;
        auto r = f.executor.down("nope");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message.find("no lab named \"nope\"") != std::string::npos);
    }

    // clean: dead labs (manifests of cut-short runs, namespaces that parse with no manifest) go;
    // a running lab and names no lab makes stay.
    void cleanRemovesOnlyDeadLabs()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-nat", "live"), "").has_value());
        QVERIFY(f.executor.up(planOf("lvs-dr", "dead"), "").has_value());
        auto dead = *f.store.load("dead");
        dead.state = LabState::Starting;
        dead.owner = {31337, 5}; // its up was killed
        QVERIFY(f.store.save(dead).has_value());
        f.ops.namespaces.insert("lvslab-orphan-n3");
        f.ops.namespaces.insert("blue");
        f.ops.namespaces.insert("lvslab-x"); // does not parse
        auto removed = f.executor.clean();
        QVERIFY(!removed.empty());
        for (const std::string& ns : f.ops.namespaces)
            QVERIFY2(ns.starts_with("lvslab-live-") || ns == "blue" || ns == "lvslab-x", ns.c_str());
        QCOMPARE(std::count_if(f.ops.namespaces.begin(), f.ops.namespaces.end(),
                               [](const std::string& ns) { return ns.starts_with("lvslab-live-"); }),
                 5);
        QVERIFY(f.store.load("live").has_value());
        QVERIFY(!f.store.load("dead").has_value());
        QCOMPARE(f.ops.running.size(), std::size_t(3)); // the live lab's director and agents only
        QVERIFY(std::find(removed.begin(), removed.end(), "namespace lvslab-orphan-n3") != removed.end());
    }

    // A running lab whose namespaces someone deleted is dead: clean removes the rest.
    void runningLabWithMissingNamespacesIsDead()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-nat", "t"), "").has_value());
        f.ops.namespaces.erase("lvslab-t-n1");
        auto labs = f.executor.list();
        QCOMPARE(labs.size(), std::size_t(1));
        QVERIFY(!labs[0].live);
        f.executor.clean();
        QVERIFY(f.ops.namespaces.empty());
        QVERIFY(f.ops.running.empty());
    }

    // Another lvsctl that is still starting the lab (owner alive): down and clean leave it.
    void labBeingStartedByAnotherProcessIsLeftAlone()
    {
        Fixture f;
        QVERIFY(f.executor.up(planOf("lvs-nat", "t"), "").has_value());
        auto m = *f.store.load("t");
        m.state = LabState::Starting;
        m.owner = *f.ops.running.begin(); // a live process that is not us
        QVERIFY(f.store.save(m).has_value());
        QVERIFY(!f.executor.down("t").has_value());
        f.executor.clean();
        QCOMPARE(f.ops.namespaces.size(), std::size_t(5));
    }
};

QTEST_GUILESS_MAIN(TestLabExecutor)
#include "test_lab_executor.moc"
