// The Maglev hashing scheduler "mh" (net/netfilter/ipvs/ip_vs_mh.c).
#include "core/ipvs/sched/hash_mh.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace lvs::core::ipvs {

namespace {

// is_unavailable() of ip_vs_mh.c: weight <= 0 or IP_VS_DEST_F_OVERLOAD.
bool isUnavailable(const Dest& dest)
{
    return dest.weight <= 0 || dest.overloaded;
}

// fls() (include/asm-generic/bitops/fls.h): the 1-based position of the highest set bit,
// 0 for 0.
int fls(unsigned x)
{
    return std::bit_width(x);
}

// struct ip_vs_mh_dest_setup.
struct DestSetup {
    std::uint32_t offset = 0;
    std::uint32_t skip = 0;
    std::uint32_t perm = 0;
    int turns = 0;
};

} // namespace

MaglevHashScheduler::MaglevHashScheduler(Service& service) : m_lookup(kTabSize, nullptr)
{
    destChanged(service);
}

std::uint32_t MaglevHashScheduler::hashKey(Ipv4 address, std::uint16_t port,
                                           const HsiphashKey& key, std::uint32_t offset)
{
    return hsiphash1u32(offset + port + address.value, key);
}

int MaglevHashScheduler::lastWeight(const Dest& dest) const
{
    return dest.lastWeight; // kept by Service as __ip_vs_update_dest keeps it
}

void MaglevHashScheduler::addDest(Service& service, Dest& dest)
{
    (void)dest;
    destChanged(service);
}

void MaglevHashScheduler::updDest(Service& service, Dest& dest)
{
    (void)dest;
    destChanged(service);
}

void MaglevHashScheduler::delDest(Service& service, Dest&)
{
    destChanged(service);
}

void MaglevHashScheduler::destChanged(Service& service)
{
    // ip_vs_mh_gcd_weight: gcd of the positive last weights (0 when there is none).
    int g = 0;
    int maxWeight = 0;
    service.forEachDest([&](Dest& d) {
        const int w = lastWeight(d);
        if (w > 0)
            g = g > 0 ? std::gcd(w, g) : w;
        if (w > maxWeight)
            maxWeight = w;
    });
    m_gcd = g;
    // ip_vs_mh_shift_weight: keep (max weight / gcd) within IP_VS_MH_TAB_BITS bits.
    m_rshift = 0;
    if (m_gcd >= 1) {
        const int shift = fls(static_cast<unsigned>(maxWeight / m_gcd)) - kTabBits;
        m_rshift = shift >= 0 ? shift : 0;
    }
    // ip_vs_mh_reassign refuses more destinations than slots (-EINVAL), keeping the old table.
    if (service.destCount() > kTabSize)
        return;
    permutateAndPopulate(service);
}

void MaglevHashScheduler::permutateAndPopulate(Service& service)
{
    // ip_vs_mh_populate with gcd < 1 (no destination with a positive last weight): reset.
    if (m_gcd < 1) {
        std::fill(m_lookup.begin(), m_lookup.end(), nullptr);
        return;
    }

    // ip_vs_mh_permutate: one setup per destination, in list order.
    std::vector<DestSetup> setup;
    setup.reserve(service.destCount());
    service.forEachDest([&](Dest& d) {
        DestSetup ds;
        ds.offset = hashKey(d.address, d.port, kHash1, 0) % kTabSize;
        ds.skip = hashKey(d.address, d.port, kHash2, 0) % (kTabSize - 1) + 1;
        ds.perm = ds.offset;
        const int lw = lastWeight(d);
        // "((lw / gcd) >> rshift) ? : (lw != 0)": a weight shifted to 0 still gets a turn.
        const int turns = (lw / m_gcd) >> m_rshift;
        ds.turns = turns ? turns : (lw != 0);
        setup.push_back(ds);
    });

    // ip_vs_mh_populate: passes over the list; in each a destination claims `turns` slots in a
    // row, each the next free one along its permutation. Slots not claimed keep nothing from
    // before because every slot is claimed once the loop ends.
    std::vector<bool> taken(kTabSize, false);
    ListNode& head = service.destinations();
    ListNode* p = &head;
    std::uint32_t n = 0;
    int dtCount = 0;
    while (n < kTabSize) {
        if (p == &head)
            p = p->next;
        std::size_t i = 0;
        while (p != &head) {
            DestSetup& ds = setup[i];
            if (ds.turns < 1) { // a destination whose last weight is 0
                p = p->next;
                ++i;
                continue;
            }
            std::uint32_t c = ds.perm;
            while (taken[c]) {
                ds.perm += ds.skip;
                if (ds.perm >= kTabSize)
                    ds.perm -= kTabSize;
                c = ds.perm;
            }
            taken[c] = true;
            m_lookup[c] = Service::dest(p);
            if (++n == kTabSize)
                return;
            if (++dtCount >= ds.turns) {
                dtCount = 0;
                p = p->next;
                ++i;
            }
        }
    }
}

Dest* MaglevHashScheduler::get(Ipv4 address, std::uint16_t port) const
{
    // ip_vs_mh_get
    Dest* dest = m_lookup[hashKey(address, port, kHash1, 0) % kTabSize];
    return (!dest || isUnavailable(*dest)) ? nullptr : dest;
}

Dest* MaglevHashScheduler::getFallback(Ipv4 address, std::uint16_t port) const
{
    // ip_vs_mh_get_fallback: the home slot, then rehash with offsets ihash, ihash + 1, ...
    // (mod 4093) added to the hashed value; an empty slot ends the search.
    const std::uint32_t ihash = hashKey(address, port, kHash1, 0) % kTabSize;
    Dest* dest = m_lookup[ihash];
    if (!dest)
        return nullptr;
    if (!isUnavailable(*dest))
        return dest;
    for (std::uint32_t offset = 0; offset < kTabSize; ++offset) {
        const std::uint32_t roffset = (offset + ihash) % kTabSize;
        dest = m_lookup[hashKey(address, port, kHash1, roffset) % kTabSize];
        if (!dest)
            break;
        if (!isUnavailable(*dest))
            return dest;
    }
    return nullptr;
}

Dest* MaglevHashScheduler::schedule(Service& service, const PacketInfo& packet)
{
    // ip_vs_mh_schedule: the source address of a new (never inverse) packet, and with mh-port
    // its source port (ip_vs_mh_get_port: TCP, UDP and SCTP, the only protocols here).
    const std::uint16_t port = (service.flags & kSvcSched2) ? packet.sport : 0;
    if (service.flags & kSvcSched1)
        return getFallback(packet.saddr, port);
    return get(packet.saddr, port);
}

} // namespace lvs::core::ipvs
