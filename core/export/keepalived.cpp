// keepalived.conf export: one director's VRRP instances and IPVS services as keepalived 2.2.7
// reads them.
//
// Keywords mirror keepalived 2.2.7 (acassen/keepalived):
//   keepalived/core/global_parser.c  init_global_keywords(): global_defs, router_id
//   keepalived/vrrp/vrrp_parser.c    init_vrrp_keywords(): vrrp_sync_group { group { } },
//     vrrp_instance, state, interface, virtual_router_id, priority, advert_int, nopreempt,
//     authentication { auth_type PASS, auth_pass }, virtual_ipaddress { ADDR/LEN dev IF }
//   keepalived/check/check_parser.c  init_check_keywords(): virtual_server IP PORT | fwmark N,
//     delay_loop, lb_algo, the scheduler flags (sh-port, sh-fallback, mh-port, mh-fallback),
//     lb_kind (forwarding_handler: NAT, DR, TUN), persistence_timeout (pto_handler),
//     persistence_granularity (pgr_handler: a solid dotted netmask), protocol (proto_handler),
//     alpha, sorry_server, real_server { weight, lvs_method, uthreshold, lthreshold,
//     inhibit_on_failure }
//   keepalived/check/check_http.c    install_http_check_keyword(): HTTP_GET { url { path,
//     digest, status_code }, ... }
//   keepalived/check/check_tcp.c     install_tcp_check_keyword(): TCP_CHECK
//   keepalived/check/check_ping.c    install_ping_check_keyword(): PING_CHECK
//   keepalived/check/check_api.c     install_checkers_keyword() / checker_common: connect_timeout,
//     retry, delay_before_retry, connect_port
//
// Full-NAT: upstream keepalived has no FNAT (forwarding_handler() logs "unknown [FNAT] routing
// method" and `keepalived -t` then exits non-zero), and every lb_kind it does accept would run a
// different service (NAT leaves the client address to the real server, whose replies then miss
// the director). So the Upstream dialect writes a service with a full-NAT destination, and the
// director's local addresses, as comment lines in DPVS syntax: Debian's keepalived accepts the
// file, runs the VRRP instances and every other service, and the comment says what DPVS's
// keepalived needs. The Dpvs dialect writes the same lines for real (lb_kind FNAT,
// local_address_group laddr_g1, laddr_group_name laddr_g1; docs/ipvsadm-dialect.md).
//
// Other things `keepalived -t` warns about (and then exits non-zero) are refused here with the
// node and field named: an auth_pass over 8 characters (truncated by vrrp_parser.c), nopreempt
// with state MASTER (cleared), a port on a fwmark service's real server or a DR/TUN
// sorry_server on another port (check_data.c clears or resets both), and words keepalived's tokenizer (lib/parser.c, read_line() and
// alloc_strvec_r()) would split or misread. A vrrp_sync_group of one instance draws a warning
// ("has only 1 virtual router(s)"), so it is written as a comment.
#include "core/export/keepalived.h"

#include "core/export/export.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace lvs::core::exports {

