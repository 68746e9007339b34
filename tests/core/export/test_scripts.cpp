// Tests of the set-up script exports (director-setup, rs-setup, netns-script): golden files per
// example, shellcheck on every script, and hostile names that must come out as inert text.
#include <QtTest>

#include <unistd.h>

#include "core/export/export.h"
#include "core/export/shell.h"
#include "core/io/lvslab_file.h"

using namespace lvs::core;
using namespace lvs::core::exports;

namespace {

const QStringList kExamples{"fwm-http-https", "keepalived-ha", "lvs-dr",   "lvs-fullnat",
                            "lvs-nat",        "lvs-tun",       "mysql-wlc", "pcc-port0"};

Topology load(const QString& example)
{
    auto t = loadLvslab(LVSLAB_SOURCE_DIR "/examples/" + example.toStdString() + ".lvslab");
    if (!t)
        qFatal("cannot load %s", qPrintable(example));
    return *t;
}

// Every script of every example: golden name and text.
QList<QPair<QString, QString>> allScripts()
{
    QList<QPair<QString, QString>> out;
    for (const QString& example : kExamples) {
        Topology t = load(example);
        for (const Node& n : t.nodes) {
            QString base = example + "-" + QString::fromStdString(n.name);
            if (n.kind == NodeKind::Director) {
                auto s = directorSetup(t, n);
                out.append({base + "-director-setup.sh", s ? QString::fromStdString(*s) : "ERROR " + QString::fromStdString(s.error().message)});
            } else if (n.kind == NodeKind::RealServer) {
                auto s = rsSetup(t, n);
                out.append({base + "-rs-setup.sh", s ? QString::fromStdString(*s) : "ERROR " + QString::fromStdString(s.error().message)});
            }
        }
        auto s = netnsScript(t, example.toStdString());
        out.append({example + "-netns.sh", s ? QString::fromStdString(*s) : "ERROR " + QString::fromStdString(s.error().message)});
    }
    return out;
}

// shellcheck's findings on a POSIX sh script ("" when none).
QString shellcheck(const QString& script, const QStringList& extra = {})
{
    QProcess p;
    p.start("shellcheck", QStringList{"-s", "sh"} + extra + QStringList{"-"});
    if (!p.waitForStarted(10000))
        return "shellcheck did not start (is it installed?)";
    p.write(script.toUtf8());
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        return "shellcheck timed out";
    QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    if (p.exitCode() != 0 && out.isEmpty())
        out = "shellcheck exited " + QString::number(p.exitCode());
    return out;
}

// A design whose names try to break out of their quotes.
Topology hostile(const std::string& directorName, const std::string& rsName, const std::string& ifName)
{
    Topology t;
    t.name = "hostile $(touch pwned)\nreboot";
    Node d;
    d.id = 1;
    d.kind = NodeKind::Director;
    d.name = directorName;
    d.interfaces.push_back(Interface{2, ifName, {*Ipv4Prefix::parse("192.168.10.254/24")}, std::nullopt});
    d.vips.push_back(VipBinding{*Ipv4Prefix::parse("172.18.100.7/32"), VipDevice::Interface, 2});
    d.sysctls[std::string("net.ipv4.conf.") + ifName + ".arp_ignore"] = 1;
    for (auto [id, method, port] : {std::tuple{10u, ForwardMethod::Route, 80}, std::tuple{11u, ForwardMethod::Tunnel, 81},
                                    std::tuple{12u, ForwardMethod::Masq, 82}}) {
        VirtualService s;
        s.id = id;
        s.address = *Ipv4::parse("172.18.100.7");
        s.port = static_cast<std::uint16_t>(port);
        s.scheduler = "rr";
        s.destinations.push_back(Destination{id + 10, 3, *Ipv4::parse("192.168.10.11"), 0, method});
        d.services.push_back(s);
    }
    Node rs;
    rs.id = 3;
    rs.kind = NodeKind::RealServer;
    rs.name = rsName;
    rs.interfaces.push_back(Interface{4, ifName, {*Ipv4Prefix::parse("192.168.10.11/24")}, std::nullopt});
    rs.apps.push_back(AppService{AppKind::Http, 80, {}});
    rs.apps.push_back(AppService{AppKind::Command, 0, "echo $(touch pwned) 'a;b'"});
    t.nodes = {d, rs};
    t.links.push_back(Link{5, {1, 2}, {3, 4}});
    t.nextId = 30;
    return t;
}

// Runs `script ARG` with fake ip, sysctl, iptables, ipvsadm, modprobe (and reboot, touch) first
// on PATH; each fake logs its name and arguments, one per line, to LOG. Returns the log's
// commands, each as its argument list. Inside a fresh network namespace when root.
QList<QStringList> sandboxRun(const QString& script, const QString& arg, const QTemporaryDir& dir, int* exitCode)
{
    QDir().mkpath(dir.path() + "/bin");
    const QString log = dir.path() + "/log";
    for (const char* tool : {"ip", "sysctl", "iptables", "ipvsadm", "modprobe", "reboot", "touch", "python3"}) {
        QFile f(dir.path() + "/bin/" + tool);
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray("#!/bin/sh\n{ echo '@@") + tool + "'; printf '%s\\n' \"$@\"; } >>\"$FAKE_LOG\"\n"
                "[ \"" + tool + "\" != ip ] || echo LISTEN\nexit 0\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    // The scripts' state and run directories move into the sandbox: nothing lands in /run.
    QString text = script;
    text.replace(QRegularExpression("^STATE=/run/lvslab-setup/", QRegularExpression::MultilineOption), "STATE=state/")
        .replace(QRegularExpression("^RUN=/run/lvslab-script/", QRegularExpression::MultilineOption), "RUN=run/");
    QFile s(dir.path() + "/script.sh");
    s.open(QIODevice::WriteOnly);
    s.write(text.toUtf8());
    s.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PATH", dir.path() + "/bin:/usr/bin:/bin");
    env.insert("FAKE_LOG", log);
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(dir.path());
    QStringList argv{"sh", dir.path() + "/script.sh", arg};
    if (geteuid() == 0)
        argv = QStringList{"unshare", "--net", "--"} + argv;
    p.start(argv.takeFirst(), argv);
    p.waitForFinished(30000);
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    QList<QStringList> out;
    QFile l(log);
    if (l.open(QIODevice::ReadOnly))
        for (const QString& line : QString::fromUtf8(l.readAll()).split('\n', Qt::SkipEmptyParts)) {
            if (line.startsWith("@@"))
                out.append(QStringList{line.mid(2)});
            else if (!out.isEmpty())
                out.last().append(line);
        }
    return out;
}

} // namespace

class TestScripts : public QObject {
    Q_OBJECT

private slots:
    // Each script equals its file in tests/golden/scripts/ (written once with
    // LVSLAB_WRITE_GOLDEN=1, reviewed by reading, then frozen).
    void golden_data()
    {
        QTest::addColumn<QString>("text");
        for (const auto& [name, text] : allScripts())
            QTest::newRow(qPrintable(name)) << text;
    }
    void golden()
    {
        QFETCH(QString, text);
        QVERIFY2(!text.startsWith("ERROR"), qPrintable(text));
        QString path = LVSLAB_SOURCE_DIR "/tests/golden/scripts/" + QString(QTest::currentDataTag());
        QFile f(path);
        if (!f.exists() && qEnvironmentVariableIsSet("LVSLAB_WRITE_GOLDEN")) {
            QDir().mkpath(QFileInfo(path).path());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
            f.close();
        }
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable("no golden file " + path + " (LVSLAB_WRITE_GOLDEN=1 writes it)"));
        QCOMPARE(text, QString::fromUtf8(f.readAll()));
    }

