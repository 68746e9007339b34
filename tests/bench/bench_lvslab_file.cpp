// Benchmark: loading a large .lvslab file with positioned errors, against nlohmann-json's own
// parse of the same text (the floor), and saving it. Prints the ratio to the floor.
#include "core/io/lvslab_file.h"
#include "core/model/edit.h"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdio>

using namespace lvs::core;

namespace {

// A director with one service over n real servers on one segment: the size of a large class lab.
std::string bigDocument(int n)
{
    Topology t;
    t.name = "bench";
    Id director = *edit::addNode(t, NodeKind::Director, "Director", {0, 0});
    Id lan = *edit::addNode(t, NodeKind::Segment, "LAN", {0, 0});
    edit::connect(t, {director, t.findNode(director)->interfaces[0].id}, {lan, kNoId});
    VirtualService s;
    s.address = Ipv4{0xac126407};
    s.port = 80;
    Id service = *edit::addService(t, director, s);
    for (int i = 0; i < n; ++i) {
        Id rs = *edit::addNode(t, NodeKind::RealServer, "", {i, i});
        Node node = *t.findNode(rs);
        Ipv4 rip{0x0a000000u + static_cast<std::uint32_t>(i) + 1};
        node.interfaces[0].addresses.push_back(Ipv4Prefix{rip, 8});
        node.apps.push_back(AppService{});
        edit::setNode(t, node);
        edit::connect(t, {rs, node.interfaces[0].id}, {lan, kNoId});
        Destination d;
        d.realServer = rs;
        d.address = rip;
        edit::addDestination(t, director, service, d);
    }
    return serializeLvslab(t);
}

const std::string& document()
{
    static const std::string text = bigDocument(2000);
    return text;
}

void BM_NlohmannParse(benchmark::State& state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(nlohmann::ordered_json::parse(document()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document().size()));
}

void BM_LvslabLoad(benchmark::State& state)
{
    for (auto _ : state) {
        auto t = parseLvslab(document(), "bench.lvslab");
        if (!t)
            state.SkipWithError("load failed");
        benchmark::DoNotOptimize(t);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document().size()));
}

void BM_LvslabSerialize(benchmark::State& state)
{
    auto t = parseLvslab(document(), "bench.lvslab");
    for (auto _ : state)
        benchmark::DoNotOptimize(serializeLvslab(*t));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document().size()));
}

BENCHMARK(BM_NlohmannParse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LvslabLoad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LvslabSerialize)->Unit(benchmark::kMillisecond);

// Collects the per-iteration times so the run can end with the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& r : runs)
            m_times[r.benchmark_name()] = r.GetAdjustedRealTime();
        ConsoleReporter::ReportRuns(runs);
    }
    void Finalize() override
    {
        ConsoleReporter::Finalize();
        double floor = m_times["BM_NlohmannParse"];
        if (floor > 0)
            std::printf("\n%zu-byte document (2000 real servers): load = %.2fx nlohmann parse, "
                        "serialize = %.2fx nlohmann parse\n",
                        document().size(), m_times["BM_LvslabLoad"] / floor,
                        m_times["BM_LvslabSerialize"] / floor);
    }

private:
    std::map<std::string, double> m_times;
};

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    document(); // built before timing starts
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
