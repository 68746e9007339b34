// IPVS statistics: counting, the 2-second rate estimator, read-out and zeroing.
#include "core/ipvs/stats.h"

#include <algorithm>

namespace lvs::core::ipvs {

namespace {

// One average: rate is the delta over 2 s already scaled (<<9 for 2^10 / 2 s, <<4 for 2^5 / 2 s);
// the kernel subtracts in s64 and shifts right by 2 (weight 1/4). The shift of a negative
// difference is arithmetic, so a falling average steps down by floor((rate - avg) / 4), not by
// a truncated quarter; C++20 defines both the conversion and the shift the way GCC does for
// the kernel.
void smooth(std::uint64_t& avg, std::uint64_t rate)
{
    const auto step = (static_cast<std::int64_t>(rate) - static_cast<std::int64_t>(avg)) >> 2;
    avg += static_cast<std::uint64_t>(step);
}

} // namespace

void estimateRound(Estimator& e, const StatsCounters& now)
{
    // "scaled by 2^10, but divided 2 seconds": the delta over the 2 s period times 2^10 / 2.
    smooth(e.cps, (now.conns - e.lastConns) << 9);
    e.lastConns = now.conns;
    smooth(e.inpps, (now.inpkts - e.lastInpkts) << 9);
    e.lastInpkts = now.inpkts;
    smooth(e.outpps, (now.outpkts - e.lastOutpkts) << 9);
    e.lastOutpkts = now.outpkts;
    // "scaled by 2^5, but divided 2 seconds": bytes keep fewer fraction bits so that large
    // byte rates fit (the fields were u32 before 4.1).
    smooth(e.inbps, (now.inbytes - e.lastInbytes) << 4);
    e.lastInbytes = now.inbytes;
    smooth(e.outbps, (now.outbytes - e.lastOutbytes) << 4);
    e.lastOutbytes = now.outbytes;
}

StatsRates readEstimator(const Estimator& e)
{
    // Adding just under one half before the shift: x.5 rounds down, anything above it up.
    StatsRates r;
    r.cps = (e.cps + 0x1FF) >> 10;
    r.inpps = (e.inpps + 0x1FF) >> 10;
    r.outpps = (e.outpps + 0x1FF) >> 10;
    r.inbps = (e.inbps + 0xF) >> 5;
    r.outbps = (e.outbps + 0xF) >> 5;
    return r;
}

void zeroEstimator(Estimator& e, const StatsCounters& kstats)
{
    e.lastConns = kstats.conns;
    e.lastInpkts = kstats.inpkts;
    e.lastOutpkts = kstats.outpkts;
    e.lastInbytes = kstats.inbytes;
    e.lastOutbytes = kstats.outbytes;
    e.cps = 0;
    e.inpps = 0;
    e.outpps = 0;
    e.inbps = 0;
    e.outbps = 0;
}

Stats::~Stats()
{
    if (m_estimation)
        m_estimation->stop(*this);
}

StatsSnapshot Stats::read() const
{
    StatsSnapshot s;
    s.counters.conns = m_kstats.conns - m_kstats0.conns;
    s.counters.inpkts = m_kstats.inpkts - m_kstats0.inpkts;
    s.counters.outpkts = m_kstats.outpkts - m_kstats0.outpkts;
    s.counters.inbytes = m_kstats.inbytes - m_kstats0.inbytes;
    s.counters.outbytes = m_kstats.outbytes - m_kstats0.outbytes;
    s.rates = readEstimator(m_est);
    return s;
}

void Stats::zero()
{
    m_kstats0 = m_kstats;
    zeroEstimator(m_est, m_kstats);
}

void Stats::estimate()
{
    // ip_vs_read_cpu_stats (up to 6.1) or the per-CPU sum in ip_vs_chain_estimation (6.2+):
    // kstats is refreshed here and nowhere else.
    m_kstats = m_live;
    estimateRound(m_est, m_kstats);
}

Estimation::Estimation(std::chrono::milliseconds now) : m_next(now + kEstimationInterval)
{
    start(m_total);
}

Estimation::~Estimation()
{
    for (Stats* s : m_list)
        s->m_estimation = nullptr;
    m_list.clear();
}

void Estimation::start(Stats& stats)
{
    if (stats.m_estimation == this)
        return;
    if (stats.m_estimation)
        stats.m_estimation->stop(stats);
    m_list.push_back(&stats);
    stats.m_estimation = this;
}

void Estimation::stop(Stats& stats)
{
    if (stats.m_estimation != this)
        return;
    m_list.erase(std::find(m_list.begin(), m_list.end(), &stats));
    stats.m_estimation = nullptr;
}

std::size_t Estimation::tick(std::chrono::milliseconds now)
{
    std::size_t rounds = 0;
    while (m_next <= now) {
        // estimation_timer: with run_estimation off it jumps straight to re-arming.
        if (m_run) {
            for (Stats* s : m_list)
                s->estimate();
        }
        m_next += kEstimationInterval;
        ++rounds;
    }
    return rounds;
}

void connStats(Stats& dest, Stats& service, Stats& total)
{
    dest.addConn();
    service.addConn();
    total.addConn();
}

bool inStats(Stats* dest, bool destAvailable, Stats& service, Stats& total, std::uint64_t len)
{
    if (!dest || !destAvailable)
        return false;
    dest->addIn(len);
    service.addIn(len);
    total.addIn(len);
    return true;
}

bool outStats(Stats* dest, bool destAvailable, Stats& service, Stats& total, std::uint64_t len)
{
    if (!dest || !destAvailable)
        return false;
    dest->addOut(len);
    service.addOut(len);
    total.addOut(len);
    return true;
}

} // namespace lvs::core::ipvs
