// The topology model: nodes, interfaces, links, and each director's IPVS table, as plain data.
//
// Everything here is a value: the GUI's undo commands copy parts of it, the lab planner reads it,
// the file layer turns it into .lvslab JSON and back. Every object that can be referred to has
// an Id that is unique in its document and never reused (Topology::nextId only grows).
#pragma once

#include "core/net/ipv4.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lvs::core {

using Id = std::uint32_t;
inline constexpr Id kNoId = 0;

enum class NodeKind { Client, Router, Segment, Director, RealServer };

enum class Protocol { Tcp, Udp, Sctp };

// ipvsadm's forwarding methods: -g gatewaying (DR), -i ipip (TUN), -m masquerading (NAT), and
// FULLNAT in the DPVS dialect (no upstream ipvsadm flag).
enum class ForwardMethod { Route, Tunnel, Masq, FullNat };

struct Point {
    int x = 0;
    int y = 0;
    auto operator<=>(const Point&) const = default;
};

struct Interface {
    Id id = kNoId;
    std::string name;                  // "eth0"; unique within its node
    std::vector<Ipv4Prefix> addresses; // the first one is the primary address
    std::optional<Mac> mac;            // unset: the deterministic MAC of the id (interfaceMac)
    bool operator==(const Interface&) const = default;
};

// Where a VIP is bound on a host: an Ethernet interface (the director's eth0:0 alias), the
// loopback (DR real servers), or the IPIP tunnel device tunl0 (TUN real servers).
enum class VipDevice { Interface, Loopback, Tunnel };

struct VipBinding {
    Ipv4Prefix address;     // usually /32
    VipDevice device = VipDevice::Loopback;
    Id interfaceId = kNoId; // set when device == Interface
    bool operator==(const VipBinding&) const = default;
};

struct Route {
    Ipv4Prefix destination; // a network: host bits clear
    Ipv4 via;
    bool operator==(const Route&) const = default;
};

// One iptables mangle rule of the seeds:
//   iptables -t mangle -A PREROUTING -d VIP -p tcp -m multiport --dports 80,443 -j MARK --set-mark 10
struct FwmarkRule {
    Id id = kNoId;
    Ipv4Prefix destination;          // -d
    Protocol protocol = Protocol::Tcp;
    std::vector<std::uint16_t> ports; // --dport (one) or -m multiport --dports (several)
    std::uint32_t mark = 0;          // --set-mark, 1..0xffffffff
    bool operator==(const FwmarkRule&) const = default;
};

// keepalived's real-server checkers: TCP_CHECK, HTTP_GET (and the seeds' ICMP probe).
enum class CheckKind { None, TcpCheck, HttpGet, Ping };

struct HealthCheck {
    CheckKind kind = CheckKind::None;
    int delayLoop = 6;           // delay_loop (virtual_server level), seconds
    int connectTimeout = 5;      // connect_timeout, seconds
    int retry = 1;               // retry (nb_get_retry in older keepalived)
    int delayBeforeRetry = 1;    // delay_before_retry, seconds
    std::optional<std::uint16_t> connectPort; // connect_port; unset: the destination's port
    std::string urlPath = "/";   // HTTP_GET url { path }
    int statusCode = 200;        // HTTP_GET url { status_code }
    std::string digest;          // HTTP_GET url { digest }, empty when unused
    bool alpha = false;          // alpha: start a destination as down until it passes
    bool inhibitOnFailure = false; // inhibit_on_failure: weight 0 instead of removal
    bool operator==(const HealthCheck&) const = default;
};

struct Destination {
    Id id = kNoId;
    Id realServer = kNoId;       // the RS node, or kNoId for an address outside the design
    Ipv4 address;                // the RIP
    std::uint16_t port = 0;      // 0: the service's port (no mapping)
    ForwardMethod method = ForwardMethod::Route;
    std::int64_t weight = 1;     // 0..2147483647 (the kernel's int; Debian's ipvsadm accepts it)
    std::uint32_t upperThreshold = 0; // -x, 0 = no limit
    std::uint32_t lowerThreshold = 0; // -y
    bool operator==(const Destination&) const = default;
};

inline constexpr std::int64_t kMaxWeight = 2147483647;
inline constexpr std::uint32_t kDefaultPersistence = 360; // IPVS_SVC_PERSISTENT_TIMEOUT

struct VirtualService {
    Id id = kNoId;
    std::uint32_t fwmark = 0;        // non-zero: a firewall-mark service (-f), address unused
    Protocol protocol = Protocol::Tcp;
    Ipv4 address;                    // the VIP
    std::uint16_t port = 0;          // 0 with persistence: the seeds' PCC "port 0" service
    std::string scheduler = "wlc";   // ipvsadm's default
    std::vector<std::string> schedFlags; // sh-fallback, sh-port, mh-fallback, mh-port
    std::optional<std::uint32_t> persistence; // -p timeout in seconds
    Ipv4 persistenceNetmask{0xffffffffu};     // -M
    HealthCheck check;
    std::optional<std::pair<Ipv4, std::uint16_t>> sorryServer; // keepalived sorry_server
    std::vector<Destination> destinations;
    bool operator==(const VirtualService&) const = default;
};

