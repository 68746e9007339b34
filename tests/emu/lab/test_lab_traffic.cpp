// Unit tests of the traffic client and the agent's answer formats, on 127.0.0.0/8 of the
// machine's own namespace (no root): the agent runs in a child process bound to 127.0.0.1,
// killed by the fixture even when a test fails; every wait is bounded by the spec's timeout.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/lab/services.h"
#include "emu/lab/traffic.h"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lvs::emu::lab;
using lvs::core::Ipv4;
using namespace std::chrono_literals;

namespace {

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

// A socket of type bound to 127.0.0.1 on a port the kernel picks (listening for TCP); closed
// on destruction.
struct LoopbackSocket {
    int fd = -1;
    std::uint16_t port = 0;
    explicit LoopbackSocket(int type)
    {
        fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof a;
        if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || (type == SOCK_STREAM && listen(fd, 64) != 0)
            || getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0)
            qFatal("cannot make a loopback socket");
        port = ntohs(a.sin_port);
    }
    ~LoopbackSocket() { close(fd); }
};

// A port of 127.0.0.1 free for both TCP and UDP when asked.
std::uint16_t freePort()
{
    for (int tries = 0; tries < 50; ++tries) {
        LoopbackSocket t(SOCK_STREAM);
        int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(t.port);
        bool ok = bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        close(u);
        if (ok)
            return t.port;
    }
    qFatal("no free loopback port");
}

// The rs agent "RS1" in a child process on 127.0.0.1: HTTP and TCP echo on one port, UDP echo on
// the same number. Stopped (SIGKILL, reaped) on destruction.
struct Agent {
    pid_t pid = -1;
    std::uint16_t port = freePort();
    std::uint16_t echoPort = freePort();
    Agent()
    {
        int ready[2];
        if (pipe2(ready, O_CLOEXEC) != 0)
            qFatal("pipe");
        pid = fork();
        if (pid == 0) {
            close(ready[0]);
            std::vector<PlanService> services{{lvs::core::AppKind::Http, port},
                                              {lvs::core::AppKind::TcpEcho, echoPort},
                                              {lvs::core::AppKind::UdpEcho, echoPort}};
            _exit(runAgent("RS1", services, ready[1], ip("127.0.0.1")));
        }
        close(ready[1]);
        pollfd p{ready[0], POLLIN, 0};
        char byte = 0;
        bool ok = poll(&p, 1, 5000) == 1 && read(ready[0], &byte, 1) == 1;
        close(ready[0]);
        if (!ok)
            qWarning("the agent did not report ready");
    }
    ~Agent()
    {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
};

int total(const TrafficResult& r)
{
    int n = r.unanswered + r.notSent;
    for (const auto& [who, count] : r.servers)
        n += count;
    for (const auto& [error, count] : r.errors)
        n += count;
    return n;
}


} // namespace

Q_DECLARE_METATYPE(TrafficProtocol)

class TestLabTraffic : public QObject {
    Q_OBJECT

private slots:
    void httpKeepAliveRules_data()
    {
        QTest::addColumn<QString>("head");
        QTest::addColumn<bool>("keep");
        QTest::newRow("1.1 request") << "GET / HTTP/1.1\r\nHost: a\r\n\r\n" << true;
        QTest::newRow("1.1, close") << "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" << false;
        QTest::newRow("1.1, Close any case") << "GET / HTTP/1.1\r\nconnection:  CLOSE \r\n\r\n" << false;
        QTest::newRow("1.0 request") << "GET / HTTP/1.0\r\nHost: a\r\n\r\n" << false;
        QTest::newRow("1.0, keep-alive") << "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n" << true;
        QTest::newRow("1.1 answer") << "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n" << true;
        QTest::newRow("1.0 answer") << "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n" << false;
        QTest::newRow("close in the body only") << "GET / HTTP/1.1\r\nHost: a\r\n\r\nConnection: close\r\n" << true;
    }
    void httpKeepAliveRules()
    {
        QFETCH(QString, head);
        QFETCH(bool, keep);
        QCOMPARE(httpKeepAlive(head.toStdString()), keep);
    }

