// Tests of the rr wrr lc wlc sed nq fo ovf twos schedulers: each row is a small script of
// destination changes and scheduling calls whose choices were worked out by hand from the
// kernel's net/netfilter/ipvs/ip_vs_*.c.
#include <QtTest>

#include "core/ipvs/sched/basic_wrr.h"
#include "core/ipvs/sched/registry.h"
#include "core/ipvs/service.h"

#include <deque>

using namespace lvs::core;
using namespace lvs::core::ipvs;

namespace {

// Destinations are named by one capital letter; "A" is 10.0.0.1:80, "B" 10.0.0.2:80, ...
Ipv4 addressOf(const QString& name)
{
    return Ipv4{0x0a000000u + (name.at(0).unicode() - 'A' + 1)};
}
QString nameOf(const Dest& dest)
{
    return QString(QChar('A' + int(dest.address.value & 0xff) - 1));
}

// Runs a script against a fresh service whose scheduler is bound first (as a service created
// with -s SCHED and then given its servers). Statements, separated by ';':
//   add X W        ipvsadm -a with weight W (a deleted X comes back from the trash)
//   weight X W     ipvsadm -e with weight W (upd_dest)
//   del X          ipvsadm -d (del_dest)
//   set X a=N i=N over ok   the counters and the overload flag
//   bind           re-binds the scheduler: init_service with the current destinations
//   pick [N]       N scheduling calls, counters untouched
//   conn [N]       N scheduling calls, each chosen destination gets one more active connection
//   rand V...      values get_random_u32() returns next (decimal or 0x hex)
//   mark           the wrr mark as (cw/mw/di)
// The result lists the choices ("-" for none) and marks; an unexpected random draw adds
// "!rand" and unused values add "+N unused".
QString run(const QString& sched, const QString& script)
{
    Service service;
    std::deque<std::uint32_t> draws;
    bool starved = false;
    SchedulerContext context;
    context.clock = [] { return std::uint64_t{0}; };
    context.random = [&] {
        if (draws.empty()) {
            starved = true;
            return std::uint32_t{0};
        }
        const std::uint32_t v = draws.front();
        draws.pop_front();
        return v;
    };
    service.setScheduler(makeBasicScheduler(sched.toStdString(), service, context));
    if (!service.scheduler())
        return "no scheduler";

    QStringList out;
    auto find = [&](const QString& name) -> Dest& {
        Dest* d = service.findDest(addressOf(name), 80);
        if (!d)
            qFatal("no destination %s", qPrintable(name));
        return *d;
    };
    auto schedule = [&](int count, bool connect) {
        for (int i = 0; i < count; ++i) {
            Dest* d = service.scheduler()->schedule(service, PacketInfo{});
            out << (d ? nameOf(*d) : QString("-"));
            if (d && connect)
                ++d->activeConns;
        }
    };
    for (const QString& statement : script.split(';', Qt::SkipEmptyParts)) {
        const QStringList t = statement.split(' ', Qt::SkipEmptyParts);
        if (t.isEmpty())
            continue;
        const QString& op = t[0];
        if (op == "add") {
            DestSettings s;
            s.address = addressOf(t[1]);
            s.port = 80;
            s.weight = t[2].toInt();
            service.addDest(s);
        } else if (op == "weight") {
            Dest& d = find(t[1]);
            DestSettings s{d.address, d.port, d.method, t[2].toInt(), d.upperThreshold,
                           d.lowerThreshold};
            service.editDest(d, s);
        } else if (op == "del") {
            service.delDest(find(t[1]));
        } else if (op == "set") {
            Dest& d = find(t[1]);
            for (const QString& f : t.mid(2)) {
                if (f.startsWith("a="))
                    d.activeConns = f.mid(2).toUInt();
                else if (f.startsWith("i="))
                    d.inactConns = f.mid(2).toUInt();
                else if (f == "over")
                    d.overloaded = true;
                else if (f == "ok")
                    d.overloaded = false;
                else
                    qFatal("bad set field %s", qPrintable(f));
            }
        } else if (op == "bind") {
            service.setScheduler(makeBasicScheduler(sched.toStdString(), service, context));
        } else if (op == "pick" || op == "conn") {
            schedule(t.size() > 1 ? t[1].toInt() : 1, op == "conn");
        } else if (op == "rand") {
            for (const QString& v : t.mid(1))
                draws.push_back(v.toUInt(nullptr, 0));
        } else if (op == "mark") {
            auto* wrr = dynamic_cast<WeightedRoundRobinScheduler*>(service.scheduler());
            if (!wrr)
                qFatal("mark on a scheduler that is not wrr");
            out << QString("(%1/%2/%3)").arg(wrr->currentWeight()).arg(wrr->maxWeight())
                       .arg(wrr->step());
        } else {
            qFatal("bad statement %s", qPrintable(statement));
        }
    }
    if (starved)
        out << "!rand";
    if (!draws.empty())
        out << QString("+%1 unused").arg(draws.size());
    return out.join(' ');
}

void columns()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expected");
}

} // namespace

