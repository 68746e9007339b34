// `lvsctl simulate`: a scheduling scenario, line by line, through the Balancer.
#include "core/ipvs/scenario.h"

#include "core/ipvs/balancer.h"
#include "core/ipvsadm/options.h"

#include <charconv>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <vector>

namespace lvs::core::ipvs {

namespace {

struct LineError {
    std::string reason;
};

std::vector<std::string> tokenize(std::string_view line)
{
    if (auto hash = line.find('#'); hash != std::string_view::npos)
        line = line.substr(0, hash);
    std::vector<std::string> tokens;
    std::istringstream in{std::string(line)};
    for (std::string t; in >> t;)
        tokens.push_back(t);
    return tokens;
}

std::int64_t number(const std::string& text, std::int64_t min, std::int64_t max, const char* what)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw LineError{std::string("bad ") + what + " \"" + text + "\": expected " + std::to_string(min)
                        + ".." + std::to_string(max)};
    return value;
}

struct AddrPort {
    Ipv4 address;
    std::optional<std::uint16_t> port;
};

AddrPort addrPort(const std::string& text, bool portRequired, const char* what)
{
    auto colon = text.rfind(':');
    AddrPort ap;
    auto ip = Ipv4::parse(colon == std::string::npos ? text : text.substr(0, colon));
    if (!ip)
        throw LineError{std::string("bad ") + what + " \"" + text + "\": expected a.b.c.d"
                        + (portRequired ? ":port" : "[:port]")};
    ap.address = *ip;
    if (colon != std::string::npos)
        ap.port = static_cast<std::uint16_t>(number(text.substr(colon + 1), 0, 65535, "port"));
    else if (portRequired)
        throw LineError{std::string("bad ") + what + " \"" + text + "\": expected a.b.c.d:port"};
    return ap;
}

struct Simulation {
    std::unique_ptr<Balancer> balancer;
    ServiceSettings settings;
    std::uint32_t now = 0;
    std::mt19937_64 random;
    struct Conn {
        std::optional<ConnId> id;
        Protocol protocol = Protocol::Tcp;
        Ipv4 caddr;
        std::uint16_t cport = 0;
        bool open = false;
    };
    std::vector<Conn> conns; // connection N is conns[N-1]
    std::set<std::pair<std::uint32_t, std::uint16_t>> openClients;

    bool sameService(const ipvsadm::Service& svc) const
    {
        if (svc.isFwmark)
            return settings.fwmark == svc.fwmark;
        return !settings.fwmark && settings.protocol == svc.protocol
            && settings.address == svc.address.v4 && settings.port == svc.port;
    }

    // One ipvsadm line, parsed by the same parser lvsadm uses (core/ipvsadm/options), so its
    // defaults and port rules (no port: the virtual port; -g/-i: the virtual port forced) and
    // its messages are ipvsadm's own.
    void configure(const std::vector<std::string>& args)
    {
        auto parsed = ipvsadm::parseIpvsadm(args);
        if (!parsed)
            throw LineError{parsed.error().message};
        const ipvsadm::Command& c = *parsed;
        using ipvsadm::CommandKind;
        if (c.kind != CommandKind::AddService && c.kind != CommandKind::EditService
            && c.kind != CommandKind::AddServer && c.kind != CommandKind::EditServer
            && c.kind != CommandKind::DeleteServer)
            throw LineError{"ipvsadm --" + std::string(ipvsadm::commandName(c.kind))
                            + " is not part of a scenario: use -A, -E, -a, -e or -d"};
        const ipvsadm::Service& svc = *c.service;
        if (svc.ipv6 || svc.address.ipv6 || (c.server && c.server->address.ipv6))
            throw LineError{"scenarios are IPv4 only"};
        if (c.kind == CommandKind::AddService) {
            if (balancer)
                throw LineError{"Service already exists (a scenario has exactly one service)"};
            settings.fwmark = svc.isFwmark ? svc.fwmark : 0;
            settings.protocol = svc.protocol;
            settings.address = svc.isFwmark ? Ipv4{} : svc.address.v4;
            settings.port = svc.isFwmark ? 0 : svc.port;
        } else if (!balancer || !sameService(svc)) {
            // libipvs ipvs_strerror: ESRCH of ipvs_update_service / ipvs_add_dest.
            throw LineError{c.kind == CommandKind::EditService ? "No such service" : "Service not defined"};
        }
        if (c.kind == CommandKind::AddService || c.kind == CommandKind::EditService) {
            // -E replaces the settings: what is omitted reverts to ipvsadm's defaults.
            settings.scheduler = c.scheduler;
            settings.persistence = (c.flags & ipvsadm::kSvcPersistent)
                ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(c.persistenceTimeout))
                : std::nullopt;
            settings.netmask = Ipv4{c.netmask};
            settings.schedFlags = c.flags & (kSvcSched1 | kSvcSched2 | kSvcSched3);
            if (c.kind == CommandKind::AddService) {
                SchedulerContext context;
                context.random = [this] { return static_cast<std::uint32_t>(random()); };
                auto b = Balancer::create(settings, context);
                if (!b)
                    throw LineError{b.error().message};
                balancer = std::move(*b);
            } else if (auto r = balancer->edit(settings); !r) {
                throw LineError{r.error().message};
            }
            return;
        }
        DestSettings d{c.server->address.v4, c.server->port, c.forward, c.weight,
                       static_cast<std::uint32_t>(c.upperThreshold),
                       static_cast<std::uint32_t>(c.lowerThreshold)};
        Result<void> r = c.kind == CommandKind::AddServer ? balancer->addDest(d)
            : c.kind == CommandKind::EditServer          ? balancer->editDest(d)
                                                          : balancer->delDest(d.address, d.port);
        if (!r)
            throw LineError{r.error().message};
    }

