// lvsadm --lab N --node D against a director's control socket: the live table answers with
// ipvsadm's output, messages and statuses; -R sends standard input; a lab without a director
// gets a clear message.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "core/ipvsadm/live_table.h"
#include "emu/cli/lvsadm.h"
#include "emu/director/control.h"

#include <boost/asio/executor_work_guard.hpp>

#include <sstream>
#include <sys/stat.h>
#include <thread>

using namespace lvs;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

} // namespace

class TestDirectorControl : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    boost::asio::io_context m_io;
    std::unique_ptr<core::ipvsadm::LiveTable> m_table;
    std::unique_ptr<emu::director::ControlServer> m_server;
    std::thread m_thread;

    Run lvsadm(const std::vector<std::string>& args, const std::string& input = {})
    {
        std::vector<std::string> all{"--lab", "demo", "--node", "Director"};
        all.insert(all.end(), args.begin(), args.end());
        std::istringstream in(input);
        std::ostringstream out, err;
        emu::LvsadmEnvironment env;
        env.labRoot = m_root.path().toStdString();
        int code = emu::runLvsadm(all, in, out, err, env);
        return {code, out.str(), err.str()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QDir(m_root.path()).mkpath("demo"));
        m_table = std::make_unique<core::ipvsadm::LiveTable>(core::ipvs::SchedulerContext{});
        m_server = std::make_unique<emu::director::ControlServer>(m_io, *m_table);
        const std::string path = emu::director::controlSocketPath("demo", "Director", m_root.path().toStdString());
        auto r = m_server->listen(path);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        struct stat st{};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        m_thread = std::thread([this] {
            auto guard = boost::asio::make_work_guard(m_io);
            m_io.run();
        });
    }

    void cleanupTestCase()
    {
        m_io.stop();
        m_thread.join();
    }

    void commandsChangeTheLiveTable()
    {
        QCOMPARE(lvsadm({"-A", "-t", "172.18.100.6:80", "-s", "rr"}).code, 0);
        QCOMPARE(lvsadm({"-a", "-t", "172.18.100.6:80", "-r", "192.168.10.11", "-m"}).code, 0);
        Run r = lvsadm({"-Ln"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, std::string("IP Virtual Server version 1.2.1 (size=4096)\n"
                                    "Prot LocalAddress:Port Scheduler Flags\n"
                                    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                                    "TCP  172.18.100.6:80 rr\n"
                                    "  -> 192.168.10.11:80             Masq    1      0          0         \n"));
        r = lvsadm({"-A", "-t", "172.18.100.6:80"});
        QCOMPARE(r.code, 255);
        QCOMPARE(r.err, std::string("Service already exists\n"));
        r = lvsadm({"-t", "1.2.3.4:80"});
        QCOMPARE(r.code, 255);
        QCOMPARE(r.err, std::string("Try `lvsadm -h' or 'lvsadm --help' for more information.\n"));
    }

    void restoreSendsStdin()
    {
        Run r = lvsadm({"-R"}, "-a -t 172.18.100.6:80 -r 192.168.10.12 -m -w 2\n-A -t 172.18.100.6:80\n");
        QCOMPARE(r.code, 255);
        QCOMPARE(r.err, std::string("lvsadm -R, line 2: Service already exists\n"));
        QVERIFY(lvsadm({"-S", "-n"}).out.find("-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 2\n") != std::string::npos);
    }

    // Inside `lvsctl lab exec N NODE`, a bare lvsadm drives that node's director.
    void insideLabExec()
    {
        std::istringstream in;
        std::ostringstream out, err;
        emu::LvsadmEnvironment env;
        env.labRoot = m_root.path().toStdString();
        env.lab = "demo";
        env.node = "Director";
        QCOMPARE(emu::runLvsadm({"-Ln"}, in, out, err, env), 0);
        QVERIFY2(out.str().find("TCP  172.18.100.6:80 rr\n") != std::string::npos, out.str().c_str());
    }

    void noDirector()
    {
        std::istringstream in;
        std::ostringstream out, err;
        emu::LvsadmEnvironment env;
        env.labRoot = m_root.path().toStdString();
        QCOMPARE(emu::runLvsadm({"--lab", "demo", "--node", "RS1", "-Ln"}, in, out, err, env), 2);
        QVERIFY2(err.str().find("lvsadm: lab demo, node RS1: no director answers (") == 0, err.str().c_str());
        QVERIFY(err.str().find("Is the lab up (lvsctl lab list), and is RS1 a director?") != std::string::npos);
    }

    void badRequestLine()
    {
        QVERIFY(emu::director::handleControlRequest("{not json\n", *m_table).find("\"status\":2") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestDirectorControl)
#include "test_director_control.moc"
