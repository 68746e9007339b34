// ipvsadm's main(), process_options() dispatch and restore_table() over a Control.
#include "core/ipvsadm/run.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

namespace lvs::core::ipvsadm {

namespace {

constexpr std::size_t kMaxLineLength = 4096; // config_stream.h MAX_LINE_LENGTH

// tryhelp_exit names argv[0]; the parser writes "ipvsadm", the program may be another.
std::string renamed(std::string message, std::string_view program)
{
    static constexpr std::string_view kTry = "Try `ipvsadm -h' or 'ipvsadm --help'";
    if (program != "ipvsadm")
        if (auto at = message.find(kTry); at != std::string::npos)
            message.replace(at, kTry.size(),
                            "Try `" + std::string(program) + " -h' or '" + std::string(program) + " --help'");
    return message;
}

ServiceConfig serviceConfig(const Command& c)
{
    ServiceConfig s;
    s.service = *c.service;
    s.scheduler = c.scheduler;
    s.flags = c.flags;
    s.timeout = static_cast<std::uint32_t>(c.persistenceTimeout);
    s.netmask = c.netmask;
    s.persistenceEngine = c.persistenceEngine;
    return s;
}

DestConfig destConfig(const Command& c)
{
    DestConfig d;
    d.server = *c.server;
    d.forward = c.forward;
    d.weight = c.weight;
    d.upperThreshold = static_cast<std::uint32_t>(c.upperThreshold);
    d.lowerThreshold = static_cast<std::uint32_t>(c.lowerThreshold);
    d.tunnelType = c.tunnelType;
    d.tunnelPort = c.tunnelPort;
    d.tunnelFlags = c.tunnelFlags;
    return d;
}

// list_daemon: one line per running daemon, master first.
std::string daemonLines(const std::vector<SyncDaemon>& daemons)
{
    std::string out;
    for (const SyncDaemon& d : daemons) {
        out += d.state == DaemonState::Master ? "master" : "backup";
        out += " sync daemon (mcast=" + d.mcastInterface + ", syncid=" + std::to_string(d.syncId);
        if (d.syncMaxlen)
            out += ", maxlen=" + std::to_string(d.syncMaxlen);
        if (d.mcastGroup)
            out += ", group=" + d.mcastGroup->toString();
        if (d.mcastPort)
            out += ", port=" + std::to_string(d.mcastPort);
        if (d.mcastTtl)
            out += ", ttl=" + std::to_string(d.mcastTtl);
        out += ")\n";
    }
    return out;
}

// The libipvs call behind a command, for ipvs_strerror, and the call itself.
struct Outcome {
    Operation operation;
    int error;
};

Outcome apply(const Command& c, Control& control)
{
    switch (c.kind) {
    case CommandKind::AddService: return {Operation::AddService, control.addService(serviceConfig(c))};
    case CommandKind::EditService: return {Operation::EditService, control.editService(serviceConfig(c))};
    case CommandKind::DeleteService: return {Operation::DeleteService, control.deleteService(*c.service)};
    case CommandKind::Clear: return {Operation::Flush, control.flush()};
    case CommandKind::Zero: return {Operation::ZeroService, control.zero(c.service)};
    case CommandKind::AddServer: return {Operation::AddDest, control.addDest(*c.service, destConfig(c))};
    case CommandKind::EditServer: return {Operation::EditDest, control.editDest(*c.service, destConfig(c))};
    case CommandKind::DeleteServer:
        return {Operation::DeleteDest, control.deleteDest(*c.service, *c.server)};
    case CommandKind::Set:
        return {Operation::SetTimeout,
                control.setTimeouts(ipvs::Timeouts{c.tcpTimeout, c.tcpFinTimeout, c.udpTimeout})};
    case CommandKind::StartDaemon: {
        SyncDaemon d;
        d.state = c.daemonState;
        d.mcastInterface = c.mcastInterface;
        d.syncId = c.syncId;
        d.syncMaxlen = c.syncMaxlen;
        d.mcastGroup = c.mcastGroup;
        d.mcastPort = c.mcastPort;
        d.mcastTtl = c.mcastTtl;
        return {Operation::StartDaemon, control.startDaemon(d)};
    }
    case CommandKind::StopDaemon: return {Operation::StopDaemon, control.stopDaemon(c.daemonState)};
    case CommandKind::AddLocalAddress:
        return {Operation::LocalAddress,
                control.addLocalAddress(*c.service, LocalAddressEntry{*c.localAddress, c.ifname, 0, 0})};
    case CommandKind::DeleteLocalAddress:
        return {Operation::LocalAddress,
                control.deleteLocalAddress(*c.service, LocalAddressEntry{*c.localAddress, c.ifname, 0, 0})};
    default: return {Operation::LocalAddress, EINVAL};
    }
}

struct Runner {
    Control& control;
    Invocation& io;

