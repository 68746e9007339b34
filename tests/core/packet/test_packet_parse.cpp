// core/packet parsing: known-good frames built by hand (Ethernet, ARP, IPv4 with options and
// fragments, IPIP, TCP with options, UDP, ICMP echo and errors with their quote), one row per
// malformed frame with the error it must give, and the checksum arithmetic against the worked
// examples of RFC 1071 and RFC 1624.
#include <QtTest>

#include "core/packet/checksum.h"
#include "core/packet/frame.h"
#include "frame_builder.h"

using namespace lvs::core;
using namespace lvs::core::packet;
using namespace testpkt;

Q_DECLARE_METATYPE(testpkt::Bytes)
Q_DECLARE_METATYPE(lvs::core::packet::ParseError)

namespace {

Bytes arpRequest()
{
    return ethernet(Mac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, mac(9), 0x0806, arp(1, mac(9), kCip, Mac{}, kVip));
}

// A "port unreachable" from the RS about a UDP datagram CIP:5353 -> RIP:53.
Bytes portUnreachable()
{
    const Bytes quoted = ipv4({.src = kCip, .dst = kRip, .protocol = 17}, udp(kCip, kRip, 5353, 53, {1, 2, 3, 4}));
    return ethernet(mac(2), mac(1), 0x0800,
                    ipv4({.src = kRip, .dst = kCip, .protocol = 1}, icmp(3, 3, 0, quoted)));
}

} // namespace

class TestPacketParse : public QObject {
    Q_OBJECT

private slots:
    void rfc1071Example()
    {
        // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (checksum 220d).
        const Bytes b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
        QCOMPARE(checksumFold(checksumAdd(b)), std::uint16_t{0xddf2});
        QCOMPARE(internetChecksum(b), std::uint16_t{0x220d});
        QCOMPARE(internetChecksum(b), static_cast<std::uint16_t>(~refSum(b)));
        // An odd length pads with a zero byte.
        const Bytes odd{0x12, 0x34, 0x56};
        QCOMPARE(checksumFold(checksumAdd(odd)), std::uint16_t{0x1234 + 0x5600});
    }

    void rfc1624Example()
    {
        // RFC 1624 section 4: HC = dd2f, m = 5555 -> m' = 3285 gives 0000 by eqn 3, not ffff.
        QCOMPARE(checksumReplace2(0xdd2f, 0x5555, 0x3285), std::uint16_t{0x0000});
    }

    void incrementalMatchesFull()
    {
        // Random headers: replacing a 32-bit field incrementally verifies like a recomputation.
        std::mt19937 rng(1624);
        for (int i = 0; i < 20000; ++i) {
            Bytes b(20);
            for (auto& x : b)
                x = static_cast<std::uint8_t>(rng());
            put16(b, 10, 0);
            put16(b, 10, static_cast<std::uint16_t>(~refSum(b)));
            const std::uint32_t from = static_cast<std::uint32_t>(get16(b, 12)) << 16 | get16(b, 14);
            const std::uint32_t to = rng();
            const std::uint16_t check = checksumReplace4(get16(b, 10), from, to);
            put32(b, 12, to);
            put16(b, 10, check);
            QCOMPARE(refSum(b), std::uint16_t{0xffff});
            QCOMPARE(internetChecksum(b), std::uint16_t{0});
        }
    }