    void answerFormats_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("sent");
        QTest::addColumn<QString>("server"); // "" for none
        QTest::newRow("html") << "http" << "<html><h1>RS1</h1></html>" << "" << "RS1";
        QTest::newRow("html without h1") << "http" << "<p>hello</p>" << "" << "";
        QTest::newRow("html unclosed") << "http" << "<h1>RS1" << "" << "";
        QTest::newRow("echo") << "echo" << "RS2 lvslab request 7" << "lvslab request 7" << "RS2";
        QTest::newRow("echo of another request") << "echo" << "RS2 lvslab request 6" << "lvslab request 7" << "";
        QTest::newRow("plain echo") << "echo" << "lvslab request 7" << "lvslab request 7" << "";
        QTest::newRow("echo, no space") << "echo" << "RS2lvslab request 7" << "lvslab request 7" << "";
        QTest::newRow("echo, name with space") << "echo" << "Web 1 hi" << "hi" << "Web 1";
    }
    void answerFormats()
    {
        QFETCH(QString, kind);
        QFETCH(QString, answer);
        QFETCH(QString, sent);
        QFETCH(QString, server);
        auto name = kind == "http" ? serverNameOf(answer.toStdString())
                                   : echoServerNameOf(answer.toStdString(), sent.toStdString());
        QCOMPARE(QString::fromStdString(name.value_or("")), server);
    }

    void httpHeaders()
    {
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nx-lvslab-peer:\t10.0.0.1:4000 \r\n\r\n";
        QCOMPARE(httpHeader(head, "content-length"), std::optional<std::string>("14"));
        QCOMPARE(httpHeader(head, kPeerHeader), std::optional<std::string>("10.0.0.1:4000"));
        QCOMPARE(httpHeader(head, "Connection"), std::optional<std::string>());
        QCOMPARE(httpHeader("HTTP/1.1 200 OK", "HTTP/1.1 200 OK"), std::optional<std::string>()); // not the start line
    }

    void protocolNames()
    {
        for (TrafficProtocol p : {TrafficProtocol::Http, TrafficProtocol::Tcp, TrafficProtocol::Udp})
            QCOMPARE(trafficProtocolFromString(toString(p)), std::optional(p));
        QCOMPARE(trafficProtocolFromString("ftp"), std::optional<TrafficProtocol>());
    }

    // Addresses for --sources: above the client's own, skipping what the design uses.
    void freeSourceAddressesOfTheDesign_data()
    {
        QTest::addColumn<QString>("primary");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("taken"); // an address given to RS1 as well ("" for none)
        QTest::addColumn<QString>("expected"); // space-separated, or "error"
        QTest::newRow("client") << "172.18.100.100/16" << 2 << "" << "172.18.100.101/16 172.18.100.102/16";
        QTest::newRow("skips a used address") << "172.18.100.100/16" << 2 << "172.18.100.101/16"
                                              << "172.18.100.102/16 172.18.100.103/16";
        QTest::newRow("director skips nothing below") << "172.18.100.6/16" << 1 << "" << "172.18.100.7/16";
        QTest::newRow("skips the RIPs") << "192.168.10.10/24" << 2 << "" << "192.168.10.13/24 192.168.10.14/24";
        QTest::newRow("zero") << "172.18.100.100/16" << 0 << "" << "";
        QTest::newRow("no broadcast") << "192.168.10.253/24" << 1 << "" << "error";
        QTest::newRow("a /32") << "10.0.0.1/32" << 1 << "" << "error";
    }
    void freeSourceAddressesOfTheDesign()
    {
        QFETCH(QString, primary);
        QFETCH(int, count);
        QFETCH(QString, taken);
        QFETCH(QString, expected);
        auto topology = lvs::core::loadLvslab(LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab");
        QVERIFY(topology.has_value());
        if (!taken.isEmpty())
            for (auto& n : topology->nodes)
                if (n.name == "RS1")
                    n.interfaces[0].addresses.push_back(*lvs::core::Ipv4Prefix::parse(taken.toStdString()));
        auto got = freeSourceAddresses(*topology, *lvs::core::Ipv4Prefix::parse(primary.toStdString()), count);
        if (expected == "error") {
            QVERIFY(!got.has_value());
            QVERIFY2(got.error().message.find("free addresses") != std::string::npos, got.error().message.c_str());
            return;
        }
        QVERIFY2(got.has_value(), got ? "" : got.error().message.c_str());
        QStringList text;
        for (const auto& a : *got)
            text << QString::fromStdString(a.toString());
        QCOMPARE(text.join(' '), expected);
    }

    void badSpecs()
    {
        TrafficSpec spec;
        spec.address = ip("127.0.0.1");
        spec.requests = 0;
        auto r = runTraffic(spec);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, EINVAL);
        spec.requests = kMaxRequests + 1;
        QCOMPARE(runTraffic(spec).error().code, EINVAL);
        spec.requests = 1;
        spec.port = 0;
        QCOMPARE(runTraffic(spec).error().code, EINVAL);
        spec.port = 80;
        spec.ns = "lvslab-test-no-such-namespace";
        r = runTraffic(spec);
        QVERIFY(!r.has_value());
        QVERIFY2(r.error().message.find("lvslab-test-no-such-namespace") != std::string::npos, r.error().message.c_str());
    }

    // Against the agent: every answer counted for RS1; for HTTP, the agent's view of the client
    // shows a new connection per request, or one for all with keep-alive.
    void countsPerServer_data()
    {
        QTest::addColumn<TrafficProtocol>("protocol");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<int>("endpoints"); // what the HTTP agent saw; 0 for echo
        QTest::newRow("http") << TrafficProtocol::Http << false << 7;
        QTest::newRow("http keep-alive") << TrafficProtocol::Http << true << 1;
        QTest::newRow("tcp") << TrafficProtocol::Tcp << false << 0;
        QTest::newRow("tcp, one connection") << TrafficProtocol::Tcp << true << 0;
        QTest::newRow("udp") << TrafficProtocol::Udp << false << 0;
        QTest::newRow("udp, one socket") << TrafficProtocol::Udp << true << 0;
    }
    void countsPerServer()
    {
        QFETCH(TrafficProtocol, protocol);
        QFETCH(bool, keepAlive);
        QFETCH(int, endpoints);
        Agent agent;
        TrafficSpec spec{"", protocol, ip("127.0.0.1"), protocol == TrafficProtocol::Http ? agent.port : agent.echoPort, 7,
                         keepAlive, {}, 0, 2000ms};
        auto r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QVERIFY2((r->servers == std::map<std::string, int>{{"RS1", 7}}), toText(spec, *r).c_str());
        QCOMPARE(total(*r), 7);
        QCOMPARE(r->seenEndpoints, endpoints);
        if (endpoints)
            QCOMPARE(r->seenFrom, (std::map<std::string, int>{{"127.0.0.1", 7}}));
    }

    // Round-robin over source addresses (127/8 is all on lo), as the agent saw them.
    void sourcesRoundRobin()
    {
        Agent agent;
        TrafficSpec spec{"", TrafficProtocol::Http, ip("127.0.0.1"), agent.port, 7, false,
                         {ip("127.0.0.1"), ip("127.0.0.2"), ip("127.0.0.3")}, 0, 2000ms};
        auto r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(r->seenFrom, (std::map<std::string, int>{{"127.0.0.1", 3}, {"127.0.0.2", 2}, {"127.0.0.3", 2}}));
        spec.keepAlive = true; // one connection per source
        r = runTraffic(spec);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(r->servers.at("RS1"), 7);
        QCOMPARE(r->seenEndpoints, 3);
    }

    // firstSourcePort: each connection from the next port, as a listener that never answers sees
    // them in its accept queue.
    void firstSourcePort()
    {
        LoopbackSocket listener(SOCK_STREAM);
        const std::uint16_t first = freePort();
        TrafficSpec spec{"", TrafficProtocol::Tcp, ip("127.0.0.1"), listener.port, 2, false, {}, first, 100ms};
        auto r = runTraffic(spec);
        QVERIFY(r.has_value());
        QCOMPARE(r->unanswered, 2);
        std::vector<int> ports;
        for (int i = 0; i < 2; ++i) {
            sockaddr_in peer{};
            socklen_t length = sizeof peer;
            int fd = accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            QVERIFY(fd >= 0);
            ports.push_back(ntohs(peer.sin_port));
            close(fd);
        }
        QCOMPARE(ports, (std::vector<int>{first, first + 1}));
    }

    // A target that takes requests and never answers: 3 timeouts, then the rest is not sent.
    void stopsAfterTimeoutsInARow_data()
    {
        QTest::addColumn<TrafficProtocol>("protocol");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("http") << TrafficProtocol::Http << false;
        QTest::newRow("http keep-alive") << TrafficProtocol::Http << true;
        QTest::newRow("tcp") << TrafficProtocol::Tcp << false;
        QTest::newRow("udp") << TrafficProtocol::Udp << false;
        QTest::newRow("udp, one socket") << TrafficProtocol::Udp << true;
    }
    void stopsAfterTimeoutsInARow()
    {
        QFETCH(TrafficProtocol, protocol);
        QFETCH(bool, keepAlive);
        LoopbackSocket silent(protocol == TrafficProtocol::Udp ? SOCK_DGRAM : SOCK_STREAM);
        TrafficSpec spec{"", protocol, ip("127.0.0.1"), silent.port, 1000, keepAlive, {}, 0, 100ms};
        auto r = runTraffic(spec);
        QVERIFY(r.has_value());
        QCOMPARE(r->unanswered, 3);
        QCOMPARE(r->notSent, 997);
        QCOMPARE(total(*r), 1000);
        QVERIFY2(r->elapsed >= 300ms && r->elapsed < 1000ms, toText(spec, *r).c_str());
    }

    // Refusals are quick errors: every request is sent and counted.
    void refusedRequestsAreErrors()
    {
        std::uint16_t closed = freePort();
        TrafficSpec spec{"", TrafficProtocol::Http, ip("127.0.0.1"), closed, 20, false, {}, 0, 1000ms};
        auto r = runTraffic(spec);
        QVERIFY(r.has_value());
        QCOMPARE(r->errors, (std::map<std::string, int>{{"127.0.0.1:" + std::to_string(closed) + ": Connection refused", 20}}));
        QCOMPARE(total(*r), 20);
    }

    // What lab run/traffic print under each target.
    void resultAsText()
    {
        TrafficSpec spec{"", TrafficProtocol::Http, ip("127.0.0.1"), 80, 10, false, {}, 0, 500ms};
        TrafficResult r;
        r.servers = {{"RS1", 2}, {"RS2", 1}};
        r.unanswered = 3;
        r.errors = {{"10.0.0.1:80: Connection refused", 1}};
        r.notSent = 3;
        r.seenFrom = {{"10.0.0.9", 2}, {"10.0.0.10", 1}};
        r.seenEndpoints = 3;
        r.elapsed = 1502ms;
        QCOMPARE(toText(spec, r), std::string("  RS1: 2\n"
                                              "  RS2: 1\n"
                                              "  no answer within 500 ms: 3\n"
                                              "  10.0.0.1:80: Connection refused: 1\n"
                                              "  not sent after 3 timeouts in a row: 3\n"
                                              "  the servers saw the client as 10.0.0.10 (1) 10.0.0.9 (2), 3 address:port pair(s)\n"
                                              "  in 1502 ms\n"));
    }

    void singleRequestHelpers()
    {
        Agent agent;
        auto body = httpGet("", ip("127.0.0.1"), agent.port, 2000ms);
        QVERIFY2(body.has_value(), body ? "" : body.error().message.c_str());
        QCOMPARE(*body, std::string("<h1>RS1</h1>\n"));
        auto tcp = tcpEcho("", ip("127.0.0.1"), agent.echoPort, "hello tcp", 2000ms);
        QVERIFY2(tcp.has_value(), tcp ? "" : tcp.error().message.c_str());
        QCOMPARE(*tcp, std::string("RS1 hello tcp"));
        auto udp = udpEcho("", ip("127.0.0.1"), agent.echoPort, "hello udp", 2000ms);
        QVERIFY2(udp.has_value(), udp ? "" : udp.error().message.c_str());
        QCOMPARE(*udp, std::string("RS1 hello udp"));
        // HTTP spoken to the echo port: the answer is not HTTP.
        auto notHttp = httpGet("", ip("127.0.0.1"), agent.echoPort, 2000ms);
        QVERIFY(!notHttp.has_value());
        QCOMPARE(notHttp.error().code, EPROTO);
    }
};

QTEST_GUILESS_MAIN(TestLabTraffic)
#include "test_lab_traffic.moc"