    // process_options(): the status it returns (and main() exits with); `stop` is set where
    // ipvsadm would exit() at once (fail(), usage_exit(), version_exit(), tryhelp_exit()).
    int process(const std::vector<std::string>& args, bool readingStdin, bool& stop)
    {
        ParseResult parsed = parseIpvsadm(args, io.resolver);
        if (!parsed) {
            io.err += renamed(parsed.error().message, io.program) + "\n";
            stop = true;
            return parsed.error().exitCode;
        }
        const Command& c = *parsed;
        switch (c.kind) {
        case CommandKind::Help:
            io.out += usageText(io.program);
            stop = true;
            return 0;
        case CommandKind::Version:
            io.out += versionText();
            stop = true;
            return 0;
        case CommandKind::List: return list(c, stop);
        case CommandKind::ListLocalAddresses: return listLocalAddresses(c, stop);
        case CommandKind::Save: io.out += saveRules(control.services(), c.format.numeric, io.names); return 0;
        case CommandKind::Restore:
            if (readingStdin) { // "avoid infinite loop"
                io.err += renamed("Try `ipvsadm -h' or 'ipvsadm --help' for more information.", io.program) + "\n";
                stop = true;
                return 255;
            }
            return restore(stop);
        default: break;
        }
        Outcome o = apply(c, control);
        if (o.error) {
            io.err += ipvsStrerror(o.operation, o.error) + "\n";
            return 255;
        }
        return 0;
    }

    int list(const Command& c, bool& stop)
    {
        if (c.connection) {
            io.out += listConnections(control.connections(), c.format, io.names);
        } else if (c.service) {
            std::optional<ListedService> s = control.service(*c.service);
            if (!s) { // list_service: ipvs_get_service failed, exit(1)
                io.err += ipvsStrerror(Operation::GetService, ESRCH) + "\n";
                stop = true;
                return 1;
            }
            io.out += listService(*s, c.format, io.names);
        } else if (c.timeout) {
            ipvs::Timeouts t = control.timeouts();
            io.out += "Timeout (tcp tcpfin udp): " + std::to_string(t.tcp) + " " + std::to_string(t.tcpFin)
                + " " + std::to_string(t.udp) + "\n";
        } else if (c.daemon) {
            io.out += daemonLines(control.daemons());
        } else {
            io.out += listAll(control.services(), c.format, io.names);
        }
        return 0;
    }

    // DPVS's ipvsadm -G (list_laddrs): the title once, then each service with its count and
    // its local addresses (list_laddrs_print_title, _print_service, _print_laddr).
    int listLocalAddresses(const Command& c, bool& stop)
    {
        std::vector<std::pair<std::string, std::vector<LocalAddressEntry>>> rows;
        auto nameOf = [](const Service& s) {
            if (s.isFwmark)
                return std::to_string(s.fwmark);
            std::string a = s.address.toString();
            return (s.address.ipv6 ? "[" + a + "]" : a) + ":" + std::to_string(s.port);
        };
        if (c.service) {
            auto laddrs = control.localAddresses(*c.service);
            if (!laddrs) {
                io.err += ipvsStrerror(Operation::GetService, ESRCH) + "\n";
                stop = true;
                return 1;
            }
            rows.emplace_back(nameOf(*c.service), *laddrs);
        } else {
            for (const ListedService& ls : control.services()) {
                Service s;
                s.isFwmark = ls.fwmark != 0;
                s.fwmark = ls.fwmark;
                s.ipv6 = ls.fwmark ? ls.ipv6 : ls.address.ipv6;
                s.protocol = ls.protocol;
                s.address = ls.address;
                s.port = ls.port;
                rows.emplace_back(nameOf(s), control.localAddresses(s).value_or(std::vector<LocalAddressEntry>{}));
            }
        }
        char buf[512];
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i == 0) {
                std::snprintf(buf, sizeof buf, "%-20s %-8s %-20s %-10s %-10s\n", "VIP:VPORT", "TOTAL", "SNAT_IP",
                              "CONFLICTS", "CONNS");
                io.out += buf;
            }
            std::snprintf(buf, sizeof buf, "%-20s %-8zu \n", rows[i].first.c_str(), rows[i].second.size());
            io.out += buf;
            for (const LocalAddressEntry& l : rows[i].second) {
                std::snprintf(buf, sizeof buf, "%-20s %-8s %-20s %-10llu %-10u\n", "", "", l.address.toString().c_str(),
                              static_cast<unsigned long long>(l.portConflicts), l.connections);
                io.out += buf;
            }
        }
        return 0;
    }

