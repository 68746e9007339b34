// The topology model: lookups, names of enumerations, and the sets of known values.
#include "core/model/topology.h"

#include <algorithm>
#include <array>

namespace lvs::core {

namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
std::string_view nameOf(const NameTable<Enum, N>& table, Enum value)
{
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const NameTable<Enum, N>& table, std::string_view text)
{
    for (const auto& [v, name] : table)
        if (name == text)
            return v;
    return std::nullopt;
}

constexpr NameTable<NodeKind, 5> kNodeKinds{{{NodeKind::Client, "client"},
                                             {NodeKind::Router, "router"},
                                             {NodeKind::Segment, "segment"},
                                             {NodeKind::Director, "director"},
                                             {NodeKind::RealServer, "real-server"}}};
constexpr NameTable<Protocol, 3> kProtocols{
    {{Protocol::Tcp, "tcp"}, {Protocol::Udp, "udp"}, {Protocol::Sctp, "sctp"}}};
constexpr NameTable<ForwardMethod, 4> kMethods{{{ForwardMethod::Route, "route"},
                                                {ForwardMethod::Tunnel, "tunnel"},
                                                {ForwardMethod::Masq, "masq"},
                                                {ForwardMethod::FullNat, "fullnat"}}};
constexpr NameTable<VipDevice, 3> kVipDevices{{{VipDevice::Interface, "interface"},
                                               {VipDevice::Loopback, "lo"},
                                               {VipDevice::Tunnel, "tunl0"}}};
constexpr NameTable<CheckKind, 4> kChecks{{{CheckKind::None, "none"},
                                           {CheckKind::TcpCheck, "TCP_CHECK"},
                                           {CheckKind::HttpGet, "HTTP_GET"},
                                           {CheckKind::Ping, "PING_CHECK"}}};
constexpr NameTable<VrrpState, 2> kVrrpStates{
    {{VrrpState::Master, "MASTER"}, {VrrpState::Backup, "BACKUP"}}};
constexpr NameTable<AppKind, 4> kApps{{{AppKind::Http, "http"},
                                       {AppKind::TcpEcho, "tcp-echo"},
                                       {AppKind::UdpEcho, "udp-echo"},
                                       {AppKind::Command, "command"}}};

// The schedulers of net/netfilter/ipvs/ip_vs_*.c (ip_vs_rr.c ... ip_vs_twos.c).
constexpr std::array<std::string_view, 14> kSchedulers{
    "rr", "wrr", "lc", "wlc", "sed", "nq", "lblc", "lblcr", "dh", "sh", "mh", "fo", "ovf", "twos"};
// ipvsadm -b: the flags of ipvsadm.c's parse_sched_flags (flag-1..3 are the generic
// IP_VS_SVC_F_SCHED1..3 bits; sh-* and mh-* are the same bits named for those schedulers).
constexpr std::array<std::string_view, 7> kSchedFlags{
    "flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port"};

} // namespace

Node* Topology::findNode(Id id)
{
    auto it = std::find_if(nodes.begin(), nodes.end(), [id](const Node& n) { return n.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

const Node* Topology::findNode(Id id) const
{
    return const_cast<Topology*>(this)->findNode(id);
}

const Node* Topology::findNodeByName(std::string_view name) const
{
    auto it = std::find_if(nodes.begin(), nodes.end(),
                           [name](const Node& n) { return n.name == name; });
    return it == nodes.end() ? nullptr : &*it;
}

Link* Topology::findLink(Id id)
{
    auto it = std::find_if(links.begin(), links.end(), [id](const Link& l) { return l.id == id; });
    return it == links.end() ? nullptr : &*it;
}

const Link* Topology::findLink(Id id) const
{
    return const_cast<Topology*>(this)->findLink(id);
}

std::pair<const Node*, const Interface*> Topology::findInterface(Id id) const
{
    for (const Node& node : nodes)
        for (const Interface& iface : node.interfaces)
            if (iface.id == id)
                return {&node, &iface};
    return {nullptr, nullptr};
}

const Link* Topology::linkOf(Id interfaceId) const
{
    if (interfaceId == kNoId)
        return nullptr;
    for (const Link& link : links)
        if (link.a.interfaceId == interfaceId || link.b.interfaceId == interfaceId)
            return &link;
    return nullptr;
}

Mac interfaceMac(const Interface& iface)
{
    if (iface.mac)
        return *iface.mac;
    return Mac{{0x02, 0x4c, 0x56, static_cast<std::uint8_t>((iface.id >> 16) & 0xff),
                static_cast<std::uint8_t>((iface.id >> 8) & 0xff),
                static_cast<std::uint8_t>(iface.id & 0xff)}};
}

std::string_view toString(NodeKind v) { return nameOf(kNodeKinds, v); }
std::optional<NodeKind> nodeKindFromString(std::string_view t) { return valueOf(kNodeKinds, t); }
std::string_view toString(Protocol v) { return nameOf(kProtocols, v); }
std::optional<Protocol> protocolFromString(std::string_view t) { return valueOf(kProtocols, t); }
int ipProtocolNumber(Protocol p)
{
    switch (p) {
    case Protocol::Tcp: return 6;
    case Protocol::Udp: return 17;
    case Protocol::Sctp: return 132;
    }
    return 0;
}
std::string_view toString(ForwardMethod v) { return nameOf(kMethods, v); }
std::optional<ForwardMethod> forwardMethodFromString(std::string_view t)
{
    return valueOf(kMethods, t);
}
std::string_view toString(VipDevice v) { return nameOf(kVipDevices, v); }
std::optional<VipDevice> vipDeviceFromString(std::string_view t) { return valueOf(kVipDevices, t); }
std::string_view toString(CheckKind v) { return nameOf(kChecks, v); }
std::optional<CheckKind> checkKindFromString(std::string_view t) { return valueOf(kChecks, t); }
std::string_view toString(VrrpState v) { return nameOf(kVrrpStates, v); }
std::optional<VrrpState> vrrpStateFromString(std::string_view t) { return valueOf(kVrrpStates, t); }
std::string_view toString(AppKind v) { return nameOf(kApps, v); }
std::optional<AppKind> appKindFromString(std::string_view t) { return valueOf(kApps, t); }

bool isKnownScheduler(std::string_view name)
{
    return std::find(kSchedulers.begin(), kSchedulers.end(), name) != kSchedulers.end();
}

bool isKnownSchedFlag(std::string_view flag)
{
    return std::find(kSchedFlags.begin(), kSchedFlags.end(), flag) != kSchedFlags.end();
}

bool isKnownSysctl(std::string_view key, int& minValue, int& maxValue)
{
    if (key == "net.ipv4.ip_forward") {
        minValue = 0;
        maxValue = 1;
        return true;
    }
    constexpr std::string_view prefix = "net.ipv4.conf.";
    if (!key.starts_with(prefix))
        return false;
    std::string_view rest = key.substr(prefix.size());
    auto dot = rest.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return false;
    std::string_view setting = rest.substr(dot + 1);
    // Ranges from Documentation/networking/ip-sysctl.rst: arp_ignore 0-3 and 8, arp_announce
    // 0-2, rp_filter 0-2.
    if (setting == "arp_ignore") {
        minValue = 0;
        maxValue = 8;
        return true;
    }
    if (setting == "arp_announce" || setting == "rp_filter") {
        minValue = 0;
        maxValue = 2;
        return true;
    }
    return false;
}

} // namespace lvs::core
