// Benchmark: the decision cost of each IPVS scheduler at 4, 64 and 1024 destinations, printed
// as ns per decision and as a ratio to rr at the same size (the cheapest possible decision).
#include "core/ipvs/service.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

using namespace lvs::core;
using namespace lvs::core::ipvs;

namespace {

const char* const kSchedulers[] = {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos",
                                   "dh", "sh", "mh", "lblc", "lblcr"};

void BM_Schedule(benchmark::State& state, const std::string& name)
{
    const int n = static_cast<int>(state.range(0));
    Service service;
    service.address = Ipv4{0xac126407};
    service.port = 80;
    std::uint32_t seed = 12345;
    std::uint64_t now = 0;
    SchedulerContext context;
    context.clock = [&now] { return now; };
    context.random = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    auto scheduler = makeScheduler(name, service, context);
    if (!scheduler) {
        state.SkipWithError("scheduler not built");
        return;
    }
    service.setScheduler(std::move(scheduler));
    for (int i = 0; i < n; ++i) {
        DestSettings d;
        d.address = Ipv4{0xc0a80000u + static_cast<std::uint32_t>(i) + 1};
        d.port = 80;
        d.weight = 1 + i % 5;
        Dest& dest = service.addDest(d);
        // Uneven loads, so the least-connection family compares for real.
        dest.activeConns = static_cast<std::uint32_t>((i * 7) % 13);
        dest.inactConns = static_cast<std::uint32_t>((i * 3) % 11);
    }
    PacketInfo packet;
    packet.daddr = service.address;
    packet.dport = 80;
    std::uint32_t client = 0x0a000001;
    for (auto _ : state) {
        packet.saddr = Ipv4{client};
        packet.daddr = Ipv4{0xac120000u + (client & 0xffff)}; // varies for dh/lblc
        client += 0x9e3779b1u;
        benchmark::DoNotOptimize(service.scheduler()->schedule(service, packet));
    }
}

class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& r : runs)
            if (!r.error_occurred)
                m_times[r.benchmark_name()] = r.GetAdjustedRealTime();
        ConsoleReporter::ReportRuns(runs);
    }
    void Finalize() override
    {
        ConsoleReporter::Finalize();
        std::printf("\nns per decision (ratio to rr at the same size):\n%-6s", "");
        for (int n : {4, 64, 1024})
            std::printf("%22d", n);
        std::printf("\n");
        for (const char* name : kSchedulers) {
            std::printf("%-6s", name);
            for (int n : {4, 64, 1024}) {
                std::string key = std::string("BM_Schedule/") + name + "/" + std::to_string(n);
                std::string rr = "BM_Schedule/rr/" + std::to_string(n);
                if (m_times.count(key) && m_times.count(rr))
                    std::printf("%14.1f (%5.1fx)", m_times[key], m_times[key] / m_times[rr]);
                else
                    std::printf("%22s", "-");
            }
            std::printf("\n");
        }
    }

private:
    std::map<std::string, double> m_times;
};

} // namespace

int main(int argc, char** argv)
{
    for (const char* name : kSchedulers)
        benchmark::RegisterBenchmark((std::string("BM_Schedule/") + name).c_str(), BM_Schedule, std::string(name))
            ->Arg(4)->Arg(64)->Arg(1024);
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
