// The .lvslab file: versioned JSON for a Topology, read with file:line:column errors and
// written atomically in one canonical form.
#include "core/io/lvslab_file.h"

#include "core/io/atomic_file.h"
#include "core/io/json_positions.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <set>
#include <variant>

namespace lvs::core {

std::string LoadError::toString() const
{
    if (line == 0)
        return file + ": " + reason;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Reading

std::string typeName(const Json& v)
{
    switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_float: return "a fraction";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "a number";
    default: return "something else";
    }
}

// Walks the JSON document, reporting each fault at the line and column of the value (or key)
// it concerns. Accessors return nullopt on a fault and keep going, so one pass finds them all.
class Reader {
public:
    Reader(std::string_view text, std::string file, const PositionedJson& doc)
        : m_text(text), m_file(std::move(file)), m_doc(doc)
    {
    }

    std::vector<LoadError> errors;

    void error(const std::string& pointer, std::string reason, bool atKey = false)
    {
        if (errors.size() >= kMaxErrors)
            return;
        std::size_t offset = 0;
        const auto& offsets = atKey ? m_doc.keyOffsets : m_doc.valueOffsets;
        auto it = offsets.find(pointer);
        if (it == offsets.end() && atKey)
            it = m_doc.valueOffsets.find(pointer);
        if (it != offsets.end() && it != m_doc.valueOffsets.end())
            offset = it->second;
        else if (auto v = m_doc.valueOffsets.find(pointer); v != m_doc.valueOffsets.end())
            offset = v->second;
        TextPosition pos = positionOf(m_text, offset);
        errors.push_back(LoadError{m_file, pos.line, pos.column, std::move(reason)});
    }

    // An object's members, with a check that no key is outside the allowed set.
    bool object(const Json& v, const std::string& ptr, std::string_view what,
                std::initializer_list<std::string_view> allowed)
    {
        if (!v.is_object()) {
            error(ptr, std::string(what) + " must be an object, not " + typeName(v));
            return false;
        }
        for (const auto& [key, value] : v.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                error(childPointer(ptr, std::string_view(key)),
                      "unknown key \"" + key + "\" in " + std::string(what), true);
        }
        return true;
    }

