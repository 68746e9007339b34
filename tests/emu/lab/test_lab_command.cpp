// Tests of `lvsctl lab`'s arguments: usage errors exit 2, unreadable designs and unknown labs
// exit 1 with a message, before anything touches the kernel (no root needed).
#include <QtTest>

#include "emu/cli/lab_command.h"

#include <sstream>

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run lab(std::vector<std::string> args)
{
    std::ostringstream out, err;
    int code = lvs::emu::runLabCommand(args, out, err);
    return {code, out.str(), err.str()};
}

const std::string kNat = LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab";

} // namespace

class TestLabCommand : public QObject {
    Q_OBJECT

private slots:
    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing") << QStringList{} << "usage: lvsctl lab up";
        QTest::newRow("unknown command") << QStringList{"frob"} << "unknown command \"frob\"";
        QTest::newRow("up without file") << QStringList{"up"} << "usage:";
        QTest::newRow("up, unknown option") << QStringList{"up", "x.lvslab", "--nmae", "a"} << "unknown option --nmae";
        QTest::newRow("up, missing value") << QStringList{"up", "x.lvslab", "--name"} << "missing value for --name";
        QTest::newRow("up, bad name") << QStringList{"up", "x.lvslab", "--name", "Has Space"} << "the lab name";
        QTest::newRow("up, long name") << QStringList{"up", "x.lvslab", "--name", "abcdefgh"} << "1 to 7 characters";
        QTest::newRow("down without name") << QStringList{"down"} << "usage:";
        QTest::newRow("list with argument") << QStringList{"list", "x"} << "usage:";
        QTest::newRow("exec without --") << QStringList{"exec", "a", "Node", "ls"} << "usage:";
        QTest::newRow("exec without command") << QStringList{"exec", "a", "Node", "--"} << "usage:";
        QTest::newRow("run without --requests") << QStringList{"run", "x.lvslab"} << "usage:";
        QTest::newRow("run, zero requests") << QStringList{"run", "x.lvslab", "--requests", "0"} << "--requests must be";
        QTest::newRow("run, bad requests") << QStringList{"run", "x.lvslab", "--requests", "many"} << "--requests must be";
        QTest::newRow("run, requests with a tail") << QStringList{"run", "x.lvslab", "--requests", "3x"} << "--requests must be";
        QTest::newRow("run, unknown proto") << QStringList{"run", "x.lvslab", "--requests", "3", "--proto", "ftp"}
                                            << "--proto must be http, tcp or udp";
        QTest::newRow("run, zero sources") << QStringList{"run", "x.lvslab", "--requests", "3", "--sources", "0"}
                                           << "--sources must be 1..250";
        QTest::newRow("run, too many sources") << QStringList{"run", "x.lvslab", "--requests", "3", "--sources", "251"}
                                               << "--sources must be 1..250";
        QTest::newRow("run, --to without port") << QStringList{"run", "x.lvslab", "--requests", "3", "--to", "10.0.0.1"}
                                                << "--to must be ADDRESS:PORT";
        QTest::newRow("run, --to port 0") << QStringList{"run", "x.lvslab", "--requests", "3", "--to", "10.0.0.1:0"}
                                          << "--to must be ADDRESS:PORT";
        QTest::newRow("run, --keep-alive takes no value")
            << QStringList{"run", "x.lvslab", "--keep-alive", "--requests", "0"} << "--requests must be";
        QTest::newRow("traffic without --requests") << QStringList{"traffic", "a"} << "usage:";
        QTest::newRow("traffic without lab") << QStringList{"traffic", "--requests", "3"} << "usage:";
        QTest::newRow("traffic, --name") << QStringList{"traffic", "a", "--requests", "3", "--name", "b"} << "unknown option --name";
        QTest::newRow("traffic, bad proto") << QStringList{"traffic", "a", "--requests", "3", "--proto", "HTTP"}
                                            << "--proto must be";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> words;
        for (const QString& a : args)
            words.push_back(a.toStdString());
        Run r = lab(words);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find(message.toStdString()) != std::string::npos, r.err.c_str());
    }

    void unreadableDesignNamesTheFile()
    {
        Run r = lab({"up", "/nonexistent/broken.lvslab"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("/nonexistent/broken.lvslab") != std::string::npos, r.err.c_str());
    }

    void runFromAnUnknownClient()
    {
        Run r = lab({"run", kNat, "--requests", "1", "--client", "Nobody"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.find("no node \"Nobody\"") != std::string::npos);
    }

    // With the design readable and the options right, the client is checked before the lab is
    // made: a design without a client node needs --client.
    void runWithoutAClientNode()
    {
        Run r = lab({"run", LVSLAB_SOURCE_DIR "/examples/lvs-nat.lvslab", "--requests", "1", "--client", "Public"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find("no node \"Public\" to send from") != std::string::npos, r.err.c_str()); // a segment
    }

    void help()
    {
        Run r = lab({"--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.find("lvsctl lab exec N NODE -- CMD") != std::string::npos);
        QVERIFY(r.out.find("lvsctl lab traffic N --requests K") != std::string::npos);
        QVERIFY(r.out.find("[--keep-alive] [--sources S]") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestLabCommand)
#include "test_lab_command.moc"
