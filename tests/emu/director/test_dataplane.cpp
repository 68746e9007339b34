// lvs-director's data path on hand-built frames (no sockets): ARP learning and answering,
// NAT's DNAT and SNAT with checksums that verify, DR's MAC-only change, TUN's outer header,
// FULLNAT's local address and TOA option, frames that wait for ARP, the connection counters
// lvsadm shows, and the nftables rules that keep the kernel out.
#include <QtTest>

#include "../../core/packet/frame_builder.h"
#include "core/io/lvslab_file.h"
#include "core/packet/toa.h"
#include "emu/director/dataplane.h"
#include "emu/director/seed.h"

using namespace lvs;
using namespace lvs::emu::director;
using core::Ipv4;
using core::Mac;
using namespace testpkt;

namespace {

core::Topology example(const char* name)
{
    auto t = core::loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab");
    if (!t)
        qFatal("cannot load %s", name);
    return *t;
}

struct Fixture {
    core::Topology topology;
    core::ipvsadm::LiveTable table{core::ipvs::SchedulerContext{}};
    std::unique_ptr<DataPlane> plane;
    const core::Node* director = nullptr;

    explicit Fixture(const char* name) : topology(example(name))
    {
        director = topology.findNodeByName("Director");
        if (!seedTable(*director, table))
            qFatal("seed");
        plane = std::make_unique<DataPlane>(configOf(*director), table);
    }
    Mac mac(const char* node, const char* iface = "eth0") const
    {
        for (const core::Interface& i : topology.findNodeByName(node)->interfaces)
            if (i.name == iface)
                return core::interfaceMac(i);
        return {};
    }
    std::size_t index(const char* iface) const
    {
        for (std::size_t k = 0; k < plane->config().interfaces.size(); ++k)
            if (plane->config().interfaces[k].name == iface)
                return k;
        return 99;
    }
    // Teaches the director a neighbour (an ARP reply to it).
    void learn(const char* iface, const char* node, const char* address)
    {
        std::vector<OutFrame> out;
        Bytes a = ethernet(plane->config().interfaces[index(iface)].mac, mac(node), 0x0806,
                           arp(2, mac(node), ip(address), plane->config().interfaces[index(iface)].mac, Ipv4{}));
        plane->handle(index(iface), a, out);
    }
};

Bytes retarget(Bytes frame, Mac dst, Mac src)
{
    std::copy(dst.bytes.begin(), dst.bytes.end(), frame.begin());
    std::copy(src.bytes.begin(), src.bytes.end(), frame.begin() + 6);
    return frame;
}

} // namespace

class TestDataPlane : public QObject {
    Q_OBJECT

private slots:
    // NAT: the SYN to VIP:80 leaves eth1 to a real server's MAC with its RIP; the SYN-ACK from
    // the real server leaves eth0 to the client with the VIP as source; checksums verify.
    void nat()
    {
        Fixture f("lvs-nat");
        f.learn("eth1", "RS1", "192.168.10.11");
        f.learn("eth1", "RS2", "192.168.10.12");
        f.learn("eth0", "Client", "172.18.100.100");
        const Ipv4 cip = ip("172.18.100.100"), vip = ip("172.18.100.6");
        TcpFields syn;
        Bytes in = retarget(tcpFrame(cip, vip, syn), f.mac("Director", "eth0"), f.mac("Client"));
        std::vector<OutFrame> out;
        f.plane->handle(f.index("eth0"), in, out);
        QCOMPARE(out.size(), std::size_t{1});
        QCOMPARE(out[0].interface, f.index("eth1"));
        auto p = parsed(out[0].bytes);
        QVERIFY(p.ip->dst == ip("192.168.10.12") || p.ip->dst == ip("192.168.10.11")); // rr
        const char* rs = p.ip->dst == ip("192.168.10.11") ? "RS1" : "RS2";
        QCOMPARE(p.eth.dst, f.mac(rs));
        QCOMPARE(p.eth.src, f.mac("Director", "eth1"));
        QCOMPARE(p.ip->src, cip);
        QCOMPARE(p.ip->ttl, std::uint8_t{64}); // IPVS sends from LOCAL_OUT: no TTL change
        QVERIFY(refChecksumsOk(out[0].bytes));

        TcpFields synAck;
        synAck.sport = 80;
        synAck.dport = 40000;
        synAck.flags = 0x12;
        Bytes reply = retarget(tcpFrame(p.ip->dst, cip, synAck), f.mac("Director", "eth1"), f.mac(rs));
        out.clear();
        f.plane->handle(f.index("eth1"), reply, out);
        QCOMPARE(out.size(), std::size_t{1});
        auto q = parsed(out[0].bytes);
        QCOMPARE(out[0].interface, f.index("eth0"));
        QCOMPARE(q.ip->src, vip);
        QCOMPARE(q.tcp->sport, std::uint16_t{80});
        QCOMPARE(q.eth.dst, f.mac("Client"));
        QVERIFY(refChecksumsOk(out[0].bytes));
        QCOMPARE(f.plane->counters().forwarded, std::uint64_t{1});
        QCOMPARE(f.plane->counters().replies, std::uint64_t{1});
        // The connection is in the live table (SYN_RECV counts as active since Linux 4.7).
        auto listed = f.table.services();
        std::uint32_t active = 0;
        for (const auto& d : listed[0].dests)
            active += d.activeConns;
        QCOMPARE(active, 1u);
    }

