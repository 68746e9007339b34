// ipvsadm's command-line parser: popt's tokenizing, parse_options() and process_options()'s checks.
#include "core/ipvsadm/options.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace lvs::core::ipvsadm {
namespace {

// ---- ipvsadm.c's tables -------------------------------------------------------------------

constexpr std::string_view kOptNames[kOptionCount] = {
    "numeric", "connection", "service-address", "scheduler", "persistent", "netmask",
    "real-server", "forwarding-method", "weight", "u-threshold", "l-threshold",
    "mcast-interface", "timeout", "daemon", "stats", "rate", "thresholds", "persistent-conn",
    "nosort", "syncid", "exact", "ops", "pe", "sched-flags", "mcast-group", "mcast-port",
    "mcast-ttl", "sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum", "tun-csum",
    "tun-remcsum",
    "local-address", "ifname", // DPVS's optnames[] for OPT_LOCAL_ADDRESS and OPT_IFNAME
};

// cmdnames[], in the CMD_* order that indexes commands_v_options. The last three are DPVS's
// CMD_ADDLADDR, CMD_DELLADDR and CMD_GETLADDR, which follow CMD_ZERO there too.
enum Cmd { CmdAdd, CmdEdit, CmdDel, CmdFlush, CmdList, CmdAddDest, CmdDelDest, CmdEditDest,
           CmdTimeout, CmdStartDaemon, CmdStopDaemon, CmdRestore, CmdSave, CmdZero,
           CmdAddLaddr, CmdDelLaddr, CmdGetLaddr, CmdCount };

constexpr std::string_view kCmdNames[CmdCount] = {
    "add-service", "edit-service", "delete-service", "flush", "list", "add-server",
    "delete-server", "edit-server", "set", "start-daemon", "stop-daemon", "restore", "save",
    "zero", "add-laddr", "del-laddr", "get-laddr",
};

// commands_v_options: '+' compulsory, 'x' illegal, '1' exclusive, ' ' optional. Columns:
//   -n -c svc -s -p -M -r fwd -w -x -y mc tot dmn st rt thr pc srt sid ex ops pe -b grp port ttl
//   size tinf type tprt nocs csum remc | laddr ifname
// The first 34 columns and 14 rows are ipvsadm 1.31's. The DPVS columns (-z, -F) are illegal
// with every upstream command, and the DPVS rows are DPVS's own: -P and -Q need a service,
// -z and -F; -G takes an optional service and nothing else (DPVS's --cpu is not taken).
// Both columns come last, so for any line an upstream offence is reported first.
constexpr const char* kLegal[CmdCount] = {
    /*ADD*/      "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx" "xx",
    /*EDIT*/     "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx" "xx",
    /*DEL*/      "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*FLUSH*/    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*LIST*/     " 11xxxxxxxxx11       xxxxxxx xxxxx" "xx",
    /*ADDSRV*/   "xx+xxx+    xxxxxxxxxxxxxxxxxx     " "xx",
    /*DELSRV*/   "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*EDITSRV*/  "xx+xxx+    xxxxxxxxxxxxxxxxxx     " "xx",
    /*TIMEOUT*/  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*STARTD*/   "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx" "xx",
    /*STOPD*/    "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx" "xx",
    /*RESTORE*/  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*SAVE*/     " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*ZERO*/     "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
    /*ADDLADDR*/ "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "++",
    /*DELLADDR*/ "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "++",
    /*GETLADDR*/ "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xx",
};

static_assert([] {
    for (std::string_view row : kLegal)
        if (row.size() != kOptionCount)
            return false;
    return true;
}(), "commands_v_options rows have one entry per option");

// tunnel_types_v_options: columns tun-port tun-nocsum tun-csum tun-remcsum.
constexpr const char* kTunLegal[3] = {"xxxx", "+111", "x111"};
constexpr Option kTunOpts[4] = {Option::TunPort, Option::TunNoCsum, Option::TunCsum,
                                Option::TunRemCsum};
constexpr std::string_view kTunNames[3] = {"ipip", "gue", "gre"};

Cmd cmdOf(CommandKind k)
{
    switch (k) {
    case CommandKind::AddService: return CmdAdd;
    case CommandKind::EditService: return CmdEdit;
    case CommandKind::DeleteService: return CmdDel;
    case CommandKind::Clear: return CmdFlush;
    case CommandKind::List: return CmdList;
    case CommandKind::AddServer: return CmdAddDest;
    case CommandKind::DeleteServer: return CmdDelDest;
    case CommandKind::EditServer: return CmdEditDest;
    case CommandKind::Set: return CmdTimeout;
    case CommandKind::StartDaemon: return CmdStartDaemon;
    case CommandKind::StopDaemon: return CmdStopDaemon;
    case CommandKind::Restore: return CmdRestore;
    case CommandKind::Save: return CmdSave;
    case CommandKind::Zero: return CmdZero;
    case CommandKind::AddLocalAddress: return CmdAddLaddr;
    case CommandKind::DeleteLocalAddress: return CmdDelLaddr;
    case CommandKind::ListLocalAddresses: return CmdGetLaddr;
    case CommandKind::Help:
    case CommandKind::Version: break;
    }
    return CmdCount;
}

// ---- the popt option table of parse_options() -----------------------------------------------

enum class Arg { None, Required, Optional };

enum Tag : int {
    TagSet = 128, TagStartDaemon, TagStopDaemon, TagMcastInterface, TagTimeout, TagDaemon,
    TagStats, TagRate, TagThresholds, TagPersistentConn, TagSort, TagNoSort,
    TagPersistenceEngine, TagSctpService, TagMcastGroup, TagMcastPort, TagMcastTtl,
    TagSyncMaxlen, TagTunInfo, TagTunType, TagTunPort, TagTunNoCsum, TagTunCsum, TagTunRemCsum,
    TagFullNat,
};

struct OptDef {
    std::string_view longName;
    char shortName; // '\0': long only
    Arg arg;
    int tag;
};

constexpr OptDef kOptTable[] = {
    {"add-service", 'A', Arg::None, 'A'},
    {"edit-service", 'E', Arg::None, 'E'},
    {"delete-service", 'D', Arg::None, 'D'},
    {"clear", 'C', Arg::None, 'C'},
    {"list", 'L', Arg::None, 'L'},
    {"list", 'l', Arg::None, 'l'},
    {"zero", 'Z', Arg::None, 'Z'},
    {"add-server", 'a', Arg::None, 'a'},
    {"edit-server", 'e', Arg::None, 'e'},
    {"delete-server", 'd', Arg::None, 'd'},
    {"set", '\0', Arg::None, TagSet},
    {"help", 'h', Arg::None, 'h'},
    {"version", 'v', Arg::None, 'v'},
    {"restore", 'R', Arg::None, 'R'},
    {"save", 'S', Arg::None, 'S'},
    {"start-daemon", '\0', Arg::Required, TagStartDaemon},
    {"stop-daemon", '\0', Arg::Required, TagStopDaemon},
    {"tcp-service", 't', Arg::Required, 't'},
    {"udp-service", 'u', Arg::Required, 'u'},
    {"sctp-service", '\0', Arg::Required, TagSctpService},
    {"fwmark-service", 'f', Arg::Required, 'f'},
    {"scheduler", 's', Arg::Required, 's'},
    {"persistent", 'p', Arg::Optional, 'p'},
    {"netmask", 'M', Arg::Required, 'M'},
    {"real-server", 'r', Arg::Required, 'r'},
    {"masquerading", 'm', Arg::None, 'm'},
    {"ipip", 'i', Arg::None, 'i'},
    {"gatewaying", 'g', Arg::None, 'g'},
    {"weight", 'w', Arg::Required, 'w'},
    {"u-threshold", 'x', Arg::Required, 'x'},
    {"l-threshold", 'y', Arg::Required, 'y'},
    {"numeric", 'n', Arg::None, 'n'},
    {"connection", 'c', Arg::None, 'c'},
    {"mcast-interface", '\0', Arg::Required, TagMcastInterface},
    {"syncid", '\0', Arg::Required, 'I'},
    {"timeout", '\0', Arg::None, TagTimeout},
    {"daemon", '\0', Arg::None, TagDaemon},
    {"stats", '\0', Arg::None, TagStats},
    {"rate", '\0', Arg::None, TagRate},
    {"thresholds", '\0', Arg::None, TagThresholds},
    {"persistent-conn", '\0', Arg::None, TagPersistentConn},
    {"nosort", '\0', Arg::None, TagNoSort},
    {"sort", '\0', Arg::None, TagSort},
    {"exact", 'X', Arg::None, 'X'},
    {"ipv6", '6', Arg::None, '6'},
    {"ops", 'o', Arg::None, 'o'},
    {"pe", '\0', Arg::Required, TagPersistenceEngine},
    {"sched-flags", 'b', Arg::Required, 'b'},
    {"mcast-group", '\0', Arg::Required, TagMcastGroup},
    {"mcast-port", '\0', Arg::Required, TagMcastPort},
    {"mcast-ttl", '\0', Arg::Required, TagMcastTtl},
    {"sync-maxlen", '\0', Arg::Required, TagSyncMaxlen},
    {"tun-info", '\0', Arg::None, TagTunInfo},
    {"tun-type", '\0', Arg::Required, TagTunType},
    {"tun-port", '\0', Arg::Required, TagTunPort},
    {"tun-nocsum", '\0', Arg::None, TagTunNoCsum},
    {"tun-csum", '\0', Arg::None, TagTunCsum},
    {"tun-remcsum", '\0', Arg::None, TagTunRemCsum},
    // DPVS dialect. Only names ipvsadm 1.31 does not know: DPVS's table has
    // {"fullnat", 'b', POPT_ARG_NONE}, but 'b' is upstream's --sched-flags and stays so.
    {"fullnat", '\0', Arg::None, TagFullNat},
    {"add-laddr", 'P', Arg::None, 'P'},
    {"del-laddr", 'Q', Arg::None, 'Q'},
    {"get-laddr", 'G', Arg::None, 'G'},
    {"laddr", 'z', Arg::Required, 'z'},
    {"ifname", 'F', Arg::Required, 'F'},
};

// popt 1.19's poptGetNextOpt() over argv[1..]: long options "--name" / "--name=value", short
// clusters "-Ln", "-t10.0.0.1:80" or "-p=60" (one '=' after a short option is skipped),
// arguments in the next word; "--" ends the options; other words are left for poptGetArg().
// Long names must match exactly (popt takes no abbreviations, and no single-dash long names
// here: none of ipvsadm's options has POPT_ARGFLAG_ONEDASH). An option that takes no argument
// refuses "--name=value" and "-X=..." (POPT_ERROR_UNWANTEDARG).
class Popt {
public:
    explicit Popt(const std::vector<std::string>& args) : m_args(args) {}

