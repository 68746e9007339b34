// What lblc and lblcr share: the cache table keyed by destination address with its garbage
// collection timer, the weighted least-connection pick, and the "overloaded" test of a cached
// server (net/netfilter/ipvs/ip_vs_lblc.c and ip_vs_lblcr.c, which duplicate these).
#pragma once

#include "core/ipvs/sched/hash_functions.h"
#include "core/ipvs/service.h"

#include <array>
#include <cstdint>
#include <list>

namespace lvs::core::ipvs {

// __ip_vs_lblc_schedule / __ip_vs_lblcr_schedule: the weighted least-connection destination,
// overhead/weight compared by cross-multiplication; the first non-overloaded destination with
// a weight above 0 in list order starts, ties keep the earlier one. nullptr if none.
Dest* localityLeastConnection(Service& service);

// is_overloaded() of ip_vs_lblc.c / ip_vs_lblcr.c: the cached server has more active
// connections than its weight AND some destination of the service has fewer than half its
// weight in active connections. It is not the OVERLOAD flag, which a cache hit ignores.
bool localityOverloaded(const Dest& dest, Service& service);

// ip_vs_dest_conn_overhead(): activeconns << 8 plus inactconns, in the kernel's int.
int kernelConnOverhead(const Dest& dest);

// The hash table of struct ip_vs_lblc_table / ip_vs_lblcr_table: 1024 buckets
// (CONFIG_IP_VS_LBLC_TAB_BITS = 10) of entries added at the bucket's head, an entry counter,
// and what ip_vs_lblc_check_expire keeps between runs (rover, counter). Entry needs `Ipv4
// address` and `std::uint64_t lastUse` (seconds).
//
// The kernel runs check_expire from a timer every 60 s after init_service. Here time is the
// injected clock and nothing runs on its own: runTimers(now) performs, in order and each at its
// own due time, every run that fell due at or before now. The scheduler calls it first thing in
// schedule(), the only place where the table's state can be observed, so the result is what
// the kernel's timer would have produced (with the timer firing exactly on time).
template <typename Entry>
class LocalityTable {
public:
    static constexpr unsigned kTabBits = 10;
    static constexpr int kTabSize = 1 << kTabBits;
    static constexpr int kTabMask = kTabSize - 1;
    static constexpr int kMaxSize = kTabSize * 16;            // tbl->max_size
    static constexpr std::uint64_t kCheckExpireInterval = 60; // CHECK_EXPIRE_INTERVAL
    static constexpr std::uint64_t kEntryTimeout = 6 * 60;    // ENTRY_TIMEOUT
    static constexpr std::uint64_t kExpiration = 24 * 60 * 60; // DEFAULT_EXPIRATION (sysctl)
    static constexpr int kCountForFullExpiration = 30;        // COUNT_FOR_FULL_EXPIRATION

    // init_service: the first check is due CHECK_EXPIRE_INTERVAL after now.
    explicit LocalityTable(std::uint64_t now) : m_nextCheck(now + kCheckExpireInterval) {}

    // ip_vs_lblc_hashkey: hash_32(ntohl(daddr), 10).
    static int bucketOf(Ipv4 address) { return static_cast<int>(hash32(address.value, kTabBits)); }

    // ip_vs_lblc_get: the entry of an address, or nullptr.
    Entry* find(Ipv4 address)
    {
        for (Entry& e : m_buckets[bucketOf(address)])
            if (e.address == address)
                return &e;
        return nullptr;
    }
    const Entry* find(Ipv4 address) const
    {
        return const_cast<LocalityTable*>(this)->find(address);
    }
    // ip_vs_lblc_hash: at the head of its bucket, counted.
    Entry& add(Entry entry)
    {
        auto& bucket = m_buckets[bucketOf(entry.address)];
        bucket.push_front(std::move(entry));
        ++m_entries;
        return bucket.front();
    }
    // ip_vs_lblc_del as ip_vs_lblc_new calls it when it replaces an entry: unlinked but NOT
    // uncounted (no atomic_dec), so the kernel's count grows by one per replacement.
    void removeUncounted(const Entry* entry)
    {
        m_buckets[bucketOf(entry->address)].remove_if([&](const Entry& e) { return &e == entry; });
    }

