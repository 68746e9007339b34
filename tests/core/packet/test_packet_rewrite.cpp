// core/packet rewrites: NAT of addresses and ports (TCP, UDP, UDP without checksum), MACs,
// TTL, the ICMP error rewrite of ip_vs_nat_icmp in both directions, and the Headers handed to
// the packet-path engine. Each rewrite is checked by parsing the result again and verifying
// every checksum with the test's own RFC 1071 sum, and against a full recomputation.
#include <QtTest>

#include "core/packet/checksum.h"
#include "core/packet/rewrite.h"
#include "core/packet/trace_headers.h"
#include "frame_builder.h"

#include <random>

using namespace lvs::core;
using namespace lvs::core::packet;
using namespace testpkt;

namespace {

// The frame verifies with the test's sum, and recomputing everything in full changes no
// checksum except 0 <-> 0xffff (the same number in one's complement).
bool allChecksumsGood(const Bytes& b, std::size_t ipOffset = 14)
{
    if (!refChecksumsOk(b, ipOffset))
        return false;
    Bytes copy = b;
    Frame f = parsed(copy);
    recomputeChecksums(copy, f);
    for (std::size_t i = 0; i + 1 < b.size(); ++i)
        if (b[i] != copy[i]) {
            const std::uint16_t x = get16(b, i & ~std::size_t{1});
            const std::uint16_t y = get16(copy, i & ~std::size_t{1});
            if (!((x == 0 && y == 0xffff) || (x == 0xffff && y == 0)))
                return false;
        }
    return true;
}

} // namespace

class TestPacketRewrite : public QObject {
    Q_OBJECT

private slots:
    void natTcp()
    {
        // NAT request: CIP:40000 -> VIP:80 becomes CIP:40000 -> RIP:8080 (ip_vs_nat_xmit).
        TcpFields t;
        t.options = synOptions();
        Bytes b = tcpFrame(kCip, kVip, t, Bytes(101, 'p'));
        Frame f = parsed(b);
        QVERIFY(setIpv4Destination(b, f, kRip));
        QVERIFY(setDestinationPort(b, f, 8080));
        QCOMPARE(f.ip->dst, kRip);
        QCOMPARE(f.tcp->dport, std::uint16_t{8080});
        const Frame again = parsed(b);
        QCOMPARE(again.ip->dst, kRip);
        QCOMPARE(again.tcp->dport, std::uint16_t{8080});
        QCOMPARE(again.ip->checksum, f.ip->checksum);
        QCOMPARE(again.tcp->checksum, f.tcp->checksum);
        QVERIFY(checksumsOk(b, again));
        QVERIFY(allChecksumsGood(b));
        // The reply RIP:8080 -> CIP is SNATed back to VIP:80: the original bytes come back.
        Bytes reply = tcpFrame(kRip, kCip, {.sport = 8080, .dport = 40000, .flags = kTcpSyn | kTcpAck});
        Frame r = parsed(reply);
        QVERIFY(setIpv4Source(reply, r, kVip));
        QVERIFY(setSourcePort(reply, r, 80));
        QCOMPARE(reply, tcpFrame(kVip, kCip, {.sport = 80, .dport = 40000, .flags = kTcpSyn | kTcpAck}));
    }

    void natUdp()
    {
        Bytes b = udpFrame(kCip, kVip, 5353, 53, Bytes(33, 'q'));
        Frame f = parsed(b);
        QVERIFY(setIpv4Source(b, f, kLip));
        QVERIFY(setIpv4Destination(b, f, kRip));
        QVERIFY(setSourcePort(b, f, 1025));
        QVERIFY(f.udp->checksum != 0);
        QVERIFY(allChecksumsGood(b));
        QCOMPARE(b, udpFrame(kLip, kRip, 1025, 53, Bytes(33, 'q')));
    }

    void udpWithoutChecksumStaysWithout()
    {
        Bytes b = udpFrame(kCip, kVip, 5353, 53, {1, 2, 3}, false);
        Frame f = parsed(b);
        QVERIFY(setIpv4Destination(b, f, kRip));
        QVERIFY(setDestinationPort(b, f, 5300));
        QCOMPARE(get16(b, 34 + 6), std::uint16_t{0});
        QVERIFY(allChecksumsGood(b));
    }