    void shellcheckClean_data() { golden_data(); }
    void shellcheckClean()
    {
        QFETCH(QString, text);
        QCOMPARE(shellcheck(text), QString());
    }

    // The same design built again gives the same text (no addresses, times or order drift).
    void deterministic()
    {
        QCOMPARE(allScripts(), allScripts());
    }

    void badLabName_data()
    {
        QTest::addColumn<QString>("lab");
        QTest::newRow("empty") << "";
        QTest::newRow("space") << "a b";
        QTest::newRow("slash") << "a/b";
        QTest::newRow("quote") << "a'b";
        QTest::newRow("too long") << QString(33, 'x');
    }
    void badLabName()
    {
        QFETCH(QString, lab);
        auto s = netnsScript(load("lvs-nat"), lab.toStdString());
        QVERIFY(!s);
        QVERIFY2(s.error().message.find("lab name") != std::string::npos, s.error().message.c_str());
    }

    // Names that try to break out: each comes out as one inert word. shellcheck finds nothing,
    // and run against fake tools the scripts pass the raw names as arguments, never run them.
    void hostileNames_data()
    {
        QTest::addColumn<QString>("director");
        QTest::addColumn<QString>("rs");
        QTest::addColumn<QString>("iface");
        QTest::newRow("command substitution") << "$(reboot)" << "`reboot`" << "a'b";
        QTest::newRow("separator") << "a;b" << "a;reboot;b" << "a'b";
        QTest::newRow("newline") << "x\nreboot" << "y\n$(reboot)" << "e\"$IFS\"";
        QTest::newRow("option-like") << "-rf" << "--help" << "-x";
    }
    void hostileNames()
    {
        QFETCH(QString, director);
        QFETCH(QString, rs);
        QFETCH(QString, iface);
        const std::string ifName = iface.toStdString();
        Topology t = hostile(director.toStdString(), rs.toStdString(), ifName);
        auto d = directorSetup(t, t.nodes[0]);
        auto r = rsSetup(t, t.nodes[1]);
        auto n = netnsScript(t, "lab");
        QVERIFY2(d && r && n, "an export failed");
        // SC2016 ("expressions don't expand in single quotes") is the point here: the names are
        // meant to stay literal. Everything else must be clean.
        for (const std::string* text : {&*d, &*r, &*n})
            QCOMPARE(shellcheck(QString::fromStdString(*text), {"--exclude=SC2016"}), QString());

        QTemporaryDir dir;
        int rc = 0;
        QList<QStringList> calls = sandboxRun(QString::fromStdString(*d), "start", dir, &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(calls.contains(QStringList{"ip", "addr", "add", "172.18.100.7/32", "dev", iface}),
                 "the VIP is added on the raw interface name");
        QVERIFY(calls.contains(QStringList{"sysctl", "-q", "-w", "net.ipv4.conf." + iface + ".arp_ignore=1"}));
        QVERIFY(calls.contains(QStringList{"ipvsadm", "-R"}));
        QTemporaryDir dir2;
        calls = sandboxRun(QString::fromStdString(*r), "start", dir2, &rc);
        QCOMPARE(rc, 0);
        QVERIFY(calls.contains(QStringList{"ip", "addr", "add", "172.18.100.7/32", "dev", "lo"}));
        QVERIFY(calls.contains(QStringList{"ip", "addr", "add", "172.18.100.7/32", "dev", "tunl0"}));
        QVERIFY(calls.contains(QStringList{"sysctl", "-q", "-w", "net.ipv4.conf." + iface + ".rp_filter=0"}));
        QVERIFY(calls.contains(QStringList{"ip", "route", "replace", "default", "via", "192.168.10.254"}));
        calls = sandboxRun(QString::fromStdString(*r), "stop", dir2, &rc);
        QCOMPARE(rc, 0);
        QTemporaryDir dir3;
        calls = sandboxRun(QString::fromStdString(*n), "up", dir3, &rc);
        QCOMPARE(rc, 0);
        bool vethWithRawName = false, httpInRsNs = false;
        for (const QStringList& c : calls) {
            vethWithRawName = vethWithRawName || (c.size() > 5 && c[0] == "ip" && c[3] == "link" && c[4] == "add" && c[5] == iface);
            httpInRsNs = httpInRsNs || (c.size() > 4 && c[0] == "ip" && c[1] == "netns" && c[4] == "python3");
        }
        // The command runs in the background: wait for its log line, at most 5 s.
        auto commandLogged = [&] {
            QFile l(dir3.path() + "/log");
            return l.open(QIODevice::ReadOnly) && l.readAll().contains("\nsh\n-c\necho $(touch pwned) 'a;b'\n");
        };
        QTRY_VERIFY_WITH_TIMEOUT(commandLogged(), 5000);
        QVERIFY(vethWithRawName);
        QVERIFY(httpInRsNs);
        // The HTTP page carries the raw name, written by printf, not by the shell.
        QDirIterator pages(dir3.path() + "/run/lab/www", {"index.html"}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(pages.hasNext());
        QFile page(pages.next());
        QVERIFY(page.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(page.readAll()), "<h1>" + rs + "</h1>\n");
        for (const QTemporaryDir* tmp : {&dir, &dir2, &dir3}) {
            QVERIFY2(!QFile::exists(tmp->path() + "/pwned"), "a name was run as a command");
            QFile logFile(tmp->path() + "/log");
            QVERIFY(logFile.open(QIODevice::ReadOnly));
            QByteArray all = logFile.readAll();
            QVERIFY2(!all.contains("@@reboot") && !all.contains("@@touch"), "a name was run as a command");
        }
    }
};

QTEST_GUILESS_MAIN(TestScripts)
#include "test_scripts.moc"
