// The netns-script export: the whole lab as plain ip netns / ip link / ip addr / ip route /
// sysctl commands a person can read, run (up), inspect (status) and tear down (down).
#include "core/export/export.h"
#include "core/export/script_text.h"
#include "core/export/shell.h"

#include <map>
#include <set>

namespace lvs::core::exports {

namespace {

constexpr std::string_view kHelpers = R"sh(# up records each namespace and process as it makes them, so down removes exactly those, also
# after an up that stopped half-way.
new_ns() { # NS
    ip netns add "$1"
    printf '%s\n' "$1" >>"$RUN/namespaces"
    ip -n "$1" link set lo up
}
wait_port() { # NS PORT: at most 5 s for a server to listen
    tries=0
    until ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; do
        tries=$((tries + 1))
        if [ "$tries" -ge 50 ]; then
            echo "$0: nothing listens on port $2 in $1 after 5 s" >&2
            return 1
        fi
        sleep 0.1
    done
}
start_http() { # NS NAME PORT: python3's http.server over a directory holding <h1>NAME</h1>
    www="$RUN/www/$1-$3"
    mkdir -p "$www"
    printf '<h1>%s</h1>\n' "$2" >"$www/index.html"
    ip netns exec "$1" python3 -m http.server "$3" --bind 0.0.0.0 --directory "$www" >"$www.log" 2>&1 &
    printf '%s %s\n' "$!" "$1" >>"$RUN/processes"
    wait_port "$1" "$3"
}
start_command() { # NS COMMAND: a real server's own program, in the background
    ip netns exec "$1" sh -c "$2" >>"$RUN/commands.log" 2>&1 &
    printf '%s %s\n' "$!" "$1" >>"$RUN/processes"
}
stop_ns() { # NS: end what still runs in it (at most 5 s, then SIGKILL), then delete it
    [ -e "/run/netns/$1" ] || return 0
    for pid in $(ip netns pids "$1" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    tries=0
    while [ -n "$(ip netns pids "$1" 2>/dev/null)" ] && [ "$tries" -lt 50 ]; do
        tries=$((tries + 1))
        sleep 0.1
    done
    for pid in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$1"
}
)sh";

constexpr std::string_view kTail = R"sh(
down() {
    if [ -f "$RUN/processes" ]; then
        while read -r pid ns; do
            # Only a process that is still in its lab namespace: the PID may be reused otherwise.
            if ip netns pids "$ns" 2>/dev/null | grep -qx "$pid"; then kill "$pid" 2>/dev/null || true; fi
        done <"$RUN/processes"
    fi
    if [ -f "$RUN/namespaces" ]; then
        while IFS= read -r ns; do
            stop_ns "$ns"
        done <"$RUN/namespaces"
    fi
    rm -rf "$RUN"
    rmdir "${RUN%/*}" 2>/dev/null || true
}

status() {
    if [ ! -s "$RUN/namespaces" ]; then
        echo "$LAB: down"
        return 3
    fi
    rc=0
    while IFS= read -r ns; do
        if [ -e "/run/netns/$ns" ]; then echo "namespace $ns: up"; else echo "namespace $ns: missing"; rc=3; fi
    done <"$RUN/namespaces"
    if [ -f "$RUN/processes" ]; then
        while read -r pid ns; do
            if ip netns pids "$ns" 2>/dev/null | grep -qx "$pid"; then
                echo "process $pid in $ns: running"
            else
                echo "process $pid in $ns: gone"
                rc=3
            fi
        done <"$RUN/processes"
    fi
    return "$rc"
}

case "${1:-}" in
up)
    trap 'echo "$0: up stopped early; \"$0 down\" removes what it made" >&2' EXIT
    up
    trap - EXIT
    ;;
down) down ;;
status) status ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
)sh";

std::string q(const std::string& s) { return shellQuote(s); }

} // namespace

