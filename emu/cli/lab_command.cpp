// lvsctl lab: the command-line front end of the lab planner and executor.
#include "emu/cli/lab_command.h"

#include "core/io/lvslab_file.h"
#include "emu/lab/capture.h"
#include "emu/lab/executor.h"
#include "emu/lab/libnl_ops.h"
#include "emu/lab/naming.h"
#include "emu/lab/traffic.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <expected>
#include <filesystem>
#include <fcntl.h>
#include <map>
#include <sched.h>
#include <unistd.h>

namespace lvs::emu {

namespace {

using namespace lvs::emu::lab;

constexpr std::string_view kUsage =
    "usage: lvsctl lab up FILE [--name N]\n"
    "       lvsctl lab down N\n"
    "       lvsctl lab list\n"
    "       lvsctl lab clean\n"
    "       lvsctl lab exec N NODE -- CMD [ARG...]\n"
    "       lvsctl lab run FILE --requests K [--name N] [TRAFFIC...]\n"
    "       lvsctl lab traffic N --requests K [TRAFFIC...]\n"
    "       lvsctl lab capture N NODE INTERFACE -o FILE.pcap [--count K] [--seconds S] [--filter BPF]\n"
    "TRAFFIC: [--client NODE] [--proto http|tcp|udp] [--keep-alive] [--sources S] [--to ADDRESS:PORT]\n"
    "  K requests to each virtual service of the design (tcp ones get HTTP GETs unless --proto tcp,\n"
    "  udp ones UDP echo requests), or to --to only, from NODE (default: the first client node),\n"
    "  counted per server from the answers; --keep-alive sends them over one connection (one per\n"
    "  source address); --sources S round-robins them over S addresses of NODE (S-1 added next\n"
    "  to its own, kept until the lab goes down).\n";

struct Options {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
};

// Options with a value (known) and without one (flags, stored with the value "").
std::optional<Options> parse(const std::vector<std::string>& args, const std::vector<std::string_view>& known,
                             const std::vector<std::string_view>& flags, std::ostream& err)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
            o.values[a] = "";
        } else if (a.starts_with("--") || std::find(known.begin(), known.end(), a) != known.end()) {
            if (std::find(known.begin(), known.end(), a) == known.end() || i + 1 >= args.size()) {
                err << "lvsctl lab: " << (i + 1 >= args.size() ? "missing value for " : "unknown option ") << a << "\n"
                    << kUsage;
                return std::nullopt;
            }
            o.values[a] = args[++i];
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}

bool needRoot(std::ostream& err)
{
    if (geteuid() == 0)
        return true;
    err << "lvsctl lab: making network namespaces needs root: run it as root, or through sudo or pkexec\n";
    return false;
}

struct Loaded {
    core::Topology topology;
    Plan plan;
};

std::optional<Loaded> load(const std::string& file, const std::string& name, std::ostream& err)
{
    auto topology = core::loadLvslab(file);
    if (!topology) {
        for (const auto& e : topology.error())
            err << e.toString() << "\n";
        return std::nullopt;
    }
    std::string lab = name.empty() ? labNameFrom(std::filesystem::path(file).stem().string()) : name;
    auto plan = makePlan(*topology, lab);
    if (!plan) {
        err << "lvsctl lab: " << plan.error().message << "\n";
        return std::nullopt;
    }
    return Loaded{*topology, *plan};
}

// The design of FILE under --name (or a name from the file's), or the exit code: 2 for a bad
// name, 1 for a design that cannot be read or planned.
std::expected<Loaded, int> loadNamed(const Options& o, std::ostream& err)
{
    std::string name = o.values.contains("--name") ? o.values.at("--name") : "";
    if (!name.empty())
        if (std::string e = labNameError(name); !e.empty()) {
            err << "lvsctl lab: " << e << "\n";
            return std::unexpected(2);
        }
    auto loaded = load(o.positional[0], name, err);
    if (!loaded)
        return std::unexpected(1);
    return *loaded;
}

// The real kernel and /run/lvslab, for one command.
struct System {
    LibnlOps ops;
    FileManifestStore store;
    LabExecutor executor{ops, store};
};

std::optional<Manifest> bringUp(System& system, const Loaded& loaded, const std::string& file, std::ostream& err)
{
    if (!needRoot(err))
        return std::nullopt;
    auto m = system.executor.up(loaded.plan, std::filesystem::absolute(file).string());
    if (!m) {
        err << "lvsctl lab: " << m.error().message << "\n";
        return std::nullopt;
    }
    return *m;
}

int up(const Options& o, std::ostream& out, std::ostream& err)
{
    if (o.positional.size() != 1) {
        err << kUsage;
        return 2;
    }
    auto loaded = loadNamed(o, err);
    if (!loaded)
        return loaded.error();
    System system;
    auto m = bringUp(system, *loaded, o.positional[0], err);
    if (!m)
        return 1;
    out << "lab " << m->lab << " is up (" << loaded->topology.name << "): " << m->namespaces.size() << " namespaces, "
        << m->processes.size() << " processes\n";
    for (const auto& [node, ns] : m->nodes)
        out << "  " << node << "  " << ns << "   (lvsctl lab exec " << m->lab << " " << node << " -- CMD)\n";
    for (const std::string& note : m->notes)
        out << "note: " << note << "\n";
    return 0;
}

int down(const Options& o, std::ostream& out, std::ostream& err)
{
    if (o.positional.size() != 1) {
        err << kUsage;
        return 2;
    }
    if (!needRoot(err))
        return 1;
    System system;
    if (auto r = system.executor.down(o.positional[0]); !r) {
        err << "lvsctl lab: " << r.error().message << "\n";
        return 1;
    }
    out << "lab " << o.positional[0] << " is down\n";
    return 0;
}

int list(std::ostream& out)
{
    System system;
    auto labs = system.executor.list();
    if (labs.empty()) {
        out << "no labs\n";
        return 0;
    }
    for (const LabStatus& s : labs)
        out << s.manifest.lab << "  " << (s.live ? toString(s.manifest.state) : "dead (lvsctl lab clean removes it)") << "  "
            << s.manifest.nodes.size() << " nodes  " << s.manifest.file << "\n";
    return 0;
}

int clean(std::ostream& out, std::ostream& err)
{
    if (!needRoot(err))
        return 1;
    System system;
    auto removed = system.executor.clean();
    for (const std::string& r : removed)
        out << "removed " << r << "\n";
    if (removed.empty())
        out << "nothing to clean\n";
    return 0;
}

// A pcap file of what passes one interface of a node (Wireshark and tshark open it).
int captureCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto o = parse(args, {"-o", "--count", "--seconds", "--filter"}, {}, err);
    if (!o)
        return 2;
    if (o->positional.size() != 3 || !o->values.contains("-o")) {
        err << kUsage;
        return 2;
    }
    if (!needRoot(err))
        return 1;
    FileManifestStore store;
    auto m = store.load(o->positional[0]);
    if (!m) {
        err << "lvsctl lab: no lab named \"" << o->positional[0] << "\" (see `lvsctl lab list`)\n";
        return 1;
    }
    auto ns = m->nodes.find(o->positional[1]);
    if (ns == m->nodes.end()) {
        err << "lvsctl lab: lab " << o->positional[0] << " has no node \"" << o->positional[1] << "\"\n";
        return 1;
    }
    CaptureSpec spec;
    spec.ns = ns->second;
    spec.interface = o->positional[2];
    spec.path = o->values.at("-o");
    spec.filter = o->values.contains("--filter") ? o->values.at("--filter") : "";
    try {
        spec.maxPackets = o->values.contains("--count") ? std::stoi(o->values.at("--count")) : 1000;
        spec.maxTime = std::chrono::milliseconds(
            o->values.contains("--seconds") ? static_cast<long>(std::stod(o->values.at("--seconds")) * 1000) : 10000);
    } catch (const std::exception&) {
        err << "lvsctl lab capture: --count and --seconds take numbers\n";
        return 2;
    }
    auto r = capture(spec);
    if (!r) {
        err << "lvsctl lab capture: " << r.error().message << "\n";
        return 1;
    }
    out << spec.path << ": " << r->packets << " packet(s) in " << r->elapsed.count() << " ms on "
        << o->positional[1] << " " << spec.interface << "\n";
    return 0;
}

