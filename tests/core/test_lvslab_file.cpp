// Tests of the .lvslab file: round trips of the examples, errors for malformed input, atomic save.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/atomic_file.h"
#include "core/io/lvslab_file.h"

#include <cstring>
#include <filesystem>
#include <sys/stat.h>

using namespace lvs::core;

namespace {

// A small valid document; the malformed cases below are edits of it, so each error's line and
// column can be read off this text.
const char* const kBase = R"({
  "format": "lvslab",
  "version": 1,
  "name": "t",
  "next_id": 12,
  "nodes": [
    {"id": 1, "kind": "client", "name": "Client", "position": [0, 0], "interfaces": [{"id": 2, "name": "eth0", "addresses": ["10.0.0.1/24"]}]},
    {"id": 3, "kind": "segment", "name": "LAN", "position": [100, 0]},
    {
      "id": 4,
      "kind": "director",
      "name": "Director",
      "position": [200, 0],
      "interfaces": [{"id": 5, "name": "eth0", "addresses": ["10.0.0.6/24"]}],
      "services": [
        {
          "id": 6,
          "protocol": "tcp",
          "address": "10.0.0.7",
          "port": 80,
          "scheduler": "rr",
          "destinations": [
            {"id": 7, "real_server": 8, "address": "10.0.0.11", "port": 80, "forward": "route", "weight": 1}
          ]
        }
      ]
    },
    {"id": 8, "kind": "real-server", "name": "RS1", "position": [300, 0], "interfaces": [{"id": 9, "name": "eth0", "addresses": ["10.0.0.11/24"]}]}
  ],
  "links": [
    {"id": 10, "a": {"node": 1, "interface": 2}, "b": {"node": 3}},
    {"id": 11, "a": {"node": 4, "interface": 5}, "b": {"node": 3}}
  ]
}
)";

QString edited(const char* from, const char* to)
{
    QString text = QString::fromUtf8(kBase);
    int at = text.indexOf(QString::fromUtf8(from));
    if (at < 0)
        qFatal("test text not found: %s", from);
    return text.replace(at, int(std::strlen(from)), QString::fromUtf8(to));
}

QString readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

class TestLvslabFile : public QObject {
    Q_OBJECT

private slots:
    void baseIsValid()
    {
        auto t = parseLvslab(kBase, "t.lvslab");
        QVERIFY2(t.has_value(), t ? "" : t.error().front().toString().c_str());
        QCOMPARE(t->nodes.size(), std::size_t(4));
        QCOMPARE(t->nextId, Id(12));
        QCOMPARE(t->nodes[2].services.front().destinations.front().realServer, Id(8));
    }

