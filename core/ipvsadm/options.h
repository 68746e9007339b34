// ipvsadm's command line (Debian ipvsadm 1.31) parsed into a plain Command, with ipvsadm's own
// error texts and exit codes.
//
// Mirrors ipvsadm.c (checked against the 1.31 source) and the popt 1.19 it is built with: the
// popt option table and parse_options(), the commands_v_options legality
// table checked by generic_opt_check(), set_command()/set_option(), the checks at the top of
// process_options(), parse_service(), parse_fwmark(), parse_timeout(), parse_netmask(),
// parse_sched_flags(), parse_tun_type()/tunnel_opt_check() and string_to_number(). Debian's
// one change to the parser is kept: weights go up to 2147483647 (upstream: 65535).
//
// Beyond upstream, the DPVS full-NAT dialect (docs/ipvsadm-dialect.md, checked against DPVS's
// tools/ipvsadm/ipvsadm.c): --fullnat, the local-address commands -P/-Q/-G and their options
// -z/--laddr and -F/--ifname, with DPVS's names and messages. Every addition is an option
// ipvsadm 1.31 does not know, so a line made only of upstream options parses exactly as
// upstream; in particular -b stays --sched-flags (DPVS's short -b for full-NAT is not taken).
//
// Pure: no kernel, no DNS, no /etc/services. Host and service names go through an injected
// Resolver (ipvsadm calls gethostbyname()/getservbyname()); the lab resolves its own node names.
#pragma once

#include "core/ipvs/service.h"
#include "core/ipvsadm/types.h"
#include "core/model/topology.h"
#include "core/net/ipv4.h"

#include <array>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::ipvsadm {

enum class CommandKind {
    AddService,    // -A, --add-service
    EditService,   // -E, --edit-service
    DeleteService, // -D, --delete-service
    Clear,         // -C, --clear (ipvsadm.c calls it CMD_FLUSH, "flush" in messages)
    Restore,       // -R, --restore
    Save,          // -S, --save
    AddServer,     // -a, --add-server
    EditServer,    // -e, --edit-server
    DeleteServer,  // -d, --delete-server
    List,          // -L, -l, --list (also: no arguments at all)
    Zero,          // -Z, --zero
    Set,           // --set tcp tcpfin udp (CMD_TIMEOUT)
    StartDaemon,   // --start-daemon master|backup
    StopDaemon,    // --stop-daemon master|backup
    Help,          // -h, --help: ipvsadm prints the usage and exits 0
    Version,       // -v, --version: ipvsadm prints its version and exits 0
    // DPVS dialect (CMD_ADDLADDR, CMD_DELLADDR, CMD_GETLADDR): full-NAT local addresses.
    AddLocalAddress,    // -P, --add-laddr -t|-u|--sctp-service|-f SVC -z ADDR -F IFNAME
    DeleteLocalAddress, // -Q, --del-laddr -t|-u|--sctp-service|-f SVC -z ADDR -F IFNAME
    ListLocalAddresses, // -G, --get-laddr [-t|-u|--sctp-service|-f SVC]: one service, or all
};

// The options of commands_v_options, in its column order (bit i of Command::options).
enum class Option {
    Numeric, Connection, Service, Scheduler, Persistent, Netmask, Server, Forward, Weight,
    UThreshold, LThreshold, McastInterface, Timeout, Daemon, Stats, Rate, Thresholds,
    PersistentConn, NoSort, SyncId, Exact, OnePacket, PersistenceEngine, SchedFlags,
    McastGroup, McastPort, McastTtl, SyncMaxlen, TunInfo, TunType, TunPort, TunNoCsum,
    TunCsum, TunRemCsum,
    LocalAddress, Ifname, // DPVS dialect: -z/--laddr ("local-address"), -F/--ifname ("ifname")
};
inline constexpr int kOptionCount = 36;

// optnames[] / cmdnames[] of ipvsadm.c: the names its messages use (DPVS's for its additions:
// "local-address", "ifname"; "add-laddr", "del-laddr", "get-laddr").
std::string_view optionName(Option option);
std::string_view commandName(CommandKind kind);


// A virtual service: -t/-u/--sctp-service address[:port], or -f fwmark [-6].
struct Service {
    bool isFwmark = false;
    Protocol protocol = Protocol::Tcp; // -f sets TCP, "a sane value, even though it is not used"
    Address address;
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0;
    bool ipv6 = false;                 // the service's address family (-6 for a fwmark)
    bool operator==(const Service&) const = default;
};