    // ip_vs_out_icmp: a real server's ICMP port unreachable about a NAT request reaches the
    // client from the VIP, quoting VIP:vport; checksums are recomputed.
    void icmpErrorFollowsItsConnection()
    {
        Fixture f("lvs-nat");
        f.learn("eth1", "RS1", "192.168.10.11");
        f.learn("eth1", "RS2", "192.168.10.12");
        f.learn("eth0", "Client", "172.18.100.100");
        const Ipv4 cip = ip("172.18.100.100"), vip = ip("172.18.100.6");
        std::vector<OutFrame> out;
        f.plane->handle(f.index("eth0"), retarget(tcpFrame(cip, vip, TcpFields{}), f.mac("Director", "eth0"), f.mac("Client")), out);
        QCOMPARE(out.size(), std::size_t{1});
        const Ipv4 rip = parsed(out[0].bytes).ip->dst;
        const char* rs = rip == ip("192.168.10.11") ? "RS1" : "RS2";
        Bytes request(out[0].bytes.begin() + 14, out[0].bytes.begin() + 14 + 28); // IP header + 8 bytes
        IpFields e;
        e.src = rip;
        e.dst = cip;
        e.protocol = 1;
        Bytes error = ethernet(f.mac("Director", "eth1"), f.mac(rs), 0x0800, ipv4(e, icmp(3, 3, 0, request)));
        out.clear();
        f.plane->handle(f.index("eth1"), error, out);
        QCOMPARE(out.size(), std::size_t{1});
        auto p = parsed(out[0].bytes);
        QCOMPARE(out[0].interface, f.index("eth0"));
        QCOMPARE(p.ip->src, vip);
        QVERIFY(p.icmp.has_value() && p.icmp->quoted.has_value());
        QCOMPARE(p.icmp->quoted->dst, vip);
        QCOMPARE(p.icmp->quotedDport, std::uint16_t{80});
        QVERIFY(refChecksumsOk(out[0].bytes));
    }

    // A frame for a neighbour the director has not met waits for ARP; the ARP request goes
    // out from the interface's address; the answer releases the frame.
    void waitsForArp()
    {
        Fixture f("lvs-nat");
        const Ipv4 cip = ip("172.18.100.100"), vip = ip("172.18.100.6");
        Bytes in = retarget(tcpFrame(cip, vip, TcpFields{}), f.mac("Director", "eth0"), f.mac("Client"));
        std::vector<OutFrame> out;
        f.plane->handle(f.index("eth0"), in, out);
        QCOMPARE(out.size(), std::size_t{1});
        auto a = parsed(out[0].bytes);
        QVERIFY(a.arp.has_value());
        QCOMPARE(a.arp->operation, std::uint16_t{1});
        QCOMPARE(a.arp->senderIp, ip("192.168.10.254"));
        const Ipv4 target = a.arp->targetIp;
        out.clear();
        const char* rs = target == ip("192.168.10.11") ? "RS1" : "RS2";
        Bytes answer = ethernet(f.mac("Director", "eth1"), f.mac(rs), 0x0806,
                                arp(2, f.mac(rs), target, f.mac("Director", "eth1"), ip("192.168.10.254")));
        f.plane->handle(f.index("eth1"), answer, out);
        QCOMPARE(out.size(), std::size_t{1});
        QCOMPARE(parsed(out[0].bytes).ip->dst, target);
    }

