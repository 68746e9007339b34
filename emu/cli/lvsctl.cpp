// lvsctl's commands: show, format.
#include "emu/cli/lvsctl.h"

#include "core/io/atomic_file.h"
#include "core/io/lvslab_file.h"
#include "core/ipvs/scenario.h"
#include "core/show/show.h"

#include <string_view>

namespace lvs::emu {

namespace {

constexpr std::string_view kUsage =
    "usage: lvsctl COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  show FILE       nodes, interfaces with roles (CIP, VIP, DIP, RIP, GW), links, and each\n"
    "                  director's services as ipvsadm -Ln lists them\n"
    "  format FILE     rewrite FILE in the canonical .lvslab layout (atomically)\n"
    "  simulate SCENARIO [--seed N]\n"
    "                  replay a scheduling scenario: one line per new connection, the real\n"
    "                  server kernel IPVS would choose (RIP:PORT) or none\n"
    "  help            this text\n"
    "\n"
    "Exit status: 0 done, 1 design errors found, 2 unreadable input or bad arguments.\n";

// Loads a topology, printing every load error (file:line:column: reason) to err.
std::optional<core::Topology> load(const std::string& path, std::ostream& err)
{
    auto loaded = core::loadLvslab(path);
    if (!loaded) {
        for (const core::LoadError& e : loaded.error())
            err << e.toString() << "\n";
        return std::nullopt;
    }
    return std::move(*loaded);
}

int show(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.size() != 1) {
        err << "usage: lvsctl show FILE\n";
        return kExitBadInput;
    }
    auto topology = load(args[0], err);
    if (!topology)
        return kExitBadInput;
    out << core::showTopology(*topology, args[0]);
    return kExitOk;
}

int format(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.size() != 1) {
        err << "usage: lvsctl format FILE\n";
        return kExitBadInput;
    }
    auto topology = load(args[0], err);
    if (!topology)
        return kExitBadInput;
    if (auto saved = core::saveLvslab(*topology, args[0]); !saved) {
        err << "lvsctl: " << saved.error().message << "\n";
        return kExitBadInput;
    }
    out << args[0] << ": written\n";
    return kExitOk;
}

int simulate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::string path;
    std::uint64_t seed = 1;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--seed" && i + 1 < args.size()) {
            try {
                seed = std::stoull(args[++i]);
            } catch (const std::exception&) {
                err << "lvsctl simulate: bad seed \"" << args[i] << "\"\n";
                return kExitBadInput;
            }
        } else if (path.empty() && !args[i].starts_with("--")) {
            path = args[i];
        } else {
            err << "usage: lvsctl simulate SCENARIO [--seed N]\n";
            return kExitBadInput;
        }
    }
    if (path.empty()) {
        err << "usage: lvsctl simulate SCENARIO [--seed N]\n";
        return kExitBadInput;
    }
    auto text = core::readFile(path);
    if (!text) {
        err << "lvsctl: " << text.error().message << "\n";
        return kExitBadInput;
    }
    auto ran = core::ipvs::runScenario(*text, path, seed,
                                       [&](const std::string& line) { out << line << "\n"; });
    if (!ran) {
        out.flush();
        err << ran.error().message << "\n";
        return kExitBadInput;
    }
    return kExitOk;
}

} // namespace

int runLvsctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.empty()) {
        err << kUsage;
        return kExitBadInput;
    }
    const std::string& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "show")
        return show(rest, out, err);
    if (command == "format")
        return format(rest, out, err);
    if (command == "simulate")
        return simulate(rest, out, err);
    if (command == "help" || command == "--help" || command == "-h") {
        out << kUsage;
        return kExitOk;
    }
    err << "lvsctl: unknown command \"" << command << "\"\n" << kUsage;
    return kExitBadInput;
}

} // namespace lvs::emu