struct Server {
    Address address;
    std::uint16_t port = 0;
    bool operator==(const Server&) const = default;
};

// The IP_VS_SVC_F_* bits are the engine's (core/ipvs/service.h); one-packet is parser-only.
using ipvs::kSvcPersistent;
using ipvs::kSvcSched1; // flag-1, sh-fallback, mh-fallback
using ipvs::kSvcSched2; // flag-2, sh-port, mh-port
using ipvs::kSvcSched3; // flag-3
inline constexpr std::uint32_t kSvcOnePacket = 0x0004;

inline constexpr int kPersistentTimeoutDefault = 360; // IPVS_SVC_PERSISTENT_TIMEOUT (6 min)
inline constexpr int kMaxTimeout = 86400 * 31;         // MAX_TIMEOUT

enum class TunnelType { Ipip, Gue, Gre };
enum class DaemonState { Master, Backup };


struct Command {
    CommandKind kind = CommandKind::List;
    std::uint64_t options = 0; // bit per Option given (set_option)
    bool has(Option o) const { return (options >> static_cast<int>(o)) & 1U; }

    std::optional<Service> service;
    std::string scheduler;              // add/edit service: "wlc" when not given (DEF_SCHED)
    std::uint32_t flags = 0;            // kSvc* flags
    int persistenceTimeout = 0;         // -p [timeout]; a bare -p gives 360
    std::uint32_t netmask = 0xffffffff; // -M: IPv4 mask in host order, or IPv6 prefix length (128)
    std::string persistenceEngine;      // --pe
    std::string schedFlags;             // -b as given ("sh-fallback,sh-port")

    std::optional<Server> server;            // -r
    ForwardMethod forward = ForwardMethod::Route; // -g (default), -i, -m, --fullnat (DPVS)
    int weight = 1;                          // -w (0..2147483647 in Debian)
    int upperThreshold = 0;                  // -x
    int lowerThreshold = 0;                  // -y
    TunnelType tunnelType = TunnelType::Ipip;
    std::uint16_t tunnelPort = 0;
    std::uint16_t tunnelFlags = 0; // 0 nocsum, 1 csum, 2 remcsum (IP_VS_TUNNEL_ENCAP_FLAG_*)

    bool connection = false; // -c
    bool timeout = false;    // --timeout
    bool daemon = false;     // --daemon
    ListFormat format;

    int tcpTimeout = 0;    // --set tcp tcpfin udp
    int tcpFinTimeout = 0;
    int udpTimeout = 0;

    // -P/-Q (DPVS): the local address (LIP) a full-NAT service uses as source towards its real
    // servers, and the interface it lives on. parse_service() reads -z, so a port or a host
    // name is accepted; the port is dropped. DPVS copies -F into ifname[IFNAMSIZ]: 15 characters.
    std::optional<Address> localAddress; // -z, --laddr
    std::string ifname;                  // -F, --ifname

    DaemonState daemonState = DaemonState::Master;
    std::string mcastInterface; // start-daemon: "eth0" when not given (DEF_MCAST_IFN)
    int syncId = 0;
    std::optional<Address> mcastGroup;
    int mcastPort = 0;
    int mcastTtl = 0;
    int syncMaxlen = 0;
};

// What ipvsadm prints on stderr (without the final newline) and the status it exits with:
// 2 from fail(), 255 from tryhelp_exit(argv[0], -1) and from popt errors ("%s: %s" of
// poptBadOption and poptStrerror, after which parse_options() and main() return -1).
struct ParseError {
    std::string message;
    int exitCode = 2;
    bool operator==(const ParseError&) const = default;
};

using ParseResult = std::expected<Command, ParseError>;

// Name lookups ipvsadm does through libc. Unset members resolve nothing.
struct Resolver {
    std::function<std::optional<Ipv4>(std::string_view host)> host;
    std::function<std::optional<std::uint16_t>(std::string_view name, Protocol)> service;
};

// A resolver with "localhost" and the well-known service names of /etc/services that LVS
// setups use (http, https, ftp, ssh, smtp, domain, ...); deterministic, no I/O.
const Resolver& defaultResolver();

// args are the words after "ipvsadm" (argv[1..]); an empty list is ipvsadm's bare "list all".
// Never throws on user input.
ParseResult parseIpvsadm(const std::vector<std::string>& args);
ParseResult parseIpvsadm(const std::vector<std::string>& args, const Resolver& resolver);

} // namespace lvs::core::ipvsadm
