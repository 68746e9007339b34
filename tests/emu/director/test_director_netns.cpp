// lvs-director in the lab (label netns; needs root, exits 77 to skip otherwise): the lab
// starts a director per director node; a client's HTTP requests to the VIP are balanced over
// the real servers for NAT, DR and FULLNAT; lvsadm --lab changes the live table (weights) and
// lists live counters; traces record each handled packet with its headers before and after.
// Only lab namespaces are made; traffic stays between them; labs are removed even on failure.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/cli/lvsadm.h"
#include "emu/lab/capture.h"
#include "emu/lab/executor.h"
#include "emu/lab/libnl_ops.h"
#include "emu/lab/traffic.h"

#include <nlohmann/json.hpp>

#include <QProcess>

#include <algorithm>
#include <fstream>
#include <future>
#include <thread>
#include <sstream>
#include <unistd.h>

using namespace lvs;
using namespace lvs::emu::lab;

namespace {

const char* const kLabs[] = {"zdn", "zdd", "zdf", "zdt", "zdu"};

struct Lvsadm {
    int code;
    std::string out;
    std::string err;
};

} // namespace

class TestDirectorNetns : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    std::unique_ptr<LibnlOps> m_ops;
    std::unique_ptr<FileManifestStore> m_store;
    std::unique_ptr<LabExecutor> m_exec;

    void removeLabs()
    {
        for (const char* lab : kLabs)
            (void)m_exec->down(lab);
    }

    Manifest up(const char* example, const char* lab)
    {
        const std::string file = std::string(LVSLAB_SOURCE_DIR "/examples/") + example + ".lvslab";
        auto t = core::loadLvslab(file);
        if (!t)
            qFatal("cannot load %s", example);
        auto plan = makePlan(*t, lab);
        if (!plan)
            qFatal("%s", plan.error().message.c_str());
        auto m = m_exec->up(*plan, file);
        if (!m)
            qFatal("up %s: %s", lab, m.error().message.c_str());
        return *m;
    }

    Lvsadm lvsadm(const char* lab, std::vector<std::string> args)
    {
        std::vector<std::string> all{"--lab", lab, "--node", "Director"};
        all.insert(all.end(), args.begin(), args.end());
        std::istringstream in;
        std::ostringstream out, err;
        emu::LvsadmEnvironment env;
        env.labRoot = m_root.path().toStdString();
        int code = emu::runLvsadm(all, in, out, err, env);
        return {code, out.str(), err.str()};
    }

    // tshark's count of the packets of a capture file that match a display filter.
    static int count(const QString& file, const QString& filter)
    {
        QProcess p;
        p.start("tshark", {"-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"});
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            return -1;
        return static_cast<int>(p.readAllStandardOutput().split('\n').count() - 1);
    }

    TrafficResult traffic(const Manifest& m, const char* vip, int requests)
    {
        TrafficSpec spec;
        spec.ns = m.nodes.at("Client");
        spec.address = *core::Ipv4::parse(vip);
        spec.port = 80;
        spec.requests = requests;
        spec.timeout = std::chrono::milliseconds(1000);
        auto r = runTraffic(spec);
        if (!r)
            qFatal("traffic: %s", r.error().message.c_str());
        return *r;
    }