    enum : int { End = -1, NoArg = -10, BadOpt = -11, UnwantedArg = -12 };

    // Returns the option's tag, End, or an error code; sets arg and the offending word.
    int next()
    {
        m_arg.reset();
        for (;;) {
            if (!m_cluster.empty())
                return shortOpt();
            if (m_next >= m_args.size())
                return End;
            const std::string& w = m_args[m_next++];
            m_word = w;
            if (m_noMoreOptions || w.size() < 2 || w[0] != '-') {
                m_leftovers.push_back(w);
                continue;
            }
            if (w == "--") {
                m_noMoreOptions = true;
                continue;
            }
            if (w[1] == '-')
                return longOpt(std::string_view(w).substr(2));
            m_cluster = w.substr(1);
        }
    }

    const std::optional<std::string>& arg() const { return m_arg; }
    // poptBadOption(POPT_BADOPTION_NOALIAS): the last word popt consumed, which is an option's
    // argument when it was taken from the next word ("-L --start-daemon master" names "master").
    const std::string& badOption() const { return m_word; }

    // poptGetArg(): the next word that is not an option or an option's argument.
    std::optional<std::string> leftover()
    {
        while (next() != End) {} // the caller has consumed all options already
        if (m_leftoverNext >= m_leftovers.size())
            return std::nullopt;
        return m_leftovers[m_leftoverNext++];
    }