namespace {

constexpr std::string_view kLaddrGroup = "laddr_g1";

// Why keepalived cannot read `word` as one word, or empty when it can. Its tokenizer splits on
// white space, takes '{' and '}' as words of their own, starts a comment at '#' or '!', reads
// '"' and '\'' as quotes, '\\' as an escape or a line continuation, '$' as a definition
// (${NAME}), and a leading '@' as a router_id condition and '~' as ~SEQ().
std::string badWordReason(std::string_view word)
{
    if (word.empty())
        return "is empty";
    if (word.front() == '@' || word.front() == '~')
        return std::string("starts with '") + word.front() + "', which keepalived reads as a directive";
    for (char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if (c == ' ' || c == '\t')
            return "contains white space";
        if (u < 0x20 || u == 0x7f)
            return "contains a control character";
        if (u >= 0x80)
            return "contains a non-ASCII character";
        if (std::string_view("{}\"'#!$\\").find(c) != std::string_view::npos)
            return std::string("contains '") + c + "', which keepalived.conf cannot hold in a word";
    }
    return {};
}

// The text in an error: printable ASCII as is, anything else as \xNN.
std::string shown(std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out += c;
        } else {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

struct Context {
    const Node& director;
    KeepalivedDialect dialect;
    std::string where() const { return "director \"" + shown(director.name) + "\""; }
};

Result<void> checkWord(const Context& ctx, std::string_view subject, std::string_view field, std::string_view value)
{
    const std::string reason = badWordReason(value);
    if (reason.empty())
        return {};
    std::string message = "keepalived export: " + ctx.where();
    if (!subject.empty())
        message += ", " + std::string(subject);
    return fail(message + ": " + std::string(field) + " \"" + shown(value) + "\" " + reason);
}

// keepalived's lb_kind / lvs_method word (check_parser.c forwarding_handler(); FNAT is DPVS's).
std::string_view lbKind(ForwardMethod method)
{
    switch (method) {
    case ForwardMethod::Route: return "DR";
    case ForwardMethod::Tunnel: return "TUN";
    case ForwardMethod::Masq: return "NAT";
    case ForwardMethod::FullNat: return "FNAT";
    }
    return "DR";
}

std::string_view protocolWord(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Tcp: return "TCP";
    case Protocol::Udp: return "UDP";
    case Protocol::Sctp: return "SCTP";
    }
    return "TCP";
}

std::string_view checkerName(CheckKind kind)
{
    switch (kind) {
    case CheckKind::HttpGet: return "HTTP_GET";
    case CheckKind::TcpCheck: return "TCP_CHECK";
    case CheckKind::Ping: return "PING_CHECK";
    case CheckKind::None: break;
    }
    return {};
}

// Lines with four spaces of indent per level.
class Writer {
public:
    void line(std::string_view text)
    {
        m_out.append(static_cast<std::size_t>(m_depth) * 4, ' ');
        m_out += text;
        m_out += '\n';
    }
    void open(std::string_view head)
    {
        line(std::string(head) + " {");
        ++m_depth;
    }
    void close()
    {
        --m_depth;
        line("}");
    }
    void blank() { m_out += '\n'; }
    const std::string& text() const { return m_out; }

private:
    std::string m_out;
    int m_depth = 0;
};

std::string serviceName(const VirtualService& s)
{
    if (s.fwmark != 0)
        return "fwmark " + std::to_string(s.fwmark);
    return std::string(toString(s.protocol)) + " " + s.address.toString() + ":" + std::to_string(s.port);
}

bool usesFullNat(const VirtualService& s)
{
    return std::any_of(s.destinations.begin(), s.destinations.end(),
                       [](const Destination& d) { return d.method == ForwardMethod::FullNat; });
}

Result<void> writeChecker(const Context& ctx, const VirtualService& s, Writer& w)
{
    const HealthCheck& c = s.check;
    if (c.kind == CheckKind::None)
        return {};
    w.open(checkerName(c.kind));
    if (c.kind == CheckKind::HttpGet) {
        if (auto ok = checkWord(ctx, "service " + serviceName(s), "url path", c.urlPath); !ok)
            return ok;
        w.open("url");
        w.line("path " + c.urlPath);
        if (!c.digest.empty()) {
            // check_http.c url_digest_handler(): an MD5 in hex, 32 digits.
            const bool hex = c.digest.size() == 32
                && std::all_of(c.digest.begin(), c.digest.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
            if (!hex)
                return fail("keepalived export: " + ctx.where() + ", service " + serviceName(s) + ": digest \""
                            + shown(c.digest) + "\" is not an MD5 sum (32 hex digits)");
            w.line("digest " + c.digest);
        }
        w.line("status_code " + std::to_string(c.statusCode));
        w.close();
    }
    w.line("connect_timeout " + std::to_string(c.connectTimeout));
    w.line("retry " + std::to_string(c.retry));
    w.line("delay_before_retry " + std::to_string(c.delayBeforeRetry));
    if (c.connectPort && c.kind != CheckKind::Ping)
        w.line("connect_port " + std::to_string(*c.connectPort));
    w.close();
    return {};
}

Result<void> writeService(const Context& ctx, const VirtualService& s, Writer& w)
{
    for (const std::string& flag : s.schedFlags)
        if (auto ok = checkWord(ctx, "service " + serviceName(s), "scheduler flag", flag); !ok)
            return ok;
    if (auto ok = checkWord(ctx, "service " + serviceName(s), "lb_algo", s.scheduler); !ok)
        return ok;

    if (s.fwmark != 0)
        w.open("virtual_server fwmark " + std::to_string(s.fwmark));
    else
        w.open("virtual_server " + s.address.toString() + " " + std::to_string(s.port));
    w.line("delay_loop " + std::to_string(s.check.delayLoop));
    w.line("lb_algo " + s.scheduler);
    // check_parser.c install_keyword("sh-port", &lbflags_handler) etc.: one keyword a flag.
    for (const std::string& flag : s.schedFlags)
        w.line(flag);
    // The service's forwarding method is its first destination's; others get lvs_method.
    const ForwardMethod kind = s.destinations.empty() ? ForwardMethod::Route : s.destinations.front().method;
    w.line("lb_kind " + std::string(lbKind(kind)));
    if (usesFullNat(s) && !ctx.director.localAddresses.empty())
        w.line("laddr_group_name " + std::string(kLaddrGroup));
    if (s.persistence) {
        w.line("persistence_timeout " + std::to_string(*s.persistence));
        if (s.persistenceNetmask.value != 0xffffffffu)
            w.line("persistence_granularity " + s.persistenceNetmask.toString());
    }
    // A protocol with fwmark draws "protocol specified for fwmark - protocol will be ignored".
    if (s.fwmark == 0)
        w.line("protocol " + std::string(protocolWord(s.protocol)));
    if (s.check.alpha)
        w.line("alpha");
    if (s.sorryServer && s.fwmark == 0 && s.sorryServer->second != s.port
        && (kind == ForwardMethod::Route || kind == ForwardMethod::Tunnel))
        // check_data.c: "virtual server ... and sorry server ports don't match - resetting"
        // (DR and TUN cannot map ports).
        return fail("keepalived export: " + ctx.where() + ", service " + serviceName(s) + ": sorry_server port "
                    + std::to_string(s.sorryServer->second) + " must be the service's port with "
                    + std::string(lbKind(kind)) + " (keepalived resets it)");
    if (s.sorryServer)
        w.line("sorry_server " + s.sorryServer->first.toString() + " " + std::to_string(s.sorryServer->second));
    for (const Destination& d : s.destinations) {
        // A destination without a port takes the service's. A fwmark service's real servers
        // have none: check_data.c validate_check_config() warns "fwmark virtual server ...
        // has port specified - clearing", so a port there would be dropped.
        if (s.fwmark != 0 && d.port != 0)
            return fail("keepalived export: " + ctx.where() + ", service " + serviceName(s) + ": real server "
                        + d.address.toString() + " has port " + std::to_string(d.port)
                        + ", which keepalived clears on a fwmark service; leave its port empty");
        const std::uint16_t port = s.fwmark != 0 ? 0 : d.port != 0 ? d.port : s.port;
        w.blank();
        w.open("real_server " + d.address.toString() + " " + std::to_string(port));
        w.line("weight " + std::to_string(d.weight));
        if (d.method != kind)
            w.line("lvs_method " + std::string(lbKind(d.method)));
        if (d.upperThreshold != 0)
            w.line("uthreshold " + std::to_string(d.upperThreshold));
        if (d.lowerThreshold != 0)
            w.line("lthreshold " + std::to_string(d.lowerThreshold));
        if (s.check.inhibitOnFailure)
            w.line("inhibit_on_failure");
        if (auto ok = writeChecker(ctx, s, w); !ok)
            return ok;
        w.close();
    }
    w.close();
    return {};
}

// Each line of `text` as a comment.
std::string commented(const std::string& text)
{
    std::string out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out += l.empty() ? "#\n" : "# " + l + "\n";
    return out;
}

// The interface of the director a local address is on: the one whose network contains it.
Result<std::string> laddrInterface(const Context& ctx, Ipv4 address)
{
    for (const Interface& i : ctx.director.interfaces)
        for (const Ipv4Prefix& p : i.addresses)
            if (p.contains(address))
                return i.name;
    return fail("keepalived export: " + ctx.where() + ": local address " + address.toString()
                + " is on none of the director's networks; DPVS's local_address_group needs its interface");
}

Result<void> writeVrrp(const Context& ctx, Writer& w)
{
    const Node& d = ctx.director;
    // vrrp_sync_group: groups in order of first use.
    std::vector<std::string> groups;
    std::map<std::string, std::vector<std::string>> members;
    for (const VrrpInstance& v : d.vrrp) {
        if (v.syncGroup.empty())
            continue;
        if (auto ok = checkWord(ctx, "VRRP instance " + shown(v.name), "vrrp_sync_group", v.syncGroup); !ok)
            return ok;
        if (!members.contains(v.syncGroup))
            groups.push_back(v.syncGroup);
        members[v.syncGroup].push_back(v.name);
    }
    for (const std::string& g : groups) {
        Writer gw;
        gw.open("vrrp_sync_group " + g);
        gw.open("group");
        for (const std::string& name : members[g])
            gw.line(name);
        gw.close();
        gw.close();
        w.blank();
        if (members[g].size() < 2) {
            // vrrp_parser.c / vrrp_data.c: "Sync group %s has only 1 virtual router(s)".
            w.line("# A sync group of one instance is left out: keepalived warns about it.");
            std::istringstream in(commented(gw.text()));
            for (std::string l; std::getline(in, l);)
                w.line(l);
        } else {
            std::istringstream in(gw.text());
            for (std::string l; std::getline(in, l);)
                w.line(l);
        }
    }

    for (const VrrpInstance& v : d.vrrp) {
        const std::string subject = "VRRP instance " + shown(v.name);
        if (auto ok = checkWord(ctx, "", "vrrp_instance name", v.name); !ok)
            return ok;
        const Interface* iface = nullptr;
        for (const Interface& i : d.interfaces)
            if (i.id == v.interfaceId)
                iface = &i;
        if (!iface)
            return fail("keepalived export: " + ctx.where() + ", " + subject
                        + ": its interface is not one of the director's; choose one");
        if (auto ok = checkWord(ctx, subject, "interface", iface->name); !ok)
            return ok;
        if (v.nopreempt && v.state == VrrpState::Master)
            return fail("keepalived export: " + ctx.where() + ", " + subject
                        + ": nopreempt needs state BACKUP (keepalived clears it with state MASTER)");
        if (!v.authPass.empty()) {
            if (auto ok = checkWord(ctx, subject, "auth_pass", v.authPass); !ok)
                return ok;
            // vrrp_parser.c vrrp_auth_pass_handler(): "Truncating auth_pass to 8 characters".
            if (v.authPass.size() > 8)
                return fail("keepalived export: " + ctx.where() + ", " + subject + ": auth_pass has "
                            + std::to_string(v.authPass.size()) + " characters; VRRP carries at most 8");
        }
        w.blank();
        w.open("vrrp_instance " + v.name);
        w.line("state " + std::string(v.state == VrrpState::Master ? "MASTER" : "BACKUP"));
        w.line("interface " + iface->name);
        w.line("virtual_router_id " + std::to_string(v.virtualRouterId));
        w.line("priority " + std::to_string(v.priority));
        w.line("advert_int " + std::to_string(v.advertInt));
        if (v.nopreempt)
            w.line("nopreempt");
        if (!v.authPass.empty()) {
            w.open("authentication");
            w.line("auth_type PASS");
            w.line("auth_pass " + v.authPass);
            w.close();
        }
        w.open("virtual_ipaddress");
        for (const Ipv4Prefix& a : v.virtualAddresses)
            w.line(a.toString() + " dev " + iface->name);
        w.close();
        w.close();
    }
    return {};
}

} // namespace

Result<std::string> keepalivedConf(const Topology& topology, const Node& director, KeepalivedDialect dialect)
{
    (void)topology;
    const Context ctx{director, dialect};
    if (auto ok = checkWord(ctx, "", "router_id (the director's name)", director.name); !ok)
        return fail(ok.error().message);

    Writer w;
    w.line("! keepalived.conf for director " + director.name + ", written by LVS Lab ("
           + (dialect == KeepalivedDialect::Dpvs ? "DPVS's keepalived" : "keepalived 2.2.7") + ").");
    if (!director.fwmarkRules.empty()) {
        // keepalived does not mark packets: the fwmark services need these rules as well.
        w.line("! The firewall-mark services need these iptables rules on this director:");
        for (const FwmarkRule& r : director.fwmarkRules) {
            std::string ports;
            for (std::uint16_t p : r.ports)
                ports += (ports.empty() ? "" : ",") + std::to_string(p);
            std::string rule = "!   iptables -t mangle -A PREROUTING -d " + r.destination.toString() + " -p "
                + std::string(toString(r.protocol));
            if (r.ports.size() == 1)
                rule += " --dport " + ports;
            else if (r.ports.size() > 1)
                rule += " -m multiport --dports " + ports;
            w.line(rule + " -j MARK --set-mark " + std::to_string(r.mark));
        }
    }
    w.blank();
    w.open("global_defs");
    w.line("router_id " + director.name);
    w.close();

    if (auto ok = writeVrrp(ctx, w); !ok)
        return fail(ok.error().message);

    const bool anyFullNat = std::any_of(director.services.begin(), director.services.end(), usesFullNat);
    if (anyFullNat && !director.localAddresses.empty()) {
        Writer lw;
        lw.open("local_address_group " + std::string(kLaddrGroup));
        for (Ipv4 a : director.localAddresses) {
            auto ifname = laddrInterface(ctx, a);
            if (!ifname)
                return fail(ifname.error().message);
            if (auto ok = checkWord(ctx, "local address " + a.toString(), "interface", *ifname); !ok)
                return fail(ok.error().message);
            lw.line(a.toString() + " " + *ifname);
        }
        lw.close();
        w.blank();
        if (dialect == KeepalivedDialect::Upstream) {
            w.line("# Full-NAT local addresses, for DPVS's keepalived (upstream keepalived has no full-NAT):");
            std::istringstream in(commented(lw.text()));
            for (std::string l; std::getline(in, l);)
                w.line(l);
        } else {
            std::istringstream in(lw.text());
            for (std::string l; std::getline(in, l);)
                w.line(l);
        }
    }

    for (const VirtualService& s : director.services) {
        Writer sw;
        if (auto ok = writeService(ctx, s, sw); !ok)
            return fail(ok.error().message);
        w.blank();
        if (dialect == KeepalivedDialect::Upstream && usesFullNat(s)) {
            w.line("# " + serviceName(s) + " uses full-NAT, which only DPVS's keepalived has (lb_kind FNAT);");
            w.line("# upstream keepalived would refuse it, so it is written as a comment.");
            std::istringstream in(commented(sw.text()));
            for (std::string l; std::getline(in, l);)
                w.line(l);
        } else {
            std::istringstream in(sw.text());
            for (std::string l; std::getline(in, l);)
                w.line(l);
        }
    }
    return w.text();
}

Result<std::string> keepalivedConf(const Topology& topology, const Node& director)
{
    return keepalivedConf(topology, director, KeepalivedDialect::Upstream);
}

} // namespace lvs::core::exports