    const Json* member(const Json& obj, const std::string& ptr, std::string_view key,
                       std::string_view what, bool required)
    {
        auto it = obj.find(std::string(key));
        if (it == obj.end()) {
            if (required)
                error(ptr, std::string(what) + " has no \"" + std::string(key) + "\"");
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::int64_t> integer(const Json& v, const std::string& ptr, std::string_view key,
                                        std::int64_t min, std::int64_t max)
    {
        if (!v.is_number_integer() && !v.is_number_unsigned()) {
            error(ptr, "\"" + std::string(key) + "\" must be a whole number, not " + typeName(v));
            return std::nullopt;
        }
        bool tooBig = v.is_number_unsigned()
            && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max);
        std::int64_t value = tooBig ? max : v.get<std::int64_t>();
        if (tooBig || value < min || value > max) {
            std::string shown = v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                                       : std::to_string(value);
            error(ptr, "\"" + std::string(key) + "\" must be " + std::to_string(min) + ".."
                      + std::to_string(max) + ", not " + shown);
            return std::nullopt;
        }
        return value;
    }

    std::optional<std::string> string(const Json& v, const std::string& ptr, std::string_view key)
    {
        if (!v.is_string()) {
            error(ptr, "\"" + std::string(key) + "\" must be a string, not " + typeName(v));
            return std::nullopt;
        }
        return v.get<std::string>();
    }

    std::optional<bool> boolean(const Json& v, const std::string& ptr, std::string_view key)
    {
        if (!v.is_boolean()) {
            error(ptr, "\"" + std::string(key) + "\" must be true or false, not " + typeName(v));
            return std::nullopt;
        }
        return v.get<bool>();
    }

    std::optional<Ipv4> ipv4(const Json& v, const std::string& ptr, std::string_view key)
    {
        auto text = string(v, ptr, key);
        if (!text)
            return std::nullopt;
        auto address = Ipv4::parse(*text);
        if (!address)
            error(ptr, "bad IPv4 address \"" + *text + "\" in \"" + std::string(key)
                      + "\": expected a.b.c.d with each part 0..255");
        return address;
    }

    std::optional<Ipv4Prefix> prefix(const Json& v, const std::string& ptr, std::string_view key,
                                     bool allowBare = false)
    {
        auto text = string(v, ptr, key);
        if (!text)
            return std::nullopt;
        auto p = Ipv4Prefix::parse(*text, allowBare);
        if (!p) {
            std::string reason = "bad address/prefix \"" + *text + "\" in \"" + std::string(key)
                + "\": expected a.b.c.d/len with each part 0..255 and len 0..32";
            error(ptr, reason);
        }
        return p;
    }

    template <typename Enum>
    std::optional<Enum> enumeration(const Json& v, const std::string& ptr, std::string_view key,
                                    std::optional<Enum> (*fromString)(std::string_view),
                                    std::string_view choices)
    {
        auto text = string(v, ptr, key);
        if (!text)
            return std::nullopt;
        auto value = fromString(*text);
        if (!value)
            error(ptr, "\"" + std::string(key) + "\" must be one of " + std::string(choices)
                      + ", not \"" + *text + "\"");
        return value;
    }

    // Calls each(element, pointer, index) for the elements of an array member.
    void array(const Json& v, const std::string& ptr, std::string_view key,
               const std::function<void(const Json&, const std::string&)>& each)
    {
        if (!v.is_array()) {
            error(ptr, "\"" + std::string(key) + "\" must be an array, not " + typeName(v));
            return;
        }
        for (std::size_t i = 0; i < v.size(); ++i)
            each(v[i], childPointer(ptr, i));
    }

    // Records an id; reports a duplicate with the place of its first use.
    std::optional<Id> id(const Json& obj, const std::string& ptr, std::string_view what)
    {
        const Json* v = member(obj, ptr, "id", what, true);
        if (!v)
            return std::nullopt;
        auto value = integer(*v, childPointer(ptr, "id"), "id", 1,
                             std::numeric_limits<std::uint32_t>::max() - 1);
        if (!value)
            return std::nullopt;
        Id id = static_cast<Id>(*value);
        auto [it, inserted] = m_ids.emplace(id, childPointer(ptr, "id"));
        if (!inserted) {
            auto first = m_doc.valueOffsets.find(it->second);
            TextPosition pos = positionOf(m_text, first == m_doc.valueOffsets.end() ? 0 : first->second);
            error(childPointer(ptr, "id"), "duplicate id " + std::to_string(id)
                      + " (first used at line " + std::to_string(pos.line) + ")");
            return std::nullopt;
        }
        return id;
    }

    Id maxId() const { return m_ids.empty() ? 0 : m_ids.rbegin()->first; }
    std::string_view text() const { return m_text; }
    const PositionedJson& doc() const { return m_doc; }

private:
    static constexpr std::size_t kMaxErrors = 50;
    std::string_view m_text;
    std::string m_file;
    const PositionedJson& m_doc;
    std::map<Id, std::string> m_ids;
};

constexpr std::string_view kNodeKindChoices = "client, router, segment, director, real-server";

bool validInterfaceName(const std::string& name)
{
    // The kernel's dev_valid_name: 1..15 bytes, not "." or "..", no '/', ':' or whitespace.
    if (name.empty() || name.size() > 15 || name == "." || name == "..")
        return false;
    return std::none_of(name.begin(), name.end(), [](unsigned char c) {
        return c == '/' || c == ':' || c <= ' ' || c == 0x7f;
    });
}

Interface readInterface(Reader& r, const Json& v, const std::string& ptr)
{
    Interface iface;
    if (!r.object(v, ptr, "an interface", {"id", "name", "addresses", "mac"}))
        return iface;
    iface.id = r.id(v, ptr, "an interface").value_or(kNoId);
    if (const Json* name = r.member(v, ptr, "name", "an interface", true)) {
        std::string p = childPointer(ptr, "name");
        if (auto s = r.string(*name, p, "name")) {
            iface.name = *s;
            if (!validInterfaceName(*s))
                r.error(p, "bad interface name \"" + *s
                              + "\": 1 to 15 characters, without '/', ':' or spaces");
        }
    }
    if (const Json* a = r.member(v, ptr, "addresses", "an interface", false))
        r.array(*a, childPointer(ptr, "addresses"), "addresses",
                [&](const Json& e, const std::string& p) {
                    if (auto prefix = r.prefix(e, p, "addresses"))
                        iface.addresses.push_back(*prefix);
                });
    if (const Json* m = r.member(v, ptr, "mac", "an interface", false)) {
        std::string p = childPointer(ptr, "mac");
        if (auto s = r.string(*m, p, "mac")) {
            iface.mac = Mac::parse(*s);
            if (!iface.mac)
                r.error(p, "bad MAC address \"" + *s + "\": expected six hex pairs like 02:4c:56:00:00:0a");
            else if (iface.mac->bytes[0] & 1)
                r.error(p, "MAC address " + *s + " is a multicast address; an interface needs a unicast one");
        }
    }
    return iface;
}

HealthCheck readCheck(Reader& r, const Json& v, const std::string& ptr)
{
    HealthCheck c;
    if (!r.object(v, ptr, "a health check",
                  {"type", "delay_loop", "connect_timeout", "retry", "delay_before_retry",
                   "connect_port", "url", "alpha", "inhibit_on_failure"}))
        return c;
    if (const Json* t = r.member(v, ptr, "type", "a health check", true))
        c.kind = r.enumeration<CheckKind>(*t, childPointer(ptr, "type"), "type", checkKindFromString,
                                          "TCP_CHECK, HTTP_GET, PING_CHECK, none")
                     .value_or(CheckKind::None);
    auto seconds = [&](std::string_view key, int& out, int min) {
        if (const Json* e = r.member(v, ptr, key, "a health check", false))
            if (auto n = r.integer(*e, childPointer(ptr, key), key, min, 86400))
                out = static_cast<int>(*n);
    };
    seconds("delay_loop", c.delayLoop, 1);
    seconds("connect_timeout", c.connectTimeout, 1);
    seconds("retry", c.retry, 0);
    seconds("delay_before_retry", c.delayBeforeRetry, 0);
    if (const Json* e = r.member(v, ptr, "connect_port", "a health check", false))
        if (auto n = r.integer(*e, childPointer(ptr, "connect_port"), "connect_port", 1, 65535))
            c.connectPort = static_cast<std::uint16_t>(*n);
    if (const Json* u = r.member(v, ptr, "url", "a health check", false)) {
        std::string up = childPointer(ptr, "url");
        if (r.object(*u, up, "a url", {"path", "status_code", "digest"})) {
            if (const Json* e = r.member(*u, up, "path", "a url", false))
                if (auto s = r.string(*e, childPointer(up, "path"), "path"))
                    c.urlPath = *s;
            if (const Json* e = r.member(*u, up, "status_code", "a url", false))
                if (auto n = r.integer(*e, childPointer(up, "status_code"), "status_code", 100, 599))
                    c.statusCode = static_cast<int>(*n);
            if (const Json* e = r.member(*u, up, "digest", "a url", false))
                if (auto s = r.string(*e, childPointer(up, "digest"), "digest"))
                    c.digest = *s;
        }
    }
    if (const Json* e = r.member(v, ptr, "alpha", "a health check", false))
        c.alpha = r.boolean(*e, childPointer(ptr, "alpha"), "alpha").value_or(false);
    if (const Json* e = r.member(v, ptr, "inhibit_on_failure", "a health check", false))
        c.inhibitOnFailure =
            r.boolean(*e, childPointer(ptr, "inhibit_on_failure"), "inhibit_on_failure").value_or(false);
    return c;
}

Destination readDestination(Reader& r, const Json& v, const std::string& ptr)
{
    Destination d;
    if (!r.object(v, ptr, "a destination",
                  {"id", "real_server", "address", "port", "forward", "weight", "upper", "lower"}))
        return d;
    d.id = r.id(v, ptr, "a destination").value_or(kNoId);
    if (const Json* e = r.member(v, ptr, "real_server", "a destination", false))
        d.realServer = static_cast<Id>(
            r.integer(*e, childPointer(ptr, "real_server"), "real_server", 1,
                      std::numeric_limits<std::uint32_t>::max() - 1)
                .value_or(kNoId));
    if (const Json* e = r.member(v, ptr, "address", "a destination", true))
        d.address = r.ipv4(*e, childPointer(ptr, "address"), "address").value_or(Ipv4{});
    if (const Json* e = r.member(v, ptr, "port", "a destination", false))
        d.port = static_cast<std::uint16_t>(
            r.integer(*e, childPointer(ptr, "port"), "port", 0, 65535).value_or(0));
    if (const Json* e = r.member(v, ptr, "forward", "a destination", true))
        d.method = r.enumeration<ForwardMethod>(*e, childPointer(ptr, "forward"), "forward",
                                                forwardMethodFromString,
                                                "route, tunnel, masq, fullnat")
                       .value_or(ForwardMethod::Route);
    // The kernel keeps a weight in an int (struct ip_vs_dest_user); Debian's ipvsadm 1.31
    // accepts 0..2147483647.
    if (const Json* e = r.member(v, ptr, "weight", "a destination", false))
        d.weight = r.integer(*e, childPointer(ptr, "weight"), "weight", 0, kMaxWeight).value_or(1);
    if (const Json* e = r.member(v, ptr, "upper", "a destination", false))
        d.upperThreshold = static_cast<std::uint32_t>(
            r.integer(*e, childPointer(ptr, "upper"), "upper", 0, kMaxWeight).value_or(0));
    if (const Json* e = r.member(v, ptr, "lower", "a destination", false))
        d.lowerThreshold = static_cast<std::uint32_t>(
            r.integer(*e, childPointer(ptr, "lower"), "lower", 0, kMaxWeight).value_or(0));
    return d;
}

VirtualService readService(Reader& r, const Json& v, const std::string& ptr)
{
    VirtualService s;
    if (!r.object(v, ptr, "a virtual service",
                  {"id", "fwmark", "protocol", "address", "port", "scheduler", "flags",
                   "persistence", "netmask", "check", "sorry_server", "destinations"}))
        return s;
    s.id = r.id(v, ptr, "a virtual service").value_or(kNoId);
    if (const Json* e = r.member(v, ptr, "fwmark", "a virtual service", false))
        s.fwmark = static_cast<std::uint32_t>(
            r.integer(*e, childPointer(ptr, "fwmark"), "fwmark", 1, 0xffffffffLL).value_or(0));
    const bool byAddress = s.fwmark == 0 && !v.contains("fwmark");
    if (byAddress) {
        if (const Json* e = r.member(v, ptr, "protocol", "a virtual service", true))
            s.protocol = r.enumeration<Protocol>(*e, childPointer(ptr, "protocol"), "protocol",
                                                 protocolFromString, "tcp, udp, sctp")
                             .value_or(Protocol::Tcp);
        if (const Json* e = r.member(v, ptr, "address", "a virtual service", true))
            s.address = r.ipv4(*e, childPointer(ptr, "address"), "address").value_or(Ipv4{});
        if (const Json* e = r.member(v, ptr, "port", "a virtual service", true))
            s.port = static_cast<std::uint16_t>(
                r.integer(*e, childPointer(ptr, "port"), "port", 0, 65535).value_or(0));
    } else {
        for (std::string_view key : {"protocol", "address", "port"})
            if (v.contains(std::string(key)))
                r.error(childPointer(ptr, key),
                        "a firewall-mark service has no \"" + std::string(key)
                            + "\": the mark rule selects its packets",
                        true);
    }
    if (const Json* e = r.member(v, ptr, "scheduler", "a virtual service", false)) {
        std::string p = childPointer(ptr, "scheduler");
        if (auto name = r.string(*e, p, "scheduler")) {
            s.scheduler = *name;
            if (!isKnownScheduler(*name))
                r.error(p, "unknown scheduler \"" + *name
                              + "\": IPVS has rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf, twos");
        }
    }
    if (const Json* e = r.member(v, ptr, "flags", "a virtual service", false))
        r.array(*e, childPointer(ptr, "flags"), "flags", [&](const Json& f, const std::string& p) {
            if (auto flag = r.string(f, p, "flags")) {
                if (!isKnownSchedFlag(*flag))
                    r.error(p, "unknown scheduler flag \"" + *flag
                                  + "\": ipvsadm -b takes flag-1, flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port");
                else
                    s.schedFlags.push_back(*flag);
            }
        });
    if (const Json* e = r.member(v, ptr, "persistence", "a virtual service", false))
        if (auto n = r.integer(*e, childPointer(ptr, "persistence"), "persistence", 1,
                               std::numeric_limits<std::int32_t>::max()))
            s.persistence = static_cast<std::uint32_t>(*n);
    if (const Json* e = r.member(v, ptr, "netmask", "a virtual service", false)) {
        std::string p = childPointer(ptr, "netmask");
        if (auto mask = r.ipv4(*e, p, "netmask")) {
            if (!lengthFromNetmask(*mask))
                r.error(p, "netmask " + mask->toString() + " is not contiguous (like 255.255.255.0)");
            else
                s.persistenceNetmask = *mask;
        }
    }
    if (const Json* e = r.member(v, ptr, "check", "a virtual service", false))
        s.check = readCheck(r, *e, childPointer(ptr, "check"));
    if (const Json* e = r.member(v, ptr, "sorry_server", "a virtual service", false)) {
        std::string p = childPointer(ptr, "sorry_server");
        if (auto text = r.string(*e, p, "sorry_server")) {
            auto colon = text->rfind(':');
            auto ip = Ipv4::parse(text->substr(0, colon == std::string::npos ? text->size() : colon));
            int port = 0;
            bool portOk = colon != std::string::npos && colon + 1 < text->size()
                && text->size() - colon - 1 <= 5
                && std::all_of(text->begin() + static_cast<std::ptrdiff_t>(colon) + 1, text->end(),
                               [](char c) { return c >= '0' && c <= '9'; });
            if (portOk)
                port = std::stoi(text->substr(colon + 1));
            if (!ip || !portOk || port < 1 || port > 65535)
                r.error(p, "bad sorry_server \"" + *text + "\": expected a.b.c.d:port");
            else
                s.sorryServer = std::pair{*ip, static_cast<std::uint16_t>(port)};
        }
    }
    if (const Json* e = r.member(v, ptr, "destinations", "a virtual service", false))
        r.array(*e, childPointer(ptr, "destinations"), "destinations",
                [&](const Json& d, const std::string& p) {
                    s.destinations.push_back(readDestination(r, d, p));
                });
    return s;
}

FwmarkRule readFwmarkRule(Reader& r, const Json& v, const std::string& ptr)
{
    FwmarkRule rule;
    if (!r.object(v, ptr, "a firewall-mark rule", {"id", "destination", "protocol", "dports", "mark"}))
        return rule;
    rule.id = r.id(v, ptr, "a firewall-mark rule").value_or(kNoId);
    if (const Json* e = r.member(v, ptr, "destination", "a firewall-mark rule", true))
        rule.destination =
            r.prefix(*e, childPointer(ptr, "destination"), "destination", true).value_or(Ipv4Prefix{});
    if (const Json* e = r.member(v, ptr, "protocol", "a firewall-mark rule", true))
        rule.protocol = r.enumeration<Protocol>(*e, childPointer(ptr, "protocol"), "protocol",
                                                protocolFromString, "tcp, udp, sctp")
                            .value_or(Protocol::Tcp);
    if (const Json* e = r.member(v, ptr, "dports", "a firewall-mark rule", false))
        r.array(*e, childPointer(ptr, "dports"), "dports", [&](const Json& port, const std::string& p) {
            if (auto n = r.integer(port, p, "dports", 1, 65535))
                rule.ports.push_back(static_cast<std::uint16_t>(*n));
        });
    // iptables' multiport match takes at most 15 ports (XT_MULTI_PORTS).
    if (rule.ports.size() > 15)
        r.error(childPointer(ptr, "dports"), "iptables -m multiport takes at most 15 ports, not "
                                                 + std::to_string(rule.ports.size()));
    if (const Json* e = r.member(v, ptr, "mark", "a firewall-mark rule", true))
        rule.mark = static_cast<std::uint32_t>(
            r.integer(*e, childPointer(ptr, "mark"), "mark", 1, 0xffffffffLL).value_or(0));
    return rule;
}

VrrpInstance readVrrp(Reader& r, const Json& v, const std::string& ptr)
{
    VrrpInstance vi;
    if (!r.object(v, ptr, "a VRRP instance",
                  {"id", "name", "state", "interface", "virtual_router_id", "priority",
                   "advert_int", "nopreempt", "auth_pass", "sync_group", "virtual_ipaddress"}))
        return vi;
    vi.id = r.id(v, ptr, "a VRRP instance").value_or(kNoId);
    if (const Json* e = r.member(v, ptr, "name", "a VRRP instance", true))
        vi.name = r.string(*e, childPointer(ptr, "name"), "name").value_or("");
    if (const Json* e = r.member(v, ptr, "state", "a VRRP instance", true))
        vi.state = r.enumeration<VrrpState>(*e, childPointer(ptr, "state"), "state",
                                            vrrpStateFromString, "MASTER, BACKUP")
                       .value_or(VrrpState::Backup);
    if (const Json* e = r.member(v, ptr, "interface", "a VRRP instance", true))
        vi.interfaceId = static_cast<Id>(
            r.integer(*e, childPointer(ptr, "interface"), "interface", 1,
                      std::numeric_limits<std::uint32_t>::max() - 1)
                .value_or(kNoId));
    // Ranges from keepalived's vrrp_parser.c: virtual_router_id 1..255, priority 1..255,
    // advert_int up to 255 s.
    if (const Json* e = r.member(v, ptr, "virtual_router_id", "a VRRP instance", true))
        vi.virtualRouterId = static_cast<int>(
            r.integer(*e, childPointer(ptr, "virtual_router_id"), "virtual_router_id", 1, 255).value_or(1));
    if (const Json* e = r.member(v, ptr, "priority", "a VRRP instance", false))
        vi.priority = static_cast<int>(
            r.integer(*e, childPointer(ptr, "priority"), "priority", 1, 255).value_or(100));
    if (const Json* e = r.member(v, ptr, "advert_int", "a VRRP instance", false))
        vi.advertInt = static_cast<int>(
            r.integer(*e, childPointer(ptr, "advert_int"), "advert_int", 1, 255).value_or(1));
    if (const Json* e = r.member(v, ptr, "nopreempt", "a VRRP instance", false))
        vi.nopreempt = r.boolean(*e, childPointer(ptr, "nopreempt"), "nopreempt").value_or(false);
    if (const Json* e = r.member(v, ptr, "auth_pass", "a VRRP instance", false))
        vi.authPass = r.string(*e, childPointer(ptr, "auth_pass"), "auth_pass").value_or("");
    if (const Json* e = r.member(v, ptr, "sync_group", "a VRRP instance", false))
        vi.syncGroup = r.string(*e, childPointer(ptr, "sync_group"), "sync_group").value_or("");
    if (const Json* e = r.member(v, ptr, "virtual_ipaddress", "a VRRP instance", false))
        r.array(*e, childPointer(ptr, "virtual_ipaddress"), "virtual_ipaddress",
                [&](const Json& a, const std::string& p) {
                    if (auto prefix = r.prefix(a, p, "virtual_ipaddress", true))
                        vi.virtualAddresses.push_back(*prefix);
                });
    return vi;
}

AppService readApp(Reader& r, const Json& v, const std::string& ptr)
{
    AppService app;
    if (!r.object(v, ptr, "an app", {"type", "port", "command"}))
        return app;
    if (const Json* e = r.member(v, ptr, "type", "an app", true))
        app.kind = r.enumeration<AppKind>(*e, childPointer(ptr, "type"), "type", appKindFromString,
                                          "http, tcp-echo, udp-echo, command")
                       .value_or(AppKind::Http);
    // A real program (command) may serve no known port: 0. The built-in services need one.
    if (const Json* e = r.member(v, ptr, "port", "an app", true))
        app.port = static_cast<std::uint16_t>(
            r.integer(*e, childPointer(ptr, "port"), "port", app.kind == AppKind::Command ? 0 : 1, 65535).value_or(80));
    if (const Json* e = r.member(v, ptr, "command", "an app", app.kind == AppKind::Command))
        app.command = r.string(*e, childPointer(ptr, "command"), "command").value_or("");
    return app;
}

Node readNode(Reader& r, const Json& v, const std::string& ptr)
{
    Node node;
    if (!r.object(v, ptr, "a node",
                  {"id", "kind", "name", "position", "interfaces", "gateway", "routes", "sysctl",
                   "vips", "services", "fwmark_rules", "local_addresses", "vrrp", "apps"}))
        return node;
    node.id = r.id(v, ptr, "a node").value_or(kNoId);
    if (const Json* e = r.member(v, ptr, "kind", "a node", true))
        node.kind = r.enumeration<NodeKind>(*e, childPointer(ptr, "kind"), "kind",
                                            nodeKindFromString, kNodeKindChoices)
                        .value_or(NodeKind::Client);
    if (const Json* e = r.member(v, ptr, "name", "a node", true)) {
        std::string p = childPointer(ptr, "name");
        node.name = r.string(*e, p, "name").value_or("");
        if (e->is_string() && node.name.empty())
            r.error(p, "a node needs a name");
    }
    if (const Json* e = r.member(v, ptr, "position", "a node", false)) {
        std::string p = childPointer(ptr, "position");
        if (!e->is_array() || e->size() != 2)
            r.error(p, "\"position\" must be [x, y]");
        else {
            node.position.x = static_cast<int>(
                r.integer((*e)[0], childPointer(p, 0), "position", -1000000, 1000000).value_or(0));
            node.position.y = static_cast<int>(
                r.integer((*e)[1], childPointer(p, 1), "position", -1000000, 1000000).value_or(0));
        }
    }
    const bool segment = node.kind == NodeKind::Segment;
    const bool director = node.kind == NodeKind::Director;
    auto onlyOn = [&](std::string_view key, bool allowed, std::string_view kinds) {
        if (!allowed && v.contains(std::string(key))) {
            r.error(childPointer(ptr, key),
                    "\"" + std::string(key) + "\" belongs on " + std::string(kinds) + ", not on a "
                        + std::string(toString(node.kind)),
                    true);
            return false;
        }
        return true;
    };
    if (const Json* e = r.member(v, ptr, "interfaces", "a node", false); e && onlyOn("interfaces", !segment, "hosts"))
        r.array(*e, childPointer(ptr, "interfaces"), "interfaces",
                [&](const Json& i, const std::string& p) {
                    Interface iface = readInterface(r, i, p);
                    for (const Interface& other : node.interfaces)
                        if (!iface.name.empty() && other.name == iface.name)
                            r.error(childPointer(p, "name"),
                                    node.name + " has two interfaces named " + iface.name);
                    node.interfaces.push_back(std::move(iface));
                });
    if (const Json* e = r.member(v, ptr, "gateway", "a node", false); e && onlyOn("gateway", !segment, "hosts"))
        node.defaultGateway = r.ipv4(*e, childPointer(ptr, "gateway"), "gateway");
    if (const Json* e = r.member(v, ptr, "routes", "a node", false); e && onlyOn("routes", !segment, "hosts"))
        r.array(*e, childPointer(ptr, "routes"), "routes", [&](const Json& rt, const std::string& p) {
            if (!r.object(rt, p, "a route", {"to", "via"}))
                return;
            Route route;
            if (const Json* t = r.member(rt, p, "to", "a route", true)) {
                std::string tp = childPointer(p, "to");
                if (auto pre = r.prefix(*t, tp, "to")) {
                    route.destination = *pre;
                    if (pre->network() != pre->address)
                        r.error(tp, "route destination " + pre->toString()
                                       + " has host bits set; the network is "
                                       + pre->network().toString() + "/" + std::to_string(pre->length));
                }
            }
            if (const Json* t = r.member(rt, p, "via", "a route", true))
                route.via = r.ipv4(*t, childPointer(p, "via"), "via").value_or(Ipv4{});
            node.routes.push_back(route);
        });
    if (const Json* e = r.member(v, ptr, "sysctl", "a node", false); e && onlyOn("sysctl", !segment, "hosts")) {
        std::string p = childPointer(ptr, "sysctl");
        if (!e->is_object())
            r.error(p, "\"sysctl\" must be an object of \"key\": value");
        else
            for (const auto& [key, value] : e->items()) {
                std::string kp = childPointer(p, std::string_view(key));
                int min = 0, max = 0;
                if (!isKnownSysctl(key, min, max)) {
                    r.error(kp, "unknown sysctl \"" + key
                                    + "\": LVS Lab sets net.ipv4.ip_forward and net.ipv4.conf.DEV.{arp_ignore,arp_announce,rp_filter}",
                            true);
                    continue;
                }
                if (key != "net.ipv4.ip_forward") {
                    std::string dev = key.substr(14, key.rfind('.') - 14);
                    bool known = dev == "all" || dev == "default" || dev == "lo" || dev == "tunl0"
                        || std::any_of(node.interfaces.begin(), node.interfaces.end(),
                                       [&](const Interface& i) { return i.name == dev; });
                    if (!known)
                        r.error(kp, "sysctl \"" + key + "\" names " + dev + ", which " + node.name
                                        + " does not have",
                                true);
                }
                if (auto n = r.integer(value, kp, key, min, max)) {
                    if (key.ends_with(".arp_ignore") && *n > 3 && *n < 8)
                        r.error(kp, "arp_ignore " + std::to_string(*n)
                                        + " is reserved: the kernel defines 0-3 and 8");
                    else
                        node.sysctls[key] = static_cast<int>(*n);
                }
            }
    }
    if (const Json* e = r.member(v, ptr, "vips", "a node", false); e && onlyOn("vips", !segment, "hosts"))
        r.array(*e, childPointer(ptr, "vips"), "vips", [&](const Json& vip, const std::string& p) {
            if (!r.object(vip, p, "a VIP", {"address", "on", "interface"}))
                return;
            VipBinding b;
            if (const Json* a = r.member(vip, p, "address", "a VIP", true))
                b.address = r.prefix(*a, childPointer(p, "address"), "address").value_or(Ipv4Prefix{});
            if (const Json* o = r.member(vip, p, "on", "a VIP", true))
                b.device = r.enumeration<VipDevice>(*o, childPointer(p, "on"), "on",
                                                    vipDeviceFromString, "lo, tunl0, interface")
                               .value_or(VipDevice::Loopback);
            if (const Json* i = r.member(vip, p, "interface", "a VIP", b.device == VipDevice::Interface)) {
                std::string ip = childPointer(p, "interface");
                b.interfaceId = static_cast<Id>(
                    r.integer(*i, ip, "interface", 1, std::numeric_limits<std::uint32_t>::max() - 1)
                        .value_or(kNoId));
                bool mine = std::any_of(node.interfaces.begin(), node.interfaces.end(),
                                        [&](const Interface& x) { return x.id == b.interfaceId; });
                if (b.interfaceId != kNoId && !mine)
                    r.error(ip, "VIP on interface " + std::to_string(b.interfaceId) + ", which "
                                    + node.name + " does not have");
            }
            node.vips.push_back(b);
        });
    if (const Json* e = r.member(v, ptr, "services", "a node", false); e && onlyOn("services", director, "directors"))
        r.array(*e, childPointer(ptr, "services"), "services", [&](const Json& s, const std::string& p) {
            node.services.push_back(readService(r, s, p));
        });
    if (const Json* e = r.member(v, ptr, "fwmark_rules", "a node", false); e && onlyOn("fwmark_rules", director, "directors"))
        r.array(*e, childPointer(ptr, "fwmark_rules"), "fwmark_rules",
                [&](const Json& f, const std::string& p) {
                    node.fwmarkRules.push_back(readFwmarkRule(r, f, p));
                });
    if (const Json* e = r.member(v, ptr, "local_addresses", "a node", false); e && onlyOn("local_addresses", director, "directors"))
        r.array(*e, childPointer(ptr, "local_addresses"), "local_addresses",
                [&](const Json& a, const std::string& p) {
                    if (auto ip = r.ipv4(a, p, "local_addresses"))
                        node.localAddresses.push_back(*ip);
                });
    if (const Json* e = r.member(v, ptr, "vrrp", "a node", false); e && onlyOn("vrrp", director, "directors"))
        r.array(*e, childPointer(ptr, "vrrp"), "vrrp", [&](const Json& vi, const std::string& p) {
            VrrpInstance instance = readVrrp(r, vi, p);
            bool mine = std::any_of(node.interfaces.begin(), node.interfaces.end(),
                                    [&](const Interface& x) { return x.id == instance.interfaceId; });
            if (instance.interfaceId != kNoId && !mine)
                r.error(childPointer(p, "interface"), "VRRP instance " + instance.name
                            + " runs on interface " + std::to_string(instance.interfaceId)
                            + ", which " + node.name + " does not have");
            node.vrrp.push_back(std::move(instance));
        });
    if (const Json* e = r.member(v, ptr, "apps", "a node", false); e && onlyOn("apps", node.kind == NodeKind::RealServer, "real servers"))
        r.array(*e, childPointer(ptr, "apps"), "apps", [&](const Json& a, const std::string& p) {
            node.apps.push_back(readApp(r, a, p));
        });
    return node;
}

Endpoint readEndpoint(Reader& r, const Json& v, const std::string& ptr)
{
    Endpoint end;
    if (!r.object(v, ptr, "a link end", {"node", "interface"}))
        return end;
    constexpr auto kMaxId = std::numeric_limits<std::uint32_t>::max() - 1;
    if (const Json* e = r.member(v, ptr, "node", "a link end", true))
        end.node = static_cast<Id>(r.integer(*e, childPointer(ptr, "node"), "node", 1, kMaxId).value_or(kNoId));
    if (const Json* e = r.member(v, ptr, "interface", "a link end", false))
        end.interfaceId = static_cast<Id>(
            r.integer(*e, childPointer(ptr, "interface"), "interface", 1, kMaxId).value_or(kNoId));
    return end;
}

// The cross-references between parts of the document: link ends, destinations' real servers,
// names. Runs after every part was read, so it can point at each fault.
void checkReferences(Reader& r, const Topology& t, const std::string& linksPtr,
                     const std::string& nodesPtr)
{
    std::map<std::string, std::size_t> names;
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        const Node& n = t.nodes[i];
        if (n.name.empty())
            continue;
        auto [it, fresh] = names.emplace(n.name, i);
        if (!fresh)
            r.error(childPointer(childPointer(nodesPtr, i), "name"),
                    "two nodes are named " + n.name + "; node names must be unique");
        for (std::size_t s = 0; s < n.services.size(); ++s)
            for (std::size_t d = 0; d < n.services[s].destinations.size(); ++d) {
                const Destination& dest = n.services[s].destinations[d];
                if (dest.realServer == kNoId)
                    continue;
                const Node* rs = t.findNode(dest.realServer);
                if (!rs || rs->kind != NodeKind::RealServer)
                    r.error(childPointer(childPointer(childPointer(childPointer(childPointer(
                                nodesPtr, i), "services"), s), "destinations"), d) + "/real_server",
                            "destination " + dest.address.toString() + " names real server "
                                + std::to_string(dest.realServer) + ", which is not a real server of this design");
            }
    }
    std::map<Id, std::size_t> linkedInterfaces;
    for (std::size_t i = 0; i < t.links.size(); ++i) {
        const Link& link = t.links[i];
        const std::string lp = childPointer(linksPtr, i);
        bool ok = true;
        for (const auto& [end, key] : {std::pair{link.a, "a"}, std::pair{link.b, "b"}}) {
            const std::string ep = childPointer(lp, key);
            if (end.node == kNoId) {
                ok = false;
                continue;
            }
            const Node* node = t.findNode(end.node);
            if (!node) {
                r.error(childPointer(ep, "node"), "link " + std::to_string(link.id) + ": end "
                            + key + " names node " + std::to_string(end.node) + ", which does not exist");
                ok = false;
                continue;
            }
            if (node->kind == NodeKind::Segment) {
                if (end.interfaceId != kNoId)
                    r.error(childPointer(ep, "interface"), "link " + std::to_string(link.id) + ": "
                                + node->name + " is a segment; its ends name no interface", true);
                continue;
            }
            if (end.interfaceId == kNoId) {
                r.error(ep, "link " + std::to_string(link.id) + ": end " + key + " must name an interface of "
                                + node->name);
                ok = false;
                continue;
            }
            bool mine = std::any_of(node->interfaces.begin(), node->interfaces.end(),
                                    [&](const Interface& x) { return x.id == end.interfaceId; });
            if (!mine) {
                r.error(childPointer(ep, "interface"), "link " + std::to_string(link.id) + ": end " + key
                            + " names interface " + std::to_string(end.interfaceId) + ", which "
                            + node->name + " does not have");
                ok = false;
                continue;
            }
            auto [it, fresh] = linkedInterfaces.emplace(end.interfaceId, i);
            if (!fresh)
                r.error(childPointer(ep, "interface"), "interface " + std::to_string(end.interfaceId)
                            + " of " + node->name + " is already linked by link "
                            + std::to_string(t.links[it->second].id));
        }
        if (ok && link.a.node == link.b.node)
            r.error(lp, "link " + std::to_string(link.id) + " joins " + t.findNode(link.a.node)->name
                            + " to itself");
        else if (ok && link.a.interfaceId == kNoId && link.b.interfaceId == kNoId)
            r.error(lp, "link " + std::to_string(link.id) + " joins two segments; merge them into one");
    }
}

// Older documents are brought up to the current version one step at a time. Version 1 is the
// first published format, so the chain is empty; each later version adds its step here.
using Migration = std::function<void(Json&)>;
const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> steps; // steps[k] migrates version k+1 to k+2
    return steps;
}