Result<std::string> netnsScript(const Topology& topology, const std::string& labName)
{
    if (labName.empty() || labName.size() > 32 || nameToken(labName) != labName)
        return fail("netns-script: the lab name \"" + labName
                    + "\" must be 1 to 32 characters of A-Z, a-z, 0-9, '_' and '-' (it prefixes every namespace)");

    // Namespace names: LAB-NODE with the node's name reduced to [A-Za-z0-9_-]; a clash (or an
    // empty or long name) takes the node's id instead. The bridges' namespace has a '.', which
    // no node's namespace can have.
    std::map<Id, std::string> ns;
    std::set<std::string> taken;
    const std::string bridges = labName + ".bridges";
    for (const Node& n : topology.nodes) {
        if (n.kind == NodeKind::Segment)
            continue;
        std::string token = nameToken(n.name);
        std::string name = labName + "-" + token;
        if (token.empty() || token.size() > 64 || taken.contains(name) || token != n.name)
            name = labName + "-" + (token.empty() || token.size() > 64 ? "" : token + "-") + "n" + std::to_string(n.id);
        while (taken.contains(name))
            name += "_";
        taken.insert(name);
        ns[n.id] = name;
    }
    bool anySegment = false;
    for (const Node& n : topology.nodes)
        anySegment = anySegment || n.kind == NodeKind::Segment;

    std::string up;
    auto line = [&](const std::string& text) { up += "    " + text + "\n"; };
    auto comment = [&](const std::string& text) { line("# " + commentSafe(text)); };
    auto inNs = [&](Id node) { return "ip -n " + q(ns.at(node)) + " "; };
    auto exec = [&](Id node) { return "ip netns exec " + q(ns.at(node)) + " "; };

    line("if [ -s \"$RUN/namespaces\" ]; then");
    line("    echo \"$0: $LAB is already up (or half up): run \\\"$0 down\\\" first\" >&2");
    line("    exit 1");
    line("fi");
    line("mkdir -p \"$RUN/www\"");
    comment("One namespace per node" + std::string(anySegment ? ", and one for the segments' bridges." : "."));
    for (const Node& n : topology.nodes)
        if (n.kind != NodeKind::Segment)
            line("new_ns " + q(ns.at(n.id)) + " # " + commentSafe(n.name));
    if (anySegment) {
        line("new_ns " + q(bridges));
        comment("Segments: a bridge each, named br<segment id>, in " + bridges + ".");
        for (const Node& n : topology.nodes)
            if (n.kind == NodeKind::Segment) {
                std::string br = "br" + std::to_string(n.id);
                line("ip -n " + q(bridges) + " link add " + q(br) + " type bridge # " + commentSafe(n.name));
                line("ip -n " + q(bridges) + " link set " + q(br) + " up");
            }
    }

    // Links: veth pairs. A node's end carries the interface's name and MAC; a segment's end is
    // l<link id> (l<link id>a / l<link id>b when both ends are segments) on the bridge.
    comment("Links: veth pairs; a segment's end is l<link id> on its bridge.");
    std::set<Id> linked;
    for (const Link& link : topology.links) {
        const Node* na = topology.findNode(link.a.node);
        const Node* nb = topology.findNode(link.b.node);
        if (!na || !nb)
            return fail("netns-script: link " + std::to_string(link.id) + " names a node the design does not have");
        auto end = [&](const Node& n, const Endpoint& e, std::string_view side, bool bothSegments)
            -> Result<std::pair<std::string, std::string>> { // namespace, "NAME [address MAC]"
            if (n.kind == NodeKind::Segment) {
                std::string dev = "l" + std::to_string(link.id) + (bothSegments ? std::string(side) : "");
                return std::pair{bridges, dev};
            }
            for (const Interface& i : n.interfaces)
                if (i.id == e.interfaceId) {
                    linked.insert(i.id);
                    return std::pair{ns.at(n.id), q(i.name) + " address " + interfaceMac(i).toString()};
                }
            return fail("netns-script: link " + std::to_string(link.id) + " names an interface " + n.name + " does not have");
        };
        bool both = na->kind == NodeKind::Segment && nb->kind == NodeKind::Segment;
        auto ea = end(*na, link.a, "a", both);
        auto eb = end(*nb, link.b, "b", both);
        if (!ea)
            return fail(ea.error().message);
        if (!eb)
            return fail(eb.error().message);
        comment(na->name + " -- " + nb->name);
        line("ip -n " + q(ea->first) + " link add " + ea->second + " type veth peer name " + eb->second + " netns "
             + q(eb->first));
        for (auto [node, e] : {std::pair{na, ea->second}, std::pair{nb, eb->second}})
            if (node->kind == NodeKind::Segment)
                line("ip -n " + q(bridges) + " link set " + e + " master " + q("br" + std::to_string(node->id)) + " up");
    }

    for (const Node& n : topology.nodes) {
        if (n.kind == NodeKind::Segment)
            continue;
        comment(n.name + " (" + std::string(toString(n.kind)) + ")");
        for (const Interface& i : n.interfaces) {
            if (!linked.contains(i.id))
                line(inNs(n.id) + "link add " + q(i.name) + " address " + interfaceMac(i).toString()
                     + " type dummy # not linked");
            line(inNs(n.id) + "link set " + q(i.name) + " up");
            for (const Ipv4Prefix& a : i.addresses)
                line(inNs(n.id) + "addr add " + a.toString() + " dev " + q(i.name));
        }
        bool tunnel = false;
        for (const VipBinding& vip : n.vips) {
            std::string device = vipDeviceName(n, vip);
            if (device.empty())
                return fail("netns-script: a VIP of " + n.name + " names an interface it does not have");
            if (vip.device == VipDevice::Tunnel)
                tunnel = true;
            else
                line(inNs(n.id) + "addr add " + vip.address.toString() + " dev " + q(device) + " # VIP");
        }
        for (const auto& [key, value] : n.sysctls)
            if (key.find(".tunl0.") == std::string::npos)
                line(exec(n.id) + "sysctl -q -w " + q(key + "=" + std::to_string(value)));
            else
                tunnel = true;
        if (tunnel) {
            // tunl0 exists in every namespace once the ipip module is loaded.
            line("if " + inNs(n.id) + "link show tunl0 >/dev/null 2>&1 || modprobe ipip 2>/dev/null; then");
            line("    " + inNs(n.id) + "link set tunl0 up");
            for (const auto& [key, value] : n.sysctls)
                if (key.find(".tunl0.") != std::string::npos)
                    line("    " + exec(n.id) + "sysctl -q -w " + q(key + "=" + std::to_string(value)));
            for (const VipBinding& vip : n.vips)
                if (vip.device == VipDevice::Tunnel)
                    line("    " + inNs(n.id) + "addr add " + vip.address.toString() + " dev tunl0 # VIP");
            line("else");
            line("    echo " + q(labName + ": " + n.name
                                 + ": no ipip module on this machine: tunl0 and its VIP are left out, so this TUN real "
                                   "server cannot take tunnelled requests")
                 + " >&2");
            line("fi");
        }
        for (const Route& r : n.routes)
            line(inNs(n.id) + "route add " + r.destination.toString() + " via " + r.via.toString());
        if (n.defaultGateway)
            line(inNs(n.id) + "route add default via " + n.defaultGateway->toString());

        if (!n.fwmarkRules.empty()) {
            comment("Firewall marks of " + n.name + ", if iptables works here.");
            line("if " + exec(n.id) + "iptables -t mangle -L PREROUTING -n >/dev/null 2>&1; then");
            for (const FwmarkRule& r : n.fwmarkRules)
                line("    " + exec(n.id) + shellWords(fwmarkRuleWords(r)));
            line("else");
            line("    echo " + q(labName + ": " + n.name + ": iptables does not work here: the firewall-mark rules are left out")
                 + " >&2");
            line("fi");
        }
        if (n.kind == NodeKind::Director && !n.services.empty()) {
            comment("The IPVS table of " + n.name + ", if the kernel's IPVS works here.");
            line("if " + exec(n.id) + "ipvsadm -Ln >/dev/null 2>&1; then");
            up += ipvsRestoreBlock(topology, n, exec(n.id), "        ");
            line("else");
            line("    echo " + q(labName + ": " + n.name
                                 + ": ipvsadm does not work here (no ipvsadm, or no ip_vs kernel module): the IPVS "
                                   "table is left out; the lab runs on without a director")
                 + " >&2");
            line("fi");
        }
        for (const AppService& app : n.apps) {
            std::string port = std::to_string(app.port);
            switch (app.kind) {
            case AppKind::Http:
                line("start_http " + q(ns.at(n.id)) + " " + q(n.name) + " " + port);
                break;
            case AppKind::Command:
                line("start_command " + q(ns.at(n.id)) + " " + q(app.command));
                break;
            case AppKind::TcpEcho:
            case AppKind::UdpEcho:
                line("echo " + q(labName + ": " + n.name + ": the " + std::string(toString(app.kind)) + " service on port "
                                 + port + " is lvsctl lab's built-in: this script does not start it")
                     + " >&2");
                break;
            }
        }
    }

    std::string out = "#!/bin/sh\n# The lab \"" + commentSafe(topology.name)
        + "\" in network namespaces, as plain ip netns / ip link / ip addr / ip route / sysctl\n"
          "# commands, generated by LVS Lab.\n"
          "#   up      makes one namespace per node (" + labName + "-NODE) and, for the segments, one bridge\n"
          "#           namespace (" + bridges + "); links them, sets addresses, routes and kernel\n"
          "#           parameters, and starts the real servers' services.\n"
          "#   down    stops those services and deletes every namespace up made; safe to repeat, and\n"
          "#           after an up that stopped half-way.\n"
          "#   status  lists the namespaces and processes; exits 3 when the lab is down or damaged.\n"
          "# Needs root, iproute2 and python3. Nothing is created in this machine's own namespace but\n"
          "# the namespaces themselves; what up made is recorded in /run/lvslab-script/" + labName + "/.\n"
          "set -eu\n\n";
    out += "LAB=" + q(labName) + "\n";
    out += "RUN=" + q("/run/lvslab-script/" + labName) + "\n\n";
    out += kHelpers;
    // Here-documents (the IPVS table) must stay unindented: ipvsRestoreBlock indents its own
    // lines, and the up body's other lines get four spaces.
    out += "\nup() {\n" + up + "}\n";
    out += kTail;
    return out;
}

} // namespace lvs::core::exports
