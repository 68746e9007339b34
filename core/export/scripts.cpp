// The set-up script exports: director-setup and rs-setup, the seeds' skp.sh made idempotent,
// with start|stop|status. Every name and value goes through shellQuote.
#include "core/export/export.h"
#include "core/export/script_text.h"
#include "core/export/shell.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace lvs::core::exports {

std::string commentSafe(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return out;
}

std::string nameToken(std::string_view text)
{
    std::string out;
    for (char c : text) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        out += keep ? c : '_';
    }
    return out;
}

std::string shellWords(const std::vector<std::string>& words)
{
    std::string out;
    for (const std::string& w : words)
        out += (out.empty() ? "" : " ") + shellQuote(w);
    return out;
}

std::string vipDeviceName(const Node& node, const VipBinding& vip)
{
    switch (vip.device) {
    case VipDevice::Loopback: return "lo";
    case VipDevice::Tunnel: return "tunl0";
    case VipDevice::Interface: break;
    }
    for (const Interface& i : node.interfaces)
        if (i.id == vip.interfaceId)
            return i.name;
    return {};
}

std::vector<std::string> serviceKey(const VirtualService& s)
{
    if (s.fwmark != 0)
        return {"-f", std::to_string(s.fwmark)};
    std::string flag = s.protocol == Protocol::Tcp ? "-t" : s.protocol == Protocol::Udp ? "-u" : "--sctp-service";
    return {flag, s.address.toString() + ":" + std::to_string(s.port)};
}

std::string ipvsRestoreBlock(const Topology& topology, const Node& director, const std::string& prefix,
                             const std::string& indent)
{
    auto rules = ipvsadmSave(topology, director);
    if (!rules) {
        std::string out = indent + "# The IPVS table could not be exported:\n";
        std::string message = rules.error().message;
        for (std::size_t start = 0; start <= message.size();) {
            std::size_t end = std::min(message.find('\n', start), message.size());
            out += indent + "#   " + commentSafe(message.substr(start, end - start)) + "\n";
            start = end + 1;
        }
        return out + indent + "echo " + shellQuote("the IPVS table of " + director.name + " could not be exported: " + message)
            + " >&2\n" + indent + "return 1\n";
    }
    // A quoted delimiter: the here-document is passed through as it is, nothing expands.
    std::string delimiter = "LVSLAB_IPVS_RULES";
    while (rules->find(delimiter) != std::string::npos)
        delimiter += "_";
    std::string body = *rules;
    if (!body.empty() && body.back() != '\n')
        body += '\n';
    return indent + prefix + "ipvsadm -R <<'" + delimiter + "'\n" + body + delimiter + "\n";
}

namespace {

std::string serviceLabel(const VirtualService& s)
{
    if (s.fwmark != 0)
        return "FWM " + std::to_string(s.fwmark);
    std::string proto(toString(s.protocol));
    std::transform(proto.begin(), proto.end(), proto.begin(), [](char c) { return static_cast<char>(c & ~0x20); });
    return proto + " " + s.address.toString() + ":" + std::to_string(s.port);
}

std::string_view modeName(ForwardMethod m)
{
    switch (m) {
    case ForwardMethod::Route: return "DR";
    case ForwardMethod::Tunnel: return "TUN";
    case ForwardMethod::Masq: return "NAT";
    case ForwardMethod::FullNat: return "FULLNAT";
    }
    return "?";
}

// A sysctl key for one interface's conf entry; sysctl(8) reads '/' inside a dotted key's
// component as '.', so a VLAN interface eth0.100 is written eth0/100.
std::string confKey(const std::string& device, std::string_view param)
{
    std::string dev = device;
    std::replace(dev.begin(), dev.end(), '.', '/');
    return "net.ipv4.conf." + dev + "." + std::string(param);
}

// One script under construction: the three bodies and the helpers they use.
struct Script {
    std::vector<std::string> start, stop, status; // lines without the function's indent
    bool usesMarks = false, usesIpvs = false, usesTunnel = false, usesGateway = false;