    void udpZeroResultIsSentAsOnes()
    {
        // Find a source port for which the true checksum is 0: the rewrite must store 0xffff.
        Bytes b = udpFrame(kCip, kVip, 1, 53, {1, 2, 3, 4});
        Frame f = parsed(b);
        bool seen = false;
        for (std::uint32_t port = 2; port < 65536 && !seen; ++port) {
            QVERIFY(setSourcePort(b, f, static_cast<std::uint16_t>(port)));
            QVERIFY(get16(b, 34 + 6) != 0);
            QVERIFY(refChecksumsOk(b));
            seen = get16(b, 34 + 6) == 0xffff;
        }
        QVERIFY(seen);
    }

    void randomRewrites()
    {
        // Many addresses and ports on TCP and UDP frames: every result verifies.
        std::mt19937 rng(768);
        for (int i = 0; i < 3000; ++i) {
            const bool isTcp = i % 2 == 0;
            Bytes payload(rng() % 64, 0);
            for (auto& x : payload)
                x = static_cast<std::uint8_t>(rng());
            Bytes b = isTcp ? tcpFrame(Ipv4{static_cast<std::uint32_t>(rng())}, Ipv4{static_cast<std::uint32_t>(rng())},
                                       {.sport = static_cast<std::uint16_t>(rng()), .seq = static_cast<std::uint32_t>(rng())},
                                       payload)
                            : udpFrame(Ipv4{static_cast<std::uint32_t>(rng())}, Ipv4{static_cast<std::uint32_t>(rng())},
                                       static_cast<std::uint16_t>(rng()), static_cast<std::uint16_t>(rng()), payload);
            Frame f = parsed(b);
            QVERIFY(setIpv4Source(b, f, Ipv4{static_cast<std::uint32_t>(rng())}));
            QVERIFY(setIpv4Destination(b, f, Ipv4{static_cast<std::uint32_t>(rng())}));
            QVERIFY(setSourcePort(b, f, static_cast<std::uint16_t>(rng())));
            QVERIFY(setDestinationPort(b, f, static_cast<std::uint16_t>(rng())));
            QVERIFY(decrementTtl(b, f));
            QVERIFY2(refChecksumsOk(b), qPrintable(QString::number(i)));
        }
    }

    void portsNeedAPortHeader()
    {
        Bytes later = ethernet(mac(2), mac(1), 0x0800,
                               ipv4({.src = kCip, .dst = kVip, .protocol = 6, .df = false, .fragmentOffset = 8}, Bytes(8)));
        Frame f = parsed(later);
        const Bytes before = later;
        QCOMPARE(errorName(setDestinationPort(later, f, 1).error()), errorName(RewriteError::NoPorts));
        QCOMPARE(later, before);
        // A later fragment's addresses can change (IPv4 checksum only).
        QVERIFY(setIpv4Destination(later, f, kRip));
        QVERIFY(allChecksumsGood(later));
    }

    void macs()
    {
        Bytes b = tcpFrame(kCip, kVip, {});
        Frame f = parsed(b);
        setMacs(b, f, mac(0x10), mac(0x20));
        QCOMPARE(parsed(b).eth.src, mac(0x10));
        QCOMPARE(parsed(b).eth.dst, mac(0x20));
        QVERIFY(allChecksumsGood(b));
    }

    void ttl_data()
    {
        QTest::addColumn<int>("ttl");
        QTest::addColumn<int>("id");
        QTest::newRow("64") << 64 << 0x1234;
        QTest::newRow("2") << 2 << 0;
        QTest::newRow("255") << 255 << 0xffff;
        for (int id = 0; id < 256; id += 17) // different checksums, some near the carry
            QTest::addRow("id %d", id) << 200 << id * 257;
    }

    void ttl()
    {
        QFETCH(int, ttl);
        QFETCH(int, id);
        IpFields fields{.ttl = static_cast<std::uint8_t>(ttl), .id = static_cast<std::uint16_t>(id)};
        Bytes b = tcpFrame(kCip, kVip, {}, {}, fields);
        Frame f = parsed(b);
        QVERIFY(decrementTtl(b, f));
        QCOMPARE(b[22], static_cast<std::uint8_t>(ttl - 1));
        QVERIFY(allChecksumsGood(b));
        QCOMPARE(parsed(b).ip->ttl, f.ip->ttl);
    }