    void examplesRoundTrip_data()
    {
        QTest::addColumn<QString>("path");
        QDir dir(QStringLiteral(LVSLAB_SOURCE_DIR "/examples"));
        const auto files = dir.entryList({"*.lvslab"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 8);
        for (const QString& f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    // Every example loads, and saving it gives back the very same bytes.
    void examplesRoundTrip()
    {
        QFETCH(QString, path);
        auto t = loadLvslab(path.toStdString());
        QVERIFY2(t.has_value(), t ? "" : t.error().front().toString().c_str());
        QTemporaryDir tmp;
        const QString out = tmp.filePath("copy.lvslab");
        QVERIFY(saveLvslab(*t, out.toStdString()).has_value());
        QCOMPARE(readAll(out), readAll(path));
        auto again = loadLvslab(out.toStdString());
        QVERIFY(again.has_value());
        QVERIFY(*again == *t);
    }

    void examplesUseTheSeedNames()
    {
        for (const char* name : {"lvs-nat", "lvs-dr", "lvs-tun", "lvs-fullnat", "fwm-http-https",
                                 "pcc-port0", "mysql-wlc", "keepalived-ha"}) {
            auto t = loadLvslab(std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab");
            QVERIFY2(t.has_value(), name);
            QVERIFY2(t->findNodeByName("Client"), name);
            QVERIFY2(t->findNodeByName("RS1") && t->findNodeByName("RS2"), name);
            bool ha = std::string(name) == "keepalived-ha";
            QVERIFY2(ha ? t->findNodeByName("Director1") && t->findNodeByName("Director2")
                        : t->findNodeByName("Director") != nullptr,
                     name);
        }
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString base = QString::fromUtf8(kBase);

        QTest::newRow("empty file") << QString() << "t.lvslab:1:1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal";
        QTest::newRow("truncated") << base.left(base.indexOf("\"links\""))
            << "t.lvslab:30:3: syntax error while parsing object key - unexpected end of input; expected string literal";
        QTest::newRow("trailing comma") << edited("\"next_id\": 12,", "\"next_id\": 12,,")
            << "t.lvslab:5:17: syntax error while parsing object key - unexpected ','; expected string literal";
        QTest::newRow("not lvslab") << edited("\"format\": \"lvslab\"", "\"format\": \"other\"")
            << "t.lvslab:2:13: this is not an LVS Lab file: \"format\" must be \"lvslab\"";
        QTest::newRow("future version") << edited("\"version\": 1", "\"version\": 7")
            << "t.lvslab:3:14: format version 7 was written by a newer LVS Lab; this one reads versions 1 to 1: update LVS Lab to open it";
        QTest::newRow("version zero") << edited("\"version\": 1", "\"version\": 0")
            << "t.lvslab:3:14: unknown format version 0: versions start at 1";
        QTest::newRow("version as string") << edited("\"version\": 1", "\"version\": \"1\"")
            << "t.lvslab:3:14: \"version\" must be a whole number, not a string";
        QTest::newRow("duplicate key") << edited("\"name\": \"t\",", "\"name\": \"t\", \"name\": \"u\",")
            << "t.lvslab:4:16: duplicate key \"name\"";
        QTest::newRow("unknown key") << edited("\"name\": \"t\",", "\"name\": \"t\", \"colour\": 1,")
            << "t.lvslab:4:16: unknown key \"colour\" in an .lvslab document";
        QTest::newRow("wrong type: name") << edited("\"name\": \"RS1\"", "\"name\": 5")
            << "t.lvslab:28:46: \"name\" must be a string, not a number";
        QTest::newRow("wrong type: nodes") << QString("{\"format\": \"lvslab\", \"version\": 1, \"nodes\": {\"a\": 1}}")
            << "t.lvslab:1:45: \"nodes\" must be an array, not an object";
        QTest::newRow("unknown kind") << edited("\"kind\": \"segment\"", "\"kind\": \"switch\"")
            << "t.lvslab:8:23: \"kind\" must be one of client, router, segment, director, real-server, not \"switch\"";
        QTest::newRow("duplicate id") << edited("{\"id\": 8, \"kind\"", "{\"id\": 4, \"kind\"")
            << "t.lvslab:28:12: duplicate id 4 (first used at line 10)";
        QTest::newRow("duplicate node name") << edited("\"name\": \"RS1\"", "\"name\": \"Client\"")
            << "t.lvslab:28:46: two nodes are named Client; node names must be unique";
        QTest::newRow("dangling link end: node") << edited("\"b\": {\"node\": 3}},\n", "\"b\": {\"node\": 42}},\n")
            << "t.lvslab:31:64: link 10: end b names node 42, which does not exist";
        QTest::newRow("dangling link end: interface") << edited("{\"node\": 4, \"interface\": 5}", "{\"node\": 4, \"interface\": 9}")
            << "t.lvslab:32:46: link 11: end a names interface 9, which Director does not have";
        QTest::newRow("link without interface") << edited("{\"node\": 4, \"interface\": 5}", "{\"node\": 4}")
            << "t.lvslab:32:21: link 11: end a must name an interface of Director";
        QTest::newRow("destination names a client") << edited("\"real_server\": 8", "\"real_server\": 1")
            << "t.lvslab:23:38: destination 10.0.0.11 names real server 1, which is not a real server of this design";
        QTest::newRow("bad address") << edited("\"10.0.0.6/24\"", "\"10.0.0.256/24\"")
            << "t.lvslab:14:62: bad address/prefix \"10.0.0.256/24\" in \"addresses\": expected a.b.c.d/len with each part 0..255 and len 0..32";
        QTest::newRow("bad prefix") << edited("\"10.0.0.6/24\"", "\"10.0.0.6/33\"")
            << "t.lvslab:14:62: bad address/prefix \"10.0.0.6/33\" in \"addresses\": expected a.b.c.d/len with each part 0..255 and len 0..32";
        QTest::newRow("missing prefix") << edited("\"10.0.0.6/24\"", "\"10.0.0.6\"")
            << "t.lvslab:14:62: bad address/prefix \"10.0.0.6\" in \"addresses\": expected a.b.c.d/len with each part 0..255 and len 0..32";
        QTest::newRow("bad VIP") << edited("\"address\": \"10.0.0.7\"", "\"address\": \"10.0.07\"")
            << "t.lvslab:19:22: bad IPv4 address \"10.0.07\" in \"address\": expected a.b.c.d with each part 0..255";
        QTest::newRow("weight -1") << edited("\"weight\": 1}", "\"weight\": -1}")
            << "t.lvslab:23:107: \"weight\" must be 0..2147483647, not -1";
        QTest::newRow("weight 2147483648") << edited("\"weight\": 1}", "\"weight\": 2147483648}")
            << "t.lvslab:23:107: \"weight\" must be 0..2147483647, not 2147483648";
        QTest::newRow("weight fraction") << edited("\"weight\": 1}", "\"weight\": 1.5}")
            << "t.lvslab:23:107: \"weight\" must be a whole number, not a fraction";
        QTest::newRow("port 65536") << edited("\"port\": 80,\n", "\"port\": 65536,\n")
            << "t.lvslab:20:19: \"port\" must be 0..65535, not 65536";
        QTest::newRow("unknown scheduler") << edited("\"scheduler\": \"rr\"", "\"scheduler\": \"fastest\"")
            << "t.lvslab:21:24: unknown scheduler \"fastest\": IPVS has rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf, twos";
        QTest::newRow("next_id too small") << edited("\"next_id\": 12", "\"next_id\": 9")
            << "t.lvslab:5:14: next_id 9 is not above the largest id 11; ids would be reused";
        QTest::newRow("services on a client") << edited("\"position\": [0, 0],", "\"position\": [0, 0], \"services\": [],")
            << "t.lvslab:7:71: \"services\" belongs on directors, not on a client";
        QTest::newRow("unknown sysctl") << edited("\"position\": [0, 0],", "\"position\": [0, 0], \"sysctl\": {\"net.ipv4.tcp_sack\": 0},")
            << "t.lvslab:7:82: unknown sysctl \"net.ipv4.tcp_sack\": LVS Lab sets net.ipv4.ip_forward and net.ipv4.conf.DEV.{arp_ignore,arp_announce,rp_filter}";
        QTest::newRow("sysctl on a missing device") << edited("\"position\": [0, 0],", "\"position\": [0, 0], \"sysctl\": {\"net.ipv4.conf.eth9.arp_ignore\": 1},")
            << "t.lvslab:7:82: sysctl \"net.ipv4.conf.eth9.arp_ignore\" names eth9, which Client does not have";
        QTest::newRow("arp_ignore reserved") << edited("\"position\": [0, 0],", "\"position\": [0, 0], \"sysctl\": {\"net.ipv4.conf.all.arp_ignore\": 5},")
            << "t.lvslab:7:114: arp_ignore 5 is reserved: the kernel defines 0-3 and 8";
        QTest::newRow("interface name too long") << edited("\"name\": \"eth0\", \"addresses\": [\"10.0.0.1/24\"]", "\"name\": \"averyveryverylong0\", \"addresses\": [\"10.0.0.1/24\"]")
            << "t.lvslab:7:104: bad interface name \"averyveryverylong0\": 1 to 15 characters, without '/', ':' or spaces";
    }

    // Each malformed input gives its precise message, first, and no crash.
    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QByteArray utf8 = text.toUtf8();
        auto t = parseLvslab(std::string_view(utf8.constData(), std::size_t(utf8.size())), "t.lvslab");
        QVERIFY(!t.has_value());
        QCOMPARE(QString::fromStdString(t.error().front().toString()), expected);
    }

    void reportsEveryErrorNotTheFirstOnly()
    {
        QString text = edited("\"weight\": 1}", "\"weight\": -1}");
        text.replace("\"10.0.0.6/24\"", "\"10.0.0.6/40\"");
        auto t = parseLvslab(text.toStdString(), "t.lvslab");
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().size(), std::size_t(2));
    }

    void unreadableFile()
    {
        auto t = loadLvslab("/nonexistent/x.lvslab");
        QVERIFY(!t.has_value());
        QCOMPARE(QString::fromStdString(t.error().front().toString()),
                 QString("/nonexistent/x.lvslab: cannot open /nonexistent/x.lvslab: No such file or directory"));
        QTemporaryDir tmp;
        auto folder = loadLvslab(tmp.path().toStdString());
        QVERIFY(!folder.has_value());
        QCOMPARE(QString::fromStdString(folder.error().front().reason),
                 "cannot read " + tmp.path() + ": Is a directory");
    }

    void failedSaveKeepsTheOldFile_data()
    {
        QTest::addColumn<int>("failAfter");
        QTest::addColumn<bool>("failFsync");
        QTest::addColumn<bool>("failRename");
        QTest::newRow("write fails at once") << 0 << false << false;
        QTest::newRow("write fails midway") << 100 << false << false;
        QTest::newRow("fsync fails") << -1 << true << false;
        QTest::newRow("rename fails") << -1 << false << true;
    }

    // A save that fails at any step leaves the old file byte for byte, and no temporary file.
    void failedSaveKeepsTheOldFile()
    {
        QFETCH(int, failAfter);
        QFETCH(bool, failFsync);
        QFETCH(bool, failRename);
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("design.lvslab").toStdString();
        QVERIFY(writeFileAtomically(path, kBase).has_value());
        ::chmod(path.c_str(), 0600);

        auto t = parseLvslab(kBase, "t.lvslab");
        QVERIFY(t.has_value());
        t->name = "changed";
        WriteFaults faults;
        if (failAfter >= 0)
            faults.failWriteAfterBytes = std::size_t(failAfter);
        faults.failFsync = failFsync;
        faults.failRename = failRename;
        auto saved = writeFileAtomically(path, serializeLvslab(*t), faults);
        QVERIFY(!saved.has_value());
        QVERIFY(QString::fromStdString(saved.error().message).contains("design.lvslab"));
        QCOMPARE(readAll(QString::fromStdString(path)), QString::fromUtf8(kBase));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        // And a save that succeeds replaces it whole, keeping the file's permissions.
        QVERIFY(writeFileAtomically(path, serializeLvslab(*t)).has_value());
        QCOMPARE(readAll(QString::fromStdString(path)), QString::fromStdString(serializeLvslab(*t)));
        QVERIFY((std::filesystem::status(path).permissions() & std::filesystem::perms::all)
                == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    }

    void saveIntoMissingFolderFails()
    {
        auto t = parseLvslab(kBase, "t.lvslab");
        auto saved = saveLvslab(*t, "/nonexistent-folder/x.lvslab");
        QVERIFY(!saved.has_value());
        QVERIFY(QString::fromStdString(saved.error().message).startsWith("cannot create a temporary file next to /nonexistent-folder/x.lvslab"));
    }
};

QTEST_GUILESS_MAIN(TestLvslabFile)
#include "test_lvslab_file.moc"
