// netns test: real keepalived 2.2.7 (`keepalived -t -f FILE`) accepts the keepalived.conf of every
// example's directors. keepalived -t checks that each VRRP interface exists, so each run happens
// in a throwaway network namespace (`unshare -n`) holding veth devices named like the director's
// interfaces; the namespace dies with the process, whatever the outcome, and the machine's own
// interfaces are never touched. Exits 77 (skip) when not root.
#include <QtTest>

#include "core/export/keepalived.h"
#include "core/export/shell.h"
#include "core/io/lvslab_file.h"
#include "tests/core/keepalived_test_support.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace lvs::core;

namespace {

using lvs::test::examples;
using lvs::test::kSource;
const char* const kKeepalived = "/usr/sbin/keepalived";

struct Run {
    int status = -1;
    QString output;
};

// keepalived -t on `config` inside a new network namespace with `interfaces` present.
Run checkInNamespace(const std::string& config, const std::vector<std::string>& interfaces)
{
    QTemporaryDir dir;
    const std::string path = (std::filesystem::path(dir.path().toStdString()) / "keepalived.conf").string();
    std::ofstream(path, std::ios::binary) << config;
    std::string script = "set -e\nip link set lo up\n";
    int peer = 0;
    for (const std::string& name : interfaces)
        script += "ip link add " + exports::shellQuote(name) + " type veth peer name lvskap" + std::to_string(peer++)
            + "\n";
    script += std::string("exec ") + kKeepalived + " -t -f " + exports::shellQuote(path) + "\n";
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("unshare", {"-n", "sh", "-c", QString::fromStdString(script)});
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return {-1, "timed out"};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAll())};
}

std::vector<std::string> interfaceNames(const Node& n)
{
    std::vector<std::string> names;
    for (const Interface& i : n.interfaces)
        names.push_back(i.name);
    return names;
}

} // namespace

class TestKeepalivedCheck : public QObject {
    Q_OBJECT
private slots:
    // The check can fail: keepalived -t refuses a config with FNAT, an unknown keyword, or a VRRP
    // interface the namespace lacks, and accepts a good one.
    void checkerCanFail_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<bool>("accepted");
        const QString vrrp = "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 51\n"
                             " priority 100\n virtual_ipaddress {\n  10.0.0.1/32 dev eth0\n }\n}\n";
        const QString vs = "virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind %1\n protocol TCP\n"
                           " real_server 10.0.0.2 80 {\n  weight 1\n }\n}\n";
        QTest::newRow("good") << vrrp + vs.arg("DR") << true;
        QTest::newRow("FNAT") << vrrp + vs.arg("FNAT") << false;
        QTest::newRow("unknown keyword") << vrrp + "bogus_keyword 1\n" << false;
        QTest::newRow("missing interface") << QString(vrrp).replace("eth0", "eth9") << false;
        QTest::newRow("unclosed brace") << vrrp + "virtual_server 10.0.0.1 80 {\n" << false;
    }
    void checkerCanFail()
    {
        QFETCH(QString, config);
        QFETCH(bool, accepted);
        const Run r = checkInNamespace(config.toStdString(), {"eth0"});
        if (accepted)
            QVERIFY2(r.status == 0, qPrintable(r.output));
        else
            QVERIFY2(r.status != 0, qPrintable("accepted: " + r.output));
    }

    void examplesAccepted_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("director");
        for (const auto& entry : examples()) {
            auto t = loadLvslab(entry.path().string());
            QVERIFY(t);
            for (const Node& n : t->nodes)
                if (n.kind == NodeKind::Director)
                    QTest::newRow((entry.path().stem().string() + "-" + n.name).c_str())
                        << QString::fromStdString(entry.path().string()) << QString::fromStdString(n.name);
        }
    }
    void examplesAccepted()
    {
        QFETCH(QString, example);
        QFETCH(QString, director);
        auto t = loadLvslab(example.toStdString());
        QVERIFY(t);
        const Node* d = t->findNodeByName(director.toStdString());
        QVERIFY(d);
        auto text = exports::keepalivedConf(*t, *d, exports::KeepalivedDialect::Upstream);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        const Run r = checkInNamespace(*text, interfaceNames(*d));
        QVERIFY2(r.status == 0, qPrintable(QString("exit %1: %2\n%3").arg(r.status).arg(r.output, QString::fromStdString(*text))));
    }

    // Every keyword the export can write, on one director (everyKeywordDesign()).
    void everyKeywordAccepted()
    {
        const Topology t = lvs::test::everyKeywordDesign();
        const Node& d = *t.findNodeByName("Director2");
        auto text = exports::keepalivedConf(t, d, exports::KeepalivedDialect::Upstream);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        const Run r = checkInNamespace(*text, interfaceNames(d));
        QVERIFY2(r.status == 0, qPrintable(QString("exit %1: %2\n%3").arg(r.status).arg(r.output, QString::fromStdString(*text))));
    }
};

int main(int argc, char** argv)
{
    if (geteuid() != 0) {
        std::puts("SKIP: needs root (keepalived -t runs in a throwaway network namespace with veth devices)");
        return 77;
    }
    if (access(kKeepalived, X_OK) != 0) {
        std::puts("SKIP: /usr/sbin/keepalived is not installed (apt-get install keepalived)");
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestKeepalivedCheck test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_keepalived_check.moc"
