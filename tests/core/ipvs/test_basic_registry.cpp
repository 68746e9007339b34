// Tests of makeBasicScheduler: which names give which list-walking scheduler.
#include <QtTest>

#include "core/ipvs/sched/registry.h"
#include "core/ipvs/service.h"

using namespace lvs::core::ipvs;

class TestBasicRegistry : public QObject {
    Q_OBJECT

private slots:
    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("known");
        // The nine modules of this family (ip_vs_rr.c ... ip_vs_twos.c) register under these
        // names; register_ip_vs_scheduler's lookup is an exact, case-sensitive strcmp.
        for (const char* n : {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos"})
            QTest::newRow(n) << QString(n) << true;
        // The hash family is makeHashScheduler's, never this one's.
        for (const char* n : {"dh", "sh", "mh", "lblc", "lblcr"})
            QTest::newRow(n) << QString(n) << false;
        QTest::newRow("upper case") << "RR" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("prefix") << "wlc2" << false;
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, known);
        Service service;
        SchedulerContext context;
        context.random = [] { return std::uint32_t{0}; };
        auto scheduler = makeBasicScheduler(name.toStdString(), service, context);
        QCOMPARE(scheduler != nullptr, known);
        if (scheduler) {
            const std::string_view n = scheduler->name();
            QCOMPARE(QString::fromUtf8(n.data(), qsizetype(n.size())), name);
        }
    }
};

QTEST_APPLESS_MAIN(TestBasicRegistry)
#include "test_basic_registry.moc"