    // DR: only the MACs change. TUN: an outer header DIP -> RIP. FULLNAT: a local address
    // as source, RIP:8080 as destination, the client in a TOA option on the SYN; and the
    // director answers the real servers' ARP for its local addresses.
    void otherModes()
    {
        {
            Fixture f("lvs-dr");
            f.learn("eth0", "RS1", "172.18.100.11");
            f.learn("eth0", "RS2", "172.18.100.12");
            Bytes in = retarget(tcpFrame(ip("172.20.0.100"), ip("172.18.100.7"), TcpFields{}), f.mac("Director"), f.mac("Router", "eth1"));
            std::vector<OutFrame> out;
            f.plane->handle(f.index("eth0"), in, out);
            QCOMPARE(out.size(), std::size_t{1});
            QVERIFY(std::equal(in.begin() + 12, in.end(), out[0].bytes.begin() + 12)); // IP untouched
            QVERIFY(parsed(out[0].bytes).eth.dst == f.mac("RS1") || parsed(out[0].bytes).eth.dst == f.mac("RS2"));
        }
        {
            Fixture f("lvs-fullnat");
            f.learn("eth1", "RS1", "192.168.10.11");
            f.learn("eth1", "RS2", "192.168.10.12");
            TcpFields syn;
            syn.options = synOptions();
            Bytes in = retarget(tcpFrame(ip("172.20.0.100"), ip("172.18.100.7"), syn), f.mac("Director"), f.mac("Router", "eth1"));
            std::vector<OutFrame> out;
            f.plane->handle(f.index("eth0"), in, out);
            QCOMPARE(out.size(), std::size_t{1});
            auto p = parsed(out[0].bytes);
            QCOMPARE(p.ip->src, ip("192.168.10.201"));
            QCOMPARE(p.tcp->dport, std::uint16_t{8080});
            auto toa = core::packet::findToa(out[0].bytes, *p.tcp);
            QVERIFY(toa.has_value());
            QCOMPARE(toa->address, ip("172.20.0.100"));
            QCOMPARE(toa->port, std::uint16_t{40000});
            QVERIFY(refChecksumsOk(out[0].bytes));
            out.clear();
            Bytes who = ethernet(Mac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, f.mac("RS1"), 0x0806,
                                 arp(1, f.mac("RS1"), ip("192.168.10.11"), Mac{}, ip("192.168.10.201")));
            f.plane->handle(f.index("eth1"), who, out);
            QCOMPARE(out.size(), std::size_t{1});
            QCOMPARE(parsed(out[0].bytes).arp->senderMac, f.mac("Director", "eth1"));
        }
    }

    // A FULLNAT mapping dies with its service: after lvsadm -C the real server's late reply to
    // the local address is not forwarded, and nothing refers to the deleted Balancer.
    void fullNatMappingDiesWithItsService()
    {
        Fixture f("lvs-fullnat");
        f.learn("eth1", "RS1", "192.168.10.11");
        f.learn("eth1", "RS2", "192.168.10.12");
        f.learn("eth0", "Router", "172.18.100.1");
        std::vector<OutFrame> out;
        f.plane->handle(f.index("eth0"),
                        retarget(tcpFrame(ip("172.20.0.100"), ip("172.18.100.7"), TcpFields{}), f.mac("Director"), f.mac("Router", "eth1")),
                        out);
        QCOMPARE(out.size(), std::size_t{1});
        auto p = parsed(out[0].bytes);
        TcpFields synAck;
        synAck.sport = 8080;
        synAck.dport = p.tcp->sport;
        synAck.flags = 0x12;
        const char* rs = p.ip->dst == ip("192.168.10.11") ? "RS1" : "RS2";
        Bytes reply = retarget(tcpFrame(p.ip->dst, p.ip->src, synAck), f.mac("Director", "eth1"), f.mac(rs));
        QCOMPARE(f.table.flush(), 0);
        f.plane->tick(std::chrono::milliseconds(1000));
        out.clear();
        f.plane->handle(f.index("eth1"), reply, out);
        QVERIFY(out.empty());
    }

    // Frames that are not the data path's pass untouched (the kernel has them).
    void ignoresOthers()
    {
        Fixture f("lvs-nat");
        std::vector<OutFrame> out;
        Bytes other = retarget(tcpFrame(ip("172.18.100.100"), ip("172.18.100.6"), TcpFields{40000, 22}),
                               f.mac("Director"), f.mac("Client"));
        f.plane->handle(f.index("eth0"), other, out);
        Bytes junk(7, 0xff);
        f.plane->handle(f.index("eth0"), junk, out);
        QVERIFY(out.empty());
        QCOMPARE(f.plane->counters().ignored, std::uint64_t{2});
    }

    void nftRules()
    {
        Fixture f("lvs-nat");
        const std::string rules = f.plane->ingressDropRules();
        QVERIFY(rules.find("type filter hook ingress device \"eth0\" priority -500;") != std::string::npos);
        QVERIFY(rules.find("ip daddr 172.18.100.6 tcp dport 80 drop") != std::string::npos);
        QVERIFY(rules.find("ip saddr 192.168.10.11 tcp sport 80 ip daddr != { 172.18.100.6, 192.168.10.254 } drop")
                != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestDataPlane)
#include "test_dataplane.moc"