LoadResult readDocument(std::string_view text, const std::string& file, PositionedJson& doc)
{
    Reader r(text, file, doc);
    Json& root = doc.value;
    Topology t;
    if (!r.object(root, "", "an .lvslab document",
                  {"format", "version", "name", "description", "next_id", "nodes", "links"}))
        return std::unexpected(r.errors);
    const Json* format = r.member(root, "", "format", "an .lvslab document", true);
    if (format && (!format->is_string() || format->get<std::string>() != "lvslab")) {
        r.error("/format", "this is not an LVS Lab file: \"format\" must be \"lvslab\"");
        return std::unexpected(r.errors);
    }
    const Json* version = r.member(root, "", "version", "an .lvslab document", true);
    if (!format || !version)
        return std::unexpected(r.errors);
    auto v = r.integer(*version, "/version", "version", std::numeric_limits<int>::min(),
                       std::numeric_limits<int>::max());
    if (!v)
        return std::unexpected(r.errors);
    if (*v > kLvslabVersion) {
        r.error("/version", "format version " + std::to_string(*v)
                                + " was written by a newer LVS Lab; this one reads versions 1 to "
                                + std::to_string(kLvslabVersion) + ": update LVS Lab to open it");
        return std::unexpected(r.errors);
    }
    if (*v < 1) {
        r.error("/version", "unknown format version " + std::to_string(*v) + ": versions start at 1");
        return std::unexpected(r.errors);
    }
    for (std::int64_t from = *v; from < kLvslabVersion; ++from)
        migrations()[static_cast<std::size_t>(from - 1)](root);

    if (const Json* e = r.member(root, "", "name", "an .lvslab document", false))
        t.name = r.string(*e, "/name", "name").value_or("");
    if (const Json* e = r.member(root, "", "description", "an .lvslab document", false))
        t.description = r.string(*e, "/description", "description").value_or("");
    if (const Json* e = r.member(root, "", "nodes", "an .lvslab document", true))
        r.array(*e, "/nodes", "nodes",
                [&](const Json& n, const std::string& p) { t.nodes.push_back(readNode(r, n, p)); });
    if (const Json* e = r.member(root, "", "links", "an .lvslab document", false))
        r.array(*e, "/links", "links", [&](const Json& l, const std::string& p) {
            Link link;
            if (!r.object(l, p, "a link", {"id", "a", "b"}))
                return;
            link.id = r.id(l, p, "a link").value_or(kNoId);
            if (const Json* a = r.member(l, p, "a", "a link", true))
                link.a = readEndpoint(r, *a, childPointer(p, "a"));
            if (const Json* b = r.member(l, p, "b", "a link", true))
                link.b = readEndpoint(r, *b, childPointer(p, "b"));
            t.links.push_back(link);
        });
    t.nextId = r.maxId() + 1;
    if (const Json* e = r.member(root, "", "next_id", "an .lvslab document", false)) {
        if (auto n = r.integer(*e, "/next_id", "next_id", 1, std::numeric_limits<std::uint32_t>::max())) {
            if (static_cast<Id>(*n) < t.nextId)
                r.error("/next_id", "next_id " + std::to_string(*n) + " is not above the largest id "
                                        + std::to_string(r.maxId()) + "; ids would be reused");
            else
                t.nextId = static_cast<Id>(*n);
        }
    }
    if (r.errors.empty())
        checkReferences(r, t, "/links", "/nodes");
    if (!r.errors.empty())
        return std::unexpected(r.errors);
    return t;
}