int exec(const std::vector<std::string>& args, std::ostream& err)
{
    auto dashes = std::find(args.begin(), args.end(), "--");
    if (args.size() < 4 || dashes != args.begin() + 2 || dashes + 1 == args.end()) {
        err << kUsage;
        return 2;
    }
    if (!needRoot(err))
        return 1;
    FileManifestStore store;
    auto m = store.load(args[0]);
    if (!m) {
        err << "lvsctl lab: no lab named \"" << args[0] << "\" (see `lvsctl lab list`)\n";
        return 1;
    }
    auto ns = m->nodes.find(args[1]);
    if (ns == m->nodes.end()) {
        err << "lvsctl lab: lab " << args[0] << " has no node \"" << args[1] << "\"; its nodes:";
        for (const auto& [node, space] : m->nodes)
            err << " " << node;
        err << "\n";
        return 1;
    }
    int fd = open(namespacePath(ns->second).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
        err << "lvsctl lab: cannot enter " << ns->second << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::vector<std::string> words(dashes + 1, args.end());
    std::vector<char*> argv;
    for (std::string& w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    err.flush();
    // Inside a lab node, a bare `lvsadm` drives that node's live director (emu/cli/lvsadm.h).
    setenv("LVSLAB_LAB", args[0].c_str(), 1);
    setenv("LVSLAB_NODE", args[1].c_str(), 1);
    execvp(argv[0], argv.data());
    err << "lvsctl lab: cannot run " << words[0] << ": " << std::strerror(errno) << "\n";
    return 127;
}

// What `run` and `traffic` send: --requests K [--client NODE] [--proto P] [--keep-alive]
// [--sources S] [--to ADDRESS:PORT].
struct TrafficOptions {
    int requests = 0;
    std::string client; // "" for the design's first client node
    std::optional<TrafficProtocol> protocol;
    bool keepAlive = false;
    int sources = 1;
    std::optional<std::pair<core::Ipv4, std::uint16_t>> to;
};

constexpr int kMaxSources = 250;
constexpr std::chrono::milliseconds kRequestTimeout{500};

std::optional<int> number(const std::string& text)
{
    try {
        std::size_t used = 0;
        int n = std::stoi(text, &used);
        return used == text.size() ? std::optional(n) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The options of `run FILE` or `traffic N`, or 2 (bad parameters) with the message on err.
std::expected<TrafficOptions, int> trafficOptions(const Options& o, std::ostream& err)
{
    if (o.positional.size() != 1 || !o.values.contains("--requests")) {
        err << kUsage;
        return std::unexpected(2);
    }
    TrafficOptions t;
    auto requests = number(o.values.at("--requests"));
    if (!requests || *requests < 1 || *requests > kMaxRequests) {
        err << "lvsctl lab: --requests must be 1.." << kMaxRequests << "\n";
        return std::unexpected(2);
    }
    t.requests = *requests;
    if (o.values.contains("--client"))
        t.client = o.values.at("--client");
    if (o.values.contains("--proto")) {
        t.protocol = trafficProtocolFromString(o.values.at("--proto"));
        if (!t.protocol) {
            err << "lvsctl lab: --proto must be http, tcp or udp\n";
            return std::unexpected(2);
        }
    }
    t.keepAlive = o.values.contains("--keep-alive");
    if (o.values.contains("--sources")) {
        auto n = number(o.values.at("--sources"));
        if (!n || *n < 1 || *n > kMaxSources) {
            err << "lvsctl lab: --sources must be 1.." << kMaxSources << "\n";
            return std::unexpected(2);
        }
        t.sources = *n;
    }
    if (o.values.contains("--to")) {
        const std::string& to = o.values.at("--to");
        auto colon = to.rfind(':');
        auto address = core::Ipv4::parse(std::string_view(to).substr(0, colon));
        auto port = colon == std::string::npos ? std::nullopt : number(to.substr(colon + 1));
        if (!address || !port || *port < 1 || *port > 65535) {
            err << "lvsctl lab: --to must be ADDRESS:PORT, as 192.168.10.11:80\n";
            return std::unexpected(2);
        }
        t.to = std::pair{*address, static_cast<std::uint16_t>(*port)};
    }
    return t;
}

// The node to send from, or nullptr with the message on err.
const core::Node* clientOf(const core::Topology& topology, const TrafficOptions& t, std::ostream& err)
{
    if (!t.client.empty()) {
        const core::Node* n = topology.findNodeByName(t.client);
        if (!n || n->kind == core::NodeKind::Segment)
            err << "lvsctl lab: no node \"" << t.client << "\" to send from\n";
        return n && n->kind != core::NodeKind::Segment ? n : nullptr;
    }
    for (const core::Node& n : topology.nodes)
        if (n.kind == core::NodeKind::Client)
            return &n;
    err << "lvsctl lab: the design has no client node: name one with --client\n";
    return nullptr;
}

// The client's own address and, for --sources S, S-1 more next to it on the same interface
// (added inside the client's namespace; an address already there from an earlier run is fine).
std::optional<std::vector<core::Ipv4>> sourceAddresses(NetlinkOps& ops, const core::Topology& topology,
                                                       const core::Node& client, const std::string& ns, int count,
                                                       std::ostream& err)
{
    if (count <= 1)
        return std::vector<core::Ipv4>{}; // the kernel picks
    const core::Interface* home = nullptr;
    for (const core::Interface& i : client.interfaces)
        if (!home && !i.addresses.empty())
            home = &i;
    if (!home) {
        err << "lvsctl lab: " << client.name << " has no address to add --sources next to\n";
        return std::nullopt;
    }
    auto extra = freeSourceAddresses(topology, home->addresses.front(), count - 1);
    if (!extra) {
        err << "lvsctl lab: --sources " << count << ": " << extra.error().message << "\n";
        return std::nullopt;
    }
    std::vector<core::Ipv4> sources{home->addresses.front().address};
    for (const core::Ipv4Prefix& a : *extra) {
        if (auto r = ops.addAddress(ns, home->name, a); !r && r.error().code != EEXIST) {
            err << "lvsctl lab: " << r.error().message << "\n";
            return std::nullopt;
        }
        sources.push_back(a.address);
    }
    return sources;
}

struct Target {
    std::string title;
    TrafficProtocol protocol;
    core::Ipv4 address;
    std::uint16_t port;
};

// --to, or the design's services with a port (tcp: http unless --proto tcp; udp: udp).
std::vector<Target> targetsOf(const core::Topology& topology, const TrafficOptions& t, std::ostream& out)
{
    if (t.to)
        return {{"to " + t.to->first.toString() + ":" + std::to_string(t.to->second),
                 t.protocol.value_or(TrafficProtocol::Http), t.to->first, t.to->second}};
    std::vector<Target> targets;
    for (const core::Node& d : topology.nodes)
        for (const core::VirtualService& s : d.services) {
            if (s.fwmark != 0 || s.port == 0 || s.protocol == core::Protocol::Sctp)
                continue; // firewall-mark, port-0 and SCTP services take other traffic
            bool udp = s.protocol == core::Protocol::Udp;
            TrafficProtocol p = t.protocol.value_or(udp ? TrafficProtocol::Udp : TrafficProtocol::Http);
            std::string title = d.name + " service " + (udp ? "udp " : "tcp ") + s.address.toString() + ":"
                + std::to_string(s.port);
            if (udp != (p == TrafficProtocol::Udp)) {
                out << title << ": skipped (--proto " << toString(p) << " does not fit)\n";
                continue;
            }
            targets.push_back({title, p, s.address, s.port});
        }
    return targets;
}

// Sends the traffic of t from client through a lab that is up. Returns the exit code.
int sendTraffic(NetlinkOps& ops, const core::Topology& topology, const Manifest& m, const core::Node& client,
                const TrafficOptions& t, std::ostream& out, std::ostream& err)
{
    auto ns = m.nodes.find(client.name);
    if (ns == m.nodes.end()) {
        err << "lvsctl lab: lab " << m.lab << " has no node \"" << client.name << "\"\n";
        return 1;
    }
    auto sources = sourceAddresses(ops, topology, client, ns->second, t.sources, err);
    if (!sources)
        return 1;
    auto targets = targetsOf(topology, t, out);
    if (targets.empty())
        out << "the design has no TCP or UDP virtual service with a port to send to (name one with --to)\n";
    for (const Target& target : targets) {
        TrafficSpec spec{ns->second, target.protocol, target.address, target.port, t.requests, t.keepAlive, *sources,
                         0, kRequestTimeout};
        auto r = runTraffic(spec);
        if (!r) {
            err << "lvsctl lab: " << r.error().message << "\n";
            return 1;
        }
        out << target.title << ": " << spec.requests << " " << toString(spec.protocol) << " request(s), "
            << (spec.keepAlive ? "kept-alive connection" : "new connection each");
        if (!spec.sources.empty())
            out << ", from " << spec.sources.size() << " source addresses";
        out << "\n" << toText(spec, *r);
    }
    return 0;
}

int run(const Options& o, std::ostream& out, std::ostream& err)
{
    auto t = trafficOptions(o, err);
    if (!t)
        return t.error();
    auto loaded = loadNamed(o, err);
    if (!loaded)
        return loaded.error();
    const core::Node* client = clientOf(loaded->topology, *t, err);
    if (!client)
        return 2;
    System system;
    auto m = bringUp(system, *loaded, o.positional[0], err);
    if (!m)
        return 1;
    out << "lab " << m->lab << " is up; " << t->requests << " request(s) per target from " << client->name << "\n";
    for (const std::string& note : m->notes)
        out << "note: " << note << "\n";
    int code = sendTraffic(system.ops, loaded->topology, *m, *client, *t, out, err);
    if (auto r = system.executor.down(m->lab); !r) {
        err << "lvsctl lab: " << r.error().message << "\n";
        return 1;
    }
    out << "lab " << m->lab << " is down\n";
    return code;
}

int traffic(const Options& o, std::ostream& out, std::ostream& err)
{
    auto t = trafficOptions(o, err);
    if (!t)
        return t.error();
    if (!needRoot(err))
        return 1;
    System system;
    auto m = system.store.load(o.positional[0]);
    if (!m || m->state != LabState::Running) {
        err << "lvsctl lab: no running lab named \"" << o.positional[0] << "\" (see `lvsctl lab list`)\n";
        return 1;
    }
    auto topology = core::loadLvslab(m->file);
    if (!topology) {
        err << "lvsctl lab: the design of lab " << m->lab << " (" << (m->file.empty() ? "no file" : m->file)
            << ") cannot be read:\n";
        for (const auto& e : topology.error())
            err << e.toString() << "\n";
        return 1;
    }
    const core::Node* client = clientOf(*topology, *t, err);
    if (!client)
        return 2;
    return sendTraffic(system.ops, *topology, *m, *client, *t, out, err);
}

} // namespace

int runLabCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << kUsage;
        return args.empty() ? 2 : 0;
    }
    const std::string& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "exec")
        return exec(rest, err);
    if (command == "capture")
        return captureCommand(rest, out, err);
    if (command == "list")
        return rest.empty() ? list(out) : (err << kUsage, 2);
    if (command == "clean")
        return rest.empty() ? clean(out, err) : (err << kUsage, 2);
    if (command != "up" && command != "down" && command != "run" && command != "traffic") {
        err << "lvsctl lab: unknown command \"" << command << "\"\n" << kUsage;
        return 2;
    }
    std::vector<std::string_view> known, flags;
    if (command == "run" || command == "traffic") {
        known = {"--requests", "--client", "--proto", "--sources", "--to"};
        flags = {"--keep-alive"};
    }
    if (command == "run" || command == "up")
        known.push_back("--name");
    auto o = parse(rest, known, flags, err);
    if (!o)
        return 2;
    if (command == "up")
        return up(*o, out, err);
    if (command == "down")
        return down(*o, out, err);
    return command == "run" ? run(*o, out, err) : traffic(*o, out, err);
}

} // namespace lvs::emu