    void comment(const std::string& text)
    {
        for (auto* body : {&start, &stop, &status})
            body->push_back("# " + commentSafe(text));
    }
    void sysctl(const std::string& key, int value)
    {
        start.push_back(shellWords({"set_sysctl", key, std::to_string(value)}));
        stop.push_back(shellWords({"restore_sysctl", key}));
        status.push_back(shellWords({"report", "sysctl " + key + " = " + std::to_string(value), "sysctl_is", key,
                                     std::to_string(value)}));
    }
    void address(const std::string& device, const std::string& prefix)
    {
        start.push_back(shellWords({"add_addr", device, prefix}));
        stop.push_back(shellWords({"del_addr", device, prefix}));
        status.push_back(shellWords({"report", prefix + " on " + device, "has_addr", device, prefix}));
    }
};

constexpr std::string_view kCommonHelpers = R"sh(# Each helper checks before it changes anything, so start and stop can run any number of times.
has_addr() { # DEV ADDR/LEN
    ip -o -4 addr show dev "$1" 2>/dev/null | grep -qF " inet $2 "
}
add_addr() { has_addr "$1" "$2" || ip addr add "$2" dev "$1"; }
del_addr() { if has_addr "$1" "$2"; then ip addr del "$2" dev "$1"; fi; }
sysctl_is() { [ "$(sysctl -n "$1" 2>/dev/null)" = "$2" ]; }
# set_sysctl notes the value it finds the first time in $STATE; restore_sysctl puts it back.
set_sysctl() { # KEY VALUE
    mkdir -p "${STATE%/*}"
    if ! awk -v k="$1" '$1 == k { found = 1 } END { exit !found }' "$STATE" 2>/dev/null; then
        printf '%s %s\n' "$1" "$(sysctl -n "$1")" >>"$STATE"
    fi
    sysctl -q -w "$1=$2"
}
restore_sysctl() { # KEY
    old=$(awk -v k="$1" '$1 == k { print $2 }' "$STATE" 2>/dev/null || true)
    if [ -n "$old" ]; then sysctl -q -w "$1=$old"; fi
}
rc=0
report() { # WHAT COMMAND...: one status line; rc becomes 3 when something is missing
    what=$1
    shift
    if "$@"; then echo "ok       $what"; else echo "missing  $what"; rc=3; fi
}
)sh";

constexpr std::string_view kMarkHelpers = R"sh(mark_rule() { iptables -t mangle -C PREROUTING "$@" 2>/dev/null; }
add_mark() { mark_rule "$@" || iptables -t mangle -A PREROUTING "$@"; }
del_mark() { if mark_rule "$@"; then iptables -t mangle -D PREROUTING "$@"; fi; }
)sh";

constexpr std::string_view kIpvsHelpers = R"sh(has_service() { ipvsadm -Ln "$@" >/dev/null 2>&1; }
del_service() { if has_service "$@"; then ipvsadm -D "$@"; fi; }
)sh";

constexpr std::string_view kTunnelHelpers = R"sh(# tunl0 comes with the ipip module (IPIP decapsulation for LVS-TUN).
tunl0_up() {
    if ! ip link show tunl0 >/dev/null 2>&1; then
        modprobe ipip || { echo "$0: no ipip module: a TUN real server needs it for tunl0" >&2; return 1; }
    fi
    ip link set tunl0 up
}
)sh";

constexpr std::string_view kGatewayHelpers = R"sh(has_gateway() { ip -4 route show default 2>/dev/null | grep -qF "via $1 "; }
set_gateway() { has_gateway "$1" || ip route replace default via "$1"; }
del_gateway() { if has_gateway "$1"; then ip route del default via "$1"; fi; }
)sh";

std::string assemble(const std::string& header, const std::string& stateFile, const Script& s)
{
    std::string out = "#!/bin/sh\n" + header;
    out += "set -eu\n\n";
    out += "STATE=" + shellQuote(stateFile) + "\n\n";
    out += kCommonHelpers;
    if (s.usesMarks)
        out += kMarkHelpers;
    if (s.usesIpvs)
        out += kIpvsHelpers;
    if (s.usesTunnel)
        out += kTunnelHelpers;
    if (s.usesGateway)
        out += kGatewayHelpers;
    auto body = [&](std::string_view name, const std::vector<std::string>& lines, std::string_view tail) {
        out += "\n" + std::string(name) + "() {\n";
        bool any = false;
        for (const std::string& l : lines) {
            if (l.empty()) {
                out += "\n";
                continue;
            }
            out += "    " + l + "\n";
            any = any || l.front() != '#';
        }
        if (!any)
            out += "    :\n";
        out += tail;
        out += "}\n";
    };
    body("start", s.start, "");
    body("stop", s.stop, "    rm -f \"$STATE\"\n");
    body("status", s.status, "    return \"$rc\"\n");
    out += R"sh(
case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
)sh";
    return out;
}