    static std::string strerror(int code)
    {
        switch (code) {
        case NoArg: return "missing argument";
        case BadOpt: return "unknown option";
        case UnwantedArg: return "option does not take an argument";
        default: return "unknown error";
        }
    }

private:
    int takeArg(const OptDef& d, std::optional<std::string> inlineArg)
    {
        if (d.arg == Arg::None)
            return d.tag;
        if (inlineArg) {
            m_arg = std::move(inlineArg);
            return d.tag;
        }
        if (m_next >= m_args.size()) {
            if (d.arg == Arg::Optional)
                return d.tag;
            return NoArg;
        }
        // An optional argument is not taken from a word that starts with '-'.
        if (d.arg == Arg::Optional && !m_args[m_next].empty() && m_args[m_next][0] == '-')
            return d.tag;
        m_arg = m_args[m_next++];
        m_word = *m_arg;
        return d.tag;
    }

    int longOpt(std::string_view body)
    {
        std::optional<std::string> value;
        if (auto eq = body.find('='); eq != std::string_view::npos) {
            value = std::string(body.substr(eq + 1));
            body = body.substr(0, eq);
        }
        for (const OptDef& d : kOptTable) {
            if (d.longName == body) {
                if (value && d.arg == Arg::None)
                    return UnwantedArg;
                return takeArg(d, std::move(value));
            }
        }
        return BadOpt;
    }

    int shortOpt()
    {
        char c = m_cluster[0];
        std::string rest = m_cluster.substr(1);
        m_cluster.clear();
        for (const OptDef& d : kOptTable) {
            if (d.shortName != '\0' && d.shortName == c) {
                if (d.arg == Arg::None) {
                    if (!rest.empty() && rest[0] == '=')
                        return UnwantedArg;
                    m_cluster = rest;
                    return d.tag;
                }
                std::optional<std::string> inlineArg;
                if (!rest.empty())
                    inlineArg = rest[0] == '=' ? rest.substr(1) : rest;
                return takeArg(d, std::move(inlineArg));
            }
        }
        return BadOpt;
    }

    const std::vector<std::string>& m_args;
    std::size_t m_next = 0;
    std::string m_cluster;
    std::string m_word;
    std::optional<std::string> m_arg;
    bool m_noMoreOptions = false;
    std::vector<std::string> m_leftovers;
    std::size_t m_leftoverNext = 0;
};

// ---- libc look-alikes -------------------------------------------------------------------

// string_to_number(): strtol base 10 (leading blanks and a sign allowed), the whole string, min..max.
std::optional<long> stringToNumber(std::string_view s, long min, long max)
{
    std::string buf(s);
    errno = 0;
    char* end = nullptr;
    long n = std::strtol(buf.c_str(), &end, 10);
    if (*end == '\0' && end != buf.c_str() && errno != ERANGE && min <= n && n <= max)
        return n;
    return std::nullopt;
}

// str_is_digit(): true for "" too, as in ipvsadm.c.
bool strIsDigit(std::string_view s)
{
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

// glibc inet_aton(): 1 to 4 parts in C notation (0x hex, 0 octal), the last part filling the
// remaining bytes ("10.1" is 10.0.0.1); it stops at a blank.
std::optional<Ipv4> inetAton(std::string_view s)
{
    std::uint32_t parts[4];
    int n = 0;
    std::size_t i = 0;
    for (;;) {
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i])))
            return std::nullopt;
        std::uint64_t v = 0;
        int base = 10;
        if (s[i] == '0') {
            base = 8;
            ++i;
            if (i < s.size() && (s[i] == 'x' || s[i] == 'X')) {
                base = 16;
                ++i;
            }
        }
        for (; i < s.size(); ++i) {
            int d;
            unsigned char c = static_cast<unsigned char>(s[i]);
            if (std::isdigit(c) && c - '0' < base)
                d = c - '0';
            else if (base == 16 && std::isxdigit(c))
                d = std::tolower(c) - 'a' + 10;
            else
                break;
            v = v * base + static_cast<std::uint64_t>(d);
            if (v > 0xffffffffULL)
                return std::nullopt;
        }
        if (n == 4)
            return std::nullopt;
        parts[n++] = static_cast<std::uint32_t>(v);
        if (i < s.size() && s[i] == '.') {
            if (n == 4)
                return std::nullopt;
            ++i;
            continue;
        }
        break;
    }
    if (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
        return std::nullopt;
    std::uint32_t v = parts[n - 1];
    std::uint32_t limit[4] = {0xffffffffU, 0xffffffU, 0xffffU, 0xffU};
    if (v > limit[n - 1])
        return std::nullopt;
    for (int k = 0; k < n - 1; ++k) {
        if (parts[k] > 0xff)
            return std::nullopt;
        v |= parts[k] << (24 - 8 * k);
    }
    return Ipv4{v};
}

// glibc inet_pton(AF_INET, ...): exactly four decimal parts of 0..255, no leading zeros
// ("224.0.0.081" is refused), nothing before or after.
std::optional<Ipv4> inetPton4(std::string_view s)
{
    std::uint32_t value = 0;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= s.size() || s[i] != '.')
                return std::nullopt;
            ++i;
        }
        std::size_t start = i;
        unsigned n = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            if (i > start && n == 0) // a leading zero
                return std::nullopt;
            n = n * 10 + static_cast<unsigned>(s[i] - '0');
            if (n > 255)
                return std::nullopt;
            ++i;
        }
        if (i == start)
            return std::nullopt;
        value = (value << 8) | n;
    }
    if (i != s.size())
        return std::nullopt;
    return Ipv4{value};
}