enum class VrrpState { Master, Backup };

struct VrrpInstance {
    Id id = kNoId;
    std::string name = "VI_1";
    VrrpState state = VrrpState::Backup;
    Id interfaceId = kNoId;
    int virtualRouterId = 51;  // 1..255
    int priority = 100;        // 1..254 (255 is the address owner)
    int advertInt = 1;         // seconds
    bool nopreempt = false;
    std::string authPass;      // empty: no authentication block
    std::string syncGroup;     // vrrp_sync_group name, empty when none
    std::vector<Ipv4Prefix> virtualAddresses;
    bool operator==(const VrrpInstance&) const = default;
};

// What a real server runs: the lab's built-in HTTP (answers "<h1>NAME</h1>"), TCP or UDP echo,
// or a real program started with a command line.
enum class AppKind { Http, TcpEcho, UdpEcho, Command };

struct AppService {
    AppKind kind = AppKind::Http;
    std::uint16_t port = 80;
    std::string command; // AppKind::Command only
    bool operator==(const AppService&) const = default;
};

struct Node {
    Id id = kNoId;
    NodeKind kind = NodeKind::Client;
    std::string name; // unique in the document
    Point position;
    std::vector<Interface> interfaces; // none on a segment
    std::optional<Ipv4> defaultGateway;
    std::vector<Route> routes;
    // sysctl keys exactly as sysctl(8) names them: "net.ipv4.ip_forward",
    // "net.ipv4.conf.<all|default|lo|tunl0|IFACE>.<arp_ignore|arp_announce|rp_filter>".
    std::map<std::string, int> sysctls;
    std::vector<VipBinding> vips;
    // Director only.
    std::vector<VirtualService> services;
    std::vector<FwmarkRule> fwmarkRules;
    std::vector<Ipv4> localAddresses; // FULLNAT local addresses (DPVS's laddr)
    std::vector<VrrpInstance> vrrp;
    // Real server only.
    std::vector<AppService> apps;
    bool operator==(const Node&) const = default;
};

// One end of a link: an interface of a node, or a port of a segment (interfaceId == kNoId).
struct Endpoint {
    Id node = kNoId;
    Id interfaceId = kNoId;
    bool operator==(const Endpoint&) const = default;
};

struct Link {
    Id id = kNoId;
    Endpoint a;
    Endpoint b;
    bool operator==(const Link&) const = default;
};

struct Topology {
    std::string name;
    std::string description;
    Id nextId = 1; // the next id to hand out; never decreases
    std::vector<Node> nodes;
    std::vector<Link> links;
    bool operator==(const Topology&) const = default;

    Node* findNode(Id id);
    const Node* findNode(Id id) const;
    const Node* findNodeByName(std::string_view name) const;
    Link* findLink(Id id);
    const Link* findLink(Id id) const;
    // The node and interface that own interface id, or {nullptr, nullptr}.
    std::pair<const Node*, const Interface*> findInterface(Id id) const;
    // The link attached to an interface, or nullptr.
    const Link* linkOf(Id interfaceId) const;
};

// The MAC an interface uses in the lab: its own, else 02:4c:56 (locally administered, "LV")
// followed by the 24 low bits of its id, so captures and predictions agree run after run.
Mac interfaceMac(const Interface& iface);

std::string_view toString(NodeKind kind);
std::optional<NodeKind> nodeKindFromString(std::string_view text);
std::string_view toString(Protocol protocol);
// The IP protocol number: IPPROTO_TCP 6, IPPROTO_UDP 17, IPPROTO_SCTP 132.
int ipProtocolNumber(Protocol protocol);
std::optional<Protocol> protocolFromString(std::string_view text);
std::string_view toString(ForwardMethod method);
std::optional<ForwardMethod> forwardMethodFromString(std::string_view text);
std::string_view toString(VipDevice device);
std::optional<VipDevice> vipDeviceFromString(std::string_view text);
std::string_view toString(CheckKind kind);
std::optional<CheckKind> checkKindFromString(std::string_view text);
std::string_view toString(VrrpState state);
std::optional<VrrpState> vrrpStateFromString(std::string_view text);
std::string_view toString(AppKind kind);
std::optional<AppKind> appKindFromString(std::string_view text);

// The schedulers IPVS knows (net/netfilter/ipvs/ip_vs_*.c) and the flags ipvsadm -b accepts.
bool isKnownScheduler(std::string_view name);
bool isKnownSchedFlag(std::string_view flag);
// Whether a sysctl key is one the model carries (see Node::sysctls), and its value range.
bool isKnownSysctl(std::string_view key, int& minValue, int& maxValue);

} // namespace lvs::core
