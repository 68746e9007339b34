// IPVS statistics: the counters of services, destinations and the netns total, and the rate
// estimator that turns them into what ipvsadm --rate shows (include/net/ip_vs.h struct
// ip_vs_stats / ip_vs_estimator, net/netfilter/ipvs/ip_vs_est.c, ip_vs_ctl.c, ip_vs_core.c).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lvs::core::ipvs {

// The five counters of struct ip_vs_counters / struct ip_vs_kstats. 64-bit as in every kernel
// since 4.1; netlink hands them over whole, the old sockopt interface cuts conns and packets
// to 32 bits (ip_vs_ctl.c ip_vs_export_stats_user).
struct StatsCounters {
    std::uint64_t conns = 0;    // connections scheduled
    std::uint64_t inpkts = 0;   // packets client -> real server
    std::uint64_t outpkts = 0;  // packets real server -> client (NAT only: DR/TUN replies bypass)
    std::uint64_t inbytes = 0;
    std::uint64_t outbytes = 0;

    friend bool operator==(const StatsCounters&, const StatsCounters&) = default;
};

// Decoded rates, per second, as ipvsadm --rate prints them (CPS InPPS OutPPS InBPS OutBPS;
// the BPS columns are bytes, not bits).
struct StatsRates {
    std::uint64_t cps = 0;
    std::uint64_t inpps = 0;
    std::uint64_t outpps = 0;
    std::uint64_t inbps = 0;
    std::uint64_t outbps = 0;

    friend bool operator==(const StatsRates&, const StatsRates&) = default;
};

// What ip_vs_copy_stats hands to user space (struct ip_vs_kstats): counters since the last
// zeroing and the decoded rates. ipvsadm --stats prints the first half, --rate the second.
struct StatsSnapshot {
    StatsCounters counters;
    StatsRates rates;

    friend bool operator==(const StatsSnapshot&, const StatsSnapshot&) = default;
};

// struct ip_vs_estimator without its list link: the counters seen at the previous round, and
// the averages in fixed point, cps/inpps/outpps scaled by 2^10 and inbps/outbps by 2^5 (the
// note at the top of ip_vs_est.c). All u64 as in kernels since 4.1.
struct Estimator {
    std::uint64_t lastConns = 0;
    std::uint64_t lastInpkts = 0;
    std::uint64_t lastOutpkts = 0;
    std::uint64_t lastInbytes = 0;
    std::uint64_t lastOutbytes = 0;
    std::uint64_t cps = 0;
    std::uint64_t inpps = 0;
    std::uint64_t outpps = 0;
    std::uint64_t inbps = 0;
    std::uint64_t outbps = 0;

    friend bool operator==(const Estimator&, const Estimator&) = default;
};

// The estimation period: the timer re-arms itself at jiffies + 2*HZ (ip_vs_est.c
// estimation_timer); the 6.2+ kthreads still visit each estimator once per 2 s.
inline constexpr std::chrono::milliseconds kEstimationInterval{2000};

// One round for one estimator given the counters now: avg += (rate - avg) / 4 with rate the
// delta over 2 s, in the kernel's shifts (ip_vs_est.c, the loop body of estimation_timer up
// to 6.1 and of ip_vs_chain_estimation from 6.2; the arithmetic is the same in both).
void estimateRound(Estimator& e, const StatsCounters& now);
// ip_vs_read_estimator: the averages rounded back to whole units per second.
StatsRates readEstimator(const Estimator& e);
// ip_vs_zero_estimator: the averages restart from 0 and the next delta is taken from kstats.
void zeroEstimator(Estimator& e, const StatsCounters& kstats);

class Estimation;

// struct ip_vs_stats of one service, one destination or the netns total. The data path counts
// into the live counters (the kernel's per-CPU cpustats); only an estimation round copies
// them to kstats, which is what ipvsadm reads. Neither copyable nor movable: an Estimation
// keeps its address while it is started.
class Stats {
public:
    Stats() = default;
    // Leaves its Estimation's list if still on it (the kernel requires ip_vs_stop_estimator
    // before the free; here the destructor does it).
    ~Stats();
    Stats(const Stats&) = delete;
    Stats& operator=(const Stats&) = delete;

    // The data path's updates of this object's counters (ip_vs_core.c; use connStats,
    // inStats and outStats, which update a destination, its service and the total together).
    void addConn() { ++m_live.conns; }
    void addIn(std::uint64_t len)
    {
        ++m_live.inpkts;
        m_live.inbytes += len;
    }
    void addOut(std::uint64_t len)
    {
        ++m_live.outpkts;
        m_live.outbytes += len;
    }