    // restore_table(): each line of stdin is a command line of its own.
    int restore(bool& stop)
    {
        if (!io.input)
            return 0;
        std::string text(std::istreambuf_iterator<char>(*io.input), {});
        int result = 0;
        std::size_t lineNo = 0;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            std::string_view line(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
            pos = end == std::string::npos ? text.size() : end + 1;
            ++lineNo;
            const std::string where = io.program + " -R, line " + std::to_string(lineNo) + ": ";
            Result<std::vector<std::string>> words = restoreWords(line);
            if (!words) {
                io.err += where + words.error().message + "\n";
                stop = true;
                return 2;
            }
            if (words->empty())
                continue;
            std::string before = std::move(io.err);
            io.err.clear();
            result = process(*words, true, stop);
            if (!io.err.empty())
                io.err = before + where + io.err;
            else
                io.err = std::move(before);
            if (stop)
                return result;
        }
        return result;
    }
};

} // namespace

std::string ipvsStrerror(Operation op, int error)
{
    using O = Operation;
    struct Row {
        std::optional<O> op;
        int err;
        const char* message;
    };
    // libipvs.c ipvs_strerror's table, in its order.
    static const Row kTable[] = {
        {O::AddService, EEXIST, "Service already exists"},
        {O::AddService, ENOENT, "Scheduler or persistence engine not found"},
        {O::EditService, ESRCH, "No such service"},
        {O::EditService, ENOENT, "Scheduler or persistence engine not found"},
        {O::DeleteService, ESRCH, "No such service"},
        {O::ZeroService, ESRCH, "No such service"},
        {O::AddDest, ESRCH, "Service not defined"},
        {O::AddDest, EEXIST, "Destination already exists"},
        {O::EditDest, ESRCH, "Service not defined"},
        {O::EditDest, ENOENT, "No such destination"},
        {O::DeleteDest, ESRCH, "Service not defined"},
        {O::DeleteDest, ENOENT, "No such destination"},
        {O::StartDaemon, EEXIST, "Daemon has already run"},
        {O::StopDaemon, ESRCH, "No daemon is running"},
        {O::GetService, ESRCH, "No such service"},
        // DPVS's -P/-Q (its libipvs has no entries of its own for them): ours.
        {O::LocalAddress, ESRCH, "Service not defined"},
        {O::LocalAddress, EEXIST, "Local address already exists"},
        {O::LocalAddress, ENOENT, "No such local address"},
        {std::nullopt, EPERM, "Permission denied (you must be root)"},
        {std::nullopt, EINVAL, "Invalid operation.  Possibly wrong module version, address not unicast, ..."},
        {std::nullopt, ENOPROTOOPT, "Protocol not available"},
        {std::nullopt, ENOMEM, "Memory allocation problem"},
        {std::nullopt, EOPNOTSUPP, "Operation not supported with IPv6"},
        {std::nullopt, EAFNOSUPPORT, "Operation not supported with specified address family"},
        {std::nullopt, EMSGSIZE, "Module is wrong version"},
    };
    for (const Row& r : kTable)
        if ((!r.op || *r.op == op) && r.err == error)
            return r.message;
    return std::strerror(error);
}

Result<std::vector<std::string>> restoreWords(std::string_view line)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size()) {
        char ch = line[i];
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
            if (line[i] == '\0')
                return fail("NUL byte at column " + std::to_string(i + 1));
            ++i;
        }
        if (i - start > kMaxLineLength)
            return fail("word at column " + std::to_string(start + 1) + " is longer than "
                        + std::to_string(kMaxLineLength) + " characters");
        std::string word(line.substr(start, i - start));
        if (word != "ipvsadm")
            words.push_back(std::move(word));
    }
    return words;
}

Result<void> loadRestoreText(std::string_view text, std::string_view fileName, Control& control)
{
    std::size_t lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        std::string_view line = text.substr(pos, (end == std::string_view::npos ? text.size() : end) - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++lineNo;
        auto where = [&] { return std::string(fileName) + ":" + std::to_string(lineNo) + ": "; };
        if (!line.empty() && line.front() == '#')
            continue;
        auto words = restoreWords(line);
        if (!words)
            return fail(where() + words.error().message);
        if (words->empty())
            continue;
        ParseResult c = parseIpvsadm(*words);
        if (!c)
            return fail(where() + c.error().message);
        switch (c->kind) {
        case CommandKind::List: case CommandKind::Save: case CommandKind::Restore:
        case CommandKind::Help: case CommandKind::Version: case CommandKind::ListLocalAddresses:
            return fail(where() + "only commands that change the table belong in a table file");
        default: break;
        }
        Outcome o = apply(*c, control);
        if (o.error)
            return fail(where() + ipvsStrerror(o.operation, o.error));
    }
    return {};
}

