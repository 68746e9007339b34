// The IPVS connection table: two chained hash indexes over one array of 64-byte entries, and a
// one-second timer wheel.
#include "core/ipvs/conn_table.h"

#include <bit>
#include <sys/mman.h>

namespace lvs::core::ipvs {

namespace {

// A 64-bit mix (the finaliser of MurmurHash3): cheap and spreads nearby addresses and ports.
// The kernel hashes with jhash and a random seed into 2^12 buckets; the bucket a connection
// lands in is not observable, so this table picks its own hash and grows with its load.
std::uint64_t mix(std::uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

} // namespace

void adviseHugePages(void* p, std::size_t bytes)
{
    ::madvise(p, bytes, MADV_HUGEPAGE); // a hint: without THP the table still works
}

ConnTable::ConnTable(std::size_t expectedEntries)
    : m_wheel(kWheelSlots, kNoConn)
{
    std::size_t buckets = std::bit_ceil(std::max<std::size_t>(expectedEntries * 2, 1024));
    m_entries.reserve(expectedEntries);
    m_in.assign(buckets, InSlot{0, 0, 0, 0, kEmptySlot});
    m_inMask = static_cast<std::uint32_t>(buckets - 1);
    m_out.assign(buckets, kNoConn);
    m_mask = static_cast<std::uint32_t>(buckets - 1);
}

std::uint32_t ConnTable::inHash(std::uint8_t protocol, std::uint32_t a, std::uint16_t p,
                                std::uint32_t b, std::uint16_t q) const
{
    std::uint64_t k = ((std::uint64_t(a) << 32) | (std::uint64_t(p) << 16) | protocol)
        ^ (((std::uint64_t(b) << 16) | q) * 0x9e3779b97f4a7c15ULL);
    return static_cast<std::uint32_t>(mix(k)) & m_mask;
}

ConnIndex ConnTable::probeIn(std::uint8_t protocol, bool isTemplate, std::uint32_t caddr,
                             std::uint16_t cport, std::uint32_t vaddr, std::uint16_t vport) const
{
    // m_mask and m_inMask are equal (both tables grow together), so inHash gives the home slot.
    const std::uint32_t kind = (isTemplate ? 0x100u : 0u) | protocol;
    for (std::uint32_t j = inHash(protocol, caddr, cport, vaddr, vport);; j = (j + 1) & m_inMask) {
        const InSlot& slot = m_in[j];
        if (slot.tag == kEmptySlot)
            return kNoConn;
        if ((slot.tag & 0x1ffu) == kind && slot.caddr == caddr && slot.cport == cport
            && slot.vaddr == vaddr && slot.vport == vport)
            return slot.tag >> 9;
    }
}

void ConnTable::insertIn(ConnIndex i)
{
    const ConnEntry& e = m_entries[i];
    std::uint32_t j = inHash(e.protocol, e.caddr, e.cport, e.vaddr, e.vport);
    while (m_in[j].tag != kEmptySlot)
        j = (j + 1) & m_inMask;
    m_in[j] = InSlot{e.caddr, e.vaddr, e.cport, e.vport, slotTag(i, e.flags & kConnTemplate, e.protocol)};
}

void ConnTable::eraseIn(ConnIndex i)
{
    const ConnEntry& e = m_entries[i];
    std::uint32_t hole = inHash(e.protocol, e.caddr, e.cport, e.vaddr, e.vport);
    while (m_in[hole].tag == kEmptySlot || (m_in[hole].tag >> 9) != i) {
        if (m_in[hole].tag == kEmptySlot)
            return; // not indexed
        hole = (hole + 1) & m_inMask;
    }
    // Backward-shift deletion: pull later slots of the run into the hole when their home slot
    // allows, so probing never needs tombstones.
    for (std::uint32_t j = (hole + 1) & m_inMask; m_in[j].tag != kEmptySlot; j = (j + 1) & m_inMask) {
        const InSlot& s = m_in[j];
        std::uint32_t home = inHash(static_cast<std::uint8_t>(s.tag & 0xff), s.caddr, s.cport, s.vaddr, s.vport);
        bool staysPut = (j > hole) ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!staysPut) {
            m_in[hole] = s;
            hole = j;
        }
    }
    m_in[hole].tag = kEmptySlot;
}

void ConnTable::unhashIn(ConnIndex i)
{
    if (m_entries[i].flags & kConnUnhashed)
        return;
    eraseIn(i);
    m_entries[i].flags |= kConnUnhashed;
}

void ConnTable::link(ConnIndex i)
{
    ConnEntry& e = m_entries[i];
    if (!(e.flags & kConnUnhashed))
        insertIn(i);
    // The reply of a FULLNAT connection is addressed to the local address; of any other, to
    // the client.
    std::uint32_t peer = e.laddr ? e.laddr : e.caddr;
    std::uint16_t peerPort = e.laddr ? e.lport : e.cport;
    std::uint32_t out = inHash(e.protocol, e.daddr, e.dport, peer, peerPort);
    e.outNext = m_out[out];
    m_out[out] = i;
}

void ConnTable::unlinkChains(ConnIndex i)
{
    ConnEntry& e = m_entries[i];
    auto unlinkFrom = [&](auto& heads, std::uint32_t bucket, ConnIndex ConnEntry::*next) {
        ConnIndex* p = &heads[bucket];
        while (*p != kNoConn && *p != i)
            p = &(m_entries[*p].*next);
        if (*p == i)
            *p = e.*next;
    };
    if (!(e.flags & kConnUnhashed))
        eraseIn(i);
    std::uint32_t peer = e.laddr ? e.laddr : e.caddr;
    std::uint16_t peerPort = e.laddr ? e.lport : e.cport;
    unlinkFrom(m_out, inHash(e.protocol, e.daddr, e.dport, peer, peerPort), &ConnEntry::outNext);
}

void ConnTable::timerAdd(ConnIndex i)
{
    ConnEntry& e = m_entries[i];
    ConnIndex& head = m_wheel[e.expires % kWheelSlots];
    e.timerPrev = kNoConn;
    e.timerNext = head;
    if (head != kNoConn)
        m_entries[head].timerPrev = i;
    head = i;
}

void ConnTable::timerRemove(ConnIndex i)
{
    ConnEntry& e = m_entries[i];
    if (e.timerPrev != kNoConn)
        m_entries[e.timerPrev].timerNext = e.timerNext;
    else
        m_wheel[e.expires % kWheelSlots] = e.timerNext;
    if (e.timerNext != kNoConn)
        m_entries[e.timerNext].timerPrev = e.timerPrev;
    e.timerPrev = e.timerNext = kNoConn;
}

void ConnTable::grow()
{
    std::size_t buckets = m_in.size() * 2;
    m_in.assign(buckets, InSlot{0, 0, 0, 0, kEmptySlot});
    m_inMask = static_cast<std::uint32_t>(buckets - 1);
    m_out.assign(buckets, kNoConn);
    m_mask = static_cast<std::uint32_t>(buckets - 1);
    for (ConnIndex i = 0; i < m_entries.size(); ++i)
        if (!(m_entries[i].flags & kConnFree))
            link(i);
}

ConnIndex ConnTable::insert(const ConnEntry& entry)
{
    if (m_size >= kMaxEntries)
        return kNoConn;
    ConnIndex i;
    if (!m_free.empty()) {
        i = m_free.back();
        m_free.pop_back();
        m_entries[i] = entry;
    } else {
        i = static_cast<ConnIndex>(m_entries.size());
        m_entries.push_back(entry);
    }
    ++m_size;
    if (m_size * 2 > m_in.size()) {
        // Keep chains short: at most one entry per two buckets, so a hit rarely walks a chain.
        grow(); // links every live entry, this one included
    } else {
        link(i);
    }
    timerAdd(i);
    return i;
}

ConnIndex ConnTable::findIn(std::uint8_t protocol, std::uint32_t caddr, std::uint16_t cport,
                            std::uint32_t vaddr, std::uint16_t vport) const
{
    return probeIn(protocol, false, caddr, cport, vaddr, vport);
}

ConnIndex ConnTable::findTemplate(std::uint8_t protocol, std::uint32_t cnet, std::uint32_t vaddr,
                                  std::uint16_t vport) const
{
    return probeIn(protocol, true, cnet, 0, vaddr, vport);
}

ConnIndex ConnTable::findOut(std::uint8_t protocol, std::uint32_t daddr, std::uint16_t dport,
                             std::uint32_t peer, std::uint16_t peerPort) const
{
    for (ConnIndex i = m_out[inHash(protocol, daddr, dport, peer, peerPort)]; i != kNoConn;
         i = m_entries[i].outNext) {
        const ConnEntry& e = m_entries[i];
        std::uint32_t ePeer = e.laddr ? e.laddr : e.caddr;
        std::uint16_t ePort = e.laddr ? e.lport : e.cport;
        if (e.daddr == daddr && e.dport == dport && ePeer == peer && ePort == peerPort
            && e.protocol == protocol)
            return i;
    }
    return kNoConn;
}

void ConnTable::rearm(ConnIndex i, std::uint32_t expires)
{
    timerRemove(i);
    m_entries[i].expires = expires;
    timerAdd(i);
}

void ConnTable::erase(ConnIndex i)
{
    timerRemove(i);
    unlinkChains(i);
    m_entries[i].flags |= kConnFree;
    m_free.push_back(i);
    --m_size;
}

std::size_t ConnTable::memoryBytes() const
{
    return m_entries.capacity() * sizeof(ConnEntry) + m_in.capacity() * sizeof(InSlot)
        + m_out.capacity() * sizeof(ConnIndex)
        + m_wheel.capacity() * sizeof(ConnIndex) + m_free.capacity() * sizeof(ConnIndex);
}

} // namespace lvs::core::ipvs
