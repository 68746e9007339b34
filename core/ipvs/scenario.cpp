// `lvsctl simulate`: a scheduling scenario, line by line, through the Balancer.
#include "core/ipvs/scenario.h"

#include "core/ipvs/balancer.h"

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

bool isNumber(const std::string& text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
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

// The part of an ipvsadm command line that the scenario format uses.
struct Command {
    char op = 0; // A E a e d
    std::optional<Protocol> protocol;
    std::optional<AddrPort> vip;
    std::uint32_t fwmark = 0;
    std::optional<std::string> scheduler;
    std::optional<std::uint32_t> persistence;
    std::optional<Ipv4> netmask;
    std::uint32_t flags = 0;
    std::optional<AddrPort> real;
    std::optional<ForwardMethod> method;
    std::optional<std::int64_t> weight, upper, lower;
};

Command parseIpvsadm(const std::vector<std::string>& t, std::size_t first)
{
    Command c;
    auto need = [&](std::size_t& i, const std::string& opt) -> const std::string& {
        if (i + 1 >= t.size())
            throw LineError{"option " + opt + " needs a value"};
        return t[++i];
    };
    for (std::size_t i = first; i < t.size(); ++i) {
        const std::string& o = t[i];
        auto op = [&](char v) {
            if (c.op && c.op != v)
                throw LineError{"two commands on one line"};
            c.op = v;
        };
        if (o == "-A" || o == "--add-service") op('A');
        else if (o == "-E" || o == "--edit-service") op('E');
        else if (o == "-a" || o == "--add-server") op('a');
        else if (o == "-e" || o == "--edit-server") op('e');
        else if (o == "-d" || o == "--delete-server") op('d');
        else if (o == "-t" || o == "--tcp-service" || o == "-u" || o == "--udp-service"
                 || o == "--sctp-service") {
            c.protocol = (o == "-t" || o == "--tcp-service") ? Protocol::Tcp
                : (o == "--sctp-service")                   ? Protocol::Sctp
                                                            : Protocol::Udp;
            c.vip = addrPort(need(i, o), true, "service address");
        } else if (o == "-f" || o == "--fwmark-service") {
            c.fwmark = static_cast<std::uint32_t>(number(need(i, o), 1, 0xffffffffLL, "firewall mark"));
        } else if (o == "-s" || o == "--scheduler") {
            c.scheduler = need(i, o);
        } else if (o == "-p" || o == "--persistent") {
            // ipvsadm's -p takes an optional timeout; bare, it is IPVS_SVC_PERSISTENT_TIMEOUT.
            c.persistence = kPersistentTimeout;
            if (i + 1 < t.size() && isNumber(t[i + 1]))
                c.persistence = static_cast<std::uint32_t>(
                    number(t[++i], 1, std::numeric_limits<int>::max(), "persistence timeout"));
        } else if (o == "-M" || o == "--netmask") {
            auto mask = Ipv4::parse(need(i, o));
            if (!mask)
                throw LineError{"bad netmask \"" + t[i] + "\": expected a.b.c.d"};
            c.netmask = mask;
        } else if (o == "-b" || o == "--sched-flags") {
            std::istringstream flags(need(i, o));
            for (std::string f; std::getline(flags, f, ',');) {
                std::uint32_t bit = schedFlagBit(f);
                if (!bit)
                    throw LineError{"unknown scheduler flag \"" + f + "\""};
                c.flags |= bit;
            }
        } else if (o == "-r" || o == "--real-server") {
            c.real = addrPort(need(i, o), false, "real server");
        } else if (o == "-g" || o == "--gatewaying") {
            c.method = ForwardMethod::Route;
        } else if (o == "-m" || o == "--masquerading") {
            c.method = ForwardMethod::Masq;
        } else if (o == "-i" || o == "--ipip") {
            c.method = ForwardMethod::Tunnel;
        } else if (o == "-w" || o == "--weight") {
            // The kernel's int; Debian's ipvsadm 1.31 accepts it whole (upstream stops at 65535).
            c.weight = number(need(i, o), 0, std::numeric_limits<int>::max(), "weight");
        } else if (o == "-x" || o == "--u-threshold") {
            c.upper = number(need(i, o), 0, std::numeric_limits<int>::max(), "upper threshold");
        } else if (o == "-y" || o == "--l-threshold") {
            c.lower = number(need(i, o), 0, std::numeric_limits<int>::max(), "lower threshold");
        } else {
            throw LineError{"unknown option \"" + o + "\""};
        }
    }
    if (!c.op)
        throw LineError{"no command: expected -A, -E, -a, -e or -d"};
    if (!c.vip && !c.fwmark)
        throw LineError{"no service: expected -t, -u or -f"};
    if (c.vip && c.fwmark)
        throw LineError{"a service is either -t/-u VIP:PORT or -f MARK, not both"};
    bool server = c.op == 'a' || c.op == 'e' || c.op == 'd';
    if (server && !c.real)
        throw LineError{"no real server: expected -r RIP[:PORT]"};
    if (!server && (c.real || c.method || c.weight || c.upper || c.lower))
        throw LineError{"-r, -g, -m, -i, -w, -x and -y belong to -a/-e/-d"};
    if (server && (c.scheduler || c.persistence || c.netmask || c.flags))
        throw LineError{"-s, -p, -M and -b belong to -A/-E"};
    return c;
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

    bool sameService(const Command& c) const
    {
        if (c.fwmark)
            return settings.fwmark == c.fwmark;
        return !settings.fwmark && settings.protocol == *c.protocol
            && settings.address == c.vip->address && settings.port == *c.vip->port;
    }

    // ipvsadm's port rules for -r: no port means the virtual port; -g and -i on an address
    // service force the virtual port (no port mapping without NAT).
    DestSettings destSettings(const Command& c) const
    {
        DestSettings d;
        d.address = c.real->address;
        d.method = c.method.value_or(ForwardMethod::Route);
        d.port = c.real->port.value_or(settings.port);
        if (!settings.fwmark && (d.method == ForwardMethod::Route || d.method == ForwardMethod::Tunnel))
            d.port = settings.port;
        d.weight = static_cast<int>(c.weight.value_or(1));
        d.upperThreshold = static_cast<std::uint32_t>(c.upper.value_or(0));
        d.lowerThreshold = static_cast<std::uint32_t>(c.lower.value_or(0));
        return d;
    }

    void configure(const Command& c)
    {
        if (c.op == 'A') {
            if (balancer)
                throw LineError{"Service already exists (a scenario has exactly one service)"};
            settings.fwmark = c.fwmark;
            settings.protocol = c.fwmark ? Protocol::Tcp : *c.protocol;
            if (c.vip) {
                settings.address = c.vip->address;
                settings.port = *c.vip->port;
            }
        } else if (!balancer) {
            throw LineError{c.op == 'E' ? "No such service" : "Service not defined"};
        } else if (!sameService(c)) {
            throw LineError{c.op == 'E' ? "No such service" : "Service not defined"};
        }
        if (c.op == 'A' || c.op == 'E') {
            // -E replaces the settings: what is omitted reverts to ipvsadm's defaults.
            settings.scheduler = c.scheduler.value_or("wlc");
            settings.persistence = c.persistence;
            settings.netmask = c.netmask.value_or(Ipv4{0xffffffffu});
            settings.schedFlags = c.flags;
            if (!settings.fwmark && settings.port == 0 && !settings.persistence)
                throw LineError{"a port-0 service must be persistent (-p)"};
            if (c.op == 'A') {
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
        DestSettings d = destSettings(c);
        Result<void> r = c.op == 'a' ? balancer->addDest(d)
            : c.op == 'e'            ? balancer->editDest(d)
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
            configure(parseIpvsadm(t, first));
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
