// core/packet against garbage: 100,000 random inputs (some shaped to reach the IPv4, IPIP,
// TCP, UDP and ICMP parsers), every truncation of valid frames, and random byte flips of
// them. Each input sits in a buffer of exactly its size (so AddressSanitizer sees any read
// past it); whatever parses goes through every rewrite, and each rewrite must leave a frame
// that parses again to the same headers and keeps checksums that verified verifying.
#include <QtTest>

#include "core/packet/arp.h"
#include "core/packet/toa.h"
#include "core/packet/trace_headers.h"
#include "core/packet/tunnel.h"
#include "frame_builder.h"

#include <memory>
#include <random>

using namespace lvs::core;
using namespace lvs::core::packet;
using namespace testpkt;

namespace {

std::vector<Bytes> validFrames()
{
    TcpFields syn;
    syn.options = synOptions();
    const Bytes quoted = ipv4({.src = kCip, .dst = kRip, .protocol = 17}, udp(kCip, kRip, 5353, 53, {1, 2, 3, 4}));
    const Bytes inner = ipv4({.src = kCip, .dst = kVip, .protocol = 6}, tcp(kCip, kVip, syn, {'x'}));
    IpFields withOptions{.src = kCip, .dst = kVip, .protocol = 6};
    withOptions.options = {0x94, 0x04, 0x00, 0x00}; // router alert
    return {
        tcpFrame(kCip, kVip, syn),
        tcpFrame(kCip, kVip, {.flags = kTcpAck | kTcpPsh}, Bytes(200, 'a'), withOptions),
        udpFrame(kCip, kVip, 5353, 53, Bytes(20, 'u')),
        udpFrame(kCip, kVip, 5353, 53, {}, false),
        ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kRip, .dst = kCip, .protocol = 1}, icmp(3, 3, 0, quoted))),
        ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kCip, .dst = kVip, .protocol = 1}, icmp(8, 0, 5, Bytes(16)))),
        ethernet(mac(2), mac(1), 0x0800, ipv4({.src = kDip, .dst = kRip, .protocol = 4}, inner)),
        ethernet(mac(2), mac(1), 0x0806, arp(1, mac(9), kCip, Mac{}, kVip)),
    };
}

// The fields a rewrite keeps in step with the bytes.
bool sameHeaders(const Frame& a, const Frame& b)
{
    auto sameIp = [](const std::optional<Ipv4Header>& x, const std::optional<Ipv4Header>& y) {
        if (x.has_value() != y.has_value())
            return false;
        return !x
            || (x->offset == y->offset && x->src == y->src && x->dst == y->dst && x->ttl == y->ttl
                && x->totalLength == y->totalLength && x->checksum == y->checksum && x->protocol == y->protocol);
    };
    if (a.eth.src != b.eth.src || a.eth.dst != b.eth.dst || a.transport != b.transport)
        return false;
    if (!sameIp(a.outer, b.outer) || !sameIp(a.ip, b.ip))
        return false;
    if (a.tcp
        && (a.tcp->offset != b.tcp->offset || a.tcp->sport != b.tcp->sport || a.tcp->dport != b.tcp->dport
            || a.tcp->checksum != b.tcp->checksum || a.tcp->headerLength != b.tcp->headerLength))
        return false;
    if (a.udp
        && (a.udp->offset != b.udp->offset || a.udp->sport != b.udp->sport || a.udp->dport != b.udp->dport
            || a.udp->checksum != b.udp->checksum))
        return false;
    if (a.icmp
        && (a.icmp->offset != b.icmp->offset || a.icmp->checksum != b.icmp->checksum
            || a.icmp->quotedSport != b.icmp->quotedSport || a.icmp->quotedDport != b.icmp->quotedDport
            || !sameIp(a.icmp->quoted, b.icmp->quoted)))
        return false;
    return true;
}

class Fuzzer {
public:
    explicit Fuzzer(std::uint32_t seed) : m_rng(seed) {}

    // Parses input from an exactly-sized heap copy and runs everything on what parses.
    // Returns false on a broken invariant.
    bool run(const Bytes& input)
    {
        auto exact = std::make_unique<std::uint8_t[]>(input.size() + 1); // +1: size 0 is fine
        std::copy(input.begin(), input.end(), exact.get());
        const std::span<const std::uint8_t> view(exact.get(), input.size());
        auto parsed = parseFrame(view);
        if (!parsed) {
            ++m_refused;
            return !toString(parsed.error()).empty();
        }
        ++m_parsed;
        const Frame& f = *parsed;
        if (f.ip && std::size_t{f.ip->offset} + f.ip->totalLength > view.size())
            return false;
        if (f.tcp) {
            (void)tcpOptions(view, *f.tcp);
            (void)findToa(view, *f.tcp);
        }
        (void)toPathHeaders(view, f);
        if (f.arp) {
            std::array<std::uint8_t, kArpFrameLength> out{};
            if (!buildArpReply(out, *f.arp, mac(6)) || !parseFrame(out))
                return false;
        }
        return rewrite(input, f);
    }

    int parsed() const { return m_parsed; }
    // The rewrite that broke an invariant last (1-based, in the order of rewrite()), 0 if none.
    int failedStep() const { return m_failedStep; }
    int refused() const { return m_refused; }

private:
    std::uint32_t next() { return static_cast<std::uint32_t>(m_rng()); }

