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
    m_in.assign(buckets, kNoConn);
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

void ConnTable::link(ConnIndex i)
{
    ConnEntry& e = m_entries[i];
    std::uint32_t in = inHash(e.protocol, e.caddr, e.cport, e.vaddr, e.vport);
    e.inNext = m_in[in];
    m_in[in] = i;
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
    unlinkFrom(m_in, inHash(e.protocol, e.caddr, e.cport, e.vaddr, e.vport), &ConnEntry::inNext);
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
    m_in.assign(buckets, kNoConn);
    m_out.assign(buckets, kNoConn);
    m_mask = static_cast<std::uint32_t>(buckets - 1);
    std::vector<bool> freed(m_entries.size(), false);
    for (ConnIndex f : m_free)
        freed[f] = true;
    for (ConnIndex i = 0; i < m_entries.size(); ++i)
        if (!freed[i])
            link(i);
}

ConnIndex ConnTable::insert(const ConnEntry& entry)
{
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
    for (ConnIndex i = m_in[inHash(protocol, caddr, cport, vaddr, vport)]; i != kNoConn;
         i = m_entries[i].inNext) {
        const ConnEntry& e = m_entries[i];
        if (e.caddr == caddr && e.cport == cport && e.vaddr == vaddr && e.vport == vport
            && e.protocol == protocol && !(e.flags & kConnTemplate))
            return i;
    }
    return kNoConn;
}

ConnIndex ConnTable::findTemplate(std::uint8_t protocol, std::uint32_t cnet, std::uint32_t vaddr,
                                  std::uint16_t vport) const
{
    for (ConnIndex i = m_in[inHash(protocol, cnet, 0, vaddr, vport)]; i != kNoConn; i = m_entries[i].inNext) {
        const ConnEntry& e = m_entries[i];
        if ((e.flags & (kConnTemplate | kConnTemplateInvalid)) == kConnTemplate && e.caddr == cnet
            && e.cport == 0 && e.vaddr == vaddr && e.vport == vport && e.protocol == protocol)
            return i;
    }
    return kNoConn;
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
    m_free.push_back(i);
    --m_size;
}

std::size_t ConnTable::memoryBytes() const
{
    return m_entries.capacity() * sizeof(ConnEntry) + (m_in.capacity() + m_out.capacity()) * sizeof(ConnIndex)
        + m_wheel.capacity() * sizeof(ConnIndex) + m_free.capacity() * sizeof(ConnIndex);
}

} // namespace lvs::core::ipvs
