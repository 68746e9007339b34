// core/packet IPIP, TOA and ARP: encapsulation byte for byte as ip_vs_tunnel_xmit builds it
// and the round trip back, with headroom and with tailroom; TOA inserted byte for byte as
// DPVS's tcp_in_add_toa lays it out, and each refusal (no option room, MTU, buffer, not
// TCP); the ARP reply for the VIP.
#include <QtTest>

#include "core/packet/arp.h"
#include "core/packet/toa.h"
#include "core/packet/tunnel.h"
#include "frame_builder.h"

using namespace lvs::core;
using namespace lvs::core::packet;
using namespace testpkt;

namespace {

// A frame placed in a larger buffer with the given room in front and behind.
struct Placed {
    Bytes storage;
    FrameBuffer buffer;
    Placed(const Bytes& frame, std::size_t headroom, std::size_t tailroom)
        : storage(headroom + frame.size() + tailroom, 0xcc)
    {
        std::copy(frame.begin(), frame.end(), storage.begin() + static_cast<std::ptrdiff_t>(headroom));
        buffer = FrameBuffer{storage, headroom, frame.size()};
    }
    Bytes frame() const { return Bytes(buffer.frame().begin(), buffer.frame().end()); }
};

} // namespace

class TestPacketTunnelToa : public QObject {
    Q_OBJECT

private slots:
    void encapsulate_data()
    {
        QTest::addColumn<int>("headroom");
        QTest::addColumn<int>("tailroom");
        QTest::newRow("headroom") << 256 << 0;
        QTest::newRow("tailroom") << 0 << 20;
        QTest::newRow("some of each") << 19 << 64;
    }