// The iptables words of a rule after "iptables -t mangle -A PREROUTING".
std::vector<std::string> markSpec(const FwmarkRule& rule)
{
    std::vector<std::string> w = fwmarkRuleWords(rule);
    return {w.begin() + 5, w.end()};
}

std::vector<std::string> prepend(std::string first, std::vector<std::string> rest)
{
    rest.insert(rest.begin(), std::move(first));
    return rest;
}

} // namespace

Result<std::string> directorSetup(const Topology& topology, const Node& director)
{
    Script s;
    bool forwards = false;
    for (const VirtualService& svc : director.services)
        for (const Destination& d : svc.destinations)
            forwards = forwards || d.method == ForwardMethod::Masq || d.method == ForwardMethod::FullNat;
    std::map<std::string, int> sysctls = director.sysctls;
    if (forwards)
        sysctls["net.ipv4.ip_forward"] = 1; // NAT and FULLNAT route the replies back through here
    if (!sysctls.empty()) {
        s.comment(forwards ? "Kernel parameters (NAT/FULLNAT: the replies are routed back through the director)."
                           : "Kernel parameters.");
        for (const auto& [key, value] : sysctls)
            s.sysctl(key, value);
    }

    std::vector<std::pair<std::string, std::string>> vips;
    for (const VipBinding& vip : director.vips) {
        std::string device = vipDeviceName(director, vip);
        if (device.empty())
            return fail("director-setup: a VIP of " + director.name + " names an interface it does not have");
        vips.emplace_back(device, vip.address.toString());
    }
    if (!vips.empty()) {
        s.comment("VIPs. The seeds: ifconfig eth0:0 VIP/32 broadcast VIP up; route add -host VIP dev eth0:0");
        s.comment("(iproute2 adds the host route of a /32 by itself).");
        for (const auto& [device, prefix] : vips) {
            if (device == "tunl0" && !s.usesTunnel) {
                s.usesTunnel = true;
                s.start.push_back("tunl0_up");
            }
            s.address(device, prefix);
        }
    }
    if (!director.vrrp.empty())
        s.comment("The VRRP virtual addresses are keepalived's to move: they are not set here.");

    if (!director.fwmarkRules.empty()) {
        s.usesMarks = true;
        s.comment("Firewall marks: the seeds' iptables -t mangle -A PREROUTING ... -j MARK --set-mark N.");
        for (const FwmarkRule& rule : director.fwmarkRules) {
            std::vector<std::string> spec = markSpec(rule);
            s.start.push_back(shellWords(prepend("add_mark", spec)));
            s.stop.push_back(shellWords(prepend("del_mark", spec)));
            std::vector<std::string> check = prepend("mark_rule", spec);
            check.insert(check.begin(), {"report", "mark " + std::to_string(rule.mark) + " for " + rule.destination.toString()});
            s.status.push_back(shellWords(check));
        }
    }

    if (!director.services.empty()) {
        s.usesIpvs = true;
        s.comment("The IPVS table: this director's services are replaced as a whole (others stay).");
        bool fullnat = false;
        for (const VirtualService& svc : director.services) {
            std::vector<std::string> key = serviceKey(svc);
            s.start.push_back(shellWords(prepend("del_service", key)));
            s.stop.push_back(shellWords(prepend("del_service", key)));
            std::vector<std::string> check = prepend("has_service", key);
            check.insert(check.begin(), {"report", "IPVS service " + key[0] + " " + key[1]});
            s.status.push_back(shellWords(check));
            for (const Destination& d : svc.destinations)
                fullnat = fullnat || d.method == ForwardMethod::FullNat;
        }
        if (fullnat)
            s.start.push_back("# FULLNAT is DPVS's: this table needs DPVS's ipvsadm (upstream IPVS has no FULLNAT).");
        std::string block = ipvsRestoreBlock(topology, director, "", "    ");
        std::size_t from = 0;
        while (from < block.size()) {
            std::size_t end = block.find('\n', from);
            std::string line = block.substr(from, end - from);
            // The block indents its own lines and leaves the here-document's flush left: mark
            // its lines so that the body's indent is taken off again.
            s.start.push_back(line.empty() ? "" : "\x01" + line);
            from = end + 1;
        }
        s.status.push_back("ipvsadm -Ln || rc=3");
    }

    std::string header = "# director-setup for " + commentSafe(director.name) + " of \"" + commentSafe(topology.name)
        + "\", generated by LVS Lab.\n"
          "#   start   sets the kernel parameters, adds the VIPs, the firewall-mark rules and the IPVS\n"
          "#           table; a second start changes nothing.\n"
          "#   stop    removes exactly what start added and puts the kernel parameters back as start\n"
          "#           found them.\n"
          "#   status  one line per item; exits 0 when all are in place, 3 otherwise.\n"
          "# Needs root, iproute2"
        + std::string(s.usesMarks ? ", ipvsadm and iptables" : " and ipvsadm") + ".\n";
    std::string out = assemble(header, "/run/lvslab-setup/director-" + nameToken(director.name) + ".sysctl", s);
    // Undo the indent of here-document lines (marked with \x01 above).
    std::string fixed;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out.compare(i, 5, "    \x01") == 0) {
            i += 4;
            continue;
        }
        fixed += out[i];
    }
    return fixed;
}