int runIpvsadm(const std::vector<std::string>& args, Control& control, Invocation& io)
{
    Runner runner{control, io};
    if (args.empty()) { // main(): "list the table if there is no other argument"
        io.out += listAll(control.services(), ListFormat{}, io.names);
        return 0;
    }
    bool stop = false;
    return runner.process(args, false, stop);
}

std::string versionText()
{
    return "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n";
}

std::string usageText(std::string_view program)
{
    const std::string p(program);
    std::string out = versionText();
    out += "Usage:\n";
    for (const char* line :
         {" -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]",
          " -D virtual-service", " -C", " -R", " -S [-n]", " -a|e virtual-service -r server-address [options]",
          " -d virtual-service -r server-address", " -L|l [virtual-service] [options]", " -Z [virtual-service]",
          " --set tcp tcpfin udp", " --start-daemon {master|backup} [daemon-options]",
          " --stop-daemon {master|backup}", " -h"})
        out += "  " + p + line + "\n";
    out += "\n";
    out += "Commands:\n"
           "Either long or short options are allowed.\n"
           "  --add-service     -A        add virtual service with options\n"
           "  --edit-service    -E        edit virtual service with options\n"
           "  --delete-service  -D        delete virtual service\n"
           "  --clear           -C        clear the whole table\n"
           "  --restore         -R        restore rules from stdin\n"
           "  --save            -S        save rules to stdout\n"
           "  --add-server      -a        add real server with options\n"
           "  --edit-server     -e        edit real server with options\n"
           "  --delete-server   -d        delete real server\n"
           "  --list            -L|-l     list the table\n"
           "  --zero            -Z        zero counters in a service or all services\n"
           "  --set tcp tcpfin udp        set connection timeout values\n"
           "  --start-daemon              start connection sync daemon\n"
           "  --stop-daemon               stop connection sync daemon\n"
           "  --help            -h        display this help message\n\n";
    out += "virtual-service:\n"
           "  --tcp-service|-t  service-address   service-address is host[:port]\n"
           "  --udp-service|-u  service-address   service-address is host[:port]\n"
           "  --sctp-service    service-address   service-address is host[:port]\n"
           "  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n"
           "\n";
    out += "Options:\n"
           "  --ipv6         -6                   fwmark entry uses IPv6\n"
           "  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n"
           "                                      the default scheduler is wlc.\n"
           "  --pe            engine              alternate persistence engine may be sip,\n"
           "                                      not set by default.\n"
           "  --persistent   -p [timeout]         persistent service\n"
           "  --netmask      -M netmask           persistent granularity mask\n"
           "  --real-server  -r server-address    server-address is host (and port)\n"
           "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
           "  --ipip         -i                   ipip encapsulation (tunneling)\n"
           "  --masquerading -m                   masquerading (NAT)\n"
           "  --tun-type      type                one of ipip|gue|gre,\n"
           "                                      the default tunnel type is ipip.\n"
           "  --tun-port      port                tunnel destination port\n"
           "  --tun-nocsum                        tunnel encapsulation without checksum\n"
           "  --tun-csum                          tunnel encapsulation with checksum\n"
           "  --tun-remcsum                       tunnel encapsulation with remote checksum\n"
           "  --weight       -w weight            capacity of real server\n"
           "  --u-threshold  -x uthreshold        upper threshold of connections\n"
           "  --l-threshold  -y lthreshold        lower threshold of connections\n"
           "  --connection   -c                   output of current IPVS connections\n"
           "  --timeout                           output of timeout (tcp tcpfin udp)\n"
           "  --daemon                            output of daemon information\n"
           "  --stats                             output of statistics information\n"
           "  --rate                              output of rate information\n"
           "  --exact                             expand numbers (display exact values)\n"
           "  --thresholds                        output of thresholds information\n"
           "  --persistent-conn                   output of persistent connection info\n"
           "  --tun-info                          output of tunnel information\n"
           "  --nosort                            disable sorting output of service/server entries\n"
           "  --sort                              does nothing, for backwards compatibility\n"
           "  --ops          -o                   one-packet scheduling\n"
           "  --numeric      -n                   numeric output of addresses and ports\n"
           "  --sched-flags  -b flags             scheduler flags (comma-separated)\n";
    out += "Daemon Options:\n"
           "  --syncid sid                        syncid for connection sync (default=255)\n"
           "  --sync-maxlen length                Max sync message length (default=1472)\n"
           "  --mcast-interface interface         multicast interface for connection sync\n"
           "  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)\n"
           "  --mcast-port port                   UDP port (default=8848)\n"
           "  --mcast-ttl ttl                     Multicast TTL (default=1)\n";
    return out;
}

} // namespace lvs::core::ipvsadm
