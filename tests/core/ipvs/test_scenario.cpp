// Tests of `lvsctl simulate`'s scenarios: whole scenarios through the real schedulers, with
// outputs worked out by hand from the kernel functions each row names, and the errors of bad
// lines with their line numbers.
#include <QtTest>

#include "core/ipvs/scenario.h"

using namespace lvs::core::ipvs;

namespace {

struct Outcome {
    QStringList lines;
    QString error;
};

Outcome run(const QString& text, std::uint64_t seed = 1)
{
    Outcome o;
    const std::string utf8 = text.toStdString();
    auto r = runScenario(utf8, "s.scn", seed, [&](const std::string& l) { o.lines << QString::fromStdString(l); });
    if (!r)
        o.error = QString::fromStdString(r.error().message);
    return o;
}

} // namespace

class TestScenario : public QObject {
    Q_OBJECT

private slots:
    void scenarios_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");

        // ip_vs_rr_schedule walks the list from the last pick; the list is newest first
        // (ip_vs_add_dest's list_add_rcu), so .3 comes first. Closing c6 leaves active 1,2,3 on
        // weights 1,2,3. ip_vs_sed_schedule: (A+1)/W = 2, 1.5, 1.33 -> .3 (the seeds' SED
        // example). -E to another scheduler binds it afresh (ip_vs_edit_service).
        QTest::newRow("ip_vs_sed_schedule: the seeds' example picks the weight-3 server")
            << "# sed\n-A -t 10.0.0.1:80 -s rr\n"
               "-a -t 10.0.0.1:80 -r 192.168.0.1 -w 1\n-a -t 10.0.0.1:80 -r 192.168.0.2 -w 2\n"
               "-a -t 10.0.0.1:80 -r 192.168.0.3 -w 3\n"
               "connect 1.1.1.1:1\nconnect 1.1.1.1:2\nconnect 1.1.1.1:3\nconnect 1.1.1.1:4\n"
               "connect 1.1.1.1:5\nconnect 1.1.1.1:6\nconnect 1.1.1.1:7\nclose 6\n"
               "-E -t 10.0.0.1:80 -s sed\nconnect 1.1.1.1:8\n"
            << QStringList{"192.168.0.3:80", "192.168.0.2:80", "192.168.0.1:80", "192.168.0.3:80",
                           "192.168.0.2:80", "192.168.0.1:80", "192.168.0.3:80", "192.168.0.3:80"};

        // ip_vs_rr_schedule skips weight 0 (quiesced) servers.
        QTest::newRow("ip_vs_rr_schedule: weight 0 is skipped")
            << "# rr\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\n"
               "-a -t 10.0.0.1:80 -r 192.168.0.2 -w 0\nconnect 1.1.1.1:1\nconnect 1.1.1.1:2\n"
            << QStringList{"192.168.0.1:80", "192.168.0.1:80"};

        // ip_vs_bind_dest sets OVERLOAD at u=1; rr skips it; with nothing else left: none.
        // close 1 -> ip_vs_unbind_dest clears (no l: total*4 < u*3, 0 < 3).
        QTest::newRow("ip_vs_bind_dest / ip_vs_unbind_dest: upper threshold 1")
            << "# thresholds\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1 -x 1\n"
               "connect 1.1.1.1:1\nconnect 1.1.1.1:2\nclose 1\nconnect 1.1.1.1:3\n"
            << QStringList{"192.168.0.1:80", "none", "192.168.0.1:80"};

        // ip_vs_sched_persist: the client's template keeps it on .2 although rr moves on;
        // another client gets the next server. After the template expires (300 s after its
        // last use, no connection open) the client is scheduled afresh.
        QTest::newRow("ip_vs_sched_persist: template, then expiry")
            << "# persistence\n-A -t 10.0.0.1:80 -s rr -p 300\n-a -t 10.0.0.1:80 -r 192.168.0.1\n"
               "-a -t 10.0.0.1:80 -r 192.168.0.2\nconnect 1.1.1.1:1\nconnect 1.1.1.1:2\n"
               "connect 2.2.2.2:1\nclose 1\nclose 2\nclose 3\ntick 299\nconnect 1.1.1.1:3\n"
               "close 4\ntick 300\nconnect 1.1.1.1:4\n"
            << QStringList{"192.168.0.2:80", "192.168.0.2:80", "192.168.0.1:80", "192.168.0.2:80",
                           "192.168.0.2:80"};

        // ipvsadm: -r without a port takes the virtual port; -g forces it even when given.
        QTest::newRow("ipvsadm: -g forces the virtual port")
            << "# ports\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1:8080 -g\nconnect 1.1.1.1:1\n"
            << QStringList{"192.168.0.1:80"};
        QTest::newRow("ipvsadm: -m keeps the mapped port")
            << "# ports\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1:8080 -m\nconnect 1.1.1.1:1\n"
            << QStringList{"192.168.0.1:8080"};