// inet_pton(AF_INET6, ...): hex groups, one "::", an optional dotted quad at the end.
std::optional<std::array<std::uint8_t, 16>> inetPton6(std::string_view s)
{
    std::array<std::uint8_t, 16> out{};
    std::vector<std::uint16_t> head, tail;
    bool seenGap = false;
    std::size_t i = 0;
    if (s.starts_with("::")) {
        seenGap = true;
        i = 2;
    } else if (s.starts_with(":")) {
        return std::nullopt;
    }
    std::optional<Ipv4> v4tail;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j])))
            ++j;
        if (j < s.size() && s[j] == '.') { // embedded IPv4 ends the address
            auto v4 = inetPton4(s.substr(i));
            if (!v4)
                return std::nullopt;
            v4tail = v4;
            i = s.size();
            break;
        }
        if (j == i || j - i > 4)
            return std::nullopt;
        auto group = static_cast<std::uint16_t>(std::strtoul(std::string(s.substr(i, j - i)).c_str(), nullptr, 16));
        (seenGap ? tail : head).push_back(group);
        i = j;
        if (i == s.size())
            break;
        if (s[i] != ':')
            return std::nullopt;
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (seenGap)
                return std::nullopt;
            seenGap = true;
            ++i;
        } else if (i == s.size()) {
            return std::nullopt; // trailing single ':'
        }
    }
    std::size_t groups = head.size() + tail.size() + (v4tail ? 2 : 0);
    if (groups > 8 || (!seenGap && groups != 8) || (seenGap && groups > 7))
        return std::nullopt;
    std::vector<std::uint16_t> all = head;
    all.resize(8 - tail.size() - (v4tail ? 2 : 0), 0);
    all.insert(all.end(), tail.begin(), tail.end());
    if (v4tail) {
        all.push_back(static_cast<std::uint16_t>(v4tail->value >> 16));
        all.push_back(static_cast<std::uint16_t>(v4tail->value & 0xffff));
    }
    for (int k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<std::uint8_t>(all[k] >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(all[k] & 0xff);
    }
    return out;
}

// ---- the parser state: ipvsadm's struct ipvs_command_entry plus options -------------------

class Parser {
public:
    Parser(const std::vector<std::string>& args, const Resolver& r) : m_args(args), m_resolver(r) {}

    ParseResult run();

private:
    ParseResult parseOptions();
    std::optional<ParseError> processChecks();

    static std::unexpected<ParseError> fail(std::string msg, int code = 2)
    {
        return std::unexpected<ParseError>(ParseError{std::move(msg), code});
    }
    static std::unexpected<ParseError> tryhelp()
    {
        return fail("Try `ipvsadm -h' or 'ipvsadm --help' for more information.", 255);
    }

    std::optional<ParseError> setOption(Option o)
    {
        std::uint64_t bit = 1ULL << static_cast<int>(o);
        if (m_cmd.options & bit)
            return ParseError{"multiple '" + std::string(optionName(o)) + "' options specified", 2};
        m_cmd.options |= bit;
        return std::nullopt;
    }

    // parse_service(): SERVICE_ADDR (1) | SERVICE_PORT (2), or 0.
    struct ServiceParse {
        int result = 0;
        Address address;
        std::uint16_t port = 0;
    };
    ServiceParse parseService(std::string buf, std::optional<Protocol> protocol) const;

    const std::vector<std::string>& m_args;
    const Resolver& m_resolver;
    Command m_cmd;
    // The service being built, as ce->svc: fields exist before -t/-u/-f are seen.
    Service m_svc;
    std::optional<Protocol> m_svcProtocol; // ce->svc.protocol; 0 until -t/-u/--sctp/-f
    bool m_destIpv6 = false;
};

Parser::ServiceParse Parser::parseService(std::string buf, std::optional<Protocol> protocol) const
{
    ServiceParse out;
    if (strIsDigit(buf))
        return out;
    std::optional<std::string> portText;
    std::string host = buf;
    if (!buf.empty() && buf[0] == '[') {
        auto close = buf.find(']');
        if (close == std::string::npos)
            return out;
        host = buf.substr(1, close - 1);
        std::string after = buf.substr(close + 1);
        if (after.empty() || after[0] != ':')
            return out;
        portText = after.substr(1);
    }
    if (auto v6 = inetPton6(host)) {
        out.address.ipv6 = true;
        out.address.v6 = *v6;
    } else {
        // Not IPv6: the port is whatever follows the last ':' of the text (the bracket's port
        // is dropped, portp = strrchr(buf, ':')), so "[10.0.0.1]:80" is an address without
        // a port.
        portText.reset();
        if (auto colon = host.rfind(':'); colon != std::string::npos) {
            portText = host.substr(colon + 1);
            host = host.substr(0, colon);
        }
        if (auto v4 = inetAton(host)) {
            out.address.v4 = *v4;
        } else if (auto named = m_resolver.host ? m_resolver.host(host) : std::nullopt) {
            out.address.v4 = *named;
        } else {
            return out;
        }
    }
    out.result |= 1;
    if (portText) {
        out.result |= 2;
        if (auto n = stringToNumber(*portText, 0, 65535)) {
            out.port = static_cast<std::uint16_t>(*n);
        } else if (auto p = (protocol && m_resolver.service) ? m_resolver.service(*portText, *protocol)
                                                             : std::nullopt) {
            out.port = *p;
        } else {
            out.result = 0;
        }
    }
    return out;
}

