// lvsadm: loads the offline table, runs ipvsadm's command line on it, saves it atomically.
#include "emu/cli/lvsadm.h"

#include "core/io/atomic_file.h"
#include "core/ipvsadm/run.h"
#include "core/ipvsadm/state_table.h"
#include "emu/cli/system_names.h"
#include "emu/director/control.h"

#include <algorithm>
#include <iterator>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sys/file.h>
#include <unistd.h>

namespace lvs::emu {

namespace {

constexpr int kLvsadmError = 2;

struct Target {
    std::optional<std::string> state;
    std::optional<std::string> lab;
    std::optional<std::string> node;
    std::size_t first = 0; // index of the first ipvsadm argument
};

// lvsadm's own options come first; the first other word starts ipvsadm's command line.
std::optional<Target> parseTarget(const std::vector<std::string>& args, std::ostream& err,
                                  const std::string& program)
{
    Target t;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::optional<std::string>* slot = nullptr;
        std::string name;
        std::optional<std::string> value;
        for (auto [opt, s] : {std::pair{"--state", &t.state}, std::pair{"--lab", &t.lab},
                              std::pair{"--node", &t.node}}) {
            if (a == opt) {
                slot = s;
                name = opt;
            } else if (a.rfind(std::string(opt) + "=", 0) == 0) {
                slot = s;
                name = opt;
                value = a.substr(std::strlen(opt) + 1);
            }
        }
        if (a == "--") {
            ++i;
            break;
        }
        if (!slot)
            break;
        if (!value) {
            if (i + 1 >= args.size()) {
                err << program << ": " << name << " needs a value\n";
                return std::nullopt;
            }
            value = args[++i];
        }
        if (value->empty()) {
            err << program << ": " << name << " needs a value\n";
            return std::nullopt;
        }
        *slot = *value;
    }
    t.first = i;
    if (t.state && (t.lab || t.node)) {
        err << program << ": --state and --lab/--node name two different tables: give one\n";
        return std::nullopt;
    }
    if (t.lab.has_value() != t.node.has_value()) {
        err << program << ": --lab and --node go together (the lab's name and its director node)\n";
        return std::nullopt;
    }
    return t;
}

// Serialises lvsadm runs on one folder's tables: flock on the folder itself, released at
// close (and by the kernel if the process dies), so no lock file is left behind.
class FolderLock {
public:
    explicit FolderLock(const std::filesystem::path& folder)
        : m_fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    {
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_EX);
    }
    ~FolderLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int m_fd;
};

int runOnState(const std::string& path, const std::vector<std::string>& args, std::istream& in,
               std::ostream& out, std::ostream& err, const std::string& program)
{
    namespace fs = std::filesystem;
    fs::path file(path);
    fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        err << program << ": cannot create " << folder.string() << ": " << ec.message() << "\n";
        return kLvsadmError;
    }
    FolderLock lock(folder);

    core::ipvsadm::StateTable table;
    if (fs::exists(file, ec)) {
        auto text = core::readFile(path);
        if (!text) {
            err << program << ": " << text.error().message << "\n";
            return kLvsadmError;
        }
        if (auto loaded = core::ipvsadm::loadRestoreText(*text, path, table); !loaded) {
            err << program << ": " << loaded.error().message << "\n"
                << program << ": the table file is left as it is; fix or remove it\n";
            return kLvsadmError;
        }
    }
    const std::string before = table.toRestoreText();

    SystemNames names = systemNames();
    core::ipvsadm::Invocation io;
    io.program = program;
    io.input = &in;
    io.resolver = names.resolver;
    io.names = names.names;
    int status = core::ipvsadm::runIpvsadm(std::vector<std::string>(args.begin(), args.end()), table, io);
    out << io.out;
    err << io.err;

    const std::string after = table.toRestoreText();
    if (after != before) {
        if (auto saved = core::writeFileAtomically(path, after); !saved) {
            err << program << ": the table was not saved: " << saved.error().message << "\n";
            return kLvsadmError;
        }
    }
    return status;
}

} // namespace

LvsadmEnvironment lvsadmEnvironment(const char* argv0)
{
    LvsadmEnvironment env;
    if (argv0 && *argv0)
        env.program = argv0;
    if (const char* s = std::getenv("LVSADM_STATE"); s && *s)
        env.defaultState = s;
    else if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x)
        env.defaultState = std::string(x) + "/lvslab/lvsadm.state";
    else if (const char* h = std::getenv("HOME"); h && *h)
        env.defaultState = std::string(h) + "/.local/state/lvslab/lvsadm.state";
    else
        env.defaultState = "lvsadm.state";
    if (const char* lab = std::getenv("LVSLAB_LAB"); lab && *lab)
        if (const char* node = std::getenv("LVSLAB_NODE"); node && *node) {
            env.lab = lab;
            env.node = node;
        }
    return env;
}

int runLvsadm(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
              std::ostream& err, const LvsadmEnvironment& env)
{
    std::optional<Target> target = parseTarget(args, err, env.program);
    if (!target)
        return kLvsadmError;
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(target->first), args.end());
    if (!target->lab && !target->state && !env.lab.empty()) { // inside `lvsctl lab exec`
        target->lab = env.lab;
        target->node = env.node;
    }
    if (target->lab) {
        // ipvsadm reads stdin only for -R.
        std::string input;
        if (std::find(rest.begin(), rest.end(), "-R") != rest.end()
            || std::find(rest.begin(), rest.end(), "--restore") != rest.end())
            input.assign(std::istreambuf_iterator<char>(in), {});
        const std::string path = director::controlSocketPath(*target->lab, *target->node, env.labRoot);
        auto reply = director::sendControlRequest(path, env.program, rest, input);
        if (!reply) {
            err << env.program << ": lab " << *target->lab << ", node " << *target->node
                << ": no director answers (" << reply.error().message
                << "). Is the lab up (lvsctl lab list), and is " << *target->node << " a director?\n";
            return kLvsadmError;
        }
        out << reply->out;
        err << reply->err;
        return reply->status;
    }
    return runOnState(target->state.value_or(env.defaultState), rest, in, out, err, env.program);
}

} // namespace lvs::emu