    Conn& numbered(const std::vector<std::string>& t)
    {
        if (t.size() != 2)
            throw LineError{t[0] + " takes one connection number"};
        auto n = number(t[1], 1, std::numeric_limits<std::int64_t>::max(), "connection number");
        if (static_cast<std::size_t>(n) > conns.size())
            throw LineError{"no connection " + t[1] + " yet"};
        return conns[static_cast<std::size_t>(n - 1)];
    }

    std::string traffic(const std::vector<std::string>& t, bool established)
    {
        if (!balancer)
            throw LineError{"no service yet: -A comes first"};
        if (t.size() < 2 || t.size() > 4)
            throw LineError{t[0] + " CIP:CPORT [DIP:DPORT] [tcp|udp]"};
        AddrPort client = addrPort(t[1], true, "client");
        std::optional<AddrPort> dst;
        std::optional<Protocol> protocol;
        for (std::size_t i = 2; i < t.size(); ++i) {
            if (t[i] == "tcp" || t[i] == "udp")
                protocol = t[i] == "tcp" ? Protocol::Tcp : Protocol::Udp;
            else if (!dst)
                dst = addrPort(t[i], true, "destination");
            else
                throw LineError{"unexpected \"" + t[i] + "\""};
        }
        if (!dst && (settings.fwmark || settings.port == 0))
            throw LineError{"this service needs the packet's DIP:DPORT"};
        PacketInfo p;
        p.protocol = protocol.value_or(settings.protocol);
        p.saddr = client.address;
        p.sport = *client.port;
        p.daddr = dst ? dst->address : settings.address;
        p.dport = dst ? *dst->port : settings.port;
        auto key = std::pair{p.saddr.value, p.sport};
        if (openClients.count(key))
            throw LineError{"client " + t[1] + " still has an open connection"};
        balancer->advanceTo(now);
        Conn conn;
        conn.protocol = p.protocol;
        conn.caddr = p.saddr;
        conn.cport = p.sport;
        conn.id = balancer->connect(p);
        if (!conn.id) {
            conns.push_back(conn);
            return "none";
        }
        conn.open = true;
        openClients.insert(key);
        // connect: the handshake completes before the next event (TCP becomes active);
        // syn: stays in SYN_RECV, inactive. UDP is never active.
        if (established && p.protocol == Protocol::Tcp)
            balancer->setActive(*conn.id, true);
        Dest* d = balancer->destOf(*conn.id);
        conns.push_back(conn);
        return d->name();
    }

    void line(const std::vector<std::string>& t, const std::function<void(const std::string&)>& out)
    {
        std::size_t first = t[0] == "ipvsadm" ? 1 : 0;
        if (first == t.size())
            throw LineError{"ipvsadm with no options"};
        const std::string& w = t[first];
        if (w.starts_with("-")) {
            configure(std::vector<std::string>(t.begin() + static_cast<std::ptrdiff_t>(first), t.end()));
        } else if (w == "weight" || w == "remove") {
            if (!balancer)
                throw LineError{"Service not defined"};
            if (t.size() != (w == "weight" ? 3u : 2u))
                throw LineError{w == "weight" ? "weight RIP:RPORT W" : "remove RIP:RPORT"};
            AddrPort real = addrPort(t[1], true, "real server");
            Dest* dest = balancer->service().findDest(real.address, *real.port);
            if (!dest)
                throw LineError{"No such destination"};
            if (w == "remove") {
                (void)balancer->delDest(real.address, *real.port);
            } else {
                DestSettings d{dest->address, dest->port, dest->method,
                               static_cast<int>(number(t[2], 0, std::numeric_limits<int>::max(), "weight")),
                               dest->upperThreshold, dest->lowerThreshold};
                (void)balancer->editDest(d);
            }
        } else if (w == "connect" || w == "syn") {
            out(traffic(t, w == "connect"));
        } else if (w == "establish" || w == "idle" || w == "close") {
            Conn& c = numbered(t);
            if (!c.open || !c.id)
                return; // a "none" or closed connection: no-op
            if (w == "close") {
                balancer->close(*c.id);
                c.open = false;
                openClients.erase({c.caddr.value, c.cport});
            } else if (c.protocol == Protocol::Tcp) {
                balancer->setActive(*c.id, w == "establish");
            }
        } else if (w == "tick") {
            if (t.size() != 2)
                throw LineError{"tick SECONDS"};
            const auto seconds = number(t[1], 0, std::numeric_limits<std::int32_t>::max(), "seconds");
            if (std::uint64_t(now) + std::uint64_t(seconds) >= kNever)
                throw LineError{"tick goes past the clock's end (2^32 - 1 seconds)"};
            now += static_cast<std::uint32_t>(seconds);
            if (balancer)
                balancer->advanceTo(now);
        } else {
            throw LineError{"unknown command \"" + w + "\""};
        }
    }
};

} // namespace

Result<void> runScenario(std::string_view text, std::string_view fileName, std::uint64_t seed,
                         const std::function<void(const std::string&)>& out)
{
    Simulation sim;
    sim.random.seed(seed);
    std::size_t lineNo = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view raw = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        ++lineNo;
        auto tokens = tokenize(raw);
        if (!tokens.empty()) {
            try {
                sim.line(tokens, out);
            } catch (const LineError& e) {
                return fail(std::string(fileName) + ":" + std::to_string(lineNo) + ": " + e.reason);
            }
        }
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    if (!sim.balancer)
        return fail(std::string(fileName) + ": no service: the scenario never says -A");
    return {};
}

} // namespace lvs::core::ipvs