    void ttlSearchesAllChecksums()
    {
        // Every checksum value before the decrement, including those whose update carries.
        Bytes b = tcpFrame(kCip, kVip, {}, {}, {.ttl = 100, .id = 0});
        for (std::uint32_t id = 0; id < 65536; ++id) {
            put16(b, 18, static_cast<std::uint16_t>(id));
            b[22] = 100;
            put16(b, 24, 0);
            put16(b, 24, static_cast<std::uint16_t>(~refSum(std::span<const std::uint8_t>(b).subspan(14, 20))));
            Frame f = parsed(b);
            QVERIFY(decrementTtl(b, f));
            if (refSum(std::span<const std::uint8_t>(b).subspan(14, 20)) != 0xffff)
                QFAIL(qPrintable(QString("id %1").arg(id)));
        }
    }

    void ttlExpired()
    {
        for (std::uint8_t ttl : {std::uint8_t{0}, std::uint8_t{1}}) {
            Bytes b = tcpFrame(kCip, kVip, {}, {}, {.ttl = ttl});
            const Bytes before = b;
            Frame f = parsed(b);
            QCOMPARE(errorName(decrementTtl(b, f).error()), errorName(RewriteError::TtlExpired));
            QCOMPARE(b, before);
        }
    }

    void ttlOfTunnelIsOuter()
    {
        const Bytes inner = ipv4({.src = kCip, .dst = kVip, .protocol = 6, .ttl = 63}, tcp(kCip, kVip, {}, {}));
        Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kDip, .dst = kRip, .protocol = 4, .ttl = 64}, inner));
        Frame f = parsed(b);
        QVERIFY(decrementTtl(b, f));
        QCOMPARE(parsed(b).outer->ttl, std::uint8_t{63});
        QCOMPARE(parsed(b).ip->ttl, std::uint8_t{63});
        QVERIFY(allChecksumsGood(b));
    }

    void icmpErrorToClient()
    {
        // NAT: the RS answers CIP:40000 -> RIP:8080 with "port unreachable"; ip_vs_out_icmp
        // sends it to the client as if from the VIP about CIP:40000 -> VIP:80.
        const Bytes quotedReq = ipv4({.src = kCip, .dst = kRip, .protocol = 6},
                                     tcp(kCip, kRip, {.sport = 40000, .dport = 8080}, {}));
        Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kRip, .dst = kCip, .protocol = 1}, icmp(3, 3, 0, quotedReq)));
        Frame f = parsed(b);
        QVERIFY(rewriteIcmpError(b, f, ipvsNatIcmp(IcmpNatDirection::ToClient, kVip, 80)));
        // Expected: the same error built from scratch about the packet the client sent, apart
        // from the quoted TCP checksum, which ip_vs_nat_icmp leaves as it was.
        Bytes quotedOrig = ipv4({.src = kCip, .dst = kVip, .protocol = 6}, tcp(kCip, kVip, {.sport = 40000, .dport = 80}, {}));
        put16(quotedOrig, 20 + 16, get16(quotedReq, 20 + 16));
        const Bytes expected = ethernet(mac(2), mac(1), 0x0800,
                                        ipv4({.src = kVip, .dst = kCip, .protocol = 1}, icmp(3, 3, 0, quotedOrig)));
        QCOMPARE(b, expected);
        const Frame again = parsed(b);
        QCOMPARE(again.icmp->quoted->dst, kVip);
        QCOMPARE(again.icmp->quotedDport, std::uint16_t{80});
        QVERIFY(checksumsOk(b, again));
        QVERIFY(ipv4ChecksumOk(b, *again.icmp->quoted));
    }

    void icmpErrorToRealServer()
    {
        // A router tells the director "fragmentation needed" about a reply VIP:80 -> CIP (only
        // 8 bytes of TCP quoted); ip_vs_in_icmp passes it to the RS about RIP:8080 -> CIP.
        Bytes quoted = ipv4({.src = kVip, .dst = kCip, .protocol = 6},
                            tcp(kVip, kCip, {.sport = 80, .dport = 40000, .flags = kTcpAck}, Bytes(1400)));
        quoted.resize(28);
        Bytes b = ethernet(mac(2), mac(1), 0x0800,
                           ipv4({.src = ip("10.0.0.1"), .dst = kVip, .protocol = 1}, icmp(3, 4, 1400, quoted)));
        Frame f = parsed(b);
        QCOMPARE(f.icmp->quotedTransportBytes, std::uint8_t{8});
        QVERIFY(rewriteIcmpError(b, f, ipvsNatIcmp(IcmpNatDirection::ToRealServer, kRip, 8080)));
        const Frame again = parsed(b);
        QCOMPARE(again.ip->dst, kRip);
        QCOMPARE(again.ip->src, ip("10.0.0.1"));
        QCOMPARE(again.icmp->quoted->src, kRip);
        QCOMPARE(again.icmp->quoted->dst, kCip);
        QCOMPARE(again.icmp->quotedSport, std::uint16_t{8080});
        QCOMPARE(again.icmp->quotedDport, std::uint16_t{40000});
        QCOMPARE(again.icmp->rest, std::uint32_t{1400});
        QVERIFY(checksumsOk(b, again));
        QVERIFY(ipv4ChecksumOk(b, *again.icmp->quoted));
        QVERIFY(refChecksumsOk(b));
        QCOMPARE(refSum(std::span<const std::uint8_t>(b).subspan(42, 20)), std::uint16_t{0xffff});
    }

    void icmpErrorRefusals()
    {
        Bytes echo = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kCip, .dst = kVip, .protocol = 1}, icmp(8, 0, 1, {})));
        Frame f = parsed(echo);
        QCOMPARE(errorName(rewriteIcmpError(echo, f, ipvsNatIcmp(IcmpNatDirection::ToClient, kVip, 80)).error()),
                 errorName(RewriteError::NotIcmpError));
        // A quote of an ICMP packet has no ports to map.
        const Bytes q = ipv4({.src = kCip, .dst = kRip, .protocol = 1}, icmp(8, 0, 1, {}));
        Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kRip, .dst = kCip, .protocol = 1}, icmp(11, 0, 0, q)));
        Frame g = parsed(b);
        const Bytes before = b;
        QCOMPARE(errorName(rewriteIcmpError(b, g, ipvsNatIcmp(IcmpNatDirection::ToClient, kVip, 80)).error()), errorName(RewriteError::NoPorts));
        QCOMPARE(b, before);
        QVERIFY(rewriteIcmpError(b, g, IcmpErrorRewrite{.src = kVip, .quotedDst = kVip}));
        QVERIFY(allChecksumsGood(b));
    }

    void pathHeaders()
    {
        TcpFields t{.sport = 40000, .dport = 8080};
        t.options = {1, 1, 254, 8, 0x9c, 0x40, 172, 20, 0, 100, 1, 0};
        const Bytes inner = ipv4({.src = kLip, .dst = kRip, .protocol = 6}, tcp(kLip, kRip, t, {}));
        const Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kDip, .dst = kRip, .protocol = 4}, inner));
        auto h = toPathHeaders(b, parsed(b));
        QVERIFY(h);
        path::Headers expected;
        expected.srcMac = mac(1);
        expected.dstMac = mac(2);
        expected.outerSrc = kDip;
        expected.outerDst = kRip;
        expected.src = kLip;
        expected.dst = kRip;
        expected.protocol = Protocol::Tcp;
        expected.sport = 40000;
        expected.dport = 8080;
        expected.toaAddress = kCip;
        expected.toaPort = 40000;
        QVERIFY(*h == expected);
        QVERIFY(path::changedFields(*h, expected).empty());

        const Bytes u = udpFrame(kCip, kVip, 5353, 53, {});
        auto hu = toPathHeaders(u, parsed(u));
        QVERIFY(hu);
        QVERIFY(hu->protocol == Protocol::Udp);
        QVERIFY(!hu->outerSrc && !hu->toaAddress);
        const Bytes e = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kCip, .dst = kVip, .protocol = 1}, icmp(8, 0, 1, {})));
        QVERIFY(!toPathHeaders(e, parsed(e)));
    }
};

QTEST_GUILESS_MAIN(TestPacketRewrite)
#include "test_packet_rewrite.moc"