private slots:
    void initTestCase()
    {
        if (geteuid() != 0) {
            std::printf("SKIP: lvs-director tests make network namespaces: they need root\n");
            std::exit(77);
        }
        m_ops = std::make_unique<LibnlOps>();
        m_store = std::make_unique<FileManifestStore>(m_root.path().toStdString());
        m_exec = std::make_unique<LabExecutor>(*m_ops, *m_store);
        removeLabs();
        (void)m_exec->clean(); // what an aborted earlier run left behind
    }
    void cleanupTestCase() { removeLabs(); }
    void cleanup() { removeLabs(); } // after every test, failed or not

    // NAT: rr over RS1 and RS2, answered through the director's SNAT; lvsadm sees the
    // connections and its weight change takes effect at once; the trace has DNAT and SNAT.
    void nat()
    {
        Manifest m = up("lvs-nat", "zdn");
        // Capture on the client's side meanwhile: the proof that the director's kernel adds no
        // answer of its own (no RST, no ICMP, exactly one SYN-ACK per SYN).
        const QString pcap = m_root.filePath("client.pcap");
        CaptureSpec spec;
        spec.ns = m.nodes.at("Client");
        spec.interface = "eth0";
        spec.path = pcap.toStdString();
        spec.filter = "tcp or icmp";
        spec.maxPackets = 400;
        spec.maxTime = std::chrono::milliseconds(2500);
        std::promise<void> listening;
        spec.ready = [&] { listening.set_value(); };
        lvs::core::Result<CaptureResult> captured = lvs::core::fail("not run");
        std::thread capturer([&] { captured = capture(spec); });
        // Traffic only once the capture runs (or fails), so the first SYN is not missed.
        auto started = listening.get_future();
        started.wait_for(std::chrono::seconds(2));
        TrafficResult r = traffic(m, "172.18.100.6", 10);
        capturer.join();
        QVERIFY2(captured.has_value(), captured ? "" : captured.error().message.c_str());
        QVERIFY(captured->packets >= 50); // 10 exchanges of about 10 packets
        const int syns = count(pcap, "tcp.flags.syn==1 && tcp.flags.ack==0");
        QCOMPARE(syns, 10);
        QCOMPARE(count(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1 && ip.src==172.18.100.6"), syns);
        QCOMPARE(count(pcap, "tcp.flags.reset==1"), 0);
        QCOMPARE(count(pcap, "icmp"), 0);
        QCOMPARE(count(pcap, "ip.src==192.168.10.11 || ip.src==192.168.10.12"), 0); // every reply SNATed
        QCOMPARE(r.unanswered, 0);
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors.begin()->first.c_str());
        QCOMPARE(r.servers["RS1"], 5);
        QCOMPARE(r.servers["RS2"], 5);

        Lvsadm l = lvsadm("zdn", {"-Ln"});
        QCOMPARE(l.code, 0);
        QVERIFY2(l.out.find("TCP  172.18.100.6:80 rr\n") != std::string::npos, l.out.c_str());
        QVERIFY2(l.out.find("  -> 192.168.10.11:80             Masq    1      0          5") != std::string::npos, l.out.c_str());
        QCOMPARE(lvsadm("zdn", {"-e", "-t", "172.18.100.6:80", "-r", "192.168.10.11", "-m", "-w", "0"}).code, 0);
        r = traffic(m, "172.18.100.6", 4);
        QCOMPARE(r.servers["RS2"], 4);

        std::ifstream trace(m_root.filePath("zdn/Director.trace.jsonl").toStdString());
        int nat = 0, replies = 0;
        for (std::string line; std::getline(trace, line);) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            QVERIFY2(!j.is_discarded(), line.c_str());
            auto field = [&](const char* part, const char* key) {
                return j.contains(part) && j[part].contains(key) ? j[part][key].get<std::string>() : std::string();
            };
            if (j.value("action", "") == "nat") {
                ++nat;
                QCOMPARE(field("before", "ip_dst"), std::string("172.18.100.6"));
                QVERIFY2(field("after", "ip_dst").starts_with("192.168.10.1"), line.c_str());
            }
            if (j.value("action", "") == "nat-reply") {
                ++replies;
                QCOMPARE(field("after", "ip_src"), std::string("172.18.100.6"));
            }
        }
        QVERIFY(nat >= 14);
        QVERIFY(replies >= 14);
        QVERIFY(m_exec->down("zdn").has_value());
    }

    // DR: the director changes only the MAC; replies go RS -> router -> client.
    // UDP through NAT: a DNS-like service on port 53 of the VIP, echoed by both real servers.
    void udpNat()
    {
        auto t = core::loadLvslab(LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab");
        QVERIFY(t.has_value());
        for (core::Node& n : t->nodes) {
            if (n.kind == core::NodeKind::RealServer)
                n.apps.push_back({core::AppKind::UdpEcho, 53, ""});
            if (n.kind == core::NodeKind::Director) {
                core::VirtualService udp = n.services.front();
                udp.protocol = core::Protocol::Udp;
                udp.port = 53;
                for (core::Destination& d : udp.destinations)
                    d.port = 53;
                udp.id = t->nextId++;
                for (core::Destination& d : udp.destinations)
                    d.id = t->nextId++;
                n.services.push_back(udp);
                // Port 54: served by nobody, so the real server answers ICMP port unreachable.
                core::VirtualService none = udp;
                none.port = 54;
                none.id = t->nextId++;
                for (core::Destination& d : none.destinations) {
                    d.port = 54;
                    d.id = t->nextId++;
                }
                n.services.push_back(none);
            }
        }
        auto plan = makePlan(*t, "zdu");
        QVERIFY(plan.has_value());
        auto m = m_exec->up(*plan, "");
        QVERIFY2(m.has_value(), m ? "" : m.error().message.c_str());
        TrafficSpec spec;
        spec.ns = m->nodes.at("Client");
        spec.protocol = TrafficProtocol::Udp;
        spec.address = *core::Ipv4::parse("172.18.100.6");
        spec.port = 53;
        spec.requests = 8;
        spec.timeout = std::chrono::milliseconds(1000);
        auto r = runTraffic(spec);
        QVERIFY(r.has_value());
        QCOMPARE(r->unanswered, 0);
        QCOMPARE(r->servers["RS1"] + r->servers["RS2"], 8);
        QVERIFY(r->servers["RS1"] >= 1 && r->servers["RS2"] >= 1);
        // ip_vs_out_icmp: the real server's port unreachable comes back from the VIP, and the
        // client's connected UDP socket reports the refusal.
        spec.port = 54;
        spec.requests = 2;
        auto refused = runTraffic(spec);
        QVERIFY(refused.has_value());
        QCOMPARE(refused->unanswered, 0);
        QCOMPARE(static_cast<int>(refused->errors.size()), 1);
        QVERIFY2(refused->errors.begin()->first.find("refused") != std::string::npos, refused->errors.begin()->first.c_str());
        Lvsadm l = lvsadm("zdu", {"-Lnc"});
        QVERIFY2(l.out.find("UDP ") != std::string::npos, l.out.c_str());
        QVERIFY(m_exec->down("zdu").has_value());
    }

    void dr()
    {
        Manifest m = up("lvs-dr", "zdd");
        TrafficResult r = traffic(m, "172.18.100.7", 9);
        QCOMPARE(r.unanswered, 0);
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors.begin()->first.c_str());
        QCOMPARE(r.servers["RS1"] + r.servers["RS2"], 9);
        QVERIFY(r.servers["RS1"] >= 4 && r.servers["RS2"] >= 4);
        QVERIFY(m_exec->down("zdd").has_value());
    }

    // TUN: the director wraps the client's packet in IPIP to the RIP; each RS decapsulates
    // (the kernel's ipip, or the lab's userspace decapsulator where the module is missing)
    // and answers the client directly through its own router.
    void tun()
    {
        Manifest m = up("lvs-tun", "zdt");
        const auto decaps = std::count_if(m.processes.begin(), m.processes.end(),
                                          [](const ManifestProcess& p) { return p.what == "decap tunl0"; });
        QVERIFY(decaps == 0 || decaps == 2); // both RS, or neither (the kernel's ipip)
        qInfo("TUN real servers decapsulate %s", decaps ? "in userspace (no ipip module)" : "with the kernel's ipip");
        TrafficResult r = traffic(m, "172.18.100.7", 9);
        QCOMPARE(r.unanswered, 0);
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors.begin()->first.c_str());
        QCOMPARE(r.servers["RS1"] + r.servers["RS2"], 9);
        QVERIFY(r.servers["RS1"] >= 4 && r.servers["RS2"] >= 4);
        QVERIFY(m_exec->down("zdt").has_value());
    }

    // FULLNAT: the real servers see a local address; the client gets its answers.
    void fullnat()
    {
        Manifest m = up("lvs-fullnat", "zdf");
        TrafficResult r = traffic(m, "172.18.100.7", 6);
        QCOMPARE(r.unanswered, 0);
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors.begin()->first.c_str());
        QCOMPARE(r.servers["RS1"] + r.servers["RS2"], 6);
        for (const auto& [from, n] : r.seenFrom)
            QVERIFY2(from.starts_with("192.168.10.20"), from.c_str()); // 192.168.10.201/.202
        QVERIFY(m_exec->down("zdf").has_value());
    }
};

QTEST_GUILESS_MAIN(TestDirectorNetns)
#include "test_director_netns.moc"
