// Every cell of ipvsadm 1.31's commands_v_options table (ipvsadm.c), checked through the
// parser: each 'x' cell refuses its option with generic_opt_check's message and exit status 2,
// each '+' cell is demanded when missing, and each ' ' cell is accepted as far as the table
// goes. The table below is transcribed from the 1.31 source independently of the parser's.
#include <QtTest>

#include "core/ipvsadm/options.h"

#include <array>
#include <string>
#include <vector>

using namespace lvs::core::ipvsadm;

namespace {

// optnames[] and an argument that sets each option (in the column order of the table).
struct Column {
    const char* name;
    const char* args;
};
constexpr std::array<Column, 34> kColumns{{
    {"numeric", "-n"}, {"connection", "-c"}, {"service-address", "-t 10.0.0.1:80"},
    {"scheduler", "-s rr"}, {"persistent", "-p 60"}, {"netmask", "-M 255.255.255.0"},
    {"real-server", "-r 192.168.10.11"}, {"forwarding-method", "-m"}, {"weight", "-w 1"},
    {"u-threshold", "-x 10"}, {"l-threshold", "-y 1"}, {"mcast-interface", "--mcast-interface eth0"},
    {"timeout", "--timeout"}, {"daemon", "--daemon"}, {"stats", "--stats"}, {"rate", "--rate"},
    {"thresholds", "--thresholds"}, {"persistent-conn", "--persistent-conn"}, {"nosort", "--nosort"},
    {"syncid", "--syncid 1"}, {"exact", "--exact"}, {"ops", "-o"}, {"pe", "--pe sip"},
    {"sched-flags", "-b flag-1"}, {"mcast-group", "--mcast-group 224.0.0.81"},
    {"mcast-port", "--mcast-port 8848"}, {"mcast-ttl", "--mcast-ttl 1"},
    {"sync-maxlen", "--sync-maxlen 1400"}, {"tun-info", "--tun-info"}, {"tun-type", "--tun-type gue"},
    {"tun-port", "--tun-port 6080"}, {"tun-nocsum", "--tun-nocsum"}, {"tun-csum", "--tun-csum"},
    {"tun-remcsum", "--tun-remcsum"},
}};

struct Row {
    const char* name; // cmdnames[]
    const char* args; // the command's own option
    const char* cells;
};
// ipvsadm.c commands_v_options, 1.31.
constexpr std::array<Row, 14> kRows{{
    {"add-service", "-A", "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx"},
    {"edit-service", "-E", "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx"},
    {"delete-service", "-D", "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"flush", "-C", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"list", "-L", " 11xxxxxxxxx11       xxxxxxx xxxxx"},
    {"add-server", "-a", "xx+xxx+    xxxxxxxxxxxxxxxxxx     "},
    {"delete-server", "-d", "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"edit-server", "-e", "xx+xxx+    xxxxxxxxxxxxxxxxxx     "},
    {"set", "--set 900 120 300", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"start-daemon", "--start-daemon master", "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx"},
    {"stop-daemon", "--stop-daemon master", "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx"},
    {"restore", "-R", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"save", "-S", " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"zero", "-Z", "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
}};

std::vector<std::string> words(const std::string& line)
{
    std::vector<std::string> out;
    std::string w;
    for (char c : line + " ") {
        if (c == ' ') {
            if (!w.empty())
                out.push_back(w);
            w.clear();
        } else {
            w += c;
        }
    }
    return out;
}

// The command with its compulsory options, except column `skip`.
std::string base(const Row& row, int skip)
{
    std::string line = row.args;
    for (int j = 0; j < 34; ++j)
        if (row.cells[j] == '+' && j != skip)
            line += std::string(" ") + kColumns[static_cast<std::size_t>(j)].args;
    return line;
}

} // namespace

class TestLegality : public QObject {
    Q_OBJECT

private slots:
    void cells_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("message"); // empty: accepted by the table
        for (const Row& row : kRows) {
            for (int j = 0; j < 34; ++j) {
                const char cell = row.cells[j];
                const Column& col = kColumns[static_cast<std::size_t>(j)];
                const std::string tag = std::string(row.name) + " / " + col.name + " '" + cell + "'";
                if (cell == 'x') {
                    QTest::newRow(tag.c_str())
                        << QString::fromStdString(base(row, -1) + " " + col.args)
                        << QString("Illegal '%1' option with the '%2' command").arg(col.name, row.name);
                } else if (cell == '+') {
                    QTest::newRow(tag.c_str())
                        << QString::fromStdString(base(row, j))
                        << QString("You need to supply the '%1' option for the '%2' command").arg(col.name, row.name);
                }
            }
        }
    }

    // generic_opt_check: the first offending column, in column order, is reported.
    void cells()
    {
        QFETCH(QString, args);
        QFETCH(QString, message);
        ParseResult r = parseIpvsadm(words(args.toStdString()));
        QVERIFY2(!r.has_value(), qPrintable("accepted: " + args));
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(r.error().exitCode, 2);
    }

    // The ' ' cells: an option the table allows never draws the table's messages (other checks
    // of process_options may still refuse a lone value, e.g. -y above -x).
    void optionalCellsPassTheTable()
    {
        int checked = 0;
        for (const Row& row : kRows)
            for (int j = 0; j < 34; ++j) {
                if (row.cells[j] != ' ')
                    continue;
                const std::string line = base(row, -1) + " " + kColumns[static_cast<std::size_t>(j)].args;
                ParseResult r = parseIpvsadm(words(line));
                if (!r) {
                    const std::string& m = r.error().message;
                    QVERIFY2(m.rfind("Illegal '", 0) != 0 && m.rfind("You need to supply", 0) != 0,
                             (line + " -> " + m).c_str());
                }
                ++checked;
            }
        QVERIFY(checked > 40);
    }

    // The '1' cells of list: any two of connection, service-address, timeout, daemon conflict.
    void exclusiveListCells()
    {
        const int ones[] = {1, 2, 12, 13};
        for (int a : ones)
            for (int b : ones) {
                if (a >= b)
                    continue;
                const std::string line = std::string("-L ") + kColumns[static_cast<std::size_t>(a)].args
                    + " " + kColumns[static_cast<std::size_t>(b)].args;
                ParseResult r = parseIpvsadm(words(line));
                QVERIFY2(!r.has_value(), line.c_str());
                QCOMPARE(QString::fromStdString(r.error().message),
                         QString("The option '%1' conflicts with the '%2' option in the 'list' command")
                             .arg(kColumns[static_cast<std::size_t>(b)].name, kColumns[static_cast<std::size_t>(a)].name));
            }
    }
};

QTEST_APPLESS_MAIN(TestLegality)
#include "test_legality.moc"
