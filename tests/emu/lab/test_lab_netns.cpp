// Lab tests on the real kernel (label netns; needs root, exits 77 to skip otherwise): every
// example comes up and goes down without leftovers, the connectivity each design promises
// holds, DR real servers answer ARP only for their own address, a kill -9 during up is cleaned,
// and two labs side by side do not collide. Only lab namespaces are made; traffic stays between
// them; cleanup() removes each test's labs even when it fails; every wait is bounded.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/cli/lab_command.h"
#include "emu/lab/executor.h"
#include "emu/lab/libnl_ops.h"
#include "emu/lab/naming.h"
#include "emu/lab/services.h"
#include "emu/lab/traffic.h"

#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace lvs::emu::lab;
using lvs::core::Ipv4;
using namespace std::chrono_literals;

namespace {

const char* const kExamples[] = {"lvs-nat",        "lvs-dr",    "lvs-tun",   "lvs-fullnat",
                                 "fwm-http-https", "pcc-port0", "mysql-wlc", "keepalived-ha"};
// The test labs' names: a prefix no one else uses, so cleanup() touches only these.
const char* const kTestLabs[] = {"zt1", "zta", "ztb", "ztk", "ztd", "ztn", "ztc", "ztr", "zte", "ztt", "zts"};

lvs::core::Topology example(const std::string& name)
{
    auto t = lvs::core::loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab");
    if (!t)
        qFatal("cannot load %s", name.c_str());
    return *t;
}

Plan planOf(const std::string& name, const std::string& lab) { return *makePlan(example(name), lab); }

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

std::vector<std::string> dirEntries(const std::string& path)
{
    std::vector<std::string> out;
    if (DIR* d = opendir(path.c_str())) {
        while (dirent* e = readdir(d))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                out.push_back(e->d_name);
        closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// What the machine shows outside the labs: namespaces, its own links, the lab state folder.
struct Snapshot {
    std::vector<std::string> namespaces = dirEntries("/run/netns");
    std::vector<std::string> links = dirEntries("/sys/class/net");
    std::vector<std::string> runs = dirEntries("/run/lvslab");
    bool operator==(const Snapshot&) const = default;
};

std::string join(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += x + " ";
    return s;
}

// The value of a sysctl inside ns.
std::string sysctlIn(const std::string& ns, std::string key)
{
    NamespaceGuard guard(ns);
    std::replace(key.begin(), key.end(), '.', '/');
    std::ifstream in("/proc/sys/" + key);
    std::string v;
    in >> v;
    return v;
}

// Runs lvsctl lab with args in a child process (exec replaces it), capturing stdout+stderr,
// bounded by timeout.
std::pair<int, std::string> labCommandInChild(const std::vector<std::string>& args, std::chrono::seconds timeout)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return {-1, "pipe"};
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        std::ostringstream out, err;
        int rc = lvs::emu::runLabCommand(args, out, err);
        std::string text = out.str() + err.str();
        (void)!write(1, text.data(), text.size());
        _exit(rc);
    }
    close(pipefd[1]);
    std::string text;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{pipefd[0], POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        if (n <= 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

// A child process that brings a lab up (its own ops and store, as a second lvsctl would).
pid_t forkUp(const std::string& exampleName, const std::string& lab)
{
    pid_t child = fork();
    if (child == 0) {
        LibnlOps ops;
        FileManifestStore store;
        LabExecutor executor(ops, store);
        _exit(executor.up(planOf(exampleName, lab), exampleName) ? 0 : 1);
    }
    return child;
}

// lvs-nat with TCP and UDP echo on port 7 of both real servers, its director a plain namespace
// (no lvs-director process): the traffic tests send from the Director's namespace straight to
// the RIPs, so they test the client and the agent, not the balancing.
Plan natWithEchoPlan(const std::string& lab)
{
    auto topology = example("lvs-nat");
    for (auto& node : topology.nodes)
        if (node.kind == lvs::core::NodeKind::RealServer) {
            node.apps.push_back({lvs::core::AppKind::TcpEcho, 7, ""});
            node.apps.push_back({lvs::core::AppKind::UdpEcho, 7, ""});
        }
    Plan plan = *makePlan(topology, lab);
    std::erase_if(plan.processes, [](const PlanProcess& p) { return p.kind == ProcessKind::Director; });
    return plan;
}


} // namespace

Q_DECLARE_METATYPE(TrafficProtocol)

class TestLabNetns : public QObject {
    Q_OBJECT

    LibnlOps m_ops;
    FileManifestStore m_store;
    LabExecutor m_executor{m_ops, m_store};
    Snapshot m_before;

    void removeTestLabs()
    {
        for (const char* lab : kTestLabs) {
            (void)m_executor.down(lab);
            for (const std::string& ns : m_ops.listNamespaces())
                if (auto parsed = parseName(ns, true); parsed && parsed->lab == lab) {
                    m_ops.stopProcessesIn(ns);
                    (void)m_ops.deleteNamespace(ns);
                }
            m_store.remove(lab);
        }
    }

    Manifest up(const std::string& exampleName, const std::string& lab)
    {
        auto m = m_executor.up(planOf(exampleName, lab), exampleName);
        if (!m)
            qWarning("up failed: %s", m.error().message.c_str());
        return m ? *m : Manifest{};
    }

private slots:
    void initTestCase()
    {
        removeTestLabs();
        m_before = Snapshot{};
    }
    void cleanup() { removeTestLabs(); }
    void cleanupTestCase()
    {
        removeTestLabs();
        Snapshot after;
        QCOMPARE(join(after.namespaces), join(m_before.namespaces));
        QCOMPARE(join(after.links), join(m_before.links));
    }

    void upDownLeavesNothing_data()
    {
        QTest::addColumn<QString>("example");
        for (const char* e : kExamples)
            QTest::newRow(e) << QString(e);
    }
    void upDownLeavesNothing()
    {
        QFETCH(QString, example);
        Snapshot before;
        Plan plan = planOf(example.toStdString(), "zt1");
        auto m = m_executor.up(plan, example.toStdString());
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        auto spaces = m_ops.listNamespaces();
        for (const PlanNamespace& n : plan.namespaces)
            QVERIFY2(std::find(spaces.begin(), spaces.end(), n.name) != spaces.end(), n.name.c_str());
        for (const ManifestProcess& p : m->processes)
            QVERIFY(m_ops.processAlive(p.id));
        QVERIFY(Snapshot{}.links == before.links); // nothing made in the machine's own namespace
        QVERIFY(m_executor.down("zt1").has_value());
        for (const ManifestProcess& p : m->processes)
            QVERIFY(!m_ops.processAlive(p.id));
        Snapshot after;
        QCOMPARE(join(after.namespaces), join(before.namespaces));
        QCOMPARE(join(after.links), join(before.links));
        QCOMPARE(join(after.runs), join(before.runs));
    }

    // The seeds' check on the Director: curl http://192.168.10.11/ answers <h1>RS1</h1>.
    void natDirectorFetchesFromRealServers()
    {
        Manifest m = up("lvs-nat", "ztn");
        QVERIFY((m.state) == LabState::Running);
        const std::string director = m.nodes.at("Director");
        auto rs1 = httpGet(director, ip("192.168.10.11"), 80, 3000ms);
        QVERIFY2(rs1.has_value(), rs1 ? "" : rs1.error().message.c_str());
        QCOMPARE(*rs1, std::string("<h1>RS1</h1>\n"));
        auto rs2 = httpGet(director, ip("192.168.10.12"), 80, 3000ms);
        QVERIFY(rs2.has_value());
        QCOMPARE(serverNameOf(*rs2), std::optional<std::string>("RS2"));
        // The model's MACs and sysctls are what the kernel has.
        auto topology = example("lvs-nat");
        const auto* rs1Node = topology.findNodeByName("RS1");
        QCOMPARE(m_ops.linkMac(m.nodes.at("RS1"), "eth0"), std::optional(lvs::core::interfaceMac(rs1Node->interfaces[0])));
        QCOMPARE(sysctlIn(director, "net.ipv4.ip_forward"), std::string("1"));
        QCOMPARE(sysctlIn(m.nodes.at("RS1"), "net.ipv4.ip_forward"), std::string("0"));
        // Bridged frames skip the machine's iptables (where br_netfilter is loaded at all).
        std::string nf = sysctlIn(bridgesNamespace("ztn"), "net.bridge.bridge-nf-call-iptables");
        QVERIFY2(nf.empty() || nf == "0", nf.c_str());
        // The client's request to the VIP is balanced by lvs-director to a real server.
        auto toDirector = httpGet(m.nodes.at("Client"), ip("172.18.100.6"), 80, 3000ms);
        QVERIFY2(toDirector.has_value(), toDirector ? "" : toDirector.error().message.c_str());
        auto who = serverNameOf(*toDirector);
        QVERIFY(who == std::optional<std::string>("RS1") || who == std::optional<std::string>("RS2"));
    }

    // lvs-dr: the client reaches the router, real servers reach their gateway, the director
    // reaches the RIPs; the built-in services answer.
    void drConnectivity()
    {
        Manifest m = up("lvs-dr", "ztc");
        QVERIFY((m.state) == LabState::Running);
        auto refused = [](const OpResult<std::string>& r) { return !r && r.error().code == ECONNREFUSED; };
        QVERIFY(refused(httpGet(m.nodes.at("Client"), ip("172.20.0.1"), 80, 3000ms)));
        QVERIFY(refused(httpGet(m.nodes.at("RS1"), ip("172.18.0.1"), 80, 3000ms)));
        QVERIFY(refused(httpGet(m.nodes.at("RS2"), ip("172.18.0.1"), 80, 3000ms)));
        // Through the router: the client reaches RS1's RIP.
        auto viaRouter = httpGet(m.nodes.at("Client"), ip("172.18.100.11"), 80, 3000ms);
        QVERIFY2(viaRouter.has_value(), viaRouter ? "" : viaRouter.error().message.c_str());
        QCOMPARE(*viaRouter, std::string("<h1>RS1</h1>\n"));
        auto fromDirector = httpGet(m.nodes.at("Director"), ip("172.18.100.12"), 80, 3000ms);
        QVERIFY(fromDirector.has_value());
        QCOMPARE(*fromDirector, std::string("<h1>RS2</h1>\n"));
        QCOMPARE(sysctlIn(m.nodes.at("RS1"), "net.ipv4.conf.eth0.arp_ignore"), std::string("1"));
        QCOMPARE(sysctlIn(m.nodes.at("RS1"), "net.ipv4.conf.all.arp_announce"), std::string("2"));
    }

    // DR real servers hold the VIP on lo with arp_ignore=1: they answer ARP for their RIP only.
    // From the router: the RIP resolves to RS1's MAC; with the director silenced (arp_ignore=8)
    // nobody answers for the VIP although both real servers hold it; with the director back, the
    // VIP resolves to the director's MAC. A control shows the check can fail: an address on RS1's
    // lo with RS1's arp_ignore=0 does resolve to RS1.
    void drRealServersAnswerArpOnlyForTheirOwnAddress()
    {
        Manifest m = up("lvs-dr", "ztd");
        QVERIFY((m.state) == LabState::Running);
        const std::string router = m.nodes.at("Router");
        const std::string director = m.nodes.at("Director");
        auto rs1Mac = m_ops.linkMac(m.nodes.at("RS1"), "eth0");
        auto directorMac = m_ops.linkMac(director, "eth0");
        QVERIFY(rs1Mac && directorMac);
        const auto none = std::optional<lvs::core::Mac>();

        QVERIFY(httpGet(router, ip("172.18.100.11"), 80, 3000ms).has_value());
        QCOMPARE(m_ops.neighbourMac(router, ip("172.18.100.11")), rs1Mac);

        QVERIFY(m_ops.setSysctl(director, "net.ipv4.conf.all.arp_ignore", 8).has_value());
        auto silent = httpGet(router, ip("172.18.100.7"), 80, 4000ms); // ARP gives up after 3 probes
        QVERIFY(!silent.has_value());
        QVERIFY2(silent.error().code == EHOSTUNREACH || silent.error().code == ETIMEDOUT, silent.error().message.c_str());
        QCOMPARE(m_ops.neighbourMac(router, ip("172.18.100.7")), none);

        QVERIFY(m_ops.setSysctl(director, "net.ipv4.conf.all.arp_ignore", 0).has_value());
        // The director holds the VIP: the router's request reaches lvs-director, which hands it
        // to a real server (DR), whose reply comes straight back.
        auto balanced = httpGet(router, ip("172.18.100.7"), 80, 4000ms);
        QVERIFY2(balanced.has_value(), balanced ? "" : balanced.error().message.c_str());
        QCOMPARE(m_ops.neighbourMac(router, ip("172.18.100.7")), directorMac);

        const std::string rs1 = m.nodes.at("RS1");
        QVERIFY(m_ops.setSysctl(rs1, "net.ipv4.conf.all.arp_ignore", 0).has_value());
        QVERIFY(m_ops.setSysctl(rs1, "net.ipv4.conf.eth0.arp_ignore", 0).has_value());
        QVERIFY(m_ops.addAddress(rs1, "lo", *lvs::core::Ipv4Prefix::parse("172.18.100.8/32")).has_value());
        (void)httpGet(router, ip("172.18.100.8"), 80, 3000ms);
        QCOMPARE(m_ops.neighbourMac(router, ip("172.18.100.8")), rs1Mac);
    }

    // The built-in TCP and UDP echo and a real server's own command: they run inside the RS's
    // namespace, their PIDs are in the manifest, and down stops them.
    void echoServicesAndCommands()
    {
        auto topology = example("lvs-nat");
        for (auto& node : topology.nodes)
            if (node.name == "RS1") {
                node.apps.push_back({lvs::core::AppKind::TcpEcho, 7, ""});
                node.apps.push_back({lvs::core::AppKind::UdpEcho, 7, ""});
                node.apps.push_back({lvs::core::AppKind::Command, 0, "exec sleep 600"});
            }
        auto plan = makePlan(topology, "zte");
        QVERIFY(plan.has_value());
        auto m = m_executor.up(*plan, "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        const std::string director = m->nodes.at("Director");
        auto tcp = tcpEcho(director, ip("192.168.10.11"), 7, "hello tcp", 3000ms);
        QVERIFY2(tcp.has_value(), tcp ? "" : tcp.error().message.c_str());
        QCOMPARE(*tcp, std::string("RS1 hello tcp"));
        auto udp = udpEcho(director, ip("192.168.10.11"), 7, "hello udp", 3000ms);
        QVERIFY2(udp.has_value(), udp ? "" : udp.error().message.c_str());
        QCOMPARE(*udp, std::string("RS1 hello udp"));
        QVERIFY(!udpEcho(director, ip("192.168.10.12"), 7, "x", 500ms).has_value()); // RS2 runs no UDP echo
        // RS1: a command and an agent, both inside RS1's namespace.
        std::vector<ProcessId> rs1;
        for (const ManifestProcess& p : m->processes)
            if (p.node == "RS1")
                rs1.push_back(p.id);
        QCOMPARE(rs1.size(), std::size_t(2));
        auto inside = m_ops.processesIn(m->nodes.at("RS1"));
        for (const ProcessId& p : rs1) {
            QVERIFY(m_ops.processAlive(p));
            QVERIFY(std::find(inside.begin(), inside.end(), p.pid) != inside.end());
        }
        QVERIFY(m_executor.down("zte").has_value());
        for (const ProcessId& p : rs1)
            QVERIFY(!m_ops.processAlive(p));
    }

    // kill -9 of an up at several points, then clean: nothing of the lab is left.
    void killDuringUpThenCleanLeavesNothing_data()
    {
        QTest::addColumn<int>("delayMs");
        for (int d : {0, 2, 5, 10, 20, 40, 80, 150})
            QTest::newRow(qPrintable(QString("%1 ms").arg(d))) << d;
    }
    void killDuringUpThenCleanLeavesNothing()
    {
        QFETCH(int, delayMs);
        Snapshot before;
        pid_t child = forkUp("lvs-nat", "ztk");
        QVERIFY(child > 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs)); // the point of the kill
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        // Every process in the lab's namespaces now must be gone after the cleanup.
        std::vector<ProcessId> inLab;
        for (const std::string& ns : m_ops.listNamespaces())
            if (auto parsed = parseName(ns, true); parsed && parsed->lab == "ztk")
                for (int pid : m_ops.processesIn(ns))
                    inLab.push_back({pid, processStartTime(pid)});
        auto m = m_store.load("ztk");
        if (m && m->state == LabState::Running) // the up finished before the kill: a live lab
            QVERIFY(m_executor.down("ztk").has_value());
        else
            m_executor.clean();
        for (const ProcessId& p : inLab)
            QVERIFY2(!m_ops.processAlive(p), std::to_string(p.pid).c_str());
        Snapshot after;
        QCOMPARE(join(after.namespaces), join(before.namespaces));
        QCOMPARE(join(after.links), join(before.links));
        QCOMPARE(join(after.runs), join(before.runs));
        // And an up after it converges.
        QVERIFY((up("lvs-nat", "ztk").state) == LabState::Running);
    }

    // A cut-short up (its owner gone) is converged by the next up, without a clean.
    void upAfterKilledUpConverges()
    {
        pid_t child = forkUp("lvs-dr", "ztk");
        std::this_thread::sleep_for(15ms);
        kill(child, SIGKILL);
        waitpid(child, nullptr, 0);
        if (auto m = m_store.load("ztk"); m && m->state == LabState::Running)
            QVERIFY(m_executor.down("ztk").has_value());
        Manifest m = up("lvs-dr", "ztk");
        QVERIFY((m.state) == LabState::Running);
        auto r = httpGet(m.nodes.at("Director"), ip("172.18.100.11"), 80, 3000ms);
        QVERIFY(r.has_value());
    }

    void twoLabsSideBySide()
    {
        Manifest a = up("lvs-nat", "zta");
        Manifest b = up("lvs-nat", "ztb");
        QVERIFY((a.state) == LabState::Running);
        QVERIFY((b.state) == LabState::Running);
        for (const std::string& ns : a.namespaces)
            QVERIFY(std::find(b.namespaces.begin(), b.namespaces.end(), ns) == b.namespaces.end());
        for (const Manifest* m : {&a, &b}) {
            auto r = httpGet(m->nodes.at("Director"), ip("192.168.10.11"), 80, 3000ms);
            QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
            QCOMPARE(*r, std::string("<h1>RS1</h1>\n"));
        }
        QVERIFY(m_executor.down("zta").has_value());
        auto r = httpGet(b.nodes.at("Director"), ip("192.168.10.12"), 80, 3000ms);
        QVERIFY(r.has_value());
        QCOMPARE(*r, std::string("<h1>RS2</h1>\n"));
        QVERIFY(m_executor.down("ztb").has_value());
    }

    // clean leaves a running lab and everything no lab made alone.
    void cleanLeavesRunningLabs()
    {
        Manifest a = up("lvs-nat", "zta");
        QVERIFY((a.state) == LabState::Running);
        Snapshot before;
        auto removed = m_executor.clean();
        for (const std::string& r : removed)
            QVERIFY2(r.find("zta") == std::string::npos, r.c_str());
        QCOMPARE(join(Snapshot{}.namespaces), join(before.namespaces));
        QVERIFY(httpGet(a.nodes.at("Director"), ip("192.168.10.11"), 80, 3000ms).has_value());
    }

    // From the Director to each RIP: every answer counted for that server, over HTTP, TCP echo
    // and UDP echo; with keep-alive the HTTP agent sees one connection for all K requests.
    void trafficToRealServers_data()
    {
        QTest::addColumn<TrafficProtocol>("protocol");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<QString>("rip");
        QTest::addColumn<QString>("server");
        QTest::newRow("http RS1") << TrafficProtocol::Http << false << "192.168.10.11" << "RS1";
        QTest::newRow("http keep-alive RS2") << TrafficProtocol::Http << true << "192.168.10.12" << "RS2";
        QTest::newRow("tcp RS1") << TrafficProtocol::Tcp << false << "192.168.10.11" << "RS1";
        QTest::newRow("tcp one connection RS2") << TrafficProtocol::Tcp << true << "192.168.10.12" << "RS2";
        QTest::newRow("udp RS2") << TrafficProtocol::Udp << false << "192.168.10.12" << "RS2";
        QTest::newRow("udp one socket RS1") << TrafficProtocol::Udp << true << "192.168.10.11" << "RS1";
    }
    void trafficToRealServers()
    {
        QFETCH(TrafficProtocol, protocol);
        QFETCH(bool, keepAlive);
        QFETCH(QString, rip);
        QFETCH(QString, server);
        auto m = m_executor.up(natWithEchoPlan("ztt"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        const int k = 20;
        TrafficSpec spec{m->nodes.at("Director"), protocol, ip(rip.toLatin1().constData()),
                         std::uint16_t(protocol == TrafficProtocol::Http ? 80 : 7), k, keepAlive, {}, 0, 3000ms};
        auto r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QVERIFY2((r->servers == std::map<std::string, int>{{server.toStdString(), k}}), toText(spec, *r).c_str());
        if (protocol == TrafficProtocol::Http) {
            QCOMPARE(r->seenFrom, (std::map<std::string, int>{{"192.168.10.254", k}})); // the DIP: on-link
            QCOMPARE(r->seenEndpoints, keepAlive ? 1 : k);
        }
    }

    // --sources 3 from the Director: two addresses are added next to 172.18.100.6 on eth0 and the
    // real server sees requests from all three, round-robin; a second run finds the addresses
    // there already. With keep-alive: one connection per source address.
    void severalSourceAddressesAreUsed()
    {
        auto m = m_executor.up(natWithEchoPlan("zts"), LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        for (int run = 0; run < 2; ++run) {
            auto [rc, text] = labCommandInChild(
                {"traffic", "zts", "--requests", "6", "--client", "Director", "--to", "192.168.10.11:80", "--sources", "3"}, 60s);
            QVERIFY2(rc == 0, text.c_str());
            QVERIFY2(text.find("  RS1: 6\n") != std::string::npos, text.c_str());
            QVERIFY2(text.find("the servers saw the client as 172.18.100.6 (2) 172.18.100.7 (2) 172.18.100.8 (2), 6 address:port")
                         != std::string::npos,
                     text.c_str());
        }
        TrafficSpec spec{m->nodes.at("Director"), TrafficProtocol::Http, ip("192.168.10.12"), 80, 9, true,
                         {ip("172.18.100.6"), ip("172.18.100.7"), ip("172.18.100.8")}, 0, 3000ms};
        auto r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QVERIFY2((r->servers == std::map<std::string, int>{{"RS2", 9}}), toText(spec, *r).c_str());
        QCOMPARE(r->seenFrom.size(), std::size_t(3));
        QCOMPARE(r->seenEndpoints, 3);
        // UDP from the extra addresses too: the echo answers reach each of them.
        spec.protocol = TrafficProtocol::Udp;
        spec.port = 7;
        spec.keepAlive = false;
        r = runTraffic(spec);
        QVERIFY2(r.has_value() && r->servers == (std::map<std::string, int>{{"RS2", 9}}), r ? toText(spec, *r).c_str() : "");
    }

    // A target that drops everything (an address of the private network that nobody holds: no
    // ARP answer, so nothing leaves): 1000 requests cost 3 timeouts, not 1000.
    void timeBoundOnADroppingTarget_data()
    {
        QTest::addColumn<TrafficProtocol>("protocol");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("http") << TrafficProtocol::Http << false;
        QTest::newRow("tcp keep-alive") << TrafficProtocol::Tcp << true;
        QTest::newRow("udp") << TrafficProtocol::Udp << false;
    }
    void timeBoundOnADroppingTarget()
    {
        QFETCH(TrafficProtocol, protocol);
        QFETCH(bool, keepAlive);
        auto m = m_executor.up(natWithEchoPlan("ztt"), "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        TrafficSpec spec{m->nodes.at("Director"), protocol, ip("192.168.10.99"), 80, 1000, keepAlive, {}, 0, 200ms};
        auto r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QVERIFY2(r->unanswered == 3 && r->notSent == 997, toText(spec, *r).c_str());
        QVERIFY2(r->elapsed >= 600ms && r->elapsed < 2000ms, toText(spec, *r).c_str());
    }

    // The command line: up, refusal of a running name, list, exec, down, run.
    void labCommand()
    {
        std::string file = LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab";
        auto [rc, text] = labCommandInChild({"up", file, "--name", "ztr"}, 30s);
        QVERIFY2(rc == 0, text.c_str());
        QVERIFY(text.find("lab ztr is up") != std::string::npos);
        std::tie(rc, text) = labCommandInChild({"up", file, "--name", "ztr"}, 30s);
        QCOMPARE(rc, 1);
        QVERIFY2(text.find("is running") != std::string::npos, text.c_str());
        std::tie(rc, text) = labCommandInChild({"list"}, 30s);
        QVERIFY2(text.find("ztr  running") != std::string::npos, text.c_str());
        std::tie(rc, text) = labCommandInChild({"exec", "ztr", "Director", "--", "cat", "/proc/net/dev"}, 30s);
        QCOMPARE(rc, 0);
        QVERIFY2(text.find("eth1") != std::string::npos, text.c_str());
        std::tie(rc, text) = labCommandInChild({"exec", "ztr", "Nobody", "--", "true"}, 30s);
        QCOMPARE(rc, 1);
        // traffic on the running lab, straight to a RIP, over one kept-alive connection.
        std::tie(rc, text) = labCommandInChild(
            {"traffic", "ztr", "--requests", "4", "--client", "Director", "--to", "192.168.10.12:80", "--keep-alive"}, 30s);
        QVERIFY2(rc == 0, text.c_str());
        QVERIFY2(text.find("to 192.168.10.12:80: 4 http request(s), kept-alive connection\n  RS2: 4\n") != std::string::npos,
                 text.c_str());
        std::tie(rc, text) = labCommandInChild({"traffic", "ztr", "--requests", "1", "--client", "Nobody"}, 30s);
        QCOMPARE(rc, 2);
        std::tie(rc, text) = labCommandInChild({"down", "ztr"}, 30s);
        QVERIFY2(rc == 0, text.c_str());
        std::tie(rc, text) = labCommandInChild({"down", "ztr"}, 30s);
        QCOMPARE(rc, 1);
        std::tie(rc, text) = labCommandInChild({"traffic", "ztr", "--requests", "1"}, 30s);
        QCOMPARE(rc, 1);
        QVERIFY2(text.find("no running lab named \"ztr\"") != std::string::npos, text.c_str());
        std::tie(rc, text) = labCommandInChild({"run", file, "--requests", "3", "--name", "ztr"}, 60s);
        QVERIFY2(rc == 0, text.c_str());
        QVERIFY2(text.find("Director service tcp 172.18.100.6:80: 3 http request(s), new connection each")
                     != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find("lab ztr is down") != std::string::npos, text.c_str());
        QVERIFY(!m_store.load("ztr").has_value());
        // --proto udp fits no service of lvs-nat (tcp only): said, nothing sent.
        std::tie(rc, text) = labCommandInChild({"run", file, "--requests", "3", "--name", "ztr", "--proto", "udp"}, 60s);
        QVERIFY2(rc == 0, text.c_str());
        QVERIFY2(text.find("Director service tcp 172.18.100.6:80: skipped (--proto udp does not fit)") != std::string::npos,
                 text.c_str());
        QVERIFY(!m_store.load("ztr").has_value());
    }
};

int main(int argc, char** argv)
{
    if (geteuid() != 0) {
        std::fprintf(stderr, "test_lab_netns: skipped: needs root (it makes network namespaces)\n");
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestLabNetns test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_lab_netns.moc"
