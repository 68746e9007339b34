// Benchmark: the connection table at the seeds' 4 million concurrent connections: insert,
// lookup (mean and median) and expiry, with bytes per entry, against std::unordered_map holding
// the same entries (the alternative a straightforward implementation would use).
#include "core/ipvs/balancer.h"
#include "core/ipvs/conn_table.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <unordered_map>
#include <vector>

using namespace lvs::core::ipvs;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kEntries = 4'000'000;

ConnEntry entry(std::uint32_t i)
{
    ConnEntry e;
    e.caddr = 0x0a000000u + (i >> 8);            // 10.x.y.z clients
    e.cport = static_cast<std::uint16_t>(1024 + (i & 0xff) * 200);
    e.vaddr = 0xac126407;
    e.vport = 80;
    e.daddr = 0xc0a80a0bu + (i & 1);
    e.dport = 80;
    e.expires = 900 + (i % 120);
    return e;
}

struct Key {
    std::uint64_t a, b;
    bool operator==(const Key&) const = default;
};
struct KeyHash {
    std::size_t operator()(const Key& k) const { return std::hash<std::uint64_t>()(k.a * 31 + k.b); }
};
Key keyOf(const ConnEntry& e)
{
    return Key{(std::uint64_t(e.caddr) << 32) | (std::uint64_t(e.cport) << 16) | e.protocol,
               (std::uint64_t(e.vaddr) << 16) | e.vport};
}

double seconds(SteadyClock::time_point a, SteadyClock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

std::size_t residentBytes()
{
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<std::size_t>(resident) * 4096;
}

// Median of per-lookup times, measured in batches of 256 random lookups.
template <typename Find>
double medianLookupNs(Find&& find)
{
    std::mt19937 rng(42);
    std::vector<double> batches;
    std::vector<std::uint32_t> picks(256);
    std::size_t found = 0;
    for (int b = 0; b < 4000; ++b) {
        for (auto& p : picks)
            p = rng() % kEntries;
        auto t0 = SteadyClock::now();
        for (std::uint32_t p : picks)
            found += find(entry(p));
        auto t1 = SteadyClock::now();
        batches.push_back(seconds(t0, t1) * 1e9 / double(picks.size()));
    }
    if (found != 4000u * 256u)
        std::printf("lookup missed %zu entries\n", 4000u * 256u - found);
    std::nth_element(batches.begin(), batches.begin() + batches.size() / 2, batches.end());
    return batches[batches.size() / 2];
}

} // namespace

int main()
{
    std::printf("connection table, %u entries (sizeof(ConnEntry) = %zu)\n", kEntries, sizeof(ConnEntry));

    std::size_t rss0 = residentBytes();
    auto t0 = SteadyClock::now();
    ConnTable table(kEntries);
    for (std::uint32_t i = 0; i < kEntries; ++i)
        table.insert(entry(i));
    auto t1 = SteadyClock::now();
    std::size_t rss1 = residentBytes();
    double insertNs = seconds(t0, t1) * 1e9 / kEntries;
    double tableMedian = medianLookupNs([&](const ConnEntry& e) {
        return table.findIn(e.protocol, e.caddr, e.cport, e.vaddr, e.vport) != kNoConn;
    });
    auto t2 = SteadyClock::now();
    std::size_t expired = table.expire(960, [](ConnIndex) -> std::optional<std::uint32_t> { return std::nullopt; });
    auto t3 = SteadyClock::now();
    double expireNs = seconds(t2, t3) * 1e9 / double(expired ? expired : 1);
    double bytesPerEntry = double(table.memoryBytes()) / kEntries;
    double rssPerEntry = double(rss1 - rss0) / kEntries;

    std::size_t rss2 = residentBytes();
    auto u0 = SteadyClock::now();
    std::unordered_map<Key, ConnEntry, KeyHash> map;
    map.reserve(kEntries);
    for (std::uint32_t i = 0; i < kEntries; ++i) {
        ConnEntry e = entry(i);
        map.emplace(keyOf(e), e);
    }
    auto u1 = SteadyClock::now();
    std::size_t rss3 = residentBytes();
    double mapInsertNs = seconds(u0, u1) * 1e9 / kEntries;
    double mapMedian = medianLookupNs([&](const ConnEntry& e) { return map.count(keyOf(e)); });
    double mapPerEntry = double(rss3 - rss2) / kEntries;

    std::printf("ConnTable:          insert %.0f ns, lookup median %.0f ns, expiry %.0f ns per entry "
                "(%zu expired), %.1f bytes per entry (%.1f resident), %.0f MiB for 4M\n",
                insertNs, tableMedian, expireNs, expired, bytesPerEntry, rssPerEntry,
                double(table.memoryBytes()) / (1 << 20));
    std::printf("std::unordered_map: insert %.0f ns, lookup median %.0f ns, %.1f resident bytes per entry "
                "(one index only)\n",
                mapInsertNs, mapMedian, mapPerEntry);
    std::printf("ratios (ConnTable / unordered_map): insert %.2fx, lookup %.2fx, memory %.2fx\n",
                insertNs / mapInsertNs, tableMedian / mapMedian, rssPerEntry / mapPerEntry);
    // The whole engine: 4M new connections through a Balancer (wlc over 8 real servers, the
    // ipvsadm default), each scheduled, bound and counted as the director would.
    {
        ServiceSettings settings;
        settings.address = lvs::core::Ipv4{0xac126407};
        settings.port = 80;
        std::size_t before = residentBytes();
        auto balancer = std::move(*Balancer::create(settings, {}, kEntries));
        for (std::uint32_t d = 0; d < 8; ++d)
            (void)balancer->addDest(DestSettings{lvs::core::Ipv4{0xc0a80a0bu + d}, 80,
                                                 lvs::core::ForwardMethod::Masq, 1, 0, 0});
        lvs::core::ipvs::PacketInfo p;
        p.daddr = settings.address;
        p.dport = 80;
        auto b0 = SteadyClock::now();
        std::size_t made = 0;
        for (std::uint32_t i = 0; i < kEntries; ++i) {
            ConnEntry e = entry(i);
            p.saddr = lvs::core::Ipv4{e.caddr};
            p.sport = e.cport;
            made += balancer->connect(p).has_value();
        }
        auto b1 = SteadyClock::now();
        std::printf("Balancer (wlc, 8 servers): %zu concurrent connections, %.0f ns per new "
                    "connection, %.1f resident bytes per connection\n",
                    made, seconds(b0, b1) * 1e9 / kEntries,
                    double(residentBytes() - before) / kEntries);
    }
    std::printf("targets: <= 128 bytes per entry (4M in 512 MiB): %s; lookup median < 100 ns: %s\n",
                bytesPerEntry <= 128 ? "met" : "MISSED", tableMedian < 100 ? "met" : "MISSED");
    return (bytesPerEntry <= 128 && tableMedian < 100) ? 0 : 1;
}
