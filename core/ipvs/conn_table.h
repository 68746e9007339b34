// The IPVS connection table: every connection (and persistence template) the director tracks,
// found by its client-side tuple on the way in and by its server-side tuple on the way out,
// and expired on time. Built for the seeds' headline of 4 million concurrent connections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <vector>

namespace lvs::core::ipvs {

// Allocates large arrays on 2 MiB boundaries and asks for transparent huge pages (a hint the
// kernel may ignore): at 4 million entries a lookup's two random accesses otherwise each pay a
// page-table walk on top of the cache miss.
template <typename T>
struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) {}
    T* allocate(std::size_t n);
    void deallocate(T* p, std::size_t) { std::free(p); }
    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const { return true; }
};
void adviseHugePages(void* p, std::size_t bytes);

template <typename T>
T* HugePageAllocator<T>::allocate(std::size_t n)
{
    constexpr std::size_t kHuge = std::size_t(2) << 20;
    std::size_t bytes = n * sizeof(T);
    if (bytes < kHuge) {
        if (void* p = std::malloc(bytes ? bytes : 1))
            return static_cast<T*>(p);
        throw std::bad_alloc();
    }
    bytes = (bytes + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, bytes);
    if (!p)
        throw std::bad_alloc();
    adviseHugePages(p, bytes);
    return static_cast<T*>(p);
}

using ConnIndex = std::uint32_t;
inline constexpr ConnIndex kNoConn = 0xffffffffu;

// One entry, 60 bytes (the kernel's struct ip_vs_conn is a 320-byte slab object on 64-bit).
// Addresses are host-order IPv4; times are whole seconds of the injected clock.
struct ConnEntry {
    std::uint32_t caddr = 0; // client
    std::uint32_t vaddr = 0; // virtual address (or the firewall mark of a template)
    std::uint32_t daddr = 0; // real server
    std::uint32_t laddr = 0; // FULLNAT local address (0 otherwise)
    std::uint16_t cport = 0;
    std::uint16_t vport = 0;
    std::uint16_t dport = 0;
    std::uint16_t lport = 0;
    std::uint8_t protocol = 6;
    std::uint8_t state = 0;   // the protocol's state (proto_state.h)
    std::uint16_t flags = 0;  // kConnTemplate, ...
    std::uint32_t dest = 0;   // the destination, as its owner numbers them
    ConnIndex control = kNoConn; // the persistence template controlling this connection
    std::uint32_t controlled = 0; // a template's n_control: connections it controls
    std::uint32_t expires = 0;
    std::uint32_t timeout = 0;
    // Links of the server-side hash chain and of the timer slot's list; owned by the table.
    ConnIndex outNext = kNoConn;
    ConnIndex timerPrev = kNoConn;
    ConnIndex timerNext = kNoConn;
};
static_assert(sizeof(ConnEntry) <= 64, "a connection entry fits one cache line");

inline constexpr std::uint16_t kConnTemplate = 0x1000; // IP_VS_CONN_F_TEMPLATE
// Taken out of the client-side index (ip_vs_conn_unhash): no lookup finds it again, while its
// timer and its server-side entry run on. ip_vs_check_template does this to a template whose
// destination is gone.
inline constexpr std::uint16_t kConnUnhashed = 0x2000;
// A slot of the table that holds no connection (erased, waiting for reuse).
inline constexpr std::uint16_t kConnFree = 0x4000;
// No timer: the entry lives until it is erased.
inline constexpr std::uint32_t kNever = 0xffffffffu;

class ConnTable {
public:
    // expectedEntries sizes the storage and the hash tables up front (no rehash below it).
    explicit ConnTable(std::size_t expectedEntries = 1024);

    // Adds an entry (its link fields are ignored) due to expire at entry.expires; kNoConn when
    // the table holds kMaxEntries already (the caller drops the packet, as the kernel does when
    // ip_vs_conn_new cannot allocate).
    ConnIndex insert(const ConnEntry& entry);
    static constexpr std::uint32_t kMaxEntries = (1u << 23) - 1;
    // Takes an entry out of the client-side index only (see kConnUnhashed).
    void unhashIn(ConnIndex index);
    // Client -> virtual service direction: <protocol, caddr, cport, vaddr, vport>
    // (ip_vs_conn_in_get).
    ConnIndex findIn(std::uint8_t protocol, std::uint32_t caddr, std::uint16_t cport,
                     std::uint32_t vaddr, std::uint16_t vport) const;
    // Real server -> client direction: <protocol, daddr, dport, peer, peerPort> where the peer
    // is the client, or the local address for FULLNAT (ip_vs_conn_out_get).
    ConnIndex findOut(std::uint8_t protocol, std::uint32_t daddr, std::uint16_t dport,
                      std::uint32_t peer, std::uint16_t peerPort) const;
    // A persistence template by its key (ip_vs_ct_in_get): only valid templates match.
    ConnIndex findTemplate(std::uint8_t protocol, std::uint32_t cnet, std::uint32_t vaddr,
                           std::uint16_t vport) const;
    const ConnEntry& at(ConnIndex index) const { return m_entries[index]; }
    ConnEntry& at(ConnIndex index) { return m_entries[index]; }
    // Moves an entry's timer: it now expires at `expires` (ip_vs_conn_put's mod_timer).
    void rearm(ConnIndex index, std::uint32_t expires);
    void erase(ConnIndex index);

