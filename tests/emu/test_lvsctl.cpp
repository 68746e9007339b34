// Tests of lvsctl's commands as a user types them: show and format, with their exit codes.
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "emu/cli/lvsctl.h"

#include <sstream>

using namespace lvs::emu;

namespace {

struct Run {
    int code;
    QString out;
    QString err;
};

Run lvsctl(std::vector<std::string> args)
{
    std::ostringstream out, err;
    int code = runLvsctl(args, out, err);
    return {code, QString::fromStdString(out.str()), QString::fromStdString(err.str())};
}

} // namespace

class TestLvsctl : public QObject {
    Q_OBJECT

private slots:
    void showExamples_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("lvs-nat") << "lvs-nat" << QStringList{
            "  Client      client       eth0    172.18.100.100/16   CIP   02:4c:56:00:00:02",
            "  Director    director     eth0    172.18.100.6/16     VIP   02:4c:56:00:00:05",
            "                           eth1    192.168.10.254/24   DIP   02:4c:56:00:00:06",
            "  RS1         real-server  eth0    192.168.10.11/24    RIP   02:4c:56:00:00:09",
            "                           gateway 192.168.10.254",
            "  Director.eth1 -- Private",
            "TCP  172.18.100.6:80 rr"};
        QTest::newRow("lvs-dr") << "lvs-dr" << QStringList{
            "  Router      router       eth0    172.20.0.1/16       GW    02:4c:56:00:00:04",
            "  Director    director     eth0    172.18.100.6/16     DIP   02:4c:56:00:00:08",
            "                           eth0    172.18.100.7/32     VIP",
            "                           lo      172.18.100.7/32     VIP",
            "                           net.ipv4.conf.all.arp_ignore = 1",
            "  -> 172.18.100.12:80             Route   2      0          0         "};
        QTest::newRow("lvs-tun") << "lvs-tun" << QStringList{
            "                           tunl0   172.18.100.7/32     VIP",
            "                           net.ipv4.conf.tunl0.rp_filter = 0"};
        QTest::newRow("lvs-fullnat") << "lvs-fullnat" << QStringList{
            "FULLNAT local addresses: 192.168.10.201 192.168.10.202",
            "  -> 192.168.10.11:8080           FullNat 1      0          0         "};
        QTest::newRow("fwm-http-https") << "fwm-http-https" << QStringList{
            "  iptables -t mangle -A PREROUTING -d 172.18.100.7/32 -p tcp -m multiport --dports 80,443 -j MARK --set-mark 10",
            "FWM  10 rr persistent 300"};
        QTest::newRow("keepalived-ha") << "keepalived-ha" << QStringList{
            "Director Director2: ipvsadm -Ln",
            "Health check TCP  192.168.1.250:80: HTTP_GET delay_loop 6 connect_timeout 3 retry 3 delay_before_retry 3 url / status_code 200",
            "VRRP VI_1: BACKUP on eth0 virtual_router_id 51 priority 90 advert_int 1 virtual_ipaddress 192.168.1.250/32"};
        QTest::newRow("mysql-wlc") << "mysql-wlc" << QStringList{"TCP  172.18.100.6:3306 wlc",
            "  -> 192.168.100.22:3306          Masq    2      0          0         "};
        QTest::newRow("pcc-port0") << "pcc-port0" << QStringList{"TCP  172.18.100.7:0 rr persistent 360",
            "                           runs tcp-echo on port 23"};
    }
    void showExamples()
    {
        QFETCH(QString, example);
        QFETCH(QStringList, lines);
        Run r = lvsctl({"show", LVSLAB_SOURCE_DIR "/examples/" + example.toStdString() + ".lvslab"});
        QCOMPARE(r.code, kExitOk);
        QVERIFY(r.err.isEmpty());
        const QStringList got = r.out.split('\n');
        for (const QString& line : lines)
            QVERIFY2(got.contains(line), qPrintable("missing line: " + line + "\n" + r.out));
    }

    void showBadFileExitsTwo()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("bad.lvslab");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"lvslab\", \"version\": 1, \"nodes\": [{\"id\": 1, \"kind\": \"client\", \"name\": \"C\", \"interfaces\": [{\"id\": 2, \"name\": \"eth0\", \"addresses\": [\"10.0.0.300/24\"]}]}]}\n");
        f.close();
        Run r = lvsctl({"show", path.toStdString()});
        QCOMPARE(r.code, kExitBadInput);
        QCOMPARE(r.err, path + ":1:142: bad address/prefix \"10.0.0.300/24\" in \"addresses\": expected a.b.c.d/len with each part 0..255 and len 0..32\n");
        QVERIFY(r.out.isEmpty());
    }

    // The example scenarios replay to the outputs worked out by hand in their comments (the
    // .out files next to them).
    void simulateExamples_data()
    {
        QTest::addColumn<QString>("scenario");
        QDir dir(LVSLAB_SOURCE_DIR "/examples/scenarios");
        const auto files = dir.entryList({"*.scn"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 3);
        for (const QString& f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void simulateExamples()
    {
        QFETCH(QString, scenario);
        Run r = lvsctl({"simulate", scenario.toStdString()});
        QCOMPARE(r.code, kExitOk);
        QCOMPARE(r.err, QString());
        QFile expected(scenario.chopped(4) + ".out");
        QVERIFY(expected.open(QIODevice::ReadOnly));
        QCOMPARE(r.out, QString::fromUtf8(expected.readAll()));
    }

    void simulateBadLineExitsTwo()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("bad.scn");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# bad\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\nconnect 1.1.1.1:1\n-a -t 10.0.0.1:80 -r 192.168.0.1\n");
        f.close();
        Run r = lvsctl({"simulate", path.toStdString()});
        QCOMPARE(r.code, kExitBadInput);
        QCOMPARE(r.out, QString("192.168.0.1:80\n"));
        QCOMPARE(r.err, path + ":5: Destination already exists\n");
        QCOMPARE(lvsctl({"simulate", path.toStdString(), "--seed", "x"}).code, kExitBadInput);
        QCOMPARE(lvsctl({"simulate", "/nonexistent.scn"}).code, kExitBadInput);
    }

    void badCommandLines()
    {
        QCOMPARE(lvsctl({}).code, kExitBadInput);
        QCOMPARE(lvsctl({"show"}).code, kExitBadInput);
        Run r = lvsctl({"frobnicate"});
        QCOMPARE(r.code, kExitBadInput);
        QVERIFY(r.err.startsWith("lvsctl: unknown command \"frobnicate\""));
        QCOMPARE(lvsctl({"help"}).code, kExitOk);
    }

    // format rewrites a hand-edited file in the canonical layout, and leaves a bad one alone.
    void formatIsCanonical()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("x.lvslab");
        QFile src(LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab");
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray canonical = src.readAll();
        QByteArray messy = canonical;
        messy.replace("\n", "\n\n").replace("  ", "\t");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(messy);
        f.close();
        QCOMPARE(lvsctl({"format", path.toStdString()}).code, kExitOk);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), canonical);
        f.close();

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"format\": \"lvslab\"");
        f.close();
        QCOMPARE(lvsctl({"format", path.toStdString()}).code, kExitBadInput);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("{\"format\": \"lvslab\""));
    }

    // export writes atomically with -o (scripts executable), import reads it back.
    void exportThenImport()
    {
        QTemporaryDir tmp;
        const std::string nat = LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab";
        const QString rules = tmp.filePath("rules.save");
        QCOMPARE(lvsctl({"export", nat, "--format", "ipvsadm-save", "-o", rules.toStdString()}).code, kExitOk);
        QFile f(rules);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("-A -t 172.18.100.6:80 -s rr\n"
                                         "-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1\n"
                                         "-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 2\n"));
        const QString script = tmp.filePath("rules.sh");
        QCOMPARE(lvsctl({"export", nat, "--format", "ipvsadm", "-o", script.toStdString()}).code, kExitOk);
        QVERIFY(QFileInfo(script).isExecutable());

        const QString design = tmp.filePath("imported.lvslab");
        Run r = lvsctl({"import", rules.toStdString(), "-o", design.toStdString()});
        QCOMPARE(r.code, kExitOk);
        Run again = lvsctl({"export", design.toStdString(), "--format", "ipvsadm-save"});
        QCOMPARE(again.code, kExitOk);
        QCOMPARE(again.out, QString("-A -t 172.18.100.6:80 -s rr\n"
                                    "-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1\n"
                                    "-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 2\n"));

        Run bad = lvsctl({"export", nat, "--format", "pdf"});
        QCOMPARE(bad.code, kExitBadInput);
        QVERIFY(bad.err.startsWith("lvsctl export: unknown format \"pdf\""));
        Run ha = lvsctl({"export", LVSLAB_SOURCE_DIR "/examples/keepalived-ha.lvslab", "--format", "ipvsadm"});
        QCOMPARE(ha.code, kExitBadInput);
        QVERIFY(ha.err.contains("choose one with --node NAME"));
    }

    // path: 0 when every leg arrives, 1 when a path breaks (a design error), 2 for bad input.
    void pathExitCodes()
    {
        Run ok = lvsctl({"path", LVSLAB_SOURCE_DIR "/examples/lvs-dr.lvslab", "--requests", "2"});
        QCOMPARE(ok.code, kExitOk);
        QVERIFY(ok.out.startsWith("Request 1: Client -> tcp 172.18.100.7:80 (Director -> RS2, route)\n"));
        QVERIFY(ok.out.contains("Request 2: Client -> tcp 172.18.100.7:80 (Director -> RS1, route)"));

        QTemporaryDir tmp;
        QFile src(LVSLAB_SOURCE_DIR "/examples/lvs-dr.lvslab");
        QVERIFY(src.open(QIODevice::ReadOnly));
        QByteArray text = src.readAll();
        text.replace("\"net.ipv4.conf.all.arp_ignore\": 1", "\"net.ipv4.conf.all.arp_ignore\": 0");
        text.replace("\"net.ipv4.conf.eth0.arp_ignore\": 1", "\"net.ipv4.conf.eth0.arp_ignore\": 0");
        const QString broken = tmp.filePath("dr-arp.lvslab");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        Run bad = lvsctl({"path", broken.toStdString()});
        QCOMPARE(bad.code, kExitFindings);
        QVERIFY(bad.out.contains("BROKEN at Router: the ARP request for 172.18.100.7 on eth1 is answered by"));

        QCOMPARE(lvsctl({"path", LVSLAB_SOURCE_DIR "/examples/lvs-dr.lvslab", "--service", "tcp:x"}).code, kExitBadInput);
        QCOMPARE(lvsctl({"path", LVSLAB_SOURCE_DIR "/examples/lvs-dr.lvslab", "--requests", "many"}).code, kExitBadInput);
        Run json = lvsctl({"path", LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab", "--json"});
        QCOMPARE(json.code, kExitOk);
        QVERIFY(json.out.startsWith("[\n  {\n    \"index\": 1,"));
    }
};

QTEST_GUILESS_MAIN(TestLvsctl)
#include "test_lvsctl.moc"
