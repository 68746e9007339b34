// Tests of the kernel hash helpers under dh/sh/mh/lblc/lblcr: hash_32 and 64-bit hsiphash.
#include <QtTest>

#include "core/ipvs/sched/hash_functions.h"

#include <vector>

using namespace lvs::core::ipvs;

class TestHashFunctions : public QObject {
    Q_OBJECT

private slots:
    // Expected values from include/linux/hash.h's formula: (value * 0x61C88647 mod 2^32) >>
    // (32 - bits), multiplied out by hand / calculator.
    void hash32_data()
    {
        QTest::addColumn<quint32>("value");
        QTest::addColumn<uint>("bits");
        QTest::addColumn<quint32>("expected");
        QTest::newRow("hash_32: 0 stays 0") << quint32(0) << 8u << quint32(0);
        QTest::newRow("hash_32: 1 with 32 bits is GOLDEN_RATIO_32") << quint32(1) << 32u
                                                                    << quint32(0x61C88647);
        QTest::newRow("hash_32: 1, top 8 bits 0x61") << quint32(1) << 8u << quint32(97);
        // 0xffffffff * g = -g = 0x9E3779B9 (mod 2^32): top byte 0x9E.
        QTest::newRow("hash_32: 0xffffffff, top byte of -g") << quint32(0xffffffff) << 8u
                                                             << quint32(158);
        // 192.168.1.10 * g = 0xF8F385C6 (mod 2^32).
        QTest::newRow("hash_32: 192.168.1.10, 8 bits (sh/dh)") << quint32(0xC0A8010A) << 8u
                                                               << quint32(248);
        QTest::newRow("hash_32: 192.168.1.10, 10 bits (lblc)") << quint32(0xC0A8010A) << 10u
                                                               << quint32(995);
        // 10.1.2.3 * g = 0x02AD20D5 (mod 2^32).
        QTest::newRow("hash_32: 10.1.2.3, 8 bits") << quint32(0x0A010203) << 8u << quint32(2);
        QTest::newRow("hash_32: 10.1.2.3, 10 bits") << quint32(0x0A010203) << 10u << quint32(10);
    }
    void hash32()
    {
        QFETCH(quint32, value);
        QFETCH(uint, bits);
        QFETCH(quint32, expected);
        QCOMPARE(lvs::core::ipvs::hash32(value, bits), expected);
    }

    // lib/test_siphash.c, BITS_PER_LONG == 64: hsiphash(in, i, key) with in[k] = k and key
    // {0x0706050403020100, 0x0f0e0d0c0b0a0908} must equal test_vectors_hsiphash[i].
    void hsiphashVectors_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<quint32>("expected");
        QTest::newRow("test_siphash.c hsiphash len 0") << 0 << quint32(0x050fc4dcU);
        QTest::newRow("test_siphash.c hsiphash len 1") << 1 << quint32(0x7d57ca93U);
        QTest::newRow("test_siphash.c hsiphash len 4") << 4 << quint32(0x88d38328U);
        QTest::newRow("test_siphash.c hsiphash len 7") << 7 << quint32(0x9bb11140U);
        QTest::newRow("test_siphash.c hsiphash len 8") << 8 << quint32(0x8d299a8eU);
        QTest::newRow("test_siphash.c hsiphash len 9") << 9 << quint32(0x6c063de4U);
        QTest::newRow("test_siphash.c hsiphash len 15") << 15 << quint32(0x2a519956U);
        QTest::newRow("test_siphash.c hsiphash len 16") << 16 << quint32(0x7d908b66U);
        QTest::newRow("test_siphash.c hsiphash len 63") << 63 << quint32(0xb7bbb3a8U);
    }
    void hsiphashVectors()
    {
        QFETCH(int, length);
        QFETCH(quint32, expected);
        const HsiphashKey key{{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}};
        std::vector<std::uint8_t> in(64);
        for (int i = 0; i < 64; ++i)
            in[i] = static_cast<std::uint8_t>(i);
        QCOMPARE(hsiphash(in.data(), static_cast<std::size_t>(length), key), expected);
    }

    // test_siphash.c: hsiphash_1u32(0x03020100) == test_vectors_hsiphash[4], the path
    // ip_vs_mh_hashkey's hsiphash(&v, 4, key) takes.
    void hsiphash1u32MatchesVector()
    {
        const HsiphashKey key{{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}};
        QCOMPARE(hsiphash1u32(0x03020100u, key), quint32(0x88d38328U));
    }
};

QTEST_APPLESS_MAIN(TestHashFunctions)
#include "test_hash_functions.moc"