// parse_sched_flags(): comma-separated names; sh-* need the sh scheduler, mh-* the mh one.
std::optional<ParseError> parseSchedFlags(std::string_view sched, const std::string& arg,
                                          std::uint32_t& flags)
{
    if (sched.empty())
        sched = "wlc";
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i <= arg.size()) {
        std::size_t j = arg.find(',', i);
        if (j == std::string::npos)
            j = arg.size();
        if (j > i)
            tokens.push_back(arg.substr(i, j - i));
        i = j + 1;
    }
    if (tokens.empty()) // only commas: strtok() gives NULL and ipvsadm's strcmp(NULL) crashes;
        tokens.emplace_back(); // report it as an invalid (empty) flag instead
    for (const std::string& f : tokens) {
        auto incompatible = [&](std::string_view needs) -> std::optional<ParseError> {
            if (sched != needs)
                return ParseError{"incompatible scheduler flag `" + f + "'", 2};
            return std::nullopt;
        };
        std::optional<ParseError> e;
        if (f == "flag-1") flags |= kSvcSched1;
        else if (f == "flag-2") flags |= kSvcSched2;
        else if (f == "flag-3") flags |= kSvcSched3;
        else if (f == "sh-fallback") { flags |= kSvcSched1; e = incompatible("sh"); }
        else if (f == "sh-port") { flags |= kSvcSched2; e = incompatible("sh"); }
        else if (f == "mh-fallback") { flags |= kSvcSched1; e = incompatible("mh"); }
        else if (f == "mh-port") { flags |= kSvcSched2; e = incompatible("mh"); }
        else return ParseError{"invalid scheduler flag `" + f + "'", 2};
        if (e)
            return e;
    }
    return std::nullopt;
}

#define LVS_TRY(expr)                                   \
    do {                                                \
        if (auto lvsErr_ = (expr))                      \
            return std::unexpected<ParseError>(*lvsErr_); \
    } while (0)