    void encapsulate()
    {
        QFETCH(int, headroom);
        QFETCH(int, tailroom);
        const Bytes innerIp = ipv4({.src = kCip, .dst = kVip, .protocol = 6, .ttl = 63, .tos = 0xb8, .df = true},
                                   tcp(kCip, kVip, {.flags = kTcpAck}, Bytes(77, 'd')));
        const Bytes original = ethernet(mac(2), mac(1), 0x0800, innerIp);
        Placed p(original, static_cast<std::size_t>(headroom), static_cast<std::size_t>(tailroom));
        Frame f = parsed(p.buffer.frame());
        QVERIFY(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip, .ttl = 64, .id = 0, .mtu = 1500}));
        // Expected: Ethernet, outer DIP -> RIP with protocol 4, TOS and DF of the inner, TTL
        // 64, id 0, then the inner packet unchanged.
        const Bytes expected = ethernet(mac(2), mac(1), 0x0800,
                                        ipv4({.src = kDip, .dst = kRip, .protocol = 4, .ttl = 64, .tos = 0xb8, .id = 0,
                                              .df = true},
                                             innerIp));
        QCOMPARE(p.frame(), expected);
        const Frame again = parsed(p.buffer.frame());
        QCOMPARE(again.outer->offset, f.outer->offset);
        QCOMPARE(again.outer->checksum, f.outer->checksum);
        QCOMPARE(again.ip->offset, f.ip->offset);
        QCOMPARE(again.tcp->offset, f.tcp->offset);
        QVERIFY(checksumsOk(p.buffer.frame(), again));

        QVERIFY(decapsulateIpip(p.buffer, f));
        QCOMPARE(p.frame(), original);
        QVERIFY(!f.outer);
        QCOMPARE(f.ip->offset, parsed(p.buffer.frame()).ip->offset);
        QCOMPARE(errorName(decapsulateIpip(p.buffer, f).error()), errorName(RewriteError::NotTunnelled));
    }

    void encapsulateIdDfAndPadding()
    {
        Bytes original = tcpFrame(kCip, kVip, {}, {}, {.df = false});
        original.resize(60, 0); // Ethernet padding
        Placed p(original, 64, 0);
        Frame f = parsed(p.buffer.frame());
        QVERIFY(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip, .ttl = 32, .id = 7}));
        QCOMPARE(p.buffer.length, std::size_t{14 + 20 + 40}); // the padding is not carried
        const Frame again = parsed(p.buffer.frame());
        QVERIFY(!again.outer->dontFragment);
        QCOMPARE(again.outer->id, std::uint16_t{7});
        QCOMPARE(again.outer->ttl, std::uint8_t{32});
        QVERIFY(checksumsOk(p.buffer.frame(), again));
    }

    void encapsulateRefusals()
    {
        const Bytes big = tcpFrame(kCip, kVip, {.flags = kTcpAck}, Bytes(1460, 'x')); // 1500-byte packet
        {
            Placed p(big, 256, 256);
            Frame f = parsed(p.buffer.frame());
            QCOMPARE(errorName(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip, .mtu = 1500}).error()), errorName(RewriteError::ExceedsMtu));
            QCOMPARE(p.frame(), big);
            QVERIFY(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip, .mtu = 1520}));
            QCOMPARE(errorName(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip, .mtu = 9000}).error()), errorName(RewriteError::Tunnelled));
        }
        const Bytes small = tcpFrame(kCip, kVip, {});
        Placed p(small, 10, 9);
        Frame f = parsed(p.buffer.frame());
        QCOMPARE(errorName(encapsulateIpip(p.buffer, f, {.src = kDip, .dst = kRip}).error()), errorName(RewriteError::NoBufferRoom));
        QCOMPARE(p.frame(), small);
        Placed a(ethernet(mac(2), mac(1), 0x0806, arp(1, mac(9), kCip, Mac{}, kVip)), 64, 0);
        Frame g = parsed(a.buffer.frame());
        QCOMPARE(errorName(encapsulateIpip(a.buffer, g, {}).error()), errorName(RewriteError::NotIpv4));
    }

    void toaLayout_data()
    {
        QTest::addColumn<int>("headroom");
        QTest::addColumn<int>("tailroom");
        QTest::newRow("headroom") << 8 << 0;
        QTest::newRow("tailroom") << 0 << 8;
    }

    void toaLayout()
    {
        QFETCH(int, headroom);
        QFETCH(int, tailroom);
        // FULLNAT SYN LIP:40000 -> RIP:8080 carrying the client 172.20.0.100:40000.
        TcpFields t{.sport = 40000, .dport = 8080};
        t.options = synOptions();
        const Bytes data{'h', 'i'};
        const Bytes syn = tcpFrame(kLip, kRip, t, data);
        Placed p(syn, static_cast<std::size_t>(headroom), static_cast<std::size_t>(tailroom));
        Frame f = parsed(p.buffer.frame());
        QVERIFY(insertToa(p.buffer, f, {kCip, 40000}, 1500));

        // Byte for byte: kind 254, length 8, port 0x9c40, address ac.14.00.64, right after the
        // 20-byte header, the SYN's own options after it, data offset 48, total length + 8.
        const Bytes toa{254, 8, 0x9c, 0x40, 172, 20, 0, 100};
        QCOMPARE(Bytes(p.storage.begin() + static_cast<std::ptrdiff_t>(p.buffer.offset) + 54,
                       p.storage.begin() + static_cast<std::ptrdiff_t>(p.buffer.offset) + 62),
                 toa);
        TcpFields withToa = t;
        withToa.options = cat(toa, synOptions());
        QCOMPARE(p.frame(), tcpFrame(kLip, kRip, withToa, data));

        const Frame again = parsed(p.buffer.frame());
        QCOMPARE(again.tcp->headerLength, std::uint8_t{48});
        QCOMPARE(again.ip->totalLength, std::uint16_t{20 + 48 + 2});
        QCOMPARE(again.tcp->checksum, f.tcp->checksum);
        QCOMPARE(again.ip->checksum, f.ip->checksum);
        QCOMPARE(f.tcp->headerLength, std::uint8_t{48});
        QVERIFY(checksumsOk(p.buffer.frame(), again));
        auto found = findToa(p.buffer.frame(), *again.tcp);
        QVERIFY(found);
        QCOMPARE(found->address, kCip);
        QCOMPARE(found->port, std::uint16_t{40000});
    }

    void toaRefusals_data()
    {
        QTest::addColumn<int>("optionBytes");
        QTest::addColumn<int>("payload");
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("room");
        QTest::addColumn<QString>("error");
        QTest::newRow("fits exactly: 32 bytes of options") << 32 << 0 << 1500 << 8 << "";
        QTest::newRow("36 bytes of options") << 36 << 0 << 1500 << 8 << "toa-no-option-room";
        QTest::newRow("40 bytes of options") << 40 << 0 << 1500 << 8 << "toa-no-option-room";
        QTest::newRow("mtu exact") << 0 << 1452 << 1500 << 8 << "";
        QTest::newRow("mtu exceeded") << 0 << 1453 << 1500 << 8 << "exceeds-mtu";
        QTest::newRow("no room") << 0 << 0 << 1500 << 7 << "no-buffer-room";
    }

    void toaRefusals()
    {
        QFETCH(int, optionBytes);
        QFETCH(int, payload);
        QFETCH(int, mtu);
        QFETCH(int, room);
        QFETCH(QString, error);
        TcpFields t;
        t.options = Bytes(static_cast<std::size_t>(optionBytes), 1); // NOPs
        const Bytes syn = tcpFrame(kLip, kRip, t, Bytes(static_cast<std::size_t>(payload), 'z'));
        Placed p(syn, 0, static_cast<std::size_t>(room));
        Frame f = parsed(p.buffer.frame());
        auto r = insertToa(p.buffer, f, {kCip, 1}, static_cast<std::size_t>(mtu));
        if (error.isEmpty()) {
            QVERIFY(r);
            QVERIFY(checksumsOk(p.buffer.frame(), parsed(p.buffer.frame())));
            QVERIFY(refChecksumsOk(p.frame()));
        } else {
            QVERIFY(!r);
            QCOMPARE(errorName(r.error()), error);
            QCOMPARE(p.frame(), syn);
        }
    }

    void toaNeedsTcp()
    {
        const Bytes u = udpFrame(kLip, kRip, 1, 2, {});
        Placed p(u, 8, 8);
        Frame f = parsed(p.buffer.frame());
        QCOMPARE(errorName(insertToa(p.buffer, f, {kCip, 1}, 1500).error()), errorName(RewriteError::NotTcp));
    }

    void arpReply()
    {
        const Bytes request = ethernet(Mac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, mac(9), 0x0806,
                                       arp(1, mac(9), kCip, Mac{}, kVip));
        const Frame f = parsed(request);
        QVERIFY(isArpRequestFor(f, kVip));
        QVERIFY(!isArpRequestFor(f, kDip));

        Bytes out(64, 0xcc);
        auto n = buildArpReply(out, *f.arp, mac(6));
        QVERIFY(n);
        QCOMPARE(*n, std::size_t{42});
        const Bytes r = arp(2, mac(6), kVip, mac(9), kCip);
        QCOMPARE(Bytes(out.begin(), out.begin() + 42), ethernet(mac(9), mac(6), 0x0806, r));
        QCOMPARE(out[42], std::uint8_t{0xcc}); // nothing written past the frame
        const Frame reply = parsed(std::span<const std::uint8_t>(out).first(42));
        QVERIFY(!isArpRequestFor(reply, kVip));

        Bytes tiny(41);
        QCOMPARE(errorName(buildArpReply(tiny, *f.arp, mac(6)).error()), errorName(RewriteError::BufferTooSmall));
    }
};

QTEST_GUILESS_MAIN(TestPacketTunnelToa)
#include "test_packet_tunnel_toa.moc"
