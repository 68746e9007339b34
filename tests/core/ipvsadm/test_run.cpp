// ipvsadm's command line run against the offline table: the seeds' sessions as typed, the
// kernel's and libipvs's errors, -S / -R round trips, and hostile restore input.
// References: ipvsadm 1.31 ipvsadm.c (main, process_options, restore_table, list_timeout,
// list_daemon, usage_exit, tryhelp_exit), config_stream.c (config_stream_read),
// libipvs/libipvs.c (ipvs_strerror), the kernel's net/netfilter/ipvs/ip_vs_ctl.c
// (ip_vs_genl_set_cmd, ip_vs_add_service, ip_vs_add_dest, ip_vs_edit_dest, ip_vs_del_dest,
// ip_vs_svc_hashkey) and ip_vs_sync.c (start_sync_thread, stop_sync_thread).
#include <QtTest>

#include "core/ipvsadm/run.h"
#include "core/ipvsadm/state_table.h"

#include <random>
#include <sstream>

using namespace lvs::core::ipvsadm;

namespace {

std::vector<std::string> words(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

struct Shell {
    StateTable table;
    std::string out;
    std::string err;
    int status = 0;

    int run(const std::string& line, const std::string& input = {}, const std::string& program = "ipvsadm")
    {
        std::istringstream in(input);
        Invocation io;
        io.program = program;
        io.input = &in;
        io.names.service = [](std::uint16_t port, int) -> std::optional<std::string> {
            if (port == 80)
                return "http";
            if (port == 3306)
                return "mysql";
            return std::nullopt;
        };
        status = runIpvsadm(words(line), table, io);
        out = io.out;
        err = io.err;
        return status;
    }
    // A command that must succeed silently.
    void ok(const std::string& line)
    {
        run(line);
        if (status != 0 || !err.empty() || !out.empty())
            QFAIL(qPrintable(QString::fromStdString(line + " -> " + std::to_string(status) + " " + err)));
    }
};

const std::string kHead = "IP Virtual Server version 1.2.1 (size=4096)\n"
                          "Prot LocalAddress:Port Scheduler Flags\n"
                          "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";

} // namespace

class TestRun : public QObject {
    Q_OBJECT

private slots:
    // Seed 003's session, command by command (the lvs-nat chapter).
    void seed003Session()
    {
        Shell sh;
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead);
        sh.ok("-A -t 172.18.100.6:80 -s rr");
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead + "TCP  172.18.100.6:80 rr\n");
        sh.ok("-a -t 172.18.100.6:80 -r 192.168.10.11 -m -w 1");
        sh.run("-Ln --rate");
        QCOMPARE(sh.out, std::string("IP Virtual Server version 1.2.1 (size=4096)\n"
                                     "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                                     "  -> RemoteAddress:Port\n"
                                     "TCP  172.18.100.6:80                     0        0        0        0        0\n"
                                     "  -> 192.168.10.11:80                    0        0        0        0        0\n"));
        sh.run("-Ln --stats");
        QCOMPARE(sh.out, std::string("IP Virtual Server version 1.2.1 (size=4096)\n"
                                     "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                                     "  -> RemoteAddress:Port\n"
                                     "TCP  172.18.100.6:80                     0        0        0        0        0\n"
                                     "  -> 192.168.10.11:80                    0        0        0        0        0\n"));
        sh.ok("-a -t 172.18.100.6:80 -r 192.168.10.12 -m -w 3");
        sh.ok("-A -t 172.18.100.6:3306 -s wlc");
        sh.ok("-a -t 172.18.100.6:3306 -r 192.168.100.21 -m -w 1");
        sh.ok("-a -t 172.18.100.6:3306 -r 192.168.100.22 -m -w 2");
        sh.ok("-E -t 172.18.100.6:80 -s wrr");
        sh.ok("-e -t 172.18.100.6:80 -r 192.168.10.11 -m -w 10");
        const std::string listing = kHead
            + "TCP  172.18.100.6:80 wrr\n"
              "  -> 192.168.10.11:80             Masq    10     0          0         \n"
              "  -> 192.168.10.12:80             Masq    3      0          0         \n"
              "TCP  172.18.100.6:3306 wlc\n"
              "  -> 192.168.100.21:3306          Masq    1      0          0         \n"
              "  -> 192.168.100.22:3306          Masq    2      0          0         \n";
        sh.run("-Ln");
        QCOMPARE(sh.out, listing);