ParseResult Parser::parseOptions()
{
    Popt popt(m_args);
    int c = popt.next();
    if (c < 0)
        return tryhelp();

    auto daemonState = [&](const std::string& a) -> std::optional<DaemonState> {
        if (a == "master") return DaemonState::Master;
        if (a == "backup") return DaemonState::Backup;
        return std::nullopt;
    };
    switch (c) {
    case 'A': m_cmd.kind = CommandKind::AddService; break;
    case 'E': m_cmd.kind = CommandKind::EditService; break;
    case 'D': m_cmd.kind = CommandKind::DeleteService; break;
    case 'a': m_cmd.kind = CommandKind::AddServer; break;
    case 'e': m_cmd.kind = CommandKind::EditServer; break;
    case 'd': m_cmd.kind = CommandKind::DeleteServer; break;
    case 'C': m_cmd.kind = CommandKind::Clear; break;
    case 'L':
    case 'l': m_cmd.kind = CommandKind::List; break;
    case 'Z': m_cmd.kind = CommandKind::Zero; break;
    case TagSet: m_cmd.kind = CommandKind::Set; break;
    case 'R': m_cmd.kind = CommandKind::Restore; break;
    case 'S': m_cmd.kind = CommandKind::Save; break;
    case TagStartDaemon: {
        m_cmd.kind = CommandKind::StartDaemon;
        auto s = daemonState(*popt.arg());
        if (!s)
            return fail("illegal start-daemon parameter specified");
        m_cmd.daemonState = *s;
        break;
    }
    case TagStopDaemon: {
        m_cmd.kind = CommandKind::StopDaemon;
        auto s = daemonState(*popt.arg());
        if (!s)
            return fail("illegal start_daemon specified"); // sic, ipvsadm.c
        m_cmd.daemonState = *s;
        break;
    }
    case 'P': m_cmd.kind = CommandKind::AddLocalAddress; break;
    case 'Q': m_cmd.kind = CommandKind::DeleteLocalAddress; break;
    case 'G': m_cmd.kind = CommandKind::ListLocalAddresses; break;
    case 'h': m_cmd.kind = CommandKind::Help; return m_cmd;    // usage_exit(argv[0], 0)
    case 'v': m_cmd.kind = CommandKind::Version; return m_cmd; // version_exit(0)
    default: return tryhelp();
    }

    std::string schedFlagsArg;
    while ((c = popt.next()) >= 0) {
        const std::string arg = popt.arg().value_or(std::string());
        switch (c) {
        case 't':
        case 'u':
        case TagSctpService: {
            LVS_TRY(setOption(Option::Service));
            m_svcProtocol = c == 't' ? Protocol::Tcp : c == 'u' ? Protocol::Udp : Protocol::Sctp;
            m_svc.protocol = *m_svcProtocol;
            ServiceParse p = parseService(arg, m_svcProtocol);
            if (!(p.result & 1))
                return fail("illegal virtual server address[:port] specified");
            m_svc.address = p.address;
            m_svc.ipv6 = p.address.ipv6;
            if (p.address.ipv6)
                m_cmd.netmask = 128;
            if (p.result & 2)
                m_svc.port = p.port;
            break;
        }
        case 'f': {
            LVS_TRY(setOption(Option::Service));
            m_svc.isFwmark = true;
            m_svc.ipv6 = false;
            m_svcProtocol = Protocol::Tcp;
            m_svc.protocol = Protocol::Tcp;
            // parse_fwmark(): strtol, 1..UINT_MAX
            std::string buf = arg;
            errno = 0;
            char* end = nullptr;
            long l = std::strtol(buf.c_str(), &end, 10);
            if (*end != '\0' || end == buf.c_str() || errno == ERANGE || l <= 0 || l > static_cast<long>(UINT_MAX))
                return fail("invalid fwmark value `" + arg + "' specified");
            m_svc.fwmark = static_cast<std::uint32_t>(l);
            break;
        }
        case 's':
            LVS_TRY(setOption(Option::Scheduler));
            m_cmd.scheduler = arg.substr(0, 15); // strncpy(sched_name[16], optarg, IP_VS_SCHEDNAME_MAXLEN - 1)
            break;
        case 'p': {
            LVS_TRY(setOption(Option::Persistent));
            m_cmd.flags |= kSvcPersistent;
            if (!popt.arg()) {
                m_cmd.persistenceTimeout = kPersistentTimeoutDefault; // parse_timeout(NULL)
            } else {
                auto n = stringToNumber(arg, 1, kMaxTimeout);
                if (!n)
                    return fail("invalid timeout value `" + arg + "' specified");
                m_cmd.persistenceTimeout = static_cast<int>(*n);
            }
            break;
        }
        case 'M':
            LVS_TRY(setOption(Option::Netmask));
            if (!m_svc.ipv6) {
                // parse_netmask(): inet_aton, then a host name
                auto m = inetAton(arg);
                if (!m && m_resolver.host)
                    m = m_resolver.host(arg);
                if (!m)
                    return fail("illegal virtual server persistent mask specified");
                m_cmd.netmask = m->value;
            } else {
                int n = std::atoi(arg.c_str());
                if (n < 1 || n > 128)
                    return fail("illegal ipv6 netmask specified");
                m_cmd.netmask = static_cast<std::uint32_t>(n);
            }
            break;
        case 'r': {
            LVS_TRY(setOption(Option::Server));
            ServiceParse p = parseService(arg, m_svcProtocol);
            Server s;
            s.address = p.address;
            s.port = (p.result & 2) ? p.port : 0;
            m_destIpv6 = p.address.ipv6;
            if (!(p.result & 1))
                return fail("illegal real server address[:port] specified");
            if (p.result == 1) // copy vport to dport if not specified
                s.port = m_svc.port;
            m_cmd.server = s;
            break;
        }
        case 'i':
            LVS_TRY(setOption(Option::Forward));
            m_cmd.forward = ForwardMethod::Tunnel;
            break;
        case 'g':
            LVS_TRY(setOption(Option::Forward));
            m_cmd.forward = ForwardMethod::Route;
            break;
        case 'm':
            LVS_TRY(setOption(Option::Forward));
            m_cmd.forward = ForwardMethod::Masq;
            break;
        case TagFullNat: // DPVS: IP_VS_CONN_F_FULLNAT, the same 'forwarding-method' option
            LVS_TRY(setOption(Option::Forward));
            m_cmd.forward = ForwardMethod::FullNat;
            break;
        case 'w': {
            LVS_TRY(setOption(Option::Weight));
            auto n = stringToNumber(arg, 0, INT_MAX); // Debian; upstream 1.31: 65535
            if (!n)
                return fail("illegal weight specified");
            m_cmd.weight = static_cast<int>(*n);
            break;
        }
        case 'x': {
            LVS_TRY(setOption(Option::UThreshold));
            auto n = stringToNumber(arg, 0, INT_MAX);
            if (!n)
                return fail("illegal u_threshold specified");
            m_cmd.upperThreshold = static_cast<int>(*n);
            break;
        }
        case 'y': {
            LVS_TRY(setOption(Option::LThreshold));
            auto n = stringToNumber(arg, 0, INT_MAX);
            if (!n)
                return fail("illegal l_threshold specified");
            m_cmd.lowerThreshold = static_cast<int>(*n);
            break;
        }
        case 'c':
            LVS_TRY(setOption(Option::Connection));
            m_cmd.connection = true;
            break;
        case 'n':
            LVS_TRY(setOption(Option::Numeric));
            m_cmd.format.numeric = true;
            break;
        case TagMcastInterface:
            LVS_TRY(setOption(Option::McastInterface));
            m_cmd.mcastInterface = arg.substr(0, 15); // strncpy(mcast_ifn[16], optarg, IP_VS_IFNAME_MAXLEN - 1)
            break;
        case 'I': {
            LVS_TRY(setOption(Option::SyncId));
            auto n = stringToNumber(arg, 0, 255);
            if (!n)
                return fail("illegal syncid specified");
            m_cmd.syncId = static_cast<int>(*n);
            break;
        }
        case TagTimeout:
            LVS_TRY(setOption(Option::Timeout));
            m_cmd.timeout = true;
            break;
        case TagDaemon:
            LVS_TRY(setOption(Option::Daemon));
            m_cmd.daemon = true;
            break;
        case TagStats:
            LVS_TRY(setOption(Option::Stats));
            m_cmd.format.stats = true;
            break;
        case TagRate:
            LVS_TRY(setOption(Option::Rate));
            m_cmd.format.rate = true;
            break;
        case TagThresholds:
            LVS_TRY(setOption(Option::Thresholds));
            m_cmd.format.thresholds = true;
            break;
        case TagPersistentConn:
            LVS_TRY(setOption(Option::PersistentConn));
            m_cmd.format.persistentConn = true;
            break;
        case TagNoSort:
            LVS_TRY(setOption(Option::NoSort));
            m_cmd.format.noSort = true;
            break;
        case TagSort: // "Sort is the default, this is a no-op for compatibility"
            break;
        case 'X':
            LVS_TRY(setOption(Option::Exact));
            m_cmd.format.exact = true;
            break;
        case '6':
            if (m_svc.fwmark) {
                m_svc.ipv6 = true;
                m_cmd.netmask = 128;
            } else {
                return fail("-6 used before -f\n");
            }
            break;
        case 'o':
            LVS_TRY(setOption(Option::OnePacket));
            m_cmd.flags |= kSvcOnePacket;
            break;
        case TagPersistenceEngine:
            LVS_TRY(setOption(Option::PersistenceEngine));
            m_cmd.persistenceEngine = arg.substr(0, 16); // strncpy(pe_name[IP_VS_PENAME_MAXLEN + 1], optarg, 16)
            break;
        case 'b':
            LVS_TRY(setOption(Option::SchedFlags));
            schedFlagsArg = arg.substr(0, 127); // snprintf(sched_flags_arg[128], "%s", optarg)
            break;
        case TagMcastGroup: {
            LVS_TRY(setOption(Option::McastGroup));
            Address a;
            if (arg.find(':') != std::string::npos) {
                auto v6 = inetPton6(arg);
                if (!v6 || (*v6)[0] != 0xff) // IN6_IS_ADDR_MULTICAST
                    return fail("invalid IPv6 mcast-group `" + arg + "'");
                a.ipv6 = true;
                a.v6 = *v6;
            } else {
                auto v4 = inetPton4(arg);
                if (!v4 || (v4->value >> 28) != 0xe) // IN_MULTICAST
                    return fail("invalid IPv4 mcast-group `" + arg + "'");
                a.v4 = *v4;
            }
            m_cmd.mcastGroup = a;
            break;
        }
        case TagMcastPort: {
            LVS_TRY(setOption(Option::McastPort));
            auto n = stringToNumber(arg, 1, 65535);
            if (!n)
                return fail("illegal mcast-port specified");
            m_cmd.mcastPort = static_cast<int>(*n);
            break;
        }
        case TagMcastTtl: {
            LVS_TRY(setOption(Option::McastTtl));
            auto n = stringToNumber(arg, 1, 255);
            if (!n)
                return fail("illegal mcast-ttl specified");
            m_cmd.mcastTtl = static_cast<int>(*n);
            break;
        }
        case TagSyncMaxlen: {
            LVS_TRY(setOption(Option::SyncMaxlen));
            auto n = stringToNumber(arg, 1, 65535 - 20 - 8);
            if (!n)
                return fail("illegal sync-maxlen specified");
            m_cmd.syncMaxlen = static_cast<int>(*n);
            break;
        }
        case TagTunInfo:
            LVS_TRY(setOption(Option::TunInfo));
            m_cmd.format.tunInfo = true;
            break;
        case TagTunType: {
            LVS_TRY(setOption(Option::TunType));
            if (arg == "ipip") m_cmd.tunnelType = TunnelType::Ipip;
            else if (arg == "gue") m_cmd.tunnelType = TunnelType::Gue;
            else if (arg == "gre") m_cmd.tunnelType = TunnelType::Gre;
            else return fail("illegal tunnel type specified");
            break;
        }
        case TagTunPort: {
            LVS_TRY(setOption(Option::TunPort));
            auto n = stringToNumber(arg, 1, 65535);
            if (!n)
                return fail("illegal tunnel port specified");
            m_cmd.tunnelPort = static_cast<std::uint16_t>(*n);
            break;
        }
        case TagTunNoCsum:
            LVS_TRY(setOption(Option::TunNoCsum));
            break;
        case TagTunCsum:
            LVS_TRY(setOption(Option::TunCsum));
            m_cmd.tunnelFlags |= 1;
            break;
        case TagTunRemCsum:
            LVS_TRY(setOption(Option::TunRemCsum));
            m_cmd.tunnelFlags |= 2;
            break;
        case 'z': { // DPVS: parse_service() into a fresh service; only the address is kept
            LVS_TRY(setOption(Option::LocalAddress));
            ServiceParse p = parseService(arg, std::nullopt);
            if (!(p.result & 1))
                return fail("illegal local address");
            m_cmd.localAddress = p.address;
            break;
        }
        case 'F': // DPVS: snprintf(laddr.ifname, IFNAMSIZ, "%s", optarg)
            LVS_TRY(setOption(Option::Ifname));
            m_cmd.ifname = arg.substr(0, 15);
            break;
        default: // a second command, e.g. "-A ... -E"
            return fail("invalid option `" + popt.badOption() + "'");
        }
    }

    // popt's own error: parse_options() prints "%s: %s" (poptBadOption, poptStrerror) and
    // returns -1, which main() returns: exit status 255.
    if (c < -1)
        return fail(popt.badOption() + ": " + Popt::strerror(c), 255);

    if (m_cmd.kind == CommandKind::Set) {
        auto a = popt.leftover();
        auto b = a ? popt.leftover() : std::nullopt;
        auto d = b ? popt.leftover() : std::nullopt;
        if (!d)
            return fail("--set option requires 3 timeout values");
        int* targets[3] = {&m_cmd.tcpTimeout, &m_cmd.tcpFinTimeout, &m_cmd.udpTimeout};
        const std::string* texts[3] = {&*a, &*b, &*d};
        for (int k = 0; k < 3; ++k) {
            auto n = stringToNumber(*texts[k], 0, kMaxTimeout);
            if (!n)
                return fail("invalid timeout value `" + *texts[k] + "' specified");
            *targets[k] = static_cast<int>(*n);
        }
    }
    if (auto extra = popt.leftover())
        return fail("unexpected argument " + *extra);

    // parse_options() parses -b last, after --set and the leftover check, and only when the
    // argument (copied into a 128-byte buffer) is not empty: "-b ''" sets nothing. The
    // SCHED1..3 bits are cleared first and replaced by the parsed ones.
    if (!schedFlagsArg.empty()) {
        m_cmd.flags &= ~(kSvcSched1 | kSvcSched2 | kSvcSched3);
        LVS_TRY(parseSchedFlags(m_cmd.scheduler, schedFlagsArg, m_cmd.flags));
    }
    return m_cmd;
}

