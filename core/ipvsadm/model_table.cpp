#include "core/ipvsadm/model_table.h"

#include "core/ipvs/listing.h"
#include "core/ipvs/service.h"

#include <algorithm>

namespace lvs::core::ipvsadm {

namespace {

std::string describe(const VirtualService& s)
{
    if (s.fwmark)
        return "service fwmark " + std::to_string(s.fwmark);
    return "service " + std::string(toString(s.protocol)) + " " + s.address.toString() + ":" + std::to_string(s.port);
}

Service keyOfModel(const VirtualService& s)
{
    Service k;
    k.isFwmark = s.fwmark != 0;
    k.fwmark = s.fwmark;
    k.protocol = s.protocol;
    if (!s.fwmark) {
        k.address = Address::of(s.address);
        k.port = s.port;
    }
    return k;
}

// The -b names of the flag bits, as print_sched_flags names them for the scheduler.
std::vector<std::string> flagNames(std::string_view scheduler, std::uint32_t flags)
{
    std::vector<std::string> out;
    const bool sh = scheduler == "sh", mh = scheduler == "mh";
    if (flags & ipvs::kSvcSched1)
        out.push_back(sh ? "sh-fallback" : mh ? "mh-fallback" : "flag-1");
    if (flags & ipvs::kSvcSched2)
        out.push_back(sh ? "sh-port" : mh ? "mh-port" : "flag-2");
    if (flags & ipvs::kSvcSched3)
        out.push_back("flag-3");
    return out;
}

} // namespace

Service keyOf(const ListedService& s)
{
    Service k;
    k.isFwmark = s.fwmark != 0;
    k.fwmark = s.fwmark;
    k.ipv6 = s.fwmark ? s.ipv6 : s.address.ipv6;
    k.protocol = s.protocol;
    if (!s.fwmark) {
        k.address = s.address;
        k.port = s.port;
    }
    return k;
}

Result<StateTable> tableOf(const Node& director)
{
    StateTable table;
    for (const VirtualService& s : director.services) {
        ServiceConfig c;
        c.service = keyOfModel(s);
        c.scheduler = s.scheduler;
        for (const std::string& f : s.schedFlags)
            c.flags |= ipvs::schedFlagBit(f);
        if (s.persistence) {
            c.flags |= ipvs::kSvcPersistent;
            c.timeout = *s.persistence;
        }
        c.netmask = s.persistenceNetmask.value;
        if (int e = table.addService(c))
            return fail(director.name + ": " + describe(s) + ": " + ipvsStrerror(Operation::AddService, e));
        bool fullNat = false;
        for (const Destination& d : s.destinations) {
            DestConfig dc;
            dc.server = Server{Address::of(d.address), effectivePort(s, d)};
            dc.forward = d.method;
            dc.weight = static_cast<int>(std::clamp<std::int64_t>(d.weight, 0, kMaxWeight));
            dc.upperThreshold = d.upperThreshold;
            dc.lowerThreshold = d.lowerThreshold;
            fullNat = fullNat || d.method == ForwardMethod::FullNat;
            if (int e = table.addDest(c.service, dc))
                return fail(director.name + ": " + describe(s) + ": real server " + d.address.toString() + ": "
                            + ipvsStrerror(Operation::AddDest, e));
        }
        if (!fullNat)
            continue;
        for (Ipv4 laddr : director.localAddresses) {
            std::string ifname = "eth1";
            for (const Interface& i : director.interfaces)
                for (const Ipv4Prefix& p : i.addresses)
                    if (p.contains(laddr))
                        ifname = i.name;
            if (int e = table.addLocalAddress(c.service, LocalAddressEntry{Address::of(laddr), ifname, 0, 0}))
                return fail(director.name + ": " + describe(s) + ": local address " + laddr.toString() + ": "
                            + ipvsStrerror(Operation::LocalAddress, e));
        }
    }
    return table;
}

Result<std::vector<VirtualService>> servicesOf(const Control& table)
{
    std::vector<VirtualService> out;
    for (const ListedService& ls : table.services()) {
        if (!ls.fwmark && ls.address.ipv6)
            return fail("IPv6 service [" + ls.address.toString() + "]:" + std::to_string(ls.port)
                        + ": LVS Lab's designs are IPv4");
        VirtualService s;
        s.fwmark = ls.fwmark;
        s.protocol = ls.protocol;
        if (!ls.fwmark) {
            s.address = ls.address.v4;
            s.port = ls.port;
        }
        s.scheduler = ls.scheduler;
        s.schedFlags = flagNames(ls.scheduler, ls.flags);
        if (ls.flags & ipvs::kSvcPersistent)
            s.persistence = ls.timeout;
        s.persistenceNetmask = Ipv4{ls.netmask};
        for (const ListedDest& ld : ls.dests) {
            if (ld.address.ipv6)
                return fail("IPv6 real server [" + ld.address.toString() + "]: LVS Lab's designs are IPv4");
            Destination d;
            d.address = ld.address.v4;
            d.port = ld.port == s.port ? 0 : ld.port;
            d.method = ld.method;
            d.weight = ld.weight;
            d.upperThreshold = ld.upperThreshold;
            d.lowerThreshold = ld.lowerThreshold;
            s.destinations.push_back(d);
        }
        // ipvsadm -Ln's order, destinations sorted as print_service_entry sorts them.
        std::sort(s.destinations.begin(), s.destinations.end(), [](const Destination& a, const Destination& b) {
            return a.address.value != b.address.value ? a.address.value < b.address.value : a.port < b.port;
        });
        out.push_back(std::move(s));
    }
    std::vector<VirtualService> ordered;
    for (const VirtualService* s : sortedServices(out))
        ordered.push_back(*s);
    return ordered;
}

} // namespace lvs::core::ipvsadm