Result<std::string> rsSetup(const Topology& topology, const Node& rs)
{
    // Which services use this real server, in which mode.
    struct Use {
        const Node* director;
        const VirtualService* service;
        const Destination* destination;
    };
    std::map<ForwardMethod, std::vector<Use>> uses;
    auto isMine = [&](const Destination& d) {
        if (d.realServer == rs.id)
            return true;
        for (const Interface& i : rs.interfaces)
            for (const Ipv4Prefix& a : i.addresses)
                if (a.address == d.address && d.realServer == kNoId)
                    return true;
        return false;
    };
    for (const Node& n : topology.nodes)
        for (const VirtualService& svc : n.services)
            for (const Destination& d : svc.destinations)
                if (isMine(d))
                    uses[d.method].push_back({&n, &svc, &d});

    auto ripDevices = [&](const std::vector<Use>& list) {
        std::set<std::string> out;
        for (const Use& u : list)
            for (const Interface& i : rs.interfaces)
                for (const Ipv4Prefix& a : i.addresses)
                    if (a.address == u.destination->address)
                        out.insert(i.name);
        if (out.empty())
            for (const Interface& i : rs.interfaces)
                out.insert(i.name);
        return out;
    };
    auto vipsOf = [](const Use& u) {
        std::vector<std::string> out;
        if (u.service->fwmark == 0) {
            out.push_back(Ipv4Prefix{u.service->address, 32}.toString());
        } else {
            for (const FwmarkRule& r : u.director->fwmarkRules)
                if (r.mark == u.service->fwmark && r.destination.length == 32)
                    out.push_back(r.destination.toString());
        }
        return out;
    };
    auto labels = [](const std::vector<Use>& list) {
        std::string out;
        std::set<std::string> seen;
        for (const Use& u : list) {
            std::string l = u.director->name + ": " + serviceLabel(*u.service);
            if (seen.insert(l).second)
                out += (out.empty() ? "" : "; ") + l;
        }
        return out;
    };

    Script s;
    std::map<std::string, int> sysctls;
    std::vector<std::pair<std::string, std::string>> vips; // device, VIP/32
    auto addVip = [&](const std::string& device, const std::string& prefix) {
        if (std::find(vips.begin(), vips.end(), std::pair{device, prefix}) == vips.end())
            vips.emplace_back(device, prefix);
    };
    std::vector<std::string> why;
    for (ForwardMethod m : {ForwardMethod::Route, ForwardMethod::Tunnel}) {
        auto it = uses.find(m);
        if (it == uses.end())
            continue;
        why.push_back(std::string(modeName(m)) + " (" + labels(it->second) + ")");
        std::set<std::string> devices = ripDevices(it->second);
        // The VIP must not be answered for or announced from the LAN: only the director owns it there.
        for (const std::string& dev : std::set<std::string>{"all"})
            sysctls[confKey(dev, "arp_ignore")] = 1, sysctls[confKey(dev, "arp_announce")] = 2;
        for (const std::string& dev : devices)
            sysctls[confKey(dev, "arp_ignore")] = 1, sysctls[confKey(dev, "arp_announce")] = 2;
        if (m == ForwardMethod::Tunnel) {
            // The decapsulated request arrives on tunl0 from the director, not the client's way.
            sysctls[confKey("all", "rp_filter")] = 0;
            sysctls[confKey("tunl0", "rp_filter")] = 0;
            for (const std::string& dev : devices)
                sysctls[confKey(dev, "rp_filter")] = 0;
        }
        for (const Use& u : it->second)
            for (const std::string& vip : vipsOf(u))
                addVip(m == ForwardMethod::Tunnel ? "tunl0" : "lo", vip);
    }
    for (const VipBinding& vip : rs.vips) {
        std::string device = vipDeviceName(rs, vip);
        if (device.empty())
            return fail("rs-setup: a VIP of " + rs.name + " names an interface it does not have");
        addVip(device, vip.address.toString());
    }
    for (const auto& [key, value] : rs.sysctls)
        sysctls.insert({key, value}); // the mode's values win over the design's

    if (!why.empty())
        s.comment("Used in " + [&] {
            std::string w;
            for (const std::string& x : why)
                w += (w.empty() ? "" : ", ") + x;
            return w;
        }() + ".");
    bool tunnel = std::any_of(vips.begin(), vips.end(), [](const auto& v) { return v.first == "tunl0"; })
        || std::any_of(sysctls.begin(), sysctls.end(), [](const auto& kv) { return kv.first.find(".tunl0.") != std::string::npos; });
    if (tunnel) {
        s.usesTunnel = true;
        s.comment("tunl0 first: its kernel parameters exist only once the ipip module is loaded.");
        s.start.push_back("tunl0_up");
    }
    if (!sysctls.empty()) {
        s.comment("Kernel parameters: arp_ignore=1 answers ARP only for addresses of the asking interface,");
        s.comment("arp_announce=2 never announces the VIP; the seeds' echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore.");
        for (const auto& [key, value] : sysctls)
            s.sysctl(key, value);
    }
    if (!vips.empty()) {
        s.comment("VIPs (lo for DR, tunl0 for TUN). The seeds: ifconfig lo:0 VIP netmask 255.255.255.255");
        s.comment("broadcast VIP; route add -host VIP dev lo:0 (iproute2 adds the host route by itself).");
        for (const auto& [device, prefix] : vips)
            s.address(device, prefix);
    }

    if (auto it = uses.find(ForwardMethod::Masq); it != uses.end()) {
        // NAT: the replies must go back through the director, so the default gateway is the DIP.
        std::optional<Ipv4> dip;
        for (const Use& u : it->second)
            for (const Interface& i : u.director->interfaces)
                for (const Ipv4Prefix& a : i.addresses)
                    if (!dip && a.contains(u.destination->address) && a.address != u.destination->address)
                        dip = a.address;
        if (!dip)
            dip = rs.defaultGateway;
        s.comment("NAT (" + labels(it->second) + "): the replies go back through the director, so the default gateway is the DIP.");
        if (dip) {
            s.usesGateway = true;
            s.start.push_back(shellWords({"set_gateway", dip->toString()}));
            s.stop.push_back(shellWords({"del_gateway", dip->toString()}));
            s.status.push_back(shellWords({"report", "default via " + dip->toString(), "has_gateway", dip->toString()}));
        } else {
            s.comment("No director address shares the RIP's subnet: set the default gateway to the DIP by hand.");
        }
    }
    if (auto it = uses.find(ForwardMethod::FullNat); it != uses.end())
        s.comment("FULLNAT (" + labels(it->second)
                  + "): requests come from the director's local addresses; nothing to set on the real server.");
    if (uses.empty() && rs.vips.empty() && rs.sysctls.empty())
        s.comment("No director's service uses this real server.");

    std::string header = "# rs-setup for the real server " + commentSafe(rs.name) + " of \"" + commentSafe(topology.name)
        + "\", generated by LVS Lab.\n"
          "# The seeds' skp.sh, idempotent:\n"
          "#   start   sets the kernel parameters, adds the VIPs (lo for DR, tunl0 for TUN) and, for NAT,\n"
          "#           the default gateway via the DIP; a second start changes nothing.\n"
          "#   stop    removes exactly what start added and puts the kernel parameters back as start\n"
          "#           found them.\n"
          "#   status  one line per item; exits 0 when all are in place, 3 otherwise.\n"
          "# Needs root and iproute2.\n";
    return assemble(header, "/run/lvslab-setup/rs-" + nameToken(rs.name) + ".sysctl", s);
}

} // namespace lvs::core::exports
