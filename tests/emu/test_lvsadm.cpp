// lvsadm as a class uses it: an offline table in a file, built step by step, saved atomically,
// never damaged by a refused command or a broken file; ipvsadm-save/-restore's twins; the
// clear message for a lab that has no live director yet.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "emu/cli/lvsadm.h"

#include <sstream>

using namespace lvs::emu;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run lvsadm(const QString& state, const std::string& line, const std::string& input = {})
{
    std::vector<std::string> args{"--state", state.toStdString()};
    std::istringstream words(line);
    for (std::string w; words >> w;)
        args.push_back(w);
    std::istringstream in(input);
    std::ostringstream out, err;
    LvsadmEnvironment env;
    int code = runLvsadm(args, in, out, err, env);
    return {code, out.str(), err.str()};
}

QByteArray contents(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString binary(const QString& name)
{
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath("../bin/" + name);
}

const std::string kHead = "IP Virtual Server version 1.2.1 (size=4096)\n"
                          "Prot LocalAddress:Port Scheduler Flags\n"
                          "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";

} // namespace

class TestLvsadm : public QObject {
    Q_OBJECT

private slots:
    void missingFileIsAnEmptyTable()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("class/table.state");
        Run r = lvsadm(state, "-Ln");
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, kHead);
        QVERIFY(!QFile::exists(state)); // a listing writes nothing
    }

    void stepByStep()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("t.state");
        QCOMPARE(lvsadm(state, "-A -t 172.18.100.6:80 -s rr").code, 0);
        QCOMPARE(lvsadm(state, "-a -t 172.18.100.6:80 -r 192.168.10.11 -m -w 1").code, 0);
        QCOMPARE(lvsadm(state, "-a -t 172.18.100.6:80 -r 192.168.10.12 -m -w 3").code, 0);
        QCOMPARE(lvsadm(state, "-E -t 172.18.100.6:80 -s wrr").code, 0);
        Run r = lvsadm(state, "-Ln");
        QCOMPARE(r.out, kHead + "TCP  172.18.100.6:80 wrr\n"
                                "  -> 192.168.10.11:80             Masq    1      0          0         \n"
                                "  -> 192.168.10.12:80             Masq    3      0          0         \n");
        QCOMPARE(contents(state), QByteArray("# lvsadm state: ipvsadm-restore lines, in the order the table was built\n"
                                             "-A -t 172.18.100.6:80 -s wrr\n"
                                             "-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1\n"
                                             "-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 3\n"));
        // Only the table file is in the folder: the atomic write left no temporary behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"t.state"});
    }

    void refusedCommandLeavesTheFile()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("t.state");
        lvsadm(state, "-A -t 10.0.0.1:80 -s rr");
        const QByteArray before = contents(state);
        Run r = lvsadm(state, "-A -t 10.0.0.1:80 -s wrr");
        QCOMPARE(r.code, 255);
        QCOMPARE(r.err, std::string("Service already exists\n"));
        QCOMPARE(contents(state), before);
    }

    void brokenFileNamesFileAndLine()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("t.state");
        QFile f(state);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.10.11 -w banana\n");
        f.close();
        const QByteArray before = contents(state);
        Run r = lvsadm(state, "-C");
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err, "lvsadm: " + state.toStdString() + ":2: illegal weight specified\n"
                            "lvsadm: the table file is left as it is; fix or remove it\n");
        QCOMPARE(contents(state), before);
    }

    void restoreFromStdin()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("t.state");
        Run r = lvsadm(state, "-R", "-A -u 10.0.0.1:53 -s rr\n-a -u 10.0.0.1:53 -r 192.168.10.11 -m\n-A -u 10.0.0.1:53\n");
        QCOMPARE(r.code, 255);
        QCOMPARE(r.err, std::string("lvsadm -R, line 3: Service already exists\n"));
        QCOMPARE(lvsadm(state, "-S -n").out, std::string("-A -u 10.0.0.1:53 -s rr\n"
                                                         "-a -u 10.0.0.1:53 -r 192.168.10.11:53 -m -w 1\n"));
    }

    void targetOptions()
    {
        std::istringstream in;
        std::ostringstream out, err;
        QCOMPARE(runLvsadm({"--lab", "demo", "--node", "director", "-Ln"}, in, out, err, {}), 2);
        QVERIFY(err.str().find("lab demo, node director: no director answers (") != std::string::npos);
        std::ostringstream err2;
        QCOMPARE(runLvsadm({"--lab", "demo", "-Ln"}, in, out, err2, {}), 2);
        QCOMPARE(err2.str(), std::string("lvsadm: --lab and --node go together (the lab's name and its director node)\n"));
        std::ostringstream err3;
        QCOMPARE(runLvsadm({"--state"}, in, out, err3, {}), 2);
        QCOMPARE(err3.str(), std::string("lvsadm: --state needs a value\n"));
    }

    // The seeds' `ipvsadm-save > file`, `ipvsadm -C`, `ipvsadm-restore < file` with the
    // installed scripts (ipvsadm-save: -n only; ipvsadm-restore: '#' lines dropped, -C, -R).
    void saveAndRestoreScripts()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath("t.state");
        lvsadm(state, "-A -t 172.18.100.6:80 -s rr");
        lvsadm(state, "-a -t 172.18.100.6:80 -r 192.168.10.11 -m -w 1");
        QProcess save;
        save.start("sh", {binary("lvsadm-save"), "--state", state, "-n"});
        QVERIFY(save.waitForFinished(10000));
        QCOMPARE(save.exitCode(), 0);
        const QByteArray rules = save.readAllStandardOutput();
        QCOMPARE(rules, QByteArray("-A -t 172.18.100.6:80 -s rr\n-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1\n"));

        lvsadm(state, "-A -t 172.18.100.6:3306 -s wlc"); // restore replaces the whole table
        QProcess restore;
        restore.start("sh", {binary("lvsadm-restore"), "--state", state});
        QVERIFY(restore.waitForStarted());
        restore.write("# saved by the class\n" + rules);
        restore.closeWriteChannel();
        QVERIFY(restore.waitForFinished(10000));
        QCOMPARE(restore.exitCode(), 0);
        QCOMPARE(lvsadm(state, "-S -n").out, rules.toStdString());

        QProcess bad;
        bad.start("sh", {binary("lvsadm-save"), "-x"});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("Script to save the IPVS table to stdout."));
    }
};

QTEST_GUILESS_MAIN(TestLvsadm)
#include "test_lvsadm.moc"