// ---------------------------------------------------------------------------------------------
// Writing

Json writeCheck(const HealthCheck& c)
{
    Json j = Json::object();
    j["type"] = toString(c.kind);
    j["delay_loop"] = c.delayLoop;
    j["connect_timeout"] = c.connectTimeout;
    j["retry"] = c.retry;
    j["delay_before_retry"] = c.delayBeforeRetry;
    if (c.connectPort)
        j["connect_port"] = *c.connectPort;
    if (c.kind == CheckKind::HttpGet) {
        Json url = Json::object();
        url["path"] = c.urlPath;
        url["status_code"] = c.statusCode;
        if (!c.digest.empty())
            url["digest"] = c.digest;
        j["url"] = url;
    }
    if (c.alpha)
        j["alpha"] = true;
    if (c.inhibitOnFailure)
        j["inhibit_on_failure"] = true;
    return j;
}

Json writeService(const VirtualService& s)
{
    Json j = Json::object();
    j["id"] = s.id;
    if (s.fwmark) {
        j["fwmark"] = s.fwmark;
    } else {
        j["protocol"] = toString(s.protocol);
        j["address"] = s.address.toString();
        j["port"] = s.port;
    }
    j["scheduler"] = s.scheduler;
    if (!s.schedFlags.empty())
        j["flags"] = s.schedFlags;
    if (s.persistence)
        j["persistence"] = *s.persistence;
    if (s.persistenceNetmask.value != 0xffffffffu)
        j["netmask"] = s.persistenceNetmask.toString();
    if (s.check.kind != CheckKind::None)
        j["check"] = writeCheck(s.check);
    if (s.sorryServer)
        j["sorry_server"] = s.sorryServer->first.toString() + ":" + std::to_string(s.sorryServer->second);
    Json dests = Json::array();
    for (const Destination& d : s.destinations) {
        Json dj = Json::object();
        dj["id"] = d.id;
        if (d.realServer != kNoId)
            dj["real_server"] = d.realServer;
        dj["address"] = d.address.toString();
        dj["port"] = d.port;
        dj["forward"] = toString(d.method);
        dj["weight"] = d.weight;
        if (d.upperThreshold)
            dj["upper"] = d.upperThreshold;
        if (d.lowerThreshold)
            dj["lower"] = d.lowerThreshold;
        dests.push_back(dj);
    }
    j["destinations"] = dests;
    return j;
}