        // ipvsadm -S > /etc/ipvsadm-config.v1 (names, as ipvsadm-save prints them without -n)
        sh.run("-S");
        const std::string saved = sh.out;
        QCOMPARE(saved, std::string("-A -t 172.18.100.6:http -s wrr\n"
                                    "-a -t 172.18.100.6:http -r 192.168.10.11:http -m -w 10\n"
                                    "-a -t 172.18.100.6:http -r 192.168.10.12:http -m -w 3\n"
                                    "-A -t 172.18.100.6:mysql -s wlc\n"
                                    "-a -t 172.18.100.6:mysql -r 192.168.100.21:mysql -m -w 1\n"
                                    "-a -t 172.18.100.6:mysql -r 192.168.100.22:mysql -m -w 2\n"));
        sh.run("-S -n");
        QCOMPARE(sh.out, std::string("-A -t 172.18.100.6:80 -s wrr\n"
                                     "-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 10\n"
                                     "-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 3\n"
                                     "-A -t 172.18.100.6:3306 -s wlc\n"
                                     "-a -t 172.18.100.6:3306 -r 192.168.100.21:3306 -m -w 1\n"
                                     "-a -t 172.18.100.6:3306 -r 192.168.100.22:3306 -m -w 2\n"));
        sh.ok("-C");
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead);
        // ipvsadm -R < /etc/ipvsadm-config.v1
        QCOMPARE(sh.run("-R", saved), 0);
        QCOMPARE(sh.err, std::string());
        sh.run("-Ln");
        QCOMPARE(sh.out, listing);
    }

    // Seed 003's second session and seed 004's firewall-mark and port-0 persistent services.
    void seed004Services()
    {
        Shell sh;
        sh.ok("-A -t 172.18.100.6:80 -s rr");
        sh.ok("-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1");
        sh.ok("-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 2");
        sh.ok("-A -f 10 -s rr -p 300");
        sh.ok("-a -f 10 -r 172.16.100.21 -g");
        sh.ok("-A -t 172.16.100.10:0 -s rr -p");
        sh.ok("-a -t 172.16.100.10:0 -r 172.16.100.21 -g");
        sh.run("-Ln");
        // libipvs ipvs_cmp_services compares the fwmark first (0 for the others), then the
        // protocol, the address (a wrapping subtraction) and the port.
        QCOMPARE(sh.out, kHead
                             + "TCP  172.16.100.10:0 rr persistent 360\n"
                               "  -> 172.16.100.21:0              Route   1      0          0         \n"
                               "TCP  172.18.100.6:80 rr\n"
                               "  -> 192.168.10.11:80             Masq    1      0          0         \n"
                               "  -> 192.168.10.12:80             Masq    2      0          0         \n"
                               "FWM  10 rr persistent 300\n"
                               "  -> 172.16.100.21:0              Route   1      0          0         \n");
        sh.run("-S -n");
        QCOMPARE(sh.out, std::string("-A -t 172.16.100.10:0 -s rr -p 360\n"
                                     "-a -t 172.16.100.10:0 -r 172.16.100.21:0 -g -w 1\n"
                                     "-A -t 172.18.100.6:80 -s rr\n"
                                     "-a -t 172.18.100.6:80 -r 192.168.10.11:80 -m -w 1\n"
                                     "-a -t 172.18.100.6:80 -r 192.168.10.12:80 -m -w 2\n"
                                     "-A -f 10 -s rr -p 300\n"
                                     "-a -f 10 -r 172.16.100.21:0 -g -w 1\n"));
    }

    // libipvs's messages for the kernel's refusals, and the statuses ipvsadm exits with.
    void errors_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("err");
        QTest::addColumn<int>("status");
        const QString svc = "-A -t 10.0.0.1:80 -s rr";
        QTest::newRow("EEXIST add service") << svc << "-A -t 10.0.0.1:80" << "Service already exists\n" << 255;
        QTest::newRow("ENOENT scheduler") << "" << "-A -t 10.0.0.1:80 -s foo" << "Scheduler or persistence engine not found\n" << 255;
        QTest::newRow("ENOENT pe") << "" << "-A -t 10.0.0.1:80 -p --pe bar" << "Scheduler or persistence engine not found\n" << 255;
        QTest::newRow("ESRCH edit service") << "" << "-E -t 10.0.0.1:80 -s rr" << "No such service\n" << 255;
        QTest::newRow("ESRCH delete service") << "" << "-D -t 10.0.0.1:80" << "No such service\n" << 255;
        QTest::newRow("ESRCH zero service") << "" << "-Z -t 10.0.0.1:80" << "No such service\n" << 255;
        QTest::newRow("ESRCH add dest") << "" << "-a -t 10.0.0.1:80 -r 192.168.10.11" << "Service not defined\n" << 255;
        QTest::newRow("EEXIST add dest") << svc + ";-a -t 10.0.0.1:80 -r 192.168.10.11" << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 5" << "Destination already exists\n" << 255;
        QTest::newRow("ENOENT edit dest") << svc << "-e -t 10.0.0.1:80 -r 192.168.10.11 -w 5" << "No such destination\n" << 255;
        QTest::newRow("ENOENT delete dest") << svc << "-d -t 10.0.0.1:80 -r 192.168.10.11" << "No such destination\n" << 255;
        QTest::newRow("ESRCH delete dest") << "" << "-d -t 10.0.0.1:80 -r 192.168.10.11" << "Service not defined\n" << 255;
        // ip_vs_add_dest: l_threshold > u_threshold is ERANGE even with no upper threshold.
        QTest::newRow("ERANGE lower without upper") << svc << "-a -t 10.0.0.1:80 -r 192.168.10.11 -y 5" << "Numerical result out of range\n" << 255;
        // ip_vs_new_dest: not unicast.
        QTest::newRow("EINVAL multicast dest") << svc << "-a -t 10.0.0.1:80 -r 224.0.0.5" << "Invalid operation.  Possibly wrong module version, address not unicast, ...\n" << 255;
        QTest::newRow("EINVAL broadcast dest") << svc << "-a -t 10.0.0.1:80 -r 255.255.255.255" << "Invalid operation.  Possibly wrong module version, address not unicast, ...\n" << 255;
        QTest::newRow("daemon twice") << "--start-daemon master" << "--start-daemon master" << "Daemon has already run\n" << 255;
        QTest::newRow("no daemon") << "" << "--stop-daemon backup" << "No daemon is running\n" << 255;
        // list_service: exit(1) after the message.
        QTest::newRow("list missing service") << "" << "-L -n -t 10.0.0.1:80" << "No such service\n" << 1;
        // fail(): exit 2.
        QTest::newRow("parser fail") << "" << "-A -t 10.0.0.1:80 -w 1" << "Illegal 'weight' option with the 'add-service' command\n" << 2;
    }
    void errors()
    {
        QFETCH(QString, setup);
        QFETCH(QString, command);
        QFETCH(QString, err);
        QFETCH(int, status);
        Shell sh;
        for (const QString& line : setup.split(';', Qt::SkipEmptyParts))
            sh.ok(line.toStdString());
        const std::string before = sh.table.toRestoreText();
        QCOMPARE(sh.run(command.toStdString()), status);
        QCOMPARE(QString::fromStdString(sh.err), err);
        QCOMPARE(sh.out, std::string());
        QCOMPARE(sh.table.toRestoreText(), before); // a refused command changes nothing
    }

    // tryhelp_exit and usage_exit name argv[0].
    void programName()
    {
        Shell sh;
        QCOMPARE(sh.run("-t 10.0.0.1:80", "", "lvsadm"), 255);
        QCOMPARE(sh.err, std::string("Try `lvsadm -h' or 'lvsadm --help' for more information.\n"));
        QCOMPARE(sh.run("-h", "", "lvsadm"), 0);
        QVERIFY(sh.out.starts_with("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n"
                                   "Usage:\n"
                                   "  lvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]\n"
                                   "  lvsadm -D virtual-service\n"));
        QVERIFY(sh.out.ends_with("  --mcast-ttl ttl                     Multicast TTL (default=1)\n"));
        QCOMPARE(sh.run("-v"), 0);
        QCOMPARE(sh.out, std::string("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n"));
    }

    // list_timeout and ip_vs_set_timeout (0 keeps a value); list_daemon with the kernel's
    // defaults filled in by start_sync_thread.
    void timeoutsAndDaemons()
    {
        Shell sh;
        sh.run("-L --timeout");
        QCOMPARE(sh.out, std::string("Timeout (tcp tcpfin udp): 900 120 300\n"));
        sh.ok("--set 0 60 0");
        sh.run("-L --timeout");
        QCOMPARE(sh.out, std::string("Timeout (tcp tcpfin udp): 900 60 300\n"));
        sh.ok("--start-daemon backup --mcast-interface eth1 --syncid 7");
        sh.ok("--start-daemon master");
        sh.run("-L --daemon");
        QCOMPARE(sh.out, std::string("master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"
                                     "backup sync daemon (mcast=eth1, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"));
        sh.ok("--stop-daemon master");
        sh.run("-L --daemon");
        QCOMPARE(sh.out, std::string("backup sync daemon (mcast=eth1, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"));
    }

    // --nosort shows the kernel's dump order: hash buckets (ip_vs_svc_hashkey), newest first
    // within one, fwmark services last; destinations newest first.
    void nosortIsDumpOrder()
    {
        Shell sh;
        sh.ok("-A -f 3 -s rr");
        sh.ok("-A -t 10.0.0.1:80 -s rr");   // bucket (6 ^ 1 ^ 80) & 255 = 87
        sh.ok("-A -t 10.0.0.2:80 -s rr");   // bucket 84
        sh.ok("-A -t 10.0.1.1:80 -s rr");   // bucket 87 too, newer
        sh.ok("-a -t 10.0.0.1:80 -r 192.168.10.11 -m");
        sh.ok("-a -t 10.0.0.1:80 -r 192.168.10.12 -m");
        sh.run("-Ln --nosort");
        QCOMPARE(sh.out, kHead
                             + "TCP  10.0.0.2:80 rr\n"
                               "TCP  10.0.1.1:80 rr\n"
                               "TCP  10.0.0.1:80 rr\n"
                               "  -> 192.168.10.12:80             Masq    1      0          0         \n"
                               "  -> 192.168.10.11:80             Masq    1      0          0         \n"
                               "FWM  3 rr\n");
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead
                             + "TCP  10.0.0.1:80 rr\n"
                               "  -> 192.168.10.11:80             Masq    1      0          0         \n"
                               "  -> 192.168.10.12:80             Masq    1      0          0         \n"
                               "TCP  10.0.0.2:80 rr\n"
                               "TCP  10.0.1.1:80 rr\n"
                               "FWM  3 rr\n");
    }

    // restore_table: a libipvs error is reported and the next line runs; the status is the
    // last line's. A parser error (fail) stops the restore with 2. Our messages add the line.
    void restoreLineNumbers()
    {
        Shell sh;
        const std::string input = "-A -t 10.0.0.1:80 -s rr\n"
                                  "\n"
                                  "-A -t 10.0.0.1:80 -s wrr\n"
                                  "ipvsadm -a -t 10.0.0.1:80 -r 192.168.10.11 -m\n";
        QCOMPARE(sh.run("-R", input), 0);
        QCOMPARE(sh.err, std::string("ipvsadm -R, line 3: Service already exists\n"));
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead + "TCP  10.0.0.1:80 rr\n"
                                 "  -> 192.168.10.11:80             Masq    1      0          0         \n");

        Shell last;
        QCOMPARE(last.run("-R", "-A -t 10.0.0.1:80\n-A -t 10.0.0.1:80\n"), 255);

        Shell stop;
        QCOMPARE(stop.run("-R", "-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 -w 3\n-A -t 10.0.0.3:80\n", "lvsadm"), 2);
        QCOMPARE(stop.err, std::string("lvsadm -R, line 2: Illegal 'weight' option with the 'add-service' command\n"));
        QCOMPARE(stop.table.services().size(), std::size_t{1}); // line 3 never ran

        Shell nested; // "avoid infinite loop"
        QCOMPARE(nested.run("-R", "-R\n"), 255);
        QCOMPARE(nested.err, std::string("ipvsadm -R, line 1: Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n"));
    }

    // parse(save(x)) == x: every feature -S can express survives -S | -C | -R, and the table's
    // own file form rebuilds it with its dump order.
    void saveRestoreRoundTrip()
    {
        Shell sh;
        for (const char* line : {
                 "-A -t 10.0.0.1:80 -s wlc -p 600 -M 255.255.255.0",
                 "-A -u 10.0.0.1:53 -s sh -b sh-fallback,sh-port",
                 "-A --sctp-service 10.0.0.1:3868 -s mh -b mh-port",
                 "-A -t 10.0.0.2:443 -s rr -p --pe sip",
                 "-A -u 10.0.0.3:5060 -s rr -o",
                 "-A -f 42 -s lblcr",
                 "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 -m -w 5 -x 100 -y 10",
                 "-a -t 10.0.0.1:80 -r 192.168.10.12:8080 -m -w 0",
                 "-a -u 10.0.0.1:53 -r 192.168.10.21 -i --tun-type gue --tun-port 6080 --tun-csum",
                 "-a -u 10.0.0.1:53 -r 192.168.10.22 -i --tun-type gre --tun-remcsum",
                 "-a -f 42 -r 192.168.10.31 -g -w 2147483647",
                 "--set 1000 100 200",
             })
            sh.ok(line);
        sh.run("-Ln");
        const std::string listing = sh.out;
        sh.run("-S -n");
        const std::string saved = sh.out;
        Shell copy;
        QCOMPARE(copy.run("-R", saved), 0);
        QCOMPARE(copy.err, std::string());
        copy.run("-S -n");
        QCOMPARE(copy.out, saved);
        copy.run("-Ln");
        QCOMPARE(copy.out, listing);

        StateTable loaded;
        QVERIFY(loadRestoreText(sh.table.toRestoreText(), "state", loaded).has_value());
        QCOMPARE(loaded.toRestoreText(), sh.table.toRestoreText());
        Shell again;
        again.table = loaded;
        again.run("-Ln --nosort");
        const std::string mine = again.out;
        sh.run("-Ln --nosort");
        QCOMPARE(mine, sh.out);
        again.run("-L --timeout");
        QCOMPARE(again.out, std::string("Timeout (tcp tcpfin udp): 1000 100 200\n"));
    }

    void stateFileErrorsNameTheLine()
    {
        StateTable t;
        auto r = loadRestoreText("# comment\n-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n", "/tmp/t.state", t);
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message), QString("/tmp/t.state:3: Service already exists"));
        r = loadRestoreText("-A -t 10.0.0.1:80 -s rr\n-Ln\n", "s", t = StateTable{});
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message),
                 QString("s:2: only commands that change the table belong in a table file"));
        r = loadRestoreText("-A -t 10.0.0.1:80 -x 3\n", "s", t = StateTable{});
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message),
                 QString("s:1: Illegal 'u-threshold' option with the 'add-service' command"));
    }

    // The DPVS dialect (docs/ipvsadm-dialect.md): --fullnat destinations and local addresses
    // (-P/-Q/-G with DPVS's list_laddrs formats), kept in the table file.
    void fullNatDialect()
    {
        Shell sh;
        sh.ok("-A -t 172.18.100.8:80 -s rr");
        sh.ok("-a -t 172.18.100.8:80 -r 192.168.10.11:8080 --fullnat -w 1");
        sh.ok("-P -t 172.18.100.8:80 -z 192.168.10.201 -F eth1");
        sh.ok("-P -t 172.18.100.8:80 -z 192.168.10.202 -F eth1");
        QCOMPARE(sh.run("-P -t 172.18.100.8:80 -z 192.168.10.202 -F eth1"), 255);
        QCOMPARE(sh.err, std::string("Local address already exists\n"));
        QCOMPARE(sh.run("-Q -t 172.18.100.9:80 -z 192.168.10.202 -F eth1"), 255);
        QCOMPARE(sh.err, std::string("Service not defined\n"));
        sh.run("-Ln");
        QCOMPARE(sh.out, kHead + "TCP  172.18.100.8:80 rr\n"
                                 "  -> 192.168.10.11:8080           FullNat 1      0          0         \n");
        sh.run("-G");
        QCOMPARE(sh.out, std::string("VIP:VPORT            TOTAL    SNAT_IP              CONFLICTS  CONNS     \n"
                                     "172.18.100.8:80      2        \n"
                                     "                              192.168.10.201       0          0         \n"
                                     "                              192.168.10.202       0          0         \n"));
        sh.ok("-Q -t 172.18.100.8:80 -z 192.168.10.201 -F eth1");
        StateTable loaded;
        QVERIFY(loadRestoreText(sh.table.toRestoreText(), "state", loaded).has_value());
        QCOMPARE(loaded.toRestoreText(), sh.table.toRestoreText());
        QVERIFY(sh.table.toRestoreText().ends_with("-a -t 172.18.100.8:80 -r 192.168.10.11:8080 --fullnat -w 1\n"
                                                   "-P -t 172.18.100.8:80 -z 192.168.10.202 -F eth1\n"));
    }

    // IPv6 services survive -S | -R and the table file.
    void ipv6RoundTrip()
    {
        Shell sh;
        sh.ok("-A -t [2001:db8::10]:80 -s wrr -p 60 -M 64");
        sh.ok("-a -t [2001:db8::10]:80 -r [2001:db8::21]:80 -m -w 2");
        sh.ok("-a -t [2001:db8::10]:80 -r 192.168.10.31 -i");
        sh.ok("-A -f 7 -6 -s rr");
        // process_options refuses before the kernel would (EINVAL in ip_vs_genl_set_cmd).
        QCOMPARE(sh.run("-a -t [2001:db8::10]:80 -r 192.168.10.32 -m"), 2);
        QCOMPARE(sh.err, std::string("Different address family is allowed only for tunneling servers\n"));
        sh.run("-S -n");
        const std::string saved = sh.out;
        Shell copy;
        QCOMPARE(copy.run("-R", saved), 0);
        copy.run("-S -n");
        QCOMPARE(copy.out, saved);
        StateTable loaded;
        QVERIFY(loadRestoreText(sh.table.toRestoreText(), "state", loaded).has_value());
        QCOMPARE(loaded.toRestoreText(), sh.table.toRestoreText());
    }

    // Address::toString is inet_ntop's text (glibc inet_ntop6), as ipvsadm prints addresses.
    void addressText_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("mapped") << "::FFFF:10.0.0.1" << "::ffff:10.0.0.1";
        QTest::newRow("compatible") << "::10.0.0.1" << "::10.0.0.1";
        QTest::newRow("loopback stays hex") << "::1" << "::1";
        QTest::newRow("::2 is compatible") << "::2" << "::0.0.0.2";
        QTest::newRow("longest zero run") << "2001:db8:0:0:1:0:0:1" << "2001:db8::1:0:0:1";
        QTest::newRow("single zero group not shortened") << "2001:db8:0:1:1:1:1:1" << "2001:db8:0:1:1:1:1:1";
    }
    void addressText()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        ParseResult r = parseIpvsadm({"-A", "-t", "[" + in.toStdString() + "]:80"});
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(QString::fromStdString(r->service->address.toString()), out);
    }

    // Hostile input: overlong words, NUL bytes, junk, and a 100,000-line restore.
    void hostileRestore()
    {
        Shell sh;
        QCOMPARE(sh.run("-R", "-A -t " + std::string(5000, '1') + "\n"), 2);
        QCOMPARE(sh.err, std::string("ipvsadm -R, line 1: word at column 7 is longer than 4096 characters\n"));
        QCOMPARE(sh.run("-R", std::string("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80\0 -s rr\n", 40)), 2);
        QCOMPARE(sh.err, std::string("ipvsadm -R, line 2: NUL byte at column 18\n"));

        std::mt19937 random(4);
        for (int k = 0; k < 3000; ++k) {
            std::string junk;
            const int n = static_cast<int>(random() % 200);
            for (int i = 0; i < n; ++i) {
                const char pool[] = "-AaEeDdtufrsSRLlnpMwxygim6bc:.,0123456789 \t\r\n\xff\x80#";
                junk += pool[random() % (sizeof pool - 1)];
            }
            Shell j;
            const int status = j.run("-R", junk);
            QVERIFY2(status == 0 || status == 1 || status == 2 || status == 255, qPrintable(QString::number(status)));
        }

        std::string big;
        big.reserve(100000 * 60);
        big += "-A -t 10.0.0.1:80 -s wrr\n";
        for (int i = 1; i < 100000; ++i)
            big += "-a -t 10.0.0.1:80 -r 10." + std::to_string(1 + i / 65536) + "." + std::to_string((i / 256) % 256)
                + "." + std::to_string(i % 256) + ":80 -m -w " + std::to_string(i % 100) + "\n";
        Shell many;
        QCOMPARE(many.run("-R", big), 0);
        QCOMPARE(many.err, std::string());
        QCOMPARE(many.table.services().front().dests.size(), std::size_t{99999});
    }
};

QTEST_APPLESS_MAIN(TestRun)
#include "test_run.moc"
