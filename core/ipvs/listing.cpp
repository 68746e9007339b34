// The IPVS table as `ipvsadm -Ln` lists it: ipvsadm's sort order and line formats.
#include "core/ipvs/listing.h"

#include "core/ipvs/service.h"

#include <algorithm>
#include <cstdio>

namespace lvs::core {

namespace {

// `int r = ntohl(a) - ntohl(b)`: unsigned subtraction wrapped to int, as libipvs computes it.
int wrappedDifference(std::uint32_t a, std::uint32_t b)
{
    return static_cast<int>(a - b);
}

// libipvs.c ipvs_cmp_services (IPv4 part).
int compareServices(const VirtualService& a, const VirtualService& b)
{
    if (int r = wrappedDifference(a.fwmark, b.fwmark))
        return r;
    if (int r = ipProtocolNumber(a.protocol) - ipProtocolNumber(b.protocol))
        return r;
    if (int r = wrappedDifference(a.address.value, b.address.value))
        return r;
    return static_cast<int>(a.port) - static_cast<int>(b.port);
}

} // namespace

std::vector<const VirtualService*> sortedServices(const std::vector<VirtualService>& services)
{
    std::vector<const VirtualService*> out;
    for (const VirtualService& s : services)
        out.push_back(&s);
    // A firewall-mark service carries no protocol, address or port in the kernel (zeros), so
    // it compares by its mark alone. glibc's qsort is a merge sort, as stable_sort is.
    auto key = [](const VirtualService& s) {
        VirtualService k;
        k.fwmark = s.fwmark;
        if (!s.fwmark) {
            k.protocol = s.protocol;
            k.address = s.address;
            k.port = s.port;
        }
        return k;
    };
    std::stable_sort(out.begin(), out.end(), [&](const VirtualService* a, const VirtualService* b) {
        return compareServices(key(*a), key(*b)) < 0;
    });
    return out;
}

std::uint16_t effectivePort(const VirtualService& service, const Destination& destination)
{
    return destination.port ? destination.port : service.port;
}

std::vector<const Destination*> sortedDestinations(const VirtualService& service)
{
    std::vector<const Destination*> out;
    for (const Destination& d : service.destinations)
        out.push_back(&d);
    std::stable_sort(out.begin(), out.end(), [&](const Destination* a, const Destination* b) {
        if (int r = wrappedDifference(a->address.value, b->address.value))
            return r < 0;
        return effectivePort(service, *a) < effectivePort(service, *b);
    });
    return out;
}

std::string_view forwardName(ForwardMethod method)
{
    switch (method) {
    case ForwardMethod::Masq: return "Masq";
    case ForwardMethod::Tunnel: return "Tunnel";
    case ForwardMethod::Route: return "Route";
    case ForwardMethod::FullNat: return "FullNat";
    }
    return "Unknown";
}

std::string serviceName(const VirtualService& s)
{
    if (s.fwmark)
        return "FWM  " + std::to_string(s.fwmark);
    std::string proto = s.protocol == Protocol::Tcp ? "TCP  "
        : s.protocol == Protocol::Udp               ? "UDP  "
                                                    : "SCTP ";
    return proto + s.address.toString() + ":" + std::to_string(s.port);
}

std::string schedFlagsText(std::string_view scheduler, std::uint32_t bits)
{
    // ipvsadm.c print_sched_flags: the bits are named for sh and mh, generic otherwise, and
    // always listed in bit order, whatever names the rule was written with.
    const char* names[3] = {"flag-1", "flag-2", "flag-3"};
    if (scheduler == "sh") {
        names[0] = "sh-fallback";
        names[1] = "sh-port";
        names[2] = nullptr;
    } else if (scheduler == "mh") {
        names[0] = "mh-fallback";
        names[1] = "mh-port";
        names[2] = nullptr;
    }
    const std::uint32_t masks[3] = {ipvs::kSvcSched1, ipvs::kSvcSched2, ipvs::kSvcSched3};
    std::string out;
    for (int i = 0; i < 3; ++i)
        if (names[i] && (bits & masks[i]))
            out += (out.empty() ? "" : ",") + std::string(names[i]);
    return out;
}

std::string listNumeric(const std::vector<VirtualService>& services)
{
    std::string out = std::string("IP Virtual Server version ") + kIpvsVersion
        + " (size=" + std::to_string(kIpvsConnTabSize) + ")\n";
    out += "Prot LocalAddress:Port Scheduler Flags\n";
    out += "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    for (const VirtualService* s : sortedServices(services)) {
        out += serviceName(*s) + " " + s->scheduler;
        std::uint32_t bits = 0;
        for (const std::string& f : s->schedFlags)
            bits |= ipvs::schedFlagBit(f);
        // print_service_entry prints the parentheses whenever a bit is set, so sh with only
        // flag-3 shows "sh ()".
        if (bits & (ipvs::kSvcSched1 | ipvs::kSvcSched2 | ipvs::kSvcSched3))
            out += " (" + schedFlagsText(s->scheduler, bits) + ")";
        if (s->persistence) {
            out += " persistent " + std::to_string(*s->persistence);
            if (s->persistenceNetmask.value != 0xffffffffu)
                out += " mask " + s->persistenceNetmask.toString();
        }
        out += "\n";
        for (const Destination* d : sortedDestinations(*s)) {
            std::string name = d->address.toString() + ":" + std::to_string(effectivePort(*s, *d));
            char line[160];
            std::snprintf(line, sizeof line, "  -> %-28s %-7s %-6lld %-10u %-10u\n", name.c_str(),
                          std::string(forwardName(d->method)).c_str(),
                          static_cast<long long>(d->weight), 0u, 0u);
            out += line;
        }
    }
    return out;
}

} // namespace lvs::core
