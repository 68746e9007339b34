// lvsctl lab: the command-line front end of the lab planner and executor.
#include "emu/cli/lab_command.h"

#include "core/io/lvslab_file.h"
#include "emu/lab/executor.h"
#include "emu/lab/libnl_ops.h"
#include "emu/lab/naming.h"
#include "emu/lab/services.h"

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
    "       lvsctl lab run FILE --requests K [--client NODE] [--name N]\n";

struct Options {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
};

std::optional<Options> parse(const std::vector<std::string>& args, std::initializer_list<std::string_view> known,
                             std::ostream& err)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.starts_with("--")) {
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
    execvp(argv[0], argv.data());
    err << "lvsctl lab: cannot run " << words[0] << ": " << std::strerror(errno) << "\n";
    return 127;
}

int run(const Options& o, std::ostream& out, std::ostream& err)
{
    if (o.positional.size() != 1 || !o.values.contains("--requests")) {
        err << kUsage;
        return 2;
    }
    int requests = 0;
    try {
        requests = std::stoi(o.values.at("--requests"));
    } catch (const std::exception&) {
        requests = -1;
    }
    if (requests < 1 || requests > 1000000) {
        err << "lvsctl lab: --requests must be 1..1000000\n";
        return 2;
    }
    auto loaded = loadNamed(o, err);
    if (!loaded)
        return loaded.error();
    const core::Node* client = nullptr;
    if (o.values.contains("--client")) {
        client = loaded->topology.findNodeByName(o.values.at("--client"));
        if (!client || client->kind == core::NodeKind::Segment) {
            err << "lvsctl lab: no node \"" << o.values.at("--client") << "\" to send from\n";
            return 2;
        }
    } else {
        for (const core::Node& n : loaded->topology.nodes)
            if (!client && n.kind == core::NodeKind::Client)
                client = &n;
        if (!client) {
            err << "lvsctl lab: the design has no client node: name one with --client\n";
            return 2;
        }
    }
    System system;
    auto m = bringUp(system, *loaded, o.positional[0], err);
    if (!m)
        return 1;
    out << "lab " << m->lab << " is up; " << requests << " HTTP GET(s) per service from " << client->name << "\n";
    out << "note: lvs-director is not built yet, so each director is a plain namespace: requests to a VIP are not "
           "balanced (they reach the VIP's own holder, or nothing); requests straight to a RIP work\n";
    const std::string ns = m->nodes.at(client->name);
    int services = 0;
    for (const core::Node& d : loaded->topology.nodes)
        for (const core::VirtualService& s : d.services) {
            if (s.fwmark != 0 || s.protocol != core::Protocol::Tcp || s.port == 0)
                continue; // firewall-mark, UDP, SCTP and port-0 services take other traffic than HTTP GET /
            ++services;
            std::map<std::string, int> counts;
            int unanswered = 0, skipped = 0, timeouts = 0;
            std::string firstError;
            for (int i = 0; i < requests; ++i) {
                if (timeouts >= 3) { // a VIP that drops everything: do not wait K times
                    ++skipped;
                    continue;
                }
                auto body = httpGet(ns, s.address, s.port, std::chrono::milliseconds(500));
                if (body) {
                    timeouts = 0;
                    auto who = serverNameOf(*body);
                    ++counts[who ? *who : "(answer without <h1>NAME</h1>)"];
                } else {
                    timeouts = body.error().code == ETIMEDOUT ? timeouts + 1 : 0;
                    ++unanswered;
                    if (firstError.empty())
                        firstError = body.error().message;
                }
            }
            out << d.name << " service tcp " << s.address.toString() << ":" << s.port << "\n";
            for (const auto& [who, n] : counts)
                out << "  " << who << ": " << n << "\n";
            if (unanswered)
                out << "  no answer: " << unanswered << " (" << firstError << ")\n";
            if (skipped)
                out << "  not sent after 3 timeouts in a row: " << skipped << "\n";
        }
    if (!services)
        out << "the design has no TCP virtual service with a port to send HTTP GETs to\n";
    if (auto r = system.executor.down(m->lab); !r) {
        err << "lvsctl lab: " << r.error().message << "\n";
        return 1;
    }
    out << "lab " << m->lab << " is down\n";
    return 0;
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
    if (command == "list")
        return rest.empty() ? list(out) : (err << kUsage, 2);
    if (command == "clean")
        return rest.empty() ? clean(out, err) : (err << kUsage, 2);
    if (command != "up" && command != "down" && command != "run") {
        err << "lvsctl lab: unknown command \"" << command << "\"\n" << kUsage;
        return 2;
    }
    auto o = parse(rest, command == "run" ? std::initializer_list<std::string_view>{"--requests", "--client", "--name"}
                                          : command == "up" ? std::initializer_list<std::string_view>{"--name"}
                                                            : std::initializer_list<std::string_view>{},
                   err);
    if (!o)
        return 2;
    if (command == "up")
        return up(*o, out, err);
    if (command == "down")
        return down(*o, out, err);
    return run(*o, out, err);
}

} // namespace lvs::emu