// generic_opt_check(): the table, column by column; the first offence wins.
std::optional<ParseError> genericOptCheck(Cmd cmd, std::uint64_t options)
{
    const char* row = kLegal[cmd];
    int last = 0, count = 0;
    for (int j = 0; j < kOptionCount; ++j) {
        const std::string opt(kOptNames[j]);
        const std::string name(kCmdNames[cmd]);
        if (!((options >> j) & 1U)) {
            if (row[j] == '+')
                return ParseError{"You need to supply the '" + opt + "' option for the '" + name + "' command", 2};
        } else {
            if (row[j] == 'x')
                return ParseError{"Illegal '" + opt + "' option with the '" + name + "' command", 2};
            if (row[j] == '1') {
                if (++count == 1) {
                    last = j;
                    continue;
                }
                return ParseError{"The option '" + opt + "' conflicts with the '" +
                                      std::string(kOptNames[last]) + "' option in the '" + name + "' command", 2};
            }
        }
    }
    return std::nullopt;
}

// tunnel_opt_check()
std::optional<ParseError> tunnelOptCheck(TunnelType type, std::uint64_t options)
{
    int i = static_cast<int>(type);
    int last = 0, count = 0;
    for (int j = 0; j < 4; ++j) {
        int k = static_cast<int>(kTunOpts[j]);
        const std::string opt(kOptNames[k]);
        const std::string tun(kTunNames[i]);
        if (!((options >> k) & 1U)) {
            if (kTunLegal[i][j] == '+')
                return ParseError{"You need to supply the '" + opt + "' option for the '" + tun + "' tunnel type", 2};
        } else {
            if (kTunLegal[i][j] == 'x')
                return ParseError{"Illegal '" + opt + "' option with the '" + tun + "' tunnel type", 2};
            if (kTunLegal[i][j] == '1') {
                if (++count == 1) {
                    last = k;
                    continue;
                }
                return ParseError{"The option '" + opt + "' conflicts with the '" + std::string(kOptNames[last]) +
                                      "' option in the '" + tun + "' tunnel type", 2};
            }
        }
    }
    return std::nullopt;
}

