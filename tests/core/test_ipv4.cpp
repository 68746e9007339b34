// Tests of IPv4 addresses, prefixes and MACs: what parses, what does not, and subnet arithmetic.
#include <QtTest>

#include "core/net/ipv4.h"

using namespace lvs::core;

class TestIpv4 : public QObject {
    Q_OBJECT

private slots:
    void address_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "192.168.10.11" << true;
        QTest::newRow("zero") << "0.0.0.0" << true;
        QTest::newRow("max") << "255.255.255.255" << true;
        QTest::newRow("octet 256") << "192.168.10.256" << false;
        QTest::newRow("three parts") << "192.168.10" << false;
        QTest::newRow("five parts") << "1.2.3.4.5" << false;
        QTest::newRow("leading zero") << "192.168.010.1" << false;
        QTest::newRow("empty part") << "192..10.1" << false;
        QTest::newRow("trailing dot") << "1.2.3.4." << false;
        QTest::newRow("sign") << "+1.2.3.4" << false;
        QTest::newRow("space") << "1.2.3.4 " << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("long octet") << "1.2.3.0004" << false;
    }
    void address()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        auto a = Ipv4::parse(text.toStdString());
        QCOMPARE(a.has_value(), valid);
        if (valid)
            QCOMPARE(QString::fromStdString(a->toString()), text);
    }

    void prefix_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("network");
        QTest::newRow("/24") << "192.168.10.11/24" << true << "192.168.10.0";
        QTest::newRow("/16") << "172.18.100.6/16" << true << "172.18.0.0";
        QTest::newRow("/32") << "172.18.100.7/32" << true << "172.18.100.7";
        QTest::newRow("/0") << "1.2.3.4/0" << true << "0.0.0.0";
        QTest::newRow("/33") << "1.2.3.4/33" << false << "";
        QTest::newRow("no length") << "1.2.3.4/" << false << "";
        QTest::newRow("bare") << "1.2.3.4" << false << "";
        QTest::newRow("negative") << "1.2.3.4/-1" << false << "";
    }
    void prefix()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, network);
        auto p = Ipv4Prefix::parse(text.toStdString());
        QCOMPARE(p.has_value(), valid);
        if (valid) {
            QCOMPARE(QString::fromStdString(p->network().toString()), network);
            QCOMPARE(QString::fromStdString(p->toString()), text);
        }
    }

    void containsAndOverlaps()
    {
        auto lan = *Ipv4Prefix::parse("192.168.10.254/24");
        QVERIFY(lan.contains(*Ipv4::parse("192.168.10.11")));
        QVERIFY(!lan.contains(*Ipv4::parse("192.168.11.1")));
        QVERIFY(lan.overlaps(*Ipv4Prefix::parse("192.168.0.0/16")));
        QVERIFY(!lan.overlaps(*Ipv4Prefix::parse("192.168.11.0/24")));
        QVERIFY(Ipv4Prefix::parse("1.2.3.4", true).has_value());
    }

    void netmasks()
    {
        QCOMPARE(QString::fromStdString(netmaskFromLength(24).toString()), QString("255.255.255.0"));
        QCOMPARE(QString::fromStdString(netmaskFromLength(0).toString()), QString("0.0.0.0"));
        QCOMPARE(lengthFromNetmask(*Ipv4::parse("255.255.240.0")), std::optional<int>(20));
        QCOMPARE(lengthFromNetmask(*Ipv4::parse("255.0.255.0")), std::optional<int>());
    }

    void mac()
    {
        auto m = Mac::parse("02:4C:56:00:00:0a");
        QVERIFY(m.has_value());
        QCOMPARE(QString::fromStdString(m->toString()), QString("02:4c:56:00:00:0a"));
        QVERIFY(!Mac::parse("02:4c:56:00:00").has_value());
        QVERIFY(!Mac::parse("02-4c-56-00-00-0a").has_value());
        QVERIFY(!Mac::parse("02:4c:56:00:00:0g").has_value());
    }
};

QTEST_GUILESS_MAIN(TestIpv4)
#include "test_ipv4.moc"