    // Everything the data path counted so far, never zeroed: the sum over CPUs that
    // /proc/net/ip_vs_stats_percpu lists.
    const StatsCounters& live() const { return m_live; }
    // The sum as of the last estimation round (kstats); ipvsadm lags the data path by up to 2 s.
    const StatsCounters& kstats() const { return m_kstats; }
    const Estimator& estimator() const { return m_est; }
    // Whether an Estimation has it on its list (ip_vs_start_estimator ... ip_vs_stop_estimator).
    bool started() const { return m_estimation != nullptr; }

    // ip_vs_ctl.c ip_vs_copy_stats: kstats minus the zero point, and the decoded rates.
    StatsSnapshot read() const;
    // ip_vs_ctl.c ip_vs_zero_stats (ipvsadm -Z): the zero point becomes kstats, not the live
    // counters, so what was counted since the last round still shows after the next one; the
    // averages restart from 0 (ip_vs_zero_estimator).
    void zero();

private:
    friend class Estimation;
    // One estimation round: kstats := the live counters, then the averages move.
    void estimate();

    StatsCounters m_live;
    StatsCounters m_kstats;
    StatsCounters m_kstats0; // the zero point ipvsadm -Z set
    Estimator m_est;
    Estimation* m_estimation = nullptr;
};

// The estimation of one network namespace: the list of started Stats, the timer that visits
// them every 2 s, and the total (ipvs->tot_stats, started with the namespace in
// ip_vs_control_net_init). Time is injected: tick(now) runs the rounds that fell due.
class Estimation {
public:
    // __ip_vs_estimator_init (up to 6.1): set up at now, the first round is due 2 s later.
    explicit Estimation(std::chrono::milliseconds now = std::chrono::milliseconds{0});
    // Takes every Stats off the list (they outlive it without an estimator).
    ~Estimation();
    Estimation(const Estimation&) = delete;
    Estimation& operator=(const Estimation&) = delete;

    Stats& total() { return m_total; }
    const Stats& total() const { return m_total; }

    // ip_vs_start_estimator: stats is visited from the next round on; its estimator keeps its
    // values (a destination back from the trash resumes where it stopped). No-op if already
    // on this list; moves it if it was on another one.
    void start(Stats& stats);
    // ip_vs_stop_estimator: no more rounds for stats (a deleted service or destination). No-op
    // if it is not on this list.
    void stop(Stats& stats);

    // Runs every round due at or before now, each 2 s after the previous one, and returns how
    // many fell due. A round that fell due while run_estimation is off passes without touching
    // anything. Contract: call tick(now) before counting what happens at now; counts made
    // before a late tick all land in the first round that fell due.
    std::size_t tick(std::chrono::milliseconds now);
    // When the next round is due.
    std::chrono::milliseconds nextRound() const { return m_next; }
    std::size_t startedCount() const { return m_list.size(); }

    // sysctl net.ipv4.vs.run_estimation (default 1). Off, estimation_timer skips the whole
    // round, reading the per-CPU counters included: ipvsadm's counters freeze as well as its
    // rates, and the first round after it is back on sees the whole gap as one 2 s delta.
    void setRunEstimation(bool on) { m_run = on; }
    bool runEstimation() const { return m_run; }

private:
    std::vector<Stats*> m_list; // est_list
    std::chrono::milliseconds m_next;
    bool m_run = true;
    Stats m_total; // last member: its destructor runs after ~Estimation emptied m_list
};

// ip_vs_core.c ip_vs_conn_stats: a new connection counts once on its destination (cp->dest),
// on the service that scheduled it and on the netns total.
void connStats(Stats& dest, Stats& service, Stats& total);
// ip_vs_core.c ip_vs_in_stats / ip_vs_out_stats: a packet of len bytes (skb->len: the whole IP
// packet) counts on the connection's destination, that destination's service (dest->svc) and
// the total, but only when the connection has a destination that is still available
// (IP_VS_DEST_F_AVAILABLE, cleared while the destination sits in the trash). dest may be
// nullptr (a connection without a destination). Returns whether it counted.
bool inStats(Stats* dest, bool destAvailable, Stats& service, Stats& total, std::uint64_t len);
bool outStats(Stats* dest, bool destAvailable, Stats& service, Stats& total, std::uint64_t len);

} // namespace lvs::core::ipvs