    void tcpSyn()
    {
        TcpFields t;
        t.options = synOptions();
        const Bytes b = tcpFrame(kCip, kVip, t, {}, {.ttl = 63, .tos = 0x10, .id = 0xbeef});
        const Frame f = parsed(b);
        QCOMPARE(f.eth.dst, mac(2));
        QCOMPARE(f.eth.src, mac(1));
        QCOMPARE(f.eth.etherType, kEtherTypeIpv4);
        QVERIFY(!f.outer);
        QVERIFY(f.ip);
        QCOMPARE(f.ip->offset, std::uint16_t{14});
        QCOMPARE(f.ip->headerLength, std::uint8_t{20});
        QCOMPARE(f.ip->totalLength, std::uint16_t{60});
        QCOMPARE(f.ip->tos, std::uint8_t{0x10});
        QCOMPARE(f.ip->id, std::uint16_t{0xbeef});
        QVERIFY(f.ip->dontFragment);
        QVERIFY(!f.ip->isFragment());
        QCOMPARE(f.ip->ttl, std::uint8_t{63});
        QCOMPARE(f.ip->protocol, kProtoTcp);
        QCOMPARE(f.ip->checksum, get16(b, 24));
        QCOMPARE(f.ip->src, kCip);
        QCOMPARE(f.ip->dst, kVip);
        QCOMPARE(f.transport, Transport::Tcp);
        QCOMPARE(f.tcp->offset, std::uint16_t{34});
        QCOMPARE(f.tcp->sport, std::uint16_t{40000});
        QCOMPARE(f.tcp->dport, std::uint16_t{80});
        QCOMPARE(f.tcp->seq, std::uint32_t{0x01020304});
        QCOMPARE(f.tcp->headerLength, std::uint8_t{40});
        QCOMPARE(f.tcp->flags, kTcpSyn);
        QCOMPARE(f.tcp->window, std::uint16_t{64240});
        QVERIFY(checksumsOk(b, f));
        QVERIFY(refChecksumsOk(b));

        auto options = tcpOptions(b, *f.tcp);
        QVERIFY(options);
        QCOMPARE(options->count, std::uint8_t{5}); // MSS, SACK-permitted, timestamps, NOP, wscale
        const std::uint8_t kinds[] = {2, 4, 8, 1, 3};
        const std::uint8_t lengths[] = {4, 2, 10, 1, 3};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(options->items[i].kind, kinds[i]);
            QCOMPARE(options->items[i].length, lengths[i]);
        }
        QCOMPARE(options->items[0].offset, std::uint16_t{54});
    }

    void ipOptionsAndPadding()
    {
        // Record route with room for one address (7 bytes) + end of list; Ethernet padding after.
        IpFields f{.src = kCip, .dst = kVip, .protocol = 17};
        f.options = {0x07, 0x07, 0x04, 0, 0, 0, 0, 0x00};
        Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4(f, udp(kCip, kVip, 1000, 53, {0xaa})));
        b.resize(60, 0); // padded to the Ethernet minimum
        const Frame p = parsed(b);
        QCOMPARE(p.ip->headerLength, std::uint8_t{28});
        QCOMPARE(p.ip->totalLength, std::uint16_t{28 + 9});
        QCOMPARE(p.transport, Transport::Udp);
        QCOMPARE(p.udp->offset, std::uint16_t{42});
        QCOMPARE(p.udp->length, std::uint16_t{9});
        QCOMPARE(p.udp->dport, std::uint16_t{53});
        QVERIFY(checksumsOk(b, p));
        b[10 + 14] ^= 1; // a bit of the IPv4 checksum
        QVERIFY(!checksumsOk(b, p));
        QVERIFY(!ipv4ChecksumOk(b, *p.ip));
    }

    void fragments()
    {
        IpFields first{.src = kCip, .dst = kVip, .protocol = 17, .df = false, .mf = true};
        const Bytes a = ethernet(mac(2), mac(1), 0x0800, ipv4(first, udp(kCip, kVip, 1, 2, Bytes(16), false)));
        const Frame fa = parsed(a);
        QVERIFY(fa.ip->moreFragments);
        QVERIFY(fa.ip->isFragment());
        QCOMPARE(fa.transport, Transport::Udp); // a first fragment has the transport header

        IpFields later{.src = kCip, .dst = kVip, .protocol = 6, .df = false, .fragmentOffset = 3};
        const Bytes b = ethernet(mac(2), mac(1), 0x0800, ipv4(later, Bytes(5, 0xee)));
        const Frame fb = parsed(b);
        QCOMPARE(fb.ip->fragmentOffset, std::uint16_t{3});
        QCOMPARE(fb.transport, Transport::None);
        QVERIFY(!fb.tcp);
        QVERIFY(checksumsOk(b, fb)); // only the IPv4 header is checkable
    }

    void ipip()
    {
        const Bytes inner = ipv4({.src = kCip, .dst = kVip, .protocol = 6}, tcp(kCip, kVip, {}, {}));
        const Bytes b = ethernet(mac(2), mac(1), 0x0800,
                                 ipv4({.src = kDip, .dst = kRip, .protocol = 4, .ttl = 64, .id = 0}, inner));
        const Frame f = parsed(b);
        QVERIFY(f.outer);
        QCOMPARE(f.outer->src, kDip);
        QCOMPARE(f.outer->dst, kRip);
        QCOMPARE(f.outer->protocol, kProtoIpip);
        QCOMPARE(f.ip->offset, std::uint16_t{34});
        QCOMPARE(f.ip->src, kCip);
        QCOMPARE(f.ip->dst, kVip);
        QCOMPARE(f.tcp->offset, std::uint16_t{54});
        QCOMPARE(f.routed()->dst, kRip);
        QVERIFY(checksumsOk(b, f));
        QVERIFY(refChecksumsOk(b));
    }

    void arp()
    {
        const Frame f = parsed(arpRequest());
        QVERIFY(f.arp);
        QVERIFY(!f.ip);
        QCOMPARE(f.arp->operation, std::uint16_t{1});
        QCOMPARE(f.arp->senderMac, mac(9));
        QCOMPARE(f.arp->senderIp, kCip);
        QCOMPARE(f.arp->targetIp, kVip);
        QCOMPARE(f.arp->targetMac, Mac{});
    }

    void icmpEcho()
    {
        const Bytes b = ethernet(mac(2), mac(1), 0x0800,
                                 ipv4({.src = kCip, .dst = kVip, .protocol = 1}, icmp(8, 0, 0x00070001, Bytes(32, 'x'))));
        const Frame f = parsed(b);
        QCOMPARE(f.transport, Transport::Icmp);
        QCOMPARE(f.icmp->type, std::uint8_t{8});
        QCOMPARE(f.icmp->rest, std::uint32_t{0x00070001});
        QVERIFY(!f.icmp->quoted);
        QVERIFY(checksumsOk(b, f));
    }

    void icmpError()
    {
        const Bytes b = portUnreachable();
        const Frame f = parsed(b);
        QCOMPARE(f.icmp->type, std::uint8_t{3});
        QCOMPARE(f.icmp->code, std::uint8_t{3});
        QVERIFY(f.icmp->quoted);
        QCOMPARE(f.icmp->quoted->offset, std::uint16_t{14 + 20 + 8});
        QCOMPARE(f.icmp->quoted->src, kCip);
        QCOMPARE(f.icmp->quoted->dst, kRip);
        QCOMPARE(f.icmp->quoted->protocol, kProtoUdp);
        QCOMPARE(f.icmp->quotedTransportBytes, std::uint8_t{8});
        QVERIFY(f.icmp->quotedHasPorts);
        QCOMPARE(f.icmp->quotedSport, std::uint16_t{5353});
        QCOMPARE(f.icmp->quotedDport, std::uint16_t{53});
        QVERIFY(checksumsOk(b, f));
    }

    void otherEtherType()
    {
        const Bytes b = ethernet(mac(2), mac(1), 0x86dd, Bytes(40));
        const Frame f = parsed(b);
        QCOMPARE(f.eth.etherType, std::uint16_t{0x86dd});
        QVERIFY(!f.ip && !f.arp);
    }

    void errors_data()
    {
        QTest::addColumn<Bytes>("frame");
        QTest::addColumn<ParseError>("error");
        const Bytes syn = tcpFrame(kCip, kVip, {});
        auto edit = [](Bytes b, std::size_t at, std::uint8_t value) {
            b[at] = value;
            return b;
        };
        auto cut = [](Bytes b, std::size_t n) {
            b.resize(n);
            return b;
        };
        QTest::newRow("empty") << Bytes{} << ParseError::EthernetTruncated;
        QTest::newRow("13 bytes") << cut(syn, 13) << ParseError::EthernetTruncated;
        QTest::newRow("arp short") << cut(arpRequest(), 41) << ParseError::ArpTruncated;
        QTest::newRow("arp not ipv4") << edit(arpRequest(), 16, 0x86) << ParseError::ArpNotEthernetIpv4;
        QTest::newRow("ip short") << cut(syn, 33) << ParseError::Ipv4Truncated;
        QTest::newRow("ip version 6") << edit(syn, 14, 0x65) << ParseError::Ipv4BadVersion;
        QTest::newRow("ihl 4") << edit(syn, 14, 0x44) << ParseError::Ipv4BadHeaderLength;
        QTest::newRow("ihl past end") << edit(cut(syn, 40), 14, 0x4f) << ParseError::Ipv4Truncated;
        QTest::newRow("total < ihl") << edit(edit(syn, 16, 0), 17, 19) << ParseError::Ipv4BadTotalLength;
        QTest::newRow("total > frame") << edit(syn, 17, 41) << ParseError::Ipv4Truncated;
        QTest::newRow("tcp short") << edit(cut(syn, 14 + 20 + 19), 17, 39) << ParseError::TcpTruncated;
        QTest::newRow("tcp doff 4") << edit(syn, 34 + 12, 0x40) << ParseError::TcpBadDataOffset;
        QTest::newRow("tcp doff past") << edit(syn, 34 + 12, 0x60) << ParseError::TcpBadDataOffset;
        const Bytes u = udpFrame(kCip, kVip, 1, 2, {1, 2, 3});
        QTest::newRow("udp length 7") << edit(u, 34 + 5, 7) << ParseError::UdpBadLength;
        QTest::newRow("udp length past") << edit(u, 34 + 5, 12) << ParseError::UdpBadLength;
        QTest::newRow("udp short") << edit(cut(u, 14 + 20 + 7), 17, 27) << ParseError::UdpTruncated;
        const Bytes e = portUnreachable();
        QTest::newRow("icmp short") << edit(cut(e, 14 + 20 + 7), 17, 27) << ParseError::IcmpTruncated;
        QTest::newRow("quote short") << edit(cut(e, 14 + 20 + 8 + 19), 17, 47) << ParseError::IcmpQuoteTruncated;
        QTest::newRow("quote ihl 3") << edit(e, 42, 0x43) << ParseError::IcmpQuoteBadHeader;
        const Bytes inner = ipv4({.src = kCip, .dst = kVip, .protocol = 6}, tcp(kCip, kVip, {}, {}));
        const Bytes tun = ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kDip, .dst = kRip, .protocol = 4}, inner));
        QTest::newRow("ipip inner past outer") << edit(tun, 34 + 3, 41) << ParseError::Ipv4Truncated;
        QTest::newRow("ipip inner ihl") << edit(tun, 34, 0x41) << ParseError::Ipv4BadHeaderLength;
        QTest::newRow("ipip in ipip") << edit(tun, 34 + 9, 4) << ParseError::IpipNested;
    }

    void errors()
    {
        QFETCH(Bytes, frame);
        QFETCH(ParseError, error);
        auto f = parseFrame(frame);
        QVERIFY(!f);
        QCOMPARE(errorName(f.error()), errorName(error));
    }

    void badTcpOptions_data()
    {
        QTest::addColumn<Bytes>("options");
        QTest::addColumn<bool>("ok");
        QTest::newRow("nops and eol") << Bytes{1, 1, 1, 0} << true;
        QTest::newRow("length 0") << Bytes{2, 0, 0, 0} << false;
        QTest::newRow("length 1") << Bytes{8, 1, 1, 1} << false;
        QTest::newRow("past header") << Bytes{1, 1, 3, 3} << false;
        QTest::newRow("kind at the end") << Bytes{1, 1, 1, 3} << false;
        QTest::newRow("toa") << Bytes{254, 8, 0x9c, 0x40, 172, 20, 0, 100} << true;
    }

    void badTcpOptions()
    {
        QFETCH(Bytes, options);
        QFETCH(bool, ok);
        TcpFields t;
        t.options = options;
        const Bytes b = tcpFrame(kCip, kVip, t);
        const Frame f = parsed(b); // the frame parses; its options are judged on request
        auto o = tcpOptions(b, *f.tcp);
        QCOMPARE(o.has_value(), ok);
        if (!ok)
            QCOMPARE(errorName(o.error()), errorName(ParseError::TcpBadOption));
    }
};

QTEST_GUILESS_MAIN(TestPacketParse)
#include "test_packet_parse.moc"