        // ipvsadm -e is a full replace: without -x the upper threshold becomes 0, and
        // __ip_vs_update_dest clears OVERLOAD when the new u_threshold is 0.
        QTest::newRow("__ip_vs_update_dest: -e without -x clears the overload")
            << "# e\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1 -x 1\n"
               "connect 1.1.1.1:1\nconnect 1.1.1.1:2\n-e -t 10.0.0.1:80 -r 192.168.0.1\nconnect 1.1.1.1:3\n"
            << QStringList{"192.168.0.1:80", "none", "192.168.0.1:80"};
        // ip_vs_edit_service binds a scheduler only when it changes: -E with rr again keeps
        // rr's position; a round trip through wlc starts rr over at the head.
        QTest::newRow("ip_vs_edit_service: the same scheduler keeps its state")
            << "# E\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\n-a -t 10.0.0.1:80 -r 192.168.0.2\n"
               "connect 1.1.1.1:1\n-E -t 10.0.0.1:80 -s rr\nconnect 1.1.1.1:2\n"
            << QStringList{"192.168.0.2:80", "192.168.0.1:80"};
        QTest::newRow("ip_vs_edit_service: another scheduler and back starts over")
            << "# E\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\n-a -t 10.0.0.1:80 -r 192.168.0.2\n"
               "connect 1.1.1.1:1\n-E -t 10.0.0.1:80 -s wlc\n-E -t 10.0.0.1:80 -s rr\nconnect 1.1.1.1:2\n"
            << QStringList{"192.168.0.2:80", "192.168.0.2:80"};

        // ip_vs_schedule: a non-persistent service only serves its own port.
        QTest::newRow("ip_vs_schedule: wrong port gives none")
            << "# port\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\nconnect 1.1.1.1:1 10.0.0.1:81\n"
            << QStringList{"none"};
    }
    void scenarios()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        Outcome o = run(text);
        QCOMPARE(o.error, QString());
        QCOMPARE(o.lines, expected);
    }

    // ip_vs_mh_populate sizes a server's share by last_weight, which __ip_vs_update_dest keeps
    // at the latest non-zero weight: a server set to weight 0 under rr keeps its slots when mh
    // is bound later, and ip_vs_mh_schedule (no mh-fallback) answers none for the clients that
    // hash to them, since is_unavailable() refuses weight 0.
    void mhKeepsLastWeight()
    {
        QString text = "# mh\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\n"
                       "-a -t 10.0.0.1:80 -r 192.168.0.2\nweight 192.168.0.2:80 0\n-E -t 10.0.0.1:80 -s mh\n";
        for (int i = 1; i <= 40; ++i)
            text += QString("connect 10.9.%1.%2:1000\n").arg(i / 10).arg(i);
        Outcome o = run(text);
        QCOMPARE(o.error, QString());
        QCOMPARE(o.lines.size(), 40);
        QVERIFY(o.lines.count("none") > 0);
        QCOMPARE(o.lines.count("none") + o.lines.count("192.168.0.1:80"), 40);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("add twice") << "# x\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\n-a -t 10.0.0.1:80 -r 192.168.0.1\n"
                                   << "s.scn:4: Destination already exists";
        QTest::newRow("edit a missing server") << "# x\n-A -t 10.0.0.1:80\n-e -t 10.0.0.1:80 -r 192.168.0.9\n"
                                               << "s.scn:3: No such destination";
        QTest::newRow("-y alone") << "# x\n-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 192.168.0.1 -y 3\n"
                                  << "s.scn:3: lower threshold 3 is above upper threshold 0 (ERANGE)";
        QTest::newRow("unknown scheduler") << "# x\n-A -t 10.0.0.1:80 -s fastest\n"
                                           << "s.scn:2: Scheduler or persistence engine not found";
        QTest::newRow("server before service") << "# x\n-a -t 10.0.0.1:80 -r 192.168.0.1\n"
                                               << "s.scn:2: Service not defined";
        // ipvsadm's own messages, from the shared parser: process_options and parse_options.
        QTest::newRow("process_options: port 0 without -p") << "# x\n-A -t 10.0.0.1:0 -s rr\n"
                                           << "s.scn:2: Zero port specified for non-persistent service";
        QTest::newRow("parse_options: bad weight") << "# x\n-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 192.168.0.1 -w -1\n"
                                    << "s.scn:3: illegal weight specified";
        QTest::newRow("a command that is no scenario's") << "# x\n-A -t 10.0.0.1:80\n-Ln\n"
                                    << "s.scn:3: ipvsadm --list is not part of a scenario: use -A, -E, -a, -e or -d";
        QTest::newRow("unknown command") << "# x\n-A -t 10.0.0.1:80\n\nfrobnicate 3\n"
                                         << "s.scn:4: unknown command \"frobnicate\"";
        QTest::newRow("client reused while open") << "# x\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.0.1\nconnect 1.1.1.1:1\nconnect 1.1.1.1:1\n"
                                                  << "s.scn:5: client 1.1.1.1:1 still has an open connection";
        QTest::newRow("no service at all") << "# only a comment\n" << "s.scn: no service: the scenario never says -A";
    }
    void errors()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QCOMPARE(run(text).error, error);
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "test_scenario.moc"