    // Every check_expire run due at or before now (see the class comment).
    void runTimers(std::uint64_t now)
    {
        while (m_nextCheck <= now) {
            if (size() == 0) {
                fastForwardEmpty(now);
                return;
            }
            checkExpire(m_nextCheck);
            m_nextCheck += kCheckExpireInterval;
        }
    }

    // atomic_read(&tbl->entries): may exceed size() (see removeUncounted).
    int entries() const { return m_entries; }
    std::size_t size() const
    {
        std::size_t n = 0;
        for (const auto& b : m_buckets)
            n += b.size();
        return n;
    }
    std::uint64_t nextCheck() const { return m_nextCheck; }
    int counter() const { return m_counter; }

private:
    // Drops the entries of bucket j last used at least `age` seconds before now; returns how
    // many (each also uncounted, as the timer paths do).
    int expireBucket(int j, std::uint64_t now, std::uint64_t age)
    {
        int dropped = 0;
        m_buckets[j].remove_if([&](const Entry& e) {
            // time_before(now, lastuse + age) keeps an entry.
            if (now < e.lastUse + age)
                return false;
            ++dropped;
            return true;
        });
        m_entries -= dropped;
        return dropped;
    }

    // ip_vs_lblc_full_check: every bucket from rover + 1 round to rover, dropping entries
    // unused for the expiration time (24 h).
    void fullCheck(std::uint64_t now)
    {
        int j = m_rover;
        for (int i = 0; i < kTabSize; ++i) {
            j = (j + 1) & kTabMask;
            expireBucket(j, now, kExpiration);
        }
        m_rover = j;
    }

    // ip_vs_lblc_check_expire: every 30th run (counted by `counter`) a full check; otherwise,
    // only when the table holds more than max_size entries, drop entries idle for 6 minutes
    // bucket by bucket from the rover until the goal is met. The counter does not advance
    // while the table is over max_size.
    void checkExpire(std::uint64_t now)
    {
        if (m_counter % kCountForFullExpiration == 0) {
            fullCheck(now);
            m_counter = 1;
            return;
        }
        if (m_entries <= kMaxSize) {
            ++m_counter;
            return;
        }
        int goal = (m_entries - kMaxSize) * 4 / 3;
        if (goal > kMaxSize / 2)
            goal = kMaxSize / 2;
        int j = m_rover;
        for (int i = 0; i < kTabSize; ++i) {
            j = (j + 1) & kTabMask;
            goal -= expireBucket(j, now, kEntryTimeout);
            if (goal <= 0)
                break;
        }
        m_rover = j;
    }

    // The runs from m_nextCheck to now over an empty table drop nothing and leave the rover
    // where it is (a walk of every bucket ends where it started); only the counter moves, as
    // checkExpire would move it. This spares a run per simulated minute over long idle times.
    void fastForwardEmpty(std::uint64_t now)
    {
        const std::uint64_t runs = (now - m_nextCheck) / kCheckExpireInterval + 1;
        if (m_entries <= kMaxSize) {
            // counter -> counter % 30 + 1 per run, counter staying within 1..30.
            m_counter = static_cast<int>((static_cast<std::uint64_t>(m_counter) - 1 + runs) %
                                         kCountForFullExpiration) + 1;
        } else if (m_counter % kCountForFullExpiration == 0) {
            m_counter = 1; // one full check, then stuck over max_size
        }
        m_nextCheck += runs * kCheckExpireInterval;
    }

    std::array<std::list<Entry>, kTabSize> m_buckets;
    int m_entries = 0;
    int m_rover = 0;
    int m_counter = 1;
    std::uint64_t m_nextCheck;
};

} // namespace lvs::core::ipvs