std::optional<ParseError> Parser::processChecks()
{
    Command& c = m_cmd;
    if (auto e = genericOptCheck(cmdOf(c.kind), c.options))
        return e;

    const bool isAddEdit = c.kind == CommandKind::AddService || c.kind == CommandKind::EditService;
    if (isAddEdit) {
        if (!m_svc.fwmark && !m_svc.port && !(c.flags & kSvcPersistent))
            return ParseError{"Zero port specified for non-persistent service", 2};
        if ((c.flags & kSvcOnePacket) && !m_svc.fwmark && m_svc.protocol != Protocol::Udp)
            return ParseError{"One-Packet Scheduling is only for UDP virtual services", 2};
        if (c.scheduler.empty())
            c.scheduler = "wlc"; // DEF_SCHED
    }
    if (c.kind == CommandKind::StartDaemon && c.mcastInterface.empty())
        c.mcastInterface = "eth0"; // DEF_MCAST_IFN

    if (c.kind == CommandKind::AddServer || c.kind == CommandKind::EditServer) {
        // The destination port equals the service port for DR and TUN (not for fwmark).
        if (!m_svc.fwmark && (c.forward == ForwardMethod::Tunnel || c.forward == ForwardMethod::Route))
            c.server->port = m_svc.port;
        // DPVS translates between families in full-NAT (an IPv6 VIP over IPv4 real servers,
        // doc/tutorial.md "IPv6 Support"), and its ipvsadm has no such check: exempt it too.
        if (m_destIpv6 != m_svc.ipv6 && c.forward != ForwardMethod::Tunnel
            && c.forward != ForwardMethod::FullNat)
            return ParseError{"Different address family is allowed only for tunneling servers", 2};
        constexpr std::uint64_t tunMask = (1ULL << static_cast<int>(Option::TunType)) |
                                          (1ULL << static_cast<int>(Option::TunPort)) |
                                          (1ULL << static_cast<int>(Option::TunNoCsum)) |
                                          (1ULL << static_cast<int>(Option::TunCsum)) |
                                          (1ULL << static_cast<int>(Option::TunRemCsum));
        if ((c.options & tunMask) && c.forward != ForwardMethod::Tunnel)
            return ParseError{"Tunnel options conflict with forward method", 2};
        if (auto e = tunnelOptCheck(c.tunnelType, c.options))
            return e;
    }

    // process_options(), CMD_LIST: -c/--timeout/--daemon exclude --stats/--rate/--thresholds,
    // and --timeout/--daemon exclude --persistent-conn (-c --persistent-conn is allowed: it
    // adds the pe name and pe_data columns to list_conn).
    if (c.kind == CommandKind::List) {
        if (((c.connection || c.timeout || c.daemon) &&
             (c.format.stats || c.format.rate || c.format.thresholds)) ||
            ((c.timeout || c.daemon) && c.format.persistentConn))
            return ParseError{"options conflicts in the list command", 2};
    }
    return std::nullopt;
}

ParseResult Parser::run()
{
    if (m_args.empty()) { // main(): argc == 1 lists everything
        m_cmd.kind = CommandKind::List;
        return m_cmd;
    }
    auto parsed = parseOptions();
    if (!parsed)
        return parsed;
    if (m_cmd.kind == CommandKind::Help || m_cmd.kind == CommandKind::Version)
        return m_cmd;
    if (auto e = processChecks())
        return std::unexpected<ParseError>(*e);
    if (m_cmd.has(Option::Service))
        m_cmd.service = m_svc;
    return m_cmd;
}


} // namespace

std::string_view optionName(Option option)
{
    return kOptNames[static_cast<int>(option)];
}

std::string_view commandName(CommandKind kind)
{
    switch (kind) {
    case CommandKind::Help: return "help";
    case CommandKind::Version: return "version";
    default: return kCmdNames[cmdOf(kind)];
    }
}


const Resolver& defaultResolver()
{
    static const Resolver r{
        [](std::string_view host) -> std::optional<Ipv4> {
            if (host == "localhost")
                return Ipv4{0x7f000001};
            return std::nullopt;
        },
        [](std::string_view name, Protocol) -> std::optional<std::uint16_t> {
            struct Entry {
                std::string_view name;
                std::uint16_t port;
            };
            static constexpr Entry kServices[] = {
                {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"domain", 53},
                {"http", 80}, {"www", 80}, {"pop3", 110}, {"ntp", 123}, {"imap", 143},
                {"snmp", 161}, {"ldap", 389}, {"https", 443}, {"imaps", 993}, {"pop3s", 995},
                {"mysql", 3306}, {"http-alt", 8080},
            };
            for (const Entry& e : kServices)
                if (e.name == name)
                    return e.port;
            return std::nullopt;
        },
    };
    return r;
}

ParseResult parseIpvsadm(const std::vector<std::string>& args, const Resolver& resolver)
{
    Parser p(args, resolver);
    return p.run();
}

ParseResult parseIpvsadm(const std::vector<std::string>& args)
{
    return parseIpvsadm(args, defaultResolver());
}

} // namespace lvs::core::ipvsadm
