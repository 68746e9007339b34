// netns test: the netns-script export of examples/lvs-nat.lvslab runs for real. up, then from the
// Director's namespace an HTTP GET of each RS answers <h1>RS1</h1> / <h1>RS2</h1> (the seeds'
// curl on the Director); down leaves no namespace, process or run directory behind. Needs root;
// exits 77 (ctest's skip) otherwise. All traffic stays inside the lab's namespaces.
#include <QtTest>

#include "core/export/export.h"
#include "core/io/lvslab_file.h"

#include <csignal>
#include <unistd.h>

using namespace lvs::core;

namespace {

const QString kLab = QStringLiteral("lvt%1").arg(getpid());

struct Run {
    int exitCode = -1;
    QString output;
};

// Runs a command with a bound; a command that overruns is killed and reported as -1.
Run run(const QString& program, const QStringList& args, int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.output = program + " timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.output = QString::fromUtf8(p.readAll());
    return r;
}

QStringList labNamespaces()
{
    QStringList out;
    for (const QString& line : run("ip", {"netns", "list"}).output.split('\n', Qt::SkipEmptyParts)) {
        QString name = line.section(' ', 0, 0);
        if (name.startsWith(kLab + "-") || name.startsWith(kLab + "."))
            out << name;
    }
    return out;
}

// An HTTP GET sent from inside a lab namespace, bounded by a 5 s timeout.
Run httpGet(const QString& ns, const QString& url)
{
    return run("ip", {"netns", "exec", ns, "python3", "-c",
                      "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())",
                      url},
               15000);
}

// Whether a process runs: it exists and is not a zombie waiting for this machine's init to reap it.
bool running(const QString& pid)
{
    QFile stat("/proc/" + pid + "/stat");
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    QByteArray text = stat.readAll();
    int close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) != "Z";
}

} // namespace

class TestNetnsScript : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_script;

    void removeEverything()
    {
        if (!m_script.isEmpty())
            run("sh", {m_script, "down"});
        for (const QString& ns : labNamespaces()) {
            for (const QString& pid : run("ip", {"netns", "pids", ns}).output.split('\n', Qt::SkipEmptyParts))
                ::kill(pid.toInt(), SIGKILL);
            run("ip", {"netns", "del", ns});
        }
        QDir("/run/lvslab-script/" + kLab).removeRecursively();
    }

private slots:
    void initTestCase()
    {
        auto t = loadLvslab(LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab");
        QVERIFY(t);
        auto text = exports::netnsScript(*t, kLab.toStdString());
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        m_script = m_dir.path() + "/lab.sh";
        QFile f(m_script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(*text));
    }

    // Runs even when a test fails: nothing of the lab may stay behind.
    void cleanupTestCase() { removeEverything(); }

    void upGetDown()
    {
        Run up = run("sh", {m_script, "up"}, 90000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.output));
        QVERIFY2(up.output.contains("no ip_vs kernel module") || !up.output.contains("ipvsadm"), qPrintable(up.output));
        QCOMPARE(labNamespaces().size(), 5); // Client, Director, RS1, RS2, the bridges

        Run status = run("sh", {m_script, "status"});
        QVERIFY2(status.exitCode == 0, qPrintable(status.output));

        // The servers listen before up returns (up waits for them), so one GET each suffices.
        for (const auto& [rip, name] : {std::pair{"192.168.10.11", "RS1"}, std::pair{"192.168.10.12", "RS2"}}) {
            Run get = httpGet(kLab + "-Director", QString("http://%1/").arg(rip));
            QCOMPARE(get.exitCode, 0);
            QCOMPARE(get.output.trimmed(), QString("<h1>%1</h1>").arg(name));
        }
        // The client's namespace is not on the private segment: it cannot reach an RS directly.
        QVERIFY(httpGet(kLab + "-Client", "http://192.168.10.11/").exitCode != 0);

        QStringList pids;
        QFile processes("/run/lvslab-script/" + kLab + "/processes");
        QVERIFY(processes.open(QIODevice::ReadOnly));
        for (const QString& line : QString::fromUtf8(processes.readAll()).split('\n', Qt::SkipEmptyParts))
            pids << line.section(' ', 0, 0);
        QCOMPARE(pids.size(), 2);

        Run down = run("sh", {m_script, "down"});
        QVERIFY2(down.exitCode == 0, qPrintable(down.output));
        QCOMPARE(labNamespaces(), QStringList());
        for (const QString& pid : pids)
            QVERIFY2(!running(pid), qPrintable("process " + pid + " still runs"));
        QVERIFY(!QFile::exists("/run/lvslab-script/" + kLab));
        // down again: nothing left to do, still success; status says down.
        QCOMPARE(run("sh", {m_script, "down"}).exitCode, 0);
        QCOMPARE(run("sh", {m_script, "status"}).exitCode, 3);
    }

    // An up that stops half-way (a namespace name already taken) is undone by down, which
    // removes only what up made.
    void downAfterPartialUp()
    {
        QVERIFY(run("ip", {"netns", "add", kLab + "-RS1"}).exitCode == 0);
        Run up = run("sh", {m_script, "up"}, 90000);
        QVERIFY(up.exitCode != 0);
        QVERIFY2(up.output.contains("down\" removes what it made"), qPrintable(up.output));
        QCOMPARE(run("sh", {m_script, "down"}).exitCode, 0);
        QCOMPARE(labNamespaces(), QStringList{kLab + "-RS1"}); // not made by up: left alone
        QCOMPARE(run("ip", {"netns", "del", kLab + "-RS1"}).exitCode, 0);
        QVERIFY(!QFile::exists("/run/lvslab-script/" + kLab));
    }
};

int main(int argc, char** argv)
{
    if (geteuid() != 0) {
        std::puts("SKIP: needs root (the test makes network namespaces)");
        return 77;
    }
    if (QProcess::execute("ip", {"netns", "list"}) != 0) {
        std::puts("SKIP: ip netns does not work here");
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestNetnsScript test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_netns_script.moc"
