// ipvsadm's output formats (-L with --stats/--rate/--exact/--thresholds/--persistent-conn,
// -c, -S) over plain data, mirroring ipvsadm 1.31's ipvsadm.c byte for byte.
#include "core/ipvsadm/listing.h"

#include "core/ipvs/balancer.h"
#include "core/ipvs/conn_table.h"
#include "core/ipvs/listing.h"
#include "core/ipvs/proto_state.h"
#include "core/ipvs/service.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

namespace lvs::core::ipvsadm {

namespace {

// snprintf into a std::string; every format here is short, 256 bytes is ample.
template <typename... Args>
std::string format(const char* fmt, Args... args)
{
    char buf[256];
    int n = std::snprintf(buf, sizeof buf, fmt, args...);
    return std::string(buf, n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
}

// addr_to_anyname: the resolver's name, else inet_ntop's form.
std::string addrToAnyname(const Address& address, const NameResolver& names)
{
    if (names.host)
        if (std::optional<std::string> name = names.host(address))
            return *name;
    return address.toString();
}

// port_to_anyname: a service name for TCP, UDP and SCTP only (port_to_service), else the
// number ("%u").
std::string portToAnyname(std::uint16_t port, int protocol, const NameResolver& names)
{
    if ((protocol == 6 || protocol == 17 || protocol == 132) && names.service)
        if (std::optional<std::string> name = names.service(port, protocol))
            return *name;
    return std::to_string(port);
}

// addrport_to_anyname: "%s%s%s:%u" with -n, "%s%s%s:%s" of the names otherwise, the middle
// part bracketed for any family but AF_INET, so an IPv6 host name is bracketed too
// ("[www6]:http"). It prints into a malloc(60) buffer with snprintf(buf, 60, ...): at most 59
// characters, which only a long host or service name reaches.
std::string addrportToAnyname(const Address& address, std::uint16_t port, int protocol,
                              bool numeric, const NameResolver& names)
{
    std::string host = numeric ? address.toString() : addrToAnyname(address, names);
    std::string service = numeric ? std::to_string(port) : portToAnyname(port, protocol, names);
    std::string out = address.ipv6 ? "[" + host + "]:" + service : host + ":" + service;
    if (out.size() > 59)
        out.resize(59);
    return out;
}

// `int r = ntohl(a) - ntohl(b)`: unsigned subtraction wrapped to int, as libipvs computes it,
// so two words more than 2^31 apart compare the "wrong" way round.
int wrappedDifference(std::uint32_t a, std::uint32_t b)
{
    return static_cast<int>(a - b);
}

// union nf_inet_addr as libipvs's comparators read it: four 32-bit words through ntohl
// (s6_addr32[i]), an IPv4 address in the first (addr.ip) and zeros after, since libipvs
// zeroes each entry before copying the kernel's 16 address bytes in.
std::array<std::uint32_t, 4> addressWords(const Address& a)
{
    if (!a.ipv6)
        return {a.v4.value, 0, 0, 0};
    std::array<std::uint32_t, 4> w{};
    for (std::size_t i = 0; i < 4; ++i)
        w[i] = std::uint32_t{a.v6[4 * i]} << 24 | std::uint32_t{a.v6[4 * i + 1]} << 16
            | std::uint32_t{a.v6[4 * i + 2]} << 8 | std::uint32_t{a.v6[4 * i + 3]};
    return w;
}

// The address step of ipvs_cmp_services and ipvs_cmp_dests: word by word while equal when
// the *first* entry is AF_INET6, else the first word only, each by wrapped subtraction. Only
// the first entry's family is asked: ipvs_cmp_services has compared the families already, but
// ipvs_cmp_dests has not, so a destination of the other family (a tunnel) compares through
// the union (an IPv4 address as the first word of an IPv6 one, or only the first word of an
// IPv6 address against an IPv4 one).
int compareAddresses(const Address& a, const Address& b)
{
    std::array<std::uint32_t, 4> x = addressWords(a);
    std::array<std::uint32_t, 4> y = addressWords(b);
    for (std::size_t i = 0; i < (a.ipv6 ? 4u : 1u); ++i)
        if (int r = wrappedDifference(x[i], y[i]))
            return r;
    return 0;
}

constexpr int kAfInet = 2;   // AF_INET
constexpr int kAfInet6 = 10; // AF_INET6

// se->af: a fwmark service's -6, else its address's family.
bool isIpv6(const ListedService& s)
{
    return s.fwmark ? s.ipv6 : s.address.ipv6;
}

// libipvs.c ipvs_cmp_services: fwmark (wrapped), af (so every IPv4 service sorts before every
// IPv6 one, whatever the protocol), protocol number, address, port. A fwmark service reaches
// libipvs with protocol, address and port zero (the kernel sends only its mark and family),
// so it compares by mark and family alone.
int compareServices(const ListedService& a, const ListedService& b)
{
    if (int r = wrappedDifference(a.fwmark, b.fwmark))
        return r;
    if (int r = (isIpv6(a) ? kAfInet6 : kAfInet) - (isIpv6(b) ? kAfInet6 : kAfInet))
        return r;
    if (a.fwmark) // then b.fwmark too, the marks being equal
        return 0;
    if (int r = ipProtocolNumber(a.protocol) - ipProtocolNumber(b.protocol))
        return r;
    if (int r = compareAddresses(a.address, b.address))
        return r;
    return static_cast<int>(a.port) - static_cast<int>(b.port);
}

// libipvs.c ipvs_cmp_dests: address, then port (the destination's own, as the kernel has it).
int compareDests(const ListedDest& a, const ListedDest& b)
{
    if (int r = compareAddresses(a.address, b.address))
        return r;
    return static_cast<int>(a.port) - static_cast<int>(b.port);
}

// ipvs_sort_services / ipvs_sort_dests call qsort(), which in Debian's glibc (2.36, msort.c
// msort_with_tmp) is a top-down merge sort: halves of n / 2 and n - n / 2, merged taking from
// the left while cmp(left, right) <= 0. The wrapped comparisons are not transitive (three
// addresses spread round 2^32 compare in a cycle), so the order printed depends on the
// algorithm, not only on the comparator: std::stable_sort would agree only on consistent input.
template <typename T, typename Compare>
void glibcMergeSort(std::vector<const T*>& v, std::size_t first, std::size_t n, Compare cmp)
{
    if (n <= 1)
        return;
    std::size_t n1 = n / 2;
    std::size_t n2 = n - n1;
    glibcMergeSort(v, first, n1, cmp);
    glibcMergeSort(v, first + n1, n2, cmp);
    std::vector<const T*> merged;
    merged.reserve(n);
    std::size_t i = first;
    std::size_t j = first + n1;
    while (n1 > 0 && n2 > 0) {
        if (cmp(*v[i], *v[j]) <= 0) {
            merged.push_back(v[i++]);
            --n1;
        } else {
            merged.push_back(v[j++]);
            --n2;
        }
    }
    while (n1-- > 0) // what is left of the right half is in place already
        merged.push_back(v[i++]);
    std::copy(merged.begin(), merged.end(), v.begin() + static_cast<std::ptrdiff_t>(first));
}

template <typename T, typename Compare>
std::vector<const T*> inOrder(const std::vector<T>& items, bool noSort, Compare cmp)
{
    std::vector<const T*> out;
    for (const T& item : items)
        out.push_back(&item);
    if (!noSort)
        glibcMergeSort(out, 0, out.size(), cmp);
    return out;
}

std::vector<const ListedService*> servicesInOrder(const std::vector<ListedService>& services,
                                                  bool noSort)
{
    return inOrder(services, noSort, compareServices);
}

std::vector<const ListedDest*> destsInOrder(const ListedService& s, bool noSort)
{
    return inOrder(s.dests, noSort, compareDests);
}

// print_sched_flags: core/ipvs/listing's schedFlagsText, shared with the designed-table listing.
std::string schedFlags(const ListedService& s)
{
    return schedFlagsText(s.scheduler, s.flags);
}

bool hasSchedFlags(const ListedService& s)
{
    return s.flags & (ipvs::kSvcSched1 | ipvs::kSvcSched2 | ipvs::kSvcSched3);
}

// fwd_switch: the -a option of a forwarding method. FullNat is not upstream's (fwd_switch
// returns NULL there). DPVS's fwd_switch writes "-b", but -b is upstream's --sched-flags, so
// the long "--fullnat" is written: lvsadm -R reads it back, and so does DPVS's ipvsadm, whose
// popt table has that long name (docs/ipvsadm-dialect.md). fwd_name's "FullNat" for the
// listing is DPVS's and comes from core/ipvs/listing's forwardName().
std::string_view fwdSwitch(ForwardMethod method)
{
    switch (method) {
    case ForwardMethod::Masq: return "-m";
    case ForwardMethod::Tunnel: return "-i";
    case ForwardMethod::Route: return "-g";
    case ForwardMethod::FullNat: return "--fullnat";
    }
    return "-g";
}

// print_service_entry's svc_name. The fwmark goes through "%d", so a mark above INT_MAX
// prints negative, as ipvsadm's does; an AF_INET6 fwmark service gains " -6" (-S) or " IPv6"
// (-L). Only an AF_INET name is cut at 33 characters (svc_name[33] = '\0'); an IPv6 one runs
// on, past the "%-33s" of --stats and --rate.
std::string svcName(const ListedService& s, bool rule, bool numeric, const NameResolver& names)
{
    if (s.fwmark)
        return format(rule ? "-f %d%s" : "FWM  %d%s", static_cast<int>(s.fwmark),
                      isIpv6(s) ? (rule ? " -6" : " IPv6") : "");
    std::string vname =
        addrportToAnyname(s.address, s.port, ipProtocolNumber(s.protocol), numeric, names);
    if (rule) {
        std::string_view opt = s.protocol == Protocol::Tcp ? "-t"
            : s.protocol == Protocol::Udp               ? "-u"
                                                        : "--sctp-service";
        return std::string(opt) + " " + vname;
    }
    // "%-4s %s" of protocol_name() and the name: "TCP  10.0.0.1:80", "SCTP 10.0.0.1:3868".
    const char* stype = s.protocol == Protocol::Tcp ? "TCP"
        : s.protocol == Protocol::Udp               ? "UDP"
                                                    : "SCTP";
    std::string name = format("%-4s %s", stype, vname.c_str());
    if (!isIpv6(s) && name.size() > 33)
        name.resize(33);
    return name;
}

// The " -M" / " mask" part of a persistent service: an AF_INET mask other than
// 255.255.255.255 through inet_ntoa, an AF_INET6 prefix length other than 128 through "%i"
// (so a value past INT_MAX, which the kernel never holds, would print negative).
std::optional<std::string> persistenceMask(const ListedService& s)
{
    if (isIpv6(s)) {
        if (s.netmask == 128)
            return std::nullopt;
        return format("%i", static_cast<int>(s.netmask));
    }
    if (s.netmask == 0xffffffffu)
        return std::nullopt;
    return Ipv4{s.netmask}.toString();
}

} // namespace

std::string largeNumber(std::uint64_t i, bool exact)
{
    if (exact) {
        int len = static_cast<int>(std::to_string(i).size());
        return format("%*llu", len <= 8 ? 9 : len + 1, static_cast<unsigned long long>(i));
    }
    auto ull = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    if (i < 100000000ULL)
        return format("%9llu", ull(i));
    if (i < 1000000000ULL)
        return format("%8lluK", ull(i / 1000));
    if (i < 100000000000ULL)
        return format("%8lluM", ull(i / 1000000));
    if (i < 100000000000000ULL)
        return format("%8lluG", ull(i / 1000000000ULL));
    return format("%8lluT", ull(i / 1000000000000ULL));
}

std::string versionLine()
{
    return format("IP Virtual Server version %s (size=%d)\n", lvs::core::kIpvsVersion,
                  lvs::core::kIpvsConnTabSize);
}

std::string title(const ListFormat& f)
{
    if (f.stats)
        return format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                      "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes",
                      "OutBytes");
    if (f.rate)
        return format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                      "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
    if (f.thresholds)
        return format("%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n",
                      "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn",
                      "InActConn");
    if (f.persistentConn)
        return format("%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n",
                      "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn",
                      "InActConn");
    if (f.tunInfo)
        return "Prot LocalAddress:Port Scheduler Flags\n"
               "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
    return "Prot LocalAddress:Port Scheduler Flags\n"
           "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
}

namespace {

constexpr std::uint32_t kOnePacket = 0x0004; // IP_VS_SVC_F_ONEPACKET (-o)

constexpr const char* kTunNames[3] = {"ipip", "gue", "gre"};              // tunnames[]
constexpr const char* kTunFlags[3] = {"-c", "+c", "r+c"};                 // tunflags[]
constexpr const char* kTunFlagOpts[3] = {"--tun-nocsum", "--tun-csum", "--tun-remcsum"}; // tun_flags_opts[]

bool validTunnel(const ListedDest& d)
{
    return d.tunnelType >= 0 && d.tunnelType < 3 && d.tunnelFlags >= 0 && d.tunnelFlags < 3;
}

// fwd_tun_info: "ipip", "gue:PORT:FLAGS", "gre:FLAGS" for a tunnel destination (at most 15
// characters, snprintf(info, 16, ...)), nothing for other methods ("n/a" is printed then).
std::optional<std::string> fwdTunInfo(const ListedDest& d)
{
    if (d.method != ForwardMethod::Tunnel || !validTunnel(d))
        return std::nullopt;
    std::string info;
    switch (d.tunnelType) {
    case 0: info = kTunNames[0]; break;
    case 1: info = format("%s:%d:%s", kTunNames[1], d.tunnelPort, kTunFlags[d.tunnelFlags]); break;
    default: info = format("%s:%s", kTunNames[2], kTunFlags[d.tunnelFlags]); break;
    }
    if (info.size() > 15)
        info.resize(15);
    return info;
}

// print_tunnel_rule: the -S line of a tunnel destination, with its --tun-* options.
std::string tunnelRule(const std::string& svc, const std::string& dname, const ListedDest& d)
{
    std::string head = "-a " + svc + " -r " + dname + " -i" + format(" -w %d", d.weight);
    if (!validTunnel(d))
        return head + "\n";
    switch (d.tunnelType) {
    case 2: return head + " --tun-type gre " + kTunFlagOpts[d.tunnelFlags] + "\n";
    case 1:
        return head + format(" --tun-type gue --tun-port %d ", d.tunnelPort) +
            kTunFlagOpts[d.tunnelFlags] + "\n";
    default: return head + " --tun-type ipip\n";
    }
}

// print_service_entry with FMT_RULE or without; title() is printed by the caller.
std::string entry(const ListedService& s, const ListFormat& f, bool rule,
                  const NameResolver& names)
{
    std::string out;
    std::string svc = svcName(s, rule, f.numeric, names);
    const ipvs::StatsCounters& c = s.stats.counters;
    const ipvs::StatsRates& r = s.stats.rates;
    bool persistent = s.flags & ipvs::kSvcPersistent;

    if (rule) {
        out += "-A " + svc + " -s " + s.scheduler;
        if (persistent) {
            out += format(" -p %u", s.timeout);
            if (std::optional<std::string> mask = persistenceMask(s))
                out += " -M " + *mask;
        }
        if (!s.peName.empty())
            out += " --pe " + s.peName;
        if (s.flags & kOnePacket)
            out += " -o";
        if (hasSchedFlags(s))
            out += " -b " + schedFlags(s);
    } else if (f.stats) {
        out += format("%-33s", svc.c_str());
        for (std::uint64_t v : {c.conns, c.inpkts, c.outpkts, c.inbytes, c.outbytes})
            out += largeNumber(v, f.exact);
    } else if (f.rate) {
        out += format("%-33s", svc.c_str());
        for (std::uint64_t v : {r.cps, r.inpps, r.outpps, r.inbps, r.outbps})
            out += largeNumber(v, f.exact);
    } else {
        out += svc + " " + s.scheduler;
        if (hasSchedFlags(s))
            out += " (" + schedFlags(s) + ")";
        if (persistent) {
            out += format(" persistent %u", s.timeout);
            if (std::optional<std::string> mask = persistenceMask(s))
                out += " mask " + *mask;
            if (!s.peName.empty()) // only shown for a persistent service
                out += " pe " + s.peName;
        }
        if (s.flags & kOnePacket)
            out += " ops";
    }
    out += "\n";

    int proto = s.fwmark ? 0 : ipProtocolNumber(s.protocol);
    for (const ListedDest* d : destsInOrder(s, f.noSort)) {
        std::string dname = addrportToAnyname(d->address, d->port, proto, f.numeric, names);
        // dname[28] = '\0' for a destination that is not AF_INET6 (e->af, not the service's):
        // an IPv6 name overflows the "%-28s" columns instead.
        if (!rule && !d->address.ipv6 && dname.size() > 28)
            dname.resize(28);
        const char* dn = dname.c_str();
        const ipvs::StatsCounters& dc = d->stats.counters;
        const ipvs::StatsRates& dr = d->stats.rates;
        if (rule) {
            if (d->method == ForwardMethod::Tunnel)
                out += tunnelRule(svc, dname, *d);
            else
                out += "-a " + svc + " -r " + dname + " " + std::string(fwdSwitch(d->method))
                    + format(" -w %d\n", d->weight);
        } else if (f.stats) {
            out += format("  -> %-28s", dn);
            for (std::uint64_t v : {dc.conns, dc.inpkts, dc.outpkts, dc.inbytes, dc.outbytes})
                out += largeNumber(v, f.exact);
            out += "\n";
        } else if (f.rate) {
            // The packet and connection rates are plain fixed-width numbers here, never
            // scaled; only the byte rates go through print_largenum.
            out += format("  -> %-28s %8llu %8llu %8llu", dn,
                          static_cast<unsigned long long>(dr.cps),
                          static_cast<unsigned long long>(dr.inpps),
                          static_cast<unsigned long long>(dr.outpps));
            out += largeNumber(dr.inbps, f.exact) + largeNumber(dr.outbps, f.exact) + "\n";
        } else if (f.thresholds) {
            out += format("  -> %-28s %-10u %-10u %-10u %-10u\n", dn, d->upperThreshold,
                          d->lowerThreshold, d->activeConns, d->inactConns);
        } else if (f.persistentConn) {
            out += format("  -> %-28s %-9u %-11u %-10u %-10u\n", dn,
                          static_cast<unsigned>(d->weight), d->persistConns, d->activeConns,
                          d->inactConns);
        } else if (f.tunInfo) {
            std::optional<std::string> ti = fwdTunInfo(*d);
            out += format("  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", dn,
                          std::string(lvs::core::forwardName(d->method)).c_str(),
                          ti ? ti->c_str() : "n/a", d->weight, d->activeConns, d->inactConns);
        } else {
            out += format("  -> %-28s %-7s %-6d %-10u %-10u\n", dn,
                          std::string(lvs::core::forwardName(d->method)).c_str(), d->weight,
                          d->activeConns, d->inactConns);
        }
    }
    return out;
}

} // namespace

std::string serviceEntry(const ListedService& service, const ListFormat& f,
                         const NameResolver& names)
{
    return entry(service, f, false, names);
}

std::string listAll(const std::vector<ListedService>& services, const ListFormat& f,
                    const NameResolver& names)
{
    std::string out = versionLine() + title(f);
    for (const ListedService* s : servicesInOrder(services, f.noSort))
        out += entry(*s, f, false, names);
    return out;
}

std::string listService(const ListedService& service, const ListFormat& f,
                        const NameResolver& names)
{
    return title(f) + entry(service, f, false, names);
}

std::string saveRules(const std::vector<ListedService>& services, bool numeric,
                      const NameResolver& names)
{
    ListFormat f;
    f.numeric = numeric;
    std::string out;
    for (const ListedService* s : servicesInOrder(services, false))
        out += entry(*s, f, true, names);
    return out;
}

std::string listConnections(const std::vector<ListedConn>& connections, const ListFormat& f,
                            const NameResolver& names)
{
    std::string out = "IPVS connection entries\n";
    if (f.persistentConn)
        out += format("pro expire %-11s %-18s %-18s %-18s %-16s %s\n", "state", "source",
                      "virtual", "destination", "pe name", "pe_data");
    else
        out += format("pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual",
                      "destination");
    for (const ListedConn& c : connections) {
        // print_conn names ports only for TCP, UDP and SCTP (proto 0 otherwise). It reads the
        // kernel's IPv6 addresses (%pI6, all 8 groups with leading zeros) back with inet_pton
        // and prints them as addrport_to_anyname does, compressed and bracketed; the "%-18s"
        // columns do not stretch for them.
        int proto = c.protocol == "TCP" ? 6 : c.protocol == "UDP" ? 17 : c.protocol == "SCTP" ? 132 : 0;
        std::string cname = addrportToAnyname(c.caddr, c.cport, proto, f.numeric, names);
        std::string vname = addrportToAnyname(c.vaddr, c.vport, proto, f.numeric, names);
        std::string dname = addrportToAnyname(c.daddr, c.dport, proto, f.numeric, names);
        std::string expire = format("%02u:%02u", c.expires / 60, c.expires % 60);
        // sscanf() fills 11 fields only when the line carries both the pe name and pe_data.
        if (f.persistentConn && c.peName && !c.peName->empty() && !c.peData.empty())
            out += format("%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s\n", c.protocol.c_str(),
                          expire.c_str(), c.state.c_str(), cname.c_str(), vname.c_str(),
                          dname.c_str(), c.peName->c_str(), c.peData.c_str());
        else
            out += format("%-3s %-6s %-11s %-18s %-18s %s\n", c.protocol.c_str(),
                          expire.c_str(), c.state.c_str(), cname.c_str(), vname.c_str(),
                          dname.c_str());
    }
    return out;
}

ListedService listedService(ipvs::Balancer& balancer)
{
    ipvs::Service& s = balancer.service();
    ListedService out;
    out.fwmark = s.fwmark;
    out.protocol = s.protocol;
    out.address = Address::of(s.address);
    out.port = s.port;
    out.scheduler = s.scheduler() ? std::string(s.scheduler()->name()) : std::string();
    out.flags = s.flags;
    out.timeout = s.timeout;
    out.netmask = s.netmask.value;
    out.stats = s.stats.read();
    s.forEachDest([&](ipvs::Dest& d) {
        ListedDest ld;
        ld.address = Address::of(d.address);
        ld.port = d.port;
        ld.method = d.method;
        ld.weight = d.weight;
        ld.upperThreshold = d.upperThreshold;
        ld.lowerThreshold = d.lowerThreshold;
        ld.activeConns = d.activeConns;
        ld.inactConns = d.inactConns;
        ld.persistConns = d.persistConns;
        ld.stats = d.stats.read();
        out.dests.push_back(std::move(ld));
    });
    return out;
}

ListedConn listedConn(const ipvs::ConnEntry& e, std::uint32_t now)
{
    ListedConn c;
    // ip_vs_proto_name
    switch (e.protocol) {
    case 0: c.protocol = "IP"; break;
    case 6: c.protocol = "TCP"; break;
    case 17: c.protocol = "UDP"; break;
    case 132: c.protocol = "SCTP"; break;
    default: c.protocol = "ERR!"; break;
    }
    c.caddr = Address::of(Ipv4{e.caddr});
    c.cport = e.cport;
    c.vaddr = Address::of(Ipv4{e.vaddr});
    c.vport = e.vport;
    c.daddr = Address::of(Ipv4{e.daddr});
    c.dport = e.dport;
    // ip_vs_state_name: a template is "NONE" whatever its state number.
    if (e.flags & ipvs::kConnTemplate || e.protocol == 0)
        c.state = "NONE";
    else {
        Protocol p = e.protocol == 17 ? Protocol::Udp
            : e.protocol == 132       ? Protocol::Sctp
                                      : Protocol::Tcp;
        c.state = std::string(ipvs::stateName(p, e.state));
    }
    c.expires = (e.expires == ipvs::kNever || e.expires < now) ? 0 : e.expires - now;
    return c;
}

} // namespace lvs::core::ipvsadm
