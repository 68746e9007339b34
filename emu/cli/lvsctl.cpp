// lvsctl's commands: show, format, simulate, export, import.
#include "emu/cli/lvsctl.h"

#include "core/export/export.h"
#include "core/import/ipvsadm_save.h"
#include "core/import/keepalived.h"

#include "core/io/atomic_file.h"
#include "core/io/lvslab_file.h"
#include "core/ipvs/scenario.h"
#include "core/path/path.h"
#include "core/show/show.h"
#include "emu/cli/lab_command.h"
#include "emu/cli/validate_command.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
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
    "  validate FILE [--json] [--lang zh_CN]\n"
    "                  check the design against its forwarding modes' requirements\n"
    "  path FILE [--service PROTO:VIP:PORT]... [--client NODE] [--requests K] [--json]\n"
    "                  the request's and the response's path hop by hop, with the headers\n"
    "  export FILE --format ipvsadm|ipvsadm-save|keepalived|keepalived-dpvs|director-setup|rs-setup|netns-script\n"
    "              [--node NAME] [--lab NAME] [-o PATH]\n"
    "                  what a production box needs, to stdout or atomically to PATH\n"
    "  import FILE -o OUT.lvslab [--format ipvsadm-save|keepalived]\n"
    "                  an ipvsadm-save file or a keepalived.conf as a design\n"
    "  lab up FILE [--name N] | down N | list | clean | exec N NODE -- CMD... |\n"
    "      run FILE --requests K [--client NODE]\n"
    "                  the design as Linux network namespaces (root)\n"
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

// Options of the form --name VALUE; bare words go to positional.
struct Options {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
};

std::optional<Options> parseOptions(const std::vector<std::string>& args, const std::set<std::string>& known,
                                    std::string_view command, std::ostream& err)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 1 && a[0] == '-') {
            if (!known.count(a)) {
                err << "lvsctl " << command << ": unknown option " << a << "\n";
                return std::nullopt;
            }
            if (i + 1 >= args.size()) {
                err << "lvsctl " << command << ": " << a << " needs a value\n";
                return std::nullopt;
            }
            o.values[a] = args[++i];
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}

// Writes text to PATH atomically (scripts get the execute bits), or to out.
int emit(const std::string& text, const std::optional<std::string>& path, bool executable, std::ostream& out,
         std::ostream& err)
{
    if (!path) {
        out << text;
        return kExitOk;
    }
    if (auto saved = core::writeFileAtomically(*path, text); !saved) {
        err << "lvsctl: " << saved.error().message << "\n";
        return kExitBadInput;
    }
    if (executable) {
        std::error_code ec;
        std::filesystem::permissions(*path,
                                     std::filesystem::perms::owner_exec | std::filesystem::perms::group_exec
                                         | std::filesystem::perms::others_exec,
                                     std::filesystem::perm_options::add, ec);
    }
    return kExitOk;
}

int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    constexpr std::string_view usage = "usage: lvsctl export FILE --format ipvsadm|ipvsadm-save|keepalived|keepalived-dpvs|"
                                       "director-setup|rs-setup|netns-script [--node NAME] [--lab NAME] [-o PATH]\n";
    auto o = parseOptions(args, {"--format", "--node", "--lab", "-o"}, "export", err);
    if (!o || o->positional.size() != 1 || !o->values.count("--format")) {
        err << usage;
        return kExitBadInput;
    }
    auto format = core::exports::formatNamed(o->values["--format"]);
    if (!format) {
        err << "lvsctl export: unknown format \"" << o->values["--format"] << "\"\n" << usage;
        return kExitBadInput;
    }
    auto topology = load(o->positional[0], err);
    if (!topology)
        return kExitBadInput;
    core::exports::Options options;
    if (o->values.count("--node"))
        options.node = o->values["--node"];
    if (o->values.count("--lab"))
        options.labName = o->values["--lab"];
    auto text = core::exports::exportDesign(*topology, *format, options);
    if (!text) {
        err << "lvsctl export: " << o->positional[0] << ": " << text.error().message << "\n";
        return kExitBadInput;
    }
    const bool script = *format == core::exports::Format::Ipvsadm || *format == core::exports::Format::DirectorSetup
        || *format == core::exports::Format::RsSetup || *format == core::exports::Format::NetnsScript;
    std::optional<std::string> path;
    if (o->values.count("-o"))
        path = o->values["-o"];
    return emit(*text, path, script, out, err);
}

int importCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    constexpr std::string_view usage = "usage: lvsctl import FILE -o OUT.lvslab [--format ipvsadm-save|keepalived]\n";
    auto o = parseOptions(args, {"--format", "-o"}, "import", err);
    if (!o || o->positional.size() != 1 || !o->values.count("-o")) {
        err << usage;
        return kExitBadInput;
    }
    const std::string& file = o->positional[0];
    auto text = core::readFile(file);
    if (!text) {
        err << "lvsctl import: " << text.error().message << "\n";
        return kExitBadInput;
    }
    std::string format = o->values.count("--format") ? o->values["--format"] : "";
    if (format.empty())
        format = file.ends_with(".conf") || text->find("virtual_server") != std::string::npos
                || text->find("vrrp_instance") != std::string::npos
            ? "keepalived"
            : "ipvsadm-save";
    std::vector<std::string> warnings;
    core::Result<core::Topology> topology = format == "ipvsadm-save" ? core::import::importIpvsadmSave(*text, file)
        : format == "keepalived"                                        ? core::import::importKeepalived(*text, file, &warnings)
                                                                        : core::fail("unknown format \"" + format + "\"");
    if (!topology) {
        err << "lvsctl import: " << topology.error().message << "\n";
        return kExitBadInput;
    }
    if (auto saved = core::saveLvslab(*topology, o->values["-o"]); !saved) {
        err << "lvsctl import: " << saved.error().message << "\n";
        return kExitBadInput;
    }
    for (const std::string& w : warnings)
        err << "lvsctl import: " << w << "\n";
    out << o->values["-o"] << ": written (" << format << ", " << topology->nodes.size() << " nodes)\n";
    return kExitOk;
}

int pathCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    constexpr std::string_view usage =
        "usage: lvsctl path FILE [--service PROTO:VIP:PORT]... [--client NODE] [--requests K] [--json]\n";
    core::path::Options options;
    std::optional<std::string> file;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--service" || a == "--client" || a == "--requests") {
            if (i + 1 >= args.size()) {
                err << "lvsctl path: " << a << " needs a value\n" << usage;
                return kExitBadInput;
            }
            const std::string& v = args[++i];
            if (a == "--service") {
                options.targets.push_back(v);
            } else if (a == "--client") {
                options.client = v;
            } else {
                const bool digits = !v.empty() && v.size() <= 6
                    && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
                if (!digits) {
                    err << "lvsctl path: bad --requests \"" << v << "\"\n";
                    return kExitBadInput;
                }
                options.requests = std::stoi(v);
            }
        } else if (!file && (a.empty() || a[0] != '-')) {
            file = a;
        } else {
            err << "lvsctl path: unexpected \"" << a << "\"\n" << usage;
            return kExitBadInput;
        }
    }
    if (!file) {
        err << usage;
        return kExitBadInput;
    }
    auto topology = load(*file, err);
    if (!topology)
        return kExitBadInput;
    auto traces = core::path::tracePaths(*topology, options);
    if (!traces) {
        err << "lvsctl path: " << *file << ": " << traces.error().message << "\n";
        return kExitBadInput;
    }
    out << (json ? core::path::tracesToJson(*traces) : core::path::formatTraces(*traces));
    // A path that breaks is a design error (exit 1), as validate's errors are.
    for (const auto& t : *traces)
        if (!t.request.delivered || !t.response.delivered)
            return kExitFindings;
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
    if (command == "validate")
        return runValidateCommand(rest, out, err);
    if (command == "export")
        return exportCommand(rest, out, err);
    if (command == "path")
        return pathCommand(rest, out, err);
    if (command == "lab")
        return runLabCommand(rest, out, err);
    if (command == "import")
        return importCommand(rest, out, err);
    if (command == "help" || command == "--help" || command == "-h") {
        out << kUsage;
        return kExitOk;
    }
    err << "lvsctl: unknown command \"" << command << "\"\n" << kUsage;
    return kExitBadInput;
}

} // namespace lvs::emu
