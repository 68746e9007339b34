// The ipvsadm exports (the rules as `ipvsadm-save -n` prints them, and an ipvsadm script) and
// the ipvsadm-save import: goldens per example, import(export(x)) keeps the IPVS table, the
// script passes shellcheck and keeps hostile names inert.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include "core/export/export.h"
#include "core/export/shell.h"
#include "core/import/ipvsadm_save.h"
#include "core/io/lvslab_file.h"

using namespace lvs::core;

namespace {

const QString kExamples = QStringLiteral(LVSLAB_SOURCE_DIR "/examples");
const QString kGolden = QStringLiteral(LVSLAB_SOURCE_DIR "/tests/golden/ipvsadm");

Topology loadExample(const QString& name)
{
    auto t = loadLvslab((kExamples + "/" + name + ".lvslab").toStdString());
    if (!t)
        qFatal("cannot load %s", qPrintable(name));
    return *t;
}

std::vector<const Node*> directors(const Topology& t)
{
    std::vector<const Node*> out;
    for (const Node& n : t.nodes)
        if (n.kind == NodeKind::Director)
            out.push_back(&n);
    return out;
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// shellcheck's verdict on a script (empty when it finds nothing).
QString shellcheck(const QString& script)
{
    QProcess p;
    p.start("shellcheck", {"-s", "sh", "-"});
    if (!p.waitForStarted())
        return "shellcheck is not installed (the README's set-up installs it)";
    p.write(script.toUtf8());
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return p.exitCode() == 0 ? QString() : QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class TestIpvsadmExport : public QObject {
    Q_OBJECT

private slots:
    void examples_data()
    {
        QTest::addColumn<QString>("example");
        for (const QString& f : QDir(kExamples).entryList({"*.lvslab"}))
            QTest::newRow(qPrintable(f)) << f.chopped(7);
    }

    // Golden rules per director; re-importing them gives a design whose director exports the
    // same rules (import(export(x)) keeps the IPVS table), and the imported design round-trips
    // through the .lvslab format.
    void examples()
    {
        QFETCH(QString, example);
        const Topology t = loadExample(example);
        for (const Node* d : directors(t)) {
            auto rules = exports::ipvsadmSave(t, *d);
            QVERIFY2(rules.has_value(), rules ? "" : rules.error().message.c_str());
            const QString golden = kGolden + "/" + example + "-" + QString::fromStdString(d->name) + ".save";
            if (qEnvironmentVariableIsSet("LVSLAB_WRITE_GOLDEN")) {
                QFile f(golden);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(QByteArray::fromStdString(*rules));
            }
            QCOMPARE(QString::fromStdString(*rules), readText(golden));

            auto imported = import::importIpvsadmSave(*rules, "rules.save");
            QVERIFY2(imported.has_value(), imported ? "" : imported.error().message.c_str());
            auto again = exports::exportDesign(*imported, exports::Format::IpvsadmSave, {});
            QVERIFY2(again.has_value(), again ? "" : again.error().message.c_str());
            QCOMPARE(QString::fromStdString(*again), QString::fromStdString(*rules));
            auto reparsed = parseLvslab(serializeLvslab(*imported), "imported.lvslab");
            QVERIFY(reparsed.has_value());
            QCOMPARE(serializeLvslab(*reparsed), serializeLvslab(*imported));

            auto script = exports::ipvsadmScript(t, *d);
            QVERIFY(script.has_value());
            QCOMPARE(shellcheck(QString::fromStdString(*script)), QString());
        }
    }

    void scriptShape()
    {
        const Topology t = loadExample("fwm-http-https");
        auto script = exports::exportDesign(t, exports::Format::Ipvsadm, {});
        QVERIFY(script.has_value());
        QCOMPARE(QString::fromStdString(*script),
                 readText(kGolden + "/fwm-http-https.sh"));
    }

    // A name cannot escape its comment or its word.
    void hostileNames()
    {
        Topology t = loadExample("lvs-nat");
        for (Node& n : t.nodes)
            if (n.kind == NodeKind::Director)
                n.name = "$(reboot)\nreboot;a'b";
        auto script = exports::exportDesign(t, exports::Format::Ipvsadm, {});
        QVERIFY(script.has_value());
        QVERIFY(script->find("\nreboot") == std::string::npos);
        QVERIFY(script->find("# The IPVS table of director $(reboot)?reboot;a'b, generated") != std::string::npos);
        QCOMPARE(shellcheck(QString::fromStdString(*script)), QString());
        QCOMPARE(exports::shellQuote("a'b"), std::string("'a'\\''b'"));
        QCOMPARE(exports::shellQuote("$(reboot)"), std::string("'$(reboot)'"));
        QCOMPARE(exports::shellQuote(""), std::string("''"));
        QCOMPARE(exports::shellQuote("192.168.10.11:80"), std::string("192.168.10.11:80"));
    }

    void nodeChoice()
    {
        const Topology t = loadExample("keepalived-ha");
        auto r = exports::exportDesign(t, exports::Format::IpvsadmSave, {});
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message),
                 QString("the design has 2 directors (Director1, Director2): choose one with --node NAME"));
        exports::Options o;
        o.node = "RS1";
        r = exports::exportDesign(t, exports::Format::IpvsadmSave, o);
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message), QString("node \"RS1\" is not a director"));
    }

    // The seeds' saved rules (names, as ipvsadm-save writes without -n) import into a design.
    void importSeedRules()
    {
        const std::string rules = "-A -t 172.18.100.6:http -s wrr\n"
                                  "-a -t 172.18.100.6:http -r 192.168.10.11:http -m -w 10\n"
                                  "-a -t 172.18.100.6:http -r 192.168.10.12:http -m -w 3\n"
                                  "-A -t 172.18.100.6:mysql -s wlc\n"
                                  "-a -t 172.18.100.6:mysql -r 192.168.100.21:mysql -m -w 1\n"
                                  "-a -t 172.18.100.6:mysql -r 192.168.100.22:mysql -m -w 2\n";
        auto t = import::importIpvsadmSave(rules, "ipvsadm-config.v1");
        QVERIFY2(t.has_value(), t ? "" : t.error().message.c_str());
        int rs = 0;
        for (const Node& n : t->nodes)
            if (n.kind == NodeKind::RealServer) {
                ++rs;
                QVERIFY(n.defaultGateway.has_value()); // NAT: the DIP of its network
            }
        QCOMPARE(rs, 4);
        auto bad = import::importIpvsadmSave("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2 -w x\n", "r.save");
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error().message), QString("r.save:2: illegal weight specified"));
    }
};

QTEST_GUILESS_MAIN(TestIpvsadmExport)
#include "test_ipvsadm_export.moc"