    // One rewrite on the frame: it either refuses (leaving the bytes alone) or leaves a frame
    // that parses to the headers it says, with checksums still verifying if they did.
    template <typename Op>
    bool step(FrameBuffer& buffer, Frame& f, Op op)
    {
        ++m_step;
        m_failedStep = m_step;
        const bool wasOk = checksumsOk(buffer.frame(), f);
        const Bytes before(buffer.frame().begin(), buffer.frame().end());
        auto r = op(buffer, f);
        if (!r) {
            if (Bytes(buffer.frame().begin(), buffer.frame().end()) != before)
                return false;
            m_failedStep = 0;
            return true;
        }
        auto again = parseFrame(buffer.frame());
        if (!again || !sameHeaders(f, *again))
            return false;
        if (wasOk && !checksumsOk(buffer.frame(), *again))
            return false;
        m_failedStep = 0;
        return true;
    }

    bool rewrite(const Bytes& input, Frame f)
    {
        Bytes storage(input.size() + 64);
        std::copy(input.begin(), input.end(), storage.begin() + 32);
        FrameBuffer b{storage, 32, input.size()};
        m_step = 0;
        const Ipv4 a{next()};
        const auto port = static_cast<std::uint16_t>(next());
        using R = std::expected<void, RewriteError>;
        bool ok = step(b, f, [&](FrameBuffer& x, Frame& g) { return setIpv4Source(x.frame(), g, a); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return setIpv4Destination(x.frame(), g, a); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return setSourcePort(x.frame(), g, port); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return setDestinationPort(x.frame(), g, port); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return decrementTtl(x.frame(), g); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) -> R {
                      setMacs(x.frame(), g, mac(7), mac(8));
                      return {};
                  })
               && step(b, f, [&](FrameBuffer& x, Frame& g) {
                      return rewriteIcmpError(x.frame(), g, ipvsNatIcmp(next() % 2 ? IcmpNatDirection::ToClient
                                                                                   : IcmpNatDirection::ToRealServer,
                                                                        a, port));
                  })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return insertToa(x, g, {a, port}, 1500); })
               && step(b, f, [&](FrameBuffer& x, Frame& g) {
                      return encapsulateIpip(x, g, {.src = a, .dst = a, .id = port, .mtu = 9000});
                  })
               && step(b, f, [&](FrameBuffer& x, Frame& g) { return decapsulateIpip(x, g); });
        return ok;
    }

    std::mt19937 m_rng;
    int m_parsed = 0;
    int m_refused = 0;
    int m_step = 0;
    int m_failedStep = 0;
};

} // namespace

class TestPacketFuzz : public QObject {
    Q_OBJECT

private slots:
    void randomInputs()
    {
        std::mt19937 rng(20240601);
        Fuzzer fuzzer(1);
        const std::uint8_t protocols[] = {1, 4, 6, 17, 132, 47};
        for (int i = 0; i < 100000; ++i) {
            Bytes b(rng() % (i % 10 == 0 ? 1600 : 160));
            for (auto& x : b)
                x = static_cast<std::uint8_t>(rng());
            // Three in four are shaped so that the deeper parsers see them.
            if (b.size() >= 34 && i % 4 != 0) {
                put16(b, 12, i % 16 == 1 ? 0x0806 : 0x0800);
                b[14] = static_cast<std::uint8_t>(0x45 + (i % 8 == 2 ? rng() % 11 : 0));
                put16(b, 16, static_cast<std::uint16_t>(b.size() - 14 - (rng() % 4 == 0 ? rng() % 8 : 0)));
                b[20] &= 0x40; // mostly unfragmented
                b[21] = 0;
                b[23] = protocols[rng() % 6];
                if (b[23] == 4 && b.size() >= 54) {
                    b[34] = 0x45;
                    put16(b, 36, static_cast<std::uint16_t>(b.size() - 34));
                    b[40] = b[41] = 0;
                    b[43] = protocols[rng() % 6];
                }
            }
            if (!fuzzer.run(b))
                QFAIL(qPrintable(QString("input %1 broke an invariant at rewrite %2").arg(i).arg(fuzzer.failedStep())));
        }
        qInfo("random: %d parsed, %d refused", fuzzer.parsed(), fuzzer.refused());
        QVERIFY(fuzzer.parsed() > 10000); // the shaping reaches the parsers behind IPv4
    }

    void truncations()
    {
        Fuzzer fuzzer(2);
        for (const Bytes& frame : validFrames()) {
            QVERIFY(fuzzer.run(frame));
            for (std::size_t n = 0; n < frame.size(); ++n)
                QVERIFY(fuzzer.run(Bytes(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n))));
        }
        QVERIFY(fuzzer.refused() > 0);
    }

    void mutations()
    {
        std::mt19937 rng(3);
        Fuzzer fuzzer(3);
        const auto frames = validFrames();
        for (int i = 0; i < 50000; ++i) {
            Bytes b = frames[static_cast<std::size_t>(i) % frames.size()];
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < flips; ++k)
                b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            if (!fuzzer.run(b))
                QFAIL(qPrintable(QString("mutation %1 broke an invariant at rewrite %2").arg(i).arg(fuzzer.failedStep())));
        }
        qInfo("mutations: %d parsed, %d refused", fuzzer.parsed(), fuzzer.refused());
    }
};

QTEST_GUILESS_MAIN(TestPacketFuzz)
#include "test_packet_fuzz.moc"