Json writeNode(const Node& n)
{
    Json j = Json::object();
    j["id"] = n.id;
    j["kind"] = toString(n.kind);
    j["name"] = n.name;
    j["position"] = Json::array({n.position.x, n.position.y});
    if (n.kind != NodeKind::Segment) {
        Json ifaces = Json::array();
        for (const Interface& i : n.interfaces) {
            Json ij = Json::object();
            ij["id"] = i.id;
            ij["name"] = i.name;
            Json addrs = Json::array();
            for (const Ipv4Prefix& p : i.addresses)
                addrs.push_back(p.toString());
            ij["addresses"] = addrs;
            if (i.mac)
                ij["mac"] = i.mac->toString();
            ifaces.push_back(ij);
        }
        j["interfaces"] = ifaces;
    }
    if (n.defaultGateway)
        j["gateway"] = n.defaultGateway->toString();
    if (!n.routes.empty()) {
        Json routes = Json::array();
        for (const Route& r : n.routes)
            routes.push_back(Json{{"to", r.destination.toString()}, {"via", r.via.toString()}});
        j["routes"] = routes;
    }
    if (!n.sysctls.empty()) {
        Json s = Json::object();
        for (const auto& [k, v] : n.sysctls)
            s[k] = v;
        j["sysctl"] = s;
    }
    if (!n.vips.empty()) {
        Json vips = Json::array();
        for (const VipBinding& v : n.vips) {
            Json vj = Json::object();
            vj["address"] = v.address.toString();
            vj["on"] = toString(v.device);
            if (v.device == VipDevice::Interface)
                vj["interface"] = v.interfaceId;
            vips.push_back(vj);
        }
        j["vips"] = vips;
    }
    if (n.kind == NodeKind::Director) {
        Json services = Json::array();
        for (const VirtualService& s : n.services)
            services.push_back(writeService(s));
        j["services"] = services;
        if (!n.fwmarkRules.empty()) {
            Json rules = Json::array();
            for (const FwmarkRule& r : n.fwmarkRules) {
                Json rj = Json::object();
                rj["id"] = r.id;
                rj["destination"] = r.destination.toString();
                rj["protocol"] = toString(r.protocol);
                rj["dports"] = r.ports;
                rj["mark"] = r.mark;
                rules.push_back(rj);
            }
            j["fwmark_rules"] = rules;
        }
        if (!n.localAddresses.empty()) {
            Json la = Json::array();
            for (Ipv4 a : n.localAddresses)
                la.push_back(a.toString());
            j["local_addresses"] = la;
        }
        if (!n.vrrp.empty()) {
            Json vrrp = Json::array();
            for (const VrrpInstance& v : n.vrrp) {
                Json vj = Json::object();
                vj["id"] = v.id;
                vj["name"] = v.name;
                vj["state"] = toString(v.state);
                vj["interface"] = v.interfaceId;
                vj["virtual_router_id"] = v.virtualRouterId;
                vj["priority"] = v.priority;
                vj["advert_int"] = v.advertInt;
                if (v.nopreempt)
                    vj["nopreempt"] = true;
                if (!v.authPass.empty())
                    vj["auth_pass"] = v.authPass;
                if (!v.syncGroup.empty())
                    vj["sync_group"] = v.syncGroup;
                Json addrs = Json::array();
                for (const Ipv4Prefix& p : v.virtualAddresses)
                    addrs.push_back(p.toString());
                vj["virtual_ipaddress"] = addrs;
                vrrp.push_back(vj);
            }
            j["vrrp"] = vrrp;
        }
    }
    if (n.kind == NodeKind::RealServer && !n.apps.empty()) {
        Json apps = Json::array();
        for (const AppService& a : n.apps) {
            Json aj = Json::object();
            aj["type"] = toString(a.kind);
            aj["port"] = a.port;
            if (a.kind == AppKind::Command)
                aj["command"] = a.command;
            apps.push_back(aj);
        }
        j["apps"] = apps;
    }
    return j;
}