    // Fires every timer due at or before now, oldest slot first. onExpire(index) returns the
    // new expiry to keep the entry (re-armed), or nullopt to have it erased.
    template <typename OnExpire>
    std::size_t expire(std::uint32_t now, OnExpire&& onExpire);

    // Calls f(index, entry) for every live entry (connections and templates), in slot order:
    // what `ipvsadm -Lc` lists.
    template <typename F>
    void forEach(F&& f) const
    {
        for (ConnIndex i = 0; i < m_entries.size(); ++i)
            if (!(m_entries[i].flags & kConnFree))
                f(i, m_entries[i]);
    }

    std::size_t size() const { return m_size; }
    // Bytes held: entries, both hash tables and the timer wheel.
    std::size_t memoryBytes() const;

private:
    static constexpr std::uint32_t kWheelSlots = 4096; // one-second slots

    // The client-side index: open addressing with linear probing over 16-byte slots that hold
    // the whole key, so a lookup reads one slot (one cache miss) instead of a chain head and
    // then an entry. tag = index << 9 | template << 8 | protocol, or kEmptySlot.
    struct InSlot {
        std::uint32_t caddr;
        std::uint32_t vaddr;
        std::uint16_t cport;
        std::uint16_t vport;
        std::uint32_t tag;
    };
    static constexpr std::uint32_t kEmptySlot = 0xffffffffu;
    static std::uint32_t slotTag(ConnIndex index, bool isTemplate, std::uint8_t protocol)
    {
        return (index << 9) | (isTemplate ? 0x100u : 0u) | protocol;
    }
    ConnIndex probeIn(std::uint8_t protocol, bool isTemplate, std::uint32_t caddr, std::uint16_t cport,
                      std::uint32_t vaddr, std::uint16_t vport) const;
    void insertIn(ConnIndex index);
    void eraseIn(ConnIndex index);

    std::uint32_t inHash(std::uint8_t protocol, std::uint32_t a, std::uint16_t p, std::uint32_t b,
                         std::uint16_t q) const;
    void link(ConnIndex index);
    void unlinkChains(ConnIndex index);
    void timerAdd(ConnIndex index);
    void timerRemove(ConnIndex index);
    void grow();

    std::vector<ConnEntry, HugePageAllocator<ConnEntry>> m_entries;
    std::vector<InSlot, HugePageAllocator<InSlot>> m_in;        // client-side tuple
    std::uint32_t m_inMask = 0;
    std::vector<ConnIndex, HugePageAllocator<ConnIndex>> m_out; // bucket heads, server-side tuple
    std::vector<ConnIndex> m_wheel;
    std::vector<ConnIndex> m_free; // erased slots, reused first
    std::size_t m_size = 0;
    std::uint32_t m_mask = 0;
    std::uint32_t m_lastExpired = 0;
};

template <typename OnExpire>
std::size_t ConnTable::expire(std::uint32_t now, OnExpire&& onExpire)
{
    std::size_t fired = 0;
    if (now < m_lastExpired)
        return 0;
    // Walk each second's slot once; a gap longer than the wheel walks every slot once.
    std::uint64_t steps = std::min<std::uint64_t>(std::uint64_t(now) - m_lastExpired + 1, kWheelSlots);
    for (std::uint64_t s = steps; s-- > 0;) {
        std::uint32_t slot = static_cast<std::uint32_t>((now - s) % kWheelSlots);
        ConnIndex i = m_wheel[slot];
        while (i != kNoConn) {
            ConnIndex next = m_entries[i].timerNext;
            if (m_entries[i].expires <= now) {
                ++fired;
                if (auto again = onExpire(i))
                    rearm(i, *again);
                else
                    erase(i);
            }
            i = next;
        }
    }
    m_lastExpired = now;
    return fired;
}

} // namespace lvs::core::ipvs