class TestBasicSchedulers : public QObject {
    Q_OBJECT

    void check(const char* sched)
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        QCOMPARE(run(sched, script), expected);
    }

private slots:
    void rr_data()
    {
        columns();
        // The list is newest first (list_add_rcu), so C B A for adds A, B, C.
        QTest::newRow("ip_vs_rr_schedule: from the head in list order, then wraps")
            << "add A 1; add B 1; add C 1; pick 4" << "C B A C";
        QTest::newRow("ip_vs_rr_schedule: weight 0 is skipped")
            << "add A 1; add B 0; add C 1; pick 3" << "C A C";
        QTest::newRow("ip_vs_rr_schedule: overloaded is skipped")
            << "add A 1; add B 1; add C 1; set B over; pick 3" << "C A C";
        QTest::newRow("ip_vs_rr_schedule: weights do not matter otherwise")
            << "add A 5; add B 1; pick 4" << "B A B A";
        QTest::newRow("ip_vs_rr_schedule: all weight 0 is no destination")
            << "add A 0; add B 0; pick 2" << "- -";
        QTest::newRow("ip_vs_rr_schedule: second pass reaches the position itself")
            << "add A 1; add B 0; pick 3" << "A A A";
        QTest::newRow("ip_vs_rr_schedule: stops at the position when it is overloaded")
            << "add A 1; add B 0; pick 1; set A over; pick 1; set A ok; pick 1" << "A - A";
        QTest::newRow("ip_vs_rr_schedule: a new server at the head waits for the wrap")
            << "add A 1; add B 1; pick 2; add C 1; pick 2" << "B A C B";
        QTest::newRow("ip_vs_rr_schedule: weight edited to 0 quiesces")
            << "add A 1; add B 1; pick 1; weight A 0; pick 2" << "B B B";
        QTest::newRow("ip_vs_rr_del_dest: deleting another server keeps the position")
            << "add A 1; add B 1; add C 1; pick 2; del C; pick 2" << "C B A B";
        // Position C is deleted: it moves back to D, so after C returns at the head the
        // rotation goes on with B; a position left on C would continue with D.
        QTest::newRow("ip_vs_rr_del_dest: deleted position steps back to its predecessor")
            << "add A 1; add B 1; add C 1; add D 1; pick 2; del C; add C 1; pick 3"
            << "D C B A C";
        QTest::newRow("ip_vs_rr_del_dest: deleted first position steps back to the head")
            << "add A 1; add B 1; add C 1; pick 1; del C; pick 2" << "C B A";
    }
    void rr() { check("rr"); }

    void wrr_data()
    {
        columns();
        // Bound before the adds: each add runs ip_vs_wrr_dest_changed and cw stays at 1 from
        // the first add (0 -> mw = 4 - 3 = 1), so the first round is the weight >= 1 pass.
        QTest::newRow("ip_vs_wrr_dest_changed: adds after init leave cw at 1")
            << "add A 4; mark; add B 3; mark; add C 2; mark; pick 9"
            << "(1/1/4) (1/4/1) (1/4/1) C B A A B A C B A";
        // Bound after the adds (ip_vs_wrr_init_svc): cw = mw = 4 passes 4, 3, 2, 1.
        QTest::newRow("ip_vs_wrr_schedule: weights 4,3,2 from init_svc")
            << "add A 4; add B 3; add C 2; bind; mark; pick 10"
            << "(4/4/1) A B A C B A C B A A";
        QTest::newRow("ip_vs_wrr_schedule: gcd step 2 for weights 6,4")
            << "add A 6; add B 4; bind; mark; pick 6" << "(5/5/2) A B A B A A";
        // After A B, cw = 3 and cl = B. Adding D resets cl to the head with cw kept, so B is
        // chosen twice in a row.
        QTest::newRow("ip_vs_wrr_dest_changed: add restarts at the head, cw kept")
            << "add A 4; add B 3; add C 2; bind; pick 2; add D 1; mark; pick 9"
            << "A B (3/4/1) B A C B A D C B A";
        QTest::newRow("ip_vs_wrr_dest_changed: an edit that changes nothing restarts too")
            << "add A 4; add B 3; add C 2; bind; pick 2; weight C 2; mark; pick 8"
            << "A B (3/4/1) B A C B A C B A";
        QTest::newRow("ip_vs_wrr_dest_changed: cw above the new mw is clamped")
            << "add A 4; add B 3; add C 2; bind; pick 1; weight A 2; mark; pick 8"
            << "A (3/3/1) B C B A C B A B";
        QTest::newRow("ip_vs_wrr_dest_changed: cw rounded to the new step plus one")
            << "add A 6; add B 4; bind; pick 2; mark; weight B 3; mark; pick 4"
            << "A B (3/5/2) (4/4/3) A B A A";
        QTest::newRow("ip_vs_wrr_dest_changed: delete restarts at the head")
            << "add A 1; add B 1; add C 1; bind; pick 2; del C; pick 2" << "C B B A";
        QTest::newRow("ip_vs_wrr_schedule: weight 0 never reaches cw")
            << "add A 2; add Z 0; add B 1; bind; pick 6" << "A B A A B A";
        QTest::newRow("ip_vs_wrr_schedule: overloaded skipped in every pass")
            << "add A 4; add B 3; add C 2; bind; set B over; pick 7" << "A A C A C A A";
        QTest::newRow("ip_vs_wrr_schedule: all weight 0 (mw 0) is no destination")
            << "add A 0; add B 0; pick 1; mark" << "- (0/0/1)";
        QTest::newRow("ip_vs_wrr_schedule: all overloaded from the head, then recovers")
            << "add A 2; add B 1; bind; set A over; set B over; pick 1; mark; set B ok; pick 2"
            << "- (2/2/1) B B";
        // List A(2) B(2) C(1), cl = A, cw 2: the weight-1 pass over the whole list fails, so
        // the wrap ends the search with cl at the head and cw = mw; the next pick starts from
        // the head (A), where a cl left on A would give B.
        QTest::newRow("ip_vs_wrr_schedule: failure after the weight-1 pass resets to the head")
            << "add C 1; add B 2; add A 2; bind; pick 1; set A over; set B over; set C over;"
               " pick 1; mark; set A ok; set B ok; set C ok; pick 1"
            << "A - (2/2/1) A";
        // The failed search stops at 'last' (B) and leaves cl there, so the next search
        // starts after B; running on to the end would leave cl at the head and pick B.
        QTest::newRow("ip_vs_wrr_schedule: all overloaded from a server stops at it")
            << "add A 1; add B 1; bind; pick 1; set A over; set B over; pick 1;"
               " set A ok; set B ok; pick 2"
            << "B - A B";
    }
    void wrr() { check("wrr"); }

    void lc_data()
    {
        columns();
        QTest::newRow("ip_vs_lc_schedule: ties go to the newest")
            << "add A 1; add B 1; add C 1; pick" << "C";
        // One active connection weighs as much as 256 inactive ones: C and A 256, B 255
        // wins; B 256 ties and the newest, C, keeps it.
        QTest::newRow("ip_vs_dest_conn_overhead: 255 inactive below 1 active")
            << "add A 1; add B 1; add C 1; set C a=1; set B i=255; set A a=1; pick" << "B";
        QTest::newRow("ip_vs_dest_conn_overhead: 256 inactive equal 1 active")
            << "add A 1; add B 1; add C 1; set C a=1; set B i=256; set A a=1; pick" << "C";
        QTest::newRow("ip_vs_lc_schedule: inactive breaks the tie")
            << "add A 1; add B 1; set B a=1 i=2; set A a=1 i=1; pick" << "A";
        QTest::newRow("ip_vs_lc_schedule: weights other than 0 are ignored")
            << "add A 1; add B 100; set B a=1; pick" << "A";
        QTest::newRow("ip_vs_lc_schedule: weight 0 skipped though idle")
            << "add A 0; add B 1; set B a=5; pick" << "B";
        QTest::newRow("ip_vs_lc_schedule: overloaded skipped")
            << "add A 1; add B 1; set B over; set A a=3; pick" << "A";
        QTest::newRow("ip_vs_lc_schedule: none available") << "add A 0; add B 1; set B over; pick"
                                                           << "-";
        QTest::newRow("ip_vs_lc_schedule: connections alternate") << "add A 1; add B 5; conn 4"
                                                                  << "B A B A";
        // 2^24 active connections: (2^24 << 8) wraps the kernel's int overhead to 0.
        QTest::newRow("ip_vs_dest_conn_overhead: int overhead wraps at 2^24 active")
            << "add A 1; add B 1; set B a=16777216; set A a=1; pick" << "B";
    }
    void lc() { check("lc"); }

    void wlc_data()
    {
        columns();
        // C 512/3 = 170.7, B 256/2 = 128, A 256/1 = 256.
        QTest::newRow("ip_vs_wlc_schedule: least overhead per weight")
            << "add A 1; add B 2; add C 3; set A a=1; set B a=1; set C a=2; pick" << "B";
        // B 256/1 and A 512/2: 256 * 2 > 512 * 1 is false, the first stays.
        QTest::newRow("ip_vs_wlc_schedule: equal ratio keeps the newest")
            << "add A 2; add B 1; set A a=2; set B a=1; pick" << "B";
        QTest::newRow("ip_vs_wlc_schedule: inactive connections count")
            << "add A 1; add B 1; set B i=1; pick" << "A";
        QTest::newRow("ip_vs_wlc_schedule: idle servers tie whatever the weight")
            << "add B 10; add A 1; pick" << "A";
        QTest::newRow("ip_vs_wlc_schedule: weight 0 skipped for the first choice")
            << "add A 1; add Z 0; set A a=5; pick" << "A";
        QTest::newRow("ip_vs_wlc_schedule: weight 0 never wins later in the list")
            << "add Z 0; add A 1; set A a=5; pick" << "A";
        QTest::newRow("ip_vs_wlc_schedule: overloaded skipped")
            << "add A 1; add B 1; set B over; set A a=2; pick" << "A";
        QTest::newRow("ip_vs_wlc_schedule: none available") << "add A 0; add B 0; pick" << "-";
        // Weights A 1, B 3 (list B A): B, B, B, A as 0/3, 256/3 vs 0, ... worked pairwise.
        QTest::newRow("ip_vs_wlc_schedule: connections follow the weights")
            << "add A 1; add B 3; conn 5" << "B A B B B";
    }
    void wlc() { check("wlc"); }

    void sed_data()
    {
        columns();
        // The seeds' example: (A+1)*256/W = 512, 384, 341.3; compared as 4 * 2 > 3 * 3 etc.
        QTest::newRow("ip_vs_sed_schedule: seeds example, weight 3 wins (first in list)")
            << "add A 1; add B 2; add C 3; set A a=1; set B a=2; set C a=3; pick" << "C";
        QTest::newRow("ip_vs_sed_schedule: seeds example, weight 3 wins (last in list)")
            << "add C 3; add B 2; add A 1; set A a=1; set B a=2; set C a=3; pick" << "C";
        QTest::newRow("ip_vs_sed_schedule: idle servers go by weight, unlike wlc")
            << "add B 10; add A 1; pick" << "B";
        QTest::newRow("ip_vs_sed_dest_overhead: inactive connections ignored")
            << "add A 1; add B 1; set B i=100; pick" << "B";
        QTest::newRow("ip_vs_sed_schedule: equal expected delay keeps the newest")
            << "add A 2; add B 1; set A a=3; set B a=1; pick" << "B";
        QTest::newRow("ip_vs_sed_schedule: weight 0 and overloaded skipped")
            << "add A 1; add Z 0; add B 5; set B over; set A a=9; pick" << "A";
        QTest::newRow("ip_vs_sed_schedule: none available") << "add A 0; pick" << "-";
        // Weights A 1, B 2: 1/2 vs 1/1 B; 2/2 vs 1/1 B (tie); 3/2 vs 1/1 A; 3/2 vs 2/1 B;
        // 4/2 vs 2/1 B (tie).
        QTest::newRow("ip_vs_sed_schedule: connections 1:2 with ties to the newest")
            << "add A 1; add B 2; conn 5" << "B B A B B";
    }
    void sed() { check("sed"); }

    void nq_data()
    {
        columns();
        // H: (1+1)/10 beats I: 1/1 by sed, but I has no active connection.
        QTest::newRow("ip_vs_nq_schedule: an idle server first, whatever sed says")
            << "add I 1; add H 10; set H a=1; pick" << "I";
        QTest::newRow("ip_vs_nq_schedule: idle means no active; inactive ignored")
            << "add I 1; add H 10; set H a=1; set I i=50; pick" << "I";
        QTest::newRow("ip_vs_nq_schedule: the first idle in list order, weight ignored")
            << "add B 5; add A 1; pick" << "A";
        QTest::newRow("ip_vs_nq_schedule: weight 0 idle server skipped")
            << "add Z 0; add H 1; set H a=4; pick" << "H";
        QTest::newRow("ip_vs_nq_schedule: overloaded idle server skipped")
            << "add A 1; add B 1; set B over; set A a=1; pick" << "A";
        QTest::newRow("ip_vs_nq_schedule: no idle server, sed's rule (seeds example)")
            << "add A 1; add B 2; add C 3; set A a=1; set B a=2; set C a=3; pick" << "C";
        QTest::newRow("ip_vs_nq_schedule: no idle server, equal delay keeps the newest")
            << "add A 2; add B 1; set A a=3; set B a=1; pick" << "B";
        QTest::newRow("ip_vs_nq_schedule: none available") << "add A 0; pick" << "-";
        // Each idle server gets one first (B then A), then sed: 2/2 vs 2/1 B, 3/2 vs 2/1 B,
        // 4/2 vs 2/1 B (tie).
        QTest::newRow("ip_vs_nq_schedule: connections fill idle servers first")
            << "add A 1; add B 2; conn 5" << "B A B B B";
    }
    void nq() { check("nq"); }

    void fo_data()
    {
        columns();
        QTest::newRow("ip_vs_fo_schedule: highest weight") << "add A 1; add B 3; add C 2; pick"
                                                           << "B";
        QTest::newRow("ip_vs_fo_schedule: equal weights, the newest") << "add A 2; add B 2; pick"
                                                                      << "B";
        QTest::newRow("ip_vs_fo_schedule: load is ignored")
            << "add A 1; add B 3; set B a=1000; conn 2" << "B B";
        QTest::newRow("ip_vs_fo_schedule: overloaded fails over")
            << "add A 1; add B 3; set B over; pick" << "A";
        QTest::newRow("ip_vs_fo_schedule: weight 0 never chosen") << "add A 0; pick" << "-";
    }
    void fo() { check("fo"); }

    void ovf_data()
    {
        columns();
        // B (weight 2) takes connections while active <= 2, i.e. three, then A (weight 1)
        // two, then nothing is left.
        QTest::newRow("ip_vs_ovf_schedule: weight is the active connection limit")
            << "add A 1; add B 2; conn 6" << "B B B A A -";
        QTest::newRow("ip_vs_ovf_schedule: equal weights, the newest")
            << "add A 2; add B 2; pick" << "B";
        QTest::newRow("ip_vs_ovf_schedule: inactive connections do not count")
            << "add A 1; set A i=10; pick" << "A";
        QTest::newRow("ip_vs_ovf_schedule: overloaded skipped")
            << "add A 1; add B 2; set B over; pick" << "A";
        QTest::newRow("ip_vs_ovf_schedule: weight 0 skipped") << "add A 0; pick" << "-";
    }
    void ovf() { check("ovf"); }

    void twos_data()
    {
        columns();
        // List C(3) B(2) A(1): total 6, draws in [0, 6] by get_random_u32_below(7) =
        // (7 * r) >> 32; the walk gives C for 0..3, B for 4..5, A for 6.
        // 0x80000000 -> 3 (C), 0xA0000000 -> 4 (B); both idle: 2 * 0 > 3 * 0 is false.
        QTest::newRow("ip_vs_twos_schedule: equal load keeps the first choice")
            << "add A 1; add B 2; add C 3; rand 0x80000000 0xA0000000; pick" << "C";
        QTest::newRow("ip_vs_twos_schedule: second choice less loaded wins")
            << "add A 1; add B 2; add C 3; set C a=1; rand 0x80000000 0xA0000000; pick" << "B";
        QTest::newRow("ip_vs_twos_schedule: second choice more loaded loses")
            << "add A 1; add B 2; add C 3; set B a=1; rand 0x80000000 0xA0000000; pick" << "C";
        // C 512/3 vs B 256/2: 2 * 512 > 3 * 256.
        QTest::newRow("ip_vs_twos_schedule: load compared per weight")
            << "add A 1; add B 2; add C 3; set C a=2; set B a=1; rand 0x80000000 0xA0000000; pick"
            << "B";
        // Draws 4 (B) then 3 (C): the first draw is choice1 and keeps an equal-load tie.
        QTest::newRow("ip_vs_twos_schedule: the first draw makes choice1")
            << "add A 1; add B 2; add C 3; rand 0xA0000000 0x80000000; pick" << "B";
        // 0xFFFFFFFF -> 6 (A); a plain modulo would give 3 (C).
        QTest::newRow("get_random_u32_below: multiply-shift, not modulo")
            << "add A 1; add B 2; add C 3; rand 0xFFFFFFFF 0xFFFFFFFF; pick" << "A";
        // r = 0: low half 0 < 2^32 mod 7 = 4, rejected; the next draw 0x20000000 -> 0.
        QTest::newRow("get_random_u32_below: biased low half is drawn again")
            << "add A 1; add B 2; add C 3; rand 0 0x20000000 0x20000000; pick" << "C";
        // C overloaded, Z weight 0: total 3, ceil 4; 0xFFFFFFFF -> 3 (B -2 = 1, A -1 = 0: A),
        // 0x40000000 -> 1 exactly (low half 0, bound 2^32 mod 4 = 0: kept) -> B.
        QTest::newRow("ip_vs_twos_schedule: overloaded and weight 0 left out of the draw")
            << "add A 1; add Z 0; add B 2; add C 3; set C over; set A a=1;"
               " rand 0xFFFFFFFF 0x40000000; pick"
            << "B";
        QTest::newRow("ip_vs_twos_schedule: none available, nothing drawn")
            << "add A 0; add B 1; set B over; pick" << "-";
        QTest::newRow("ip_vs_twos_schedule: a single server, two draws")
            << "add A 5; rand 0x10000000 0x10000000; pick" << "A";
    }
    void twos() { check("twos"); }
};

QTEST_APPLESS_MAIN(TestBasicSchedulers)
#include "test_basic_schedulers.moc"