// Nesting depth: 0 for a scalar, 1 for a container of scalars, and so on.
int depthOf(const Json& v)
{
    if (!v.is_structured())
        return 0;
    int deepest = 0;
    for (const auto& e : v)
        deepest = std::max(deepest, depthOf(e));
    return deepest + 1;
}

std::string scalarText(const Json& v)
{
    return v.dump(-1, ' ', false, Json::error_handler_t::strict);
}

std::string inlineText(const Json& v)
{
    if (!v.is_structured())
        return scalarText(v);
    std::string out = v.is_object() ? "{" : "[";
    bool first = true;
    if (v.is_object()) {
        for (const auto& [k, e] : v.items()) {
            out += (first ? "" : ", ") + scalarText(Json(k)) + ": " + inlineText(e);
            first = false;
        }
    } else {
        for (const auto& e : v) {
            out += (first ? "" : ", ") + inlineText(e);
            first = false;
        }
    }
    return out + (v.is_object() ? "}" : "]");
}

// Pretty printing that reads well and diffs well: one member per line, except small
// containers (at most two levels deep) that fit on one line ("position": [40, 200]).
void writePretty(const Json& v, int indent, int column, std::string& out)
{
    // Small things stay on one line: an interface, a destination, a position.
    constexpr int kWidth = 120;
    if (depthOf(v) <= 2) {
        std::string flat = inlineText(v);
        if (!v.is_structured() || v.empty() || column + static_cast<int>(flat.size()) <= kWidth) {
            out += flat;
            return;
        }
    }
    if (v.empty()) {
        out += v.is_object() ? "{}" : "[]";
        return;
    }
    const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
    out += v.is_object() ? "{\n" : "[\n";
    bool first = true;
    if (v.is_object()) {
        for (const auto& [k, e] : v.items()) {
            if (!first)
                out += ",\n";
            first = false;
            std::string key = scalarText(Json(k)) + ": ";
            out += pad + key;
            writePretty(e, indent + 2, indent + 2 + static_cast<int>(key.size()), out);
        }
    } else {
        for (const auto& e : v) {
            if (!first)
                out += ",\n";
            first = false;
            out += pad;
            writePretty(e, indent + 2, indent + 2, out);
        }
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + (v.is_object() ? "}" : "]");
}

} // namespace

LoadResult parseLvslab(std::string_view text, std::string_view fileName)
{
    std::string file(fileName);
    auto parsed = parseJsonWithPositions(text);
    if (auto* syntax = std::get_if<JsonSyntaxError>(&parsed))
        return std::unexpected(std::vector<LoadError>{
            LoadError{file, syntax->position.line, syntax->position.column, syntax->reason}});
    return readDocument(text, file, std::get<PositionedJson>(parsed));
}

LoadResult loadLvslab(const std::string& path)
{
    auto text = readFile(path);
    if (!text)
        return std::unexpected(std::vector<LoadError>{LoadError{path, 0, 0, text.error().message}});
    return parseLvslab(*text, path);
}

std::string serializeLvslab(const Topology& t)
{
    Json root = Json::object();
    root["format"] = "lvslab";
    root["version"] = kLvslabVersion;
    root["name"] = t.name;
    if (!t.description.empty())
        root["description"] = t.description;
    root["next_id"] = t.nextId;
    Json nodes = Json::array();
    for (const Node& n : t.nodes)
        nodes.push_back(writeNode(n));
    root["nodes"] = nodes;
    Json links = Json::array();
    for (const Link& l : t.links) {
        Json lj = Json::object();
        lj["id"] = l.id;
        for (const auto& [end, key] : {std::pair{l.a, "a"}, std::pair{l.b, "b"}}) {
            Json ej = Json::object();
            ej["node"] = end.node;
            if (end.interfaceId != kNoId)
                ej["interface"] = end.interfaceId;
            lj[key] = ej;
        }
        links.push_back(lj);
    }
    root["links"] = links;
    std::string out;
    writePretty(root, 0, 0, out);
    out += "\n";
    return out;
}

Result<void> saveLvslab(const Topology& topology, const std::string& path)
{
    return writeFileAtomically(path, serializeLvslab(topology));
}

} // namespace lvs::core
