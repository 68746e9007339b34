// keepalived.conf import: a tokenizer and block parser for keepalived's configuration syntax,
// then the keywords LVS Lab models read back into a director's services and VRRP instances.
//
// The syntax is keepalived 2.2.7's (lib/parser.c read_line(), alloc_strvec_r()): words split on
// white space, '{' and '}' words of their own, '#' or '!' at the start of a word comments out
// the rest of the line, "double quotes" hold one word. Keywords are those of
// keepalived/core/global_parser.c, keepalived/vrrp/vrrp_parser.c,
// keepalived/check/check_parser.c, check_http.c, check_tcp.c and check_ping.c, plus DPVS's
// full-NAT ones (lb_kind FNAT, local_address_group, laddr_group_name; docs/ipvsadm-dialect.md).
#include "core/import/keepalived.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

namespace lvs::core::import {

namespace {

struct Token {
    std::string text;
    int line = 0;
    int column = 0;
};

// One keyword line with its arguments and, if it opens one, its block.
struct Stmt {
    std::vector<Token> words; // words[0] is the keyword
    std::vector<Stmt> children;
    bool hasBlock = false;
    const Token& key() const { return words.front(); }
};

class Reader {
public:
    Reader(std::string_view fileName) : m_file(fileName) {}

    std::string at(const Token& t) const
    {
        return m_file + ":" + std::to_string(t.line) + ":" + std::to_string(t.column) + ": ";
    }
    std::unexpected<Error> error(const Token& t, const std::string& reason) const
    {
        return fail(at(t) + reason);
    }
    void warn(const Token& t, const std::string& reason) { m_warnings.push_back(at(t) + reason); }
    std::vector<std::string>& warnings() { return m_warnings; }

    // The whole text as a list of top-level statements.
    Result<std::vector<Stmt>> parse(std::string_view text)
    {
        std::vector<Stmt> root;
        std::vector<Stmt*> open; // the statements whose blocks are open, innermost last
        std::vector<Stmt>* parent = &root;
        Stmt current;
        auto finish = [&]() {
            if (!current.words.empty())
                parent->push_back(std::move(current));
            current = Stmt{};
        };
        int lineNo = 1;
        std::size_t i = 0;
        std::size_t lineStart = 0;
        while (i <= text.size()) {
            if (i == text.size() || text[i] == '\n') {
                finish();
                if (i == text.size())
                    break;
                ++i;
                ++lineNo;
                lineStart = i;
                continue;
            }
            const char c = text[i];
            const int column = static_cast<int>(i - lineStart) + 1;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                ++i;
                continue;
            }
            if (c == '#' || c == '!') {
                while (i < text.size() && text[i] != '\n')
                    ++i;
                continue;
            }
            Token tok{{}, lineNo, column};
            if (c == '{') {
                ++i;
                Stmt* opener = nullptr;
                if (!current.words.empty()) {
                    parent->push_back(std::move(current));
                    current = Stmt{};
                    opener = &parent->back();
                } else if (!parent->empty() && !parent->back().hasBlock) {
                    opener = &parent->back(); // "virtual_server 10.0.0.1 80" then "{" below
                } else {
                    return error(tok, "'{' with no keyword before it");
                }
                opener->hasBlock = true;
                open.push_back(opener);
                parent = &opener->children;
                continue;
            }
            if (c == '}') {
                ++i;
                finish();
                if (open.empty())
                    return error(tok, "'}' without a matching '{'");
                open.pop_back();
                parent = open.empty() ? &root : &open.back()->children;
                continue;
            }
            if (c == '"') {
                std::size_t j = i + 1;
                while (j < text.size() && text[j] != '"' && text[j] != '\n')
                    ++j;
                if (j >= text.size() || text[j] != '"')
                    return error(tok, "unterminated quoted word");
                tok.text = std::string(text.substr(i + 1, j - i - 1));
                i = j + 1;
            } else {
                std::size_t j = i;
                while (j < text.size() && std::string_view(" \t\r\f\v\n{}").find(text[j]) == std::string_view::npos)
                    ++j;
                tok.text = std::string(text.substr(i, j - i));
                i = j;
            }
            if (current.words.empty() && tok.text == "include")
                return error(tok, "include is not supported: put the included file's text in its place");
            current.words.push_back(std::move(tok));
        }
        if (!open.empty())
            return error(open.back()->key(), "'" + open.back()->key().text + "' opens a block that is never closed");
        return root;
    }

private:
    std::string m_file;
    std::vector<std::string> m_warnings;
};

// The interpretation of the statements into an ImportedDirector.
class Builder {
public:
    explicit Builder(Reader& reader) : r(reader) {}

    Result<ImportedDirector> build(const std::vector<Stmt>& root)
    {
        for (const Stmt& s : root) {
            const std::string& k = s.key().text;
            Result<void> ok;
            if (k == "global_defs")
                ok = globalDefs(s);
            else if (k == "vrrp_sync_group")
                ok = syncGroup(s);
            else if (k == "vrrp_instance")
                ok = vrrpInstance(s);
            else if (k == "virtual_server")
                ok = virtualServer(s);
            else if (k == "local_address_group")
                ok = laddrGroup(s);
            else
                ignored(s, "at the top level");
            if (!ok)
                return std::unexpected(ok.error());
        }
        for (std::size_t i = 0; i < d.vrrp.size(); ++i) {
            auto g = m_syncGroupOf.find(d.vrrp[i].name);
            if (g != m_syncGroupOf.end())
                d.vrrp[i].syncGroup = g->second;
        }
        for (const std::string& name : m_laddrGroupsUsed) {
            auto g = m_laddrGroups.find(name);
            if (g == m_laddrGroups.end())
                continue;
            for (Ipv4 a : g->second)
                if (std::find(d.localAddresses.begin(), d.localAddresses.end(), a) == d.localAddresses.end())
                    d.localAddresses.push_back(a);
        }
        return d;
    }

private:
    Reader& r;
    ImportedDirector d;
    std::map<std::string, std::string> m_syncGroupOf;
    std::map<std::string, std::vector<Ipv4>> m_laddrGroups;
    std::vector<std::string> m_laddrGroupsUsed;

    void ignored(const Stmt& s, const std::string& where)
    {
        r.warn(s.key(), "keyword '" + s.key().text + "' " + where + " is not read (ignored)");
    }

    Result<const Token*> arg(const Stmt& s, std::size_t index, const std::string& what)
    {
        if (s.words.size() <= index)
            return r.error(s.key(), "'" + s.key().text + "' needs " + what);
        return &s.words[index];
    }

    Result<std::int64_t> number(const Stmt& s, std::size_t index, std::int64_t lo, std::int64_t hi)
    {
        const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
        auto t = arg(s, index, "a number " + range);
        if (!t)
            return std::unexpected(t.error());
        const std::string& text = (*t)->text;
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
            return r.error(**t, "'" + s.key().text + "' needs a whole number " + range + ", not '" + text + "'");
        return v;
    }

    Result<Ipv4> address(const Stmt& s, std::size_t index)
    {
        auto t = arg(s, index, "an IPv4 address");
        if (!t)
            return std::unexpected(t.error());
        auto a = Ipv4::parse((*t)->text);
        if (!a)
            return r.error(**t, "'" + (*t)->text + "' is not an IPv4 address (LVS Lab models IPv4 only)");
        return *a;
    }

    Result<void> blockRequired(const Stmt& s)
    {
        if (!s.hasBlock)
            return r.error(s.key(), "'" + s.key().text + "' needs a block in braces");
        return {};
    }

    Result<void> globalDefs(const Stmt& s)
    {
        for (const Stmt& c : s.children) {
            if (c.key().text == "router_id") {
                auto t = arg(c, 1, "a name");
                if (!t)
                    return std::unexpected(t.error());
                d.name = (*t)->text;
            } else {
                ignored(c, "in global_defs");
            }
        }
        return {};
    }

    Result<void> syncGroup(const Stmt& s)
    {
        auto name = arg(s, 1, "a group name");
        if (!name)
            return std::unexpected(name.error());
        for (const Stmt& c : s.children) {
            if (c.key().text != "group") {
                ignored(c, "in vrrp_sync_group");
                continue;
            }
            for (const Stmt& member : c.children)
                for (const Token& t : member.words)
                    m_syncGroupOf[t.text] = (*name)->text;
        }
        return {};
    }

    Result<void> vrrpInstance(const Stmt& s)
    {
        auto name = arg(s, 1, "an instance name");
        if (!name)
            return std::unexpected(name.error());
        if (auto ok = blockRequired(s); !ok)
            return ok;
        VrrpInstance v;
        v.name = (*name)->text;
        std::string ifname;
        for (const Stmt& c : s.children) {
            const std::string& k = c.key().text;
            if (k == "state") {
                auto t = arg(c, 1, "MASTER or BACKUP");
                if (!t)
                    return std::unexpected(t.error());
                if ((*t)->text == "MASTER")
                    v.state = VrrpState::Master;
                else if ((*t)->text == "BACKUP")
                    v.state = VrrpState::Backup;
                else
                    return r.error(**t, "state must be MASTER or BACKUP, not '" + (*t)->text + "'");
            } else if (k == "interface") {
                auto t = arg(c, 1, "an interface name");
                if (!t)
                    return std::unexpected(t.error());
                ifname = (*t)->text;
            } else if (k == "virtual_router_id") {
                auto n = number(c, 1, 1, 255);
                if (!n)
                    return std::unexpected(n.error());
                v.virtualRouterId = static_cast<int>(*n);
            } else if (k == "priority") {
                auto n = number(c, 1, 1, 255);
                if (!n)
                    return std::unexpected(n.error());
                v.priority = static_cast<int>(*n);
            } else if (k == "advert_int") {
                auto n = number(c, 1, 1, 255);
                if (!n)
                    return std::unexpected(n.error());
                v.advertInt = static_cast<int>(*n);
            } else if (k == "nopreempt") {
                v.nopreempt = true;
            } else if (k == "authentication") {
                for (const Stmt& a : c.children) {
                    if (a.key().text == "auth_pass") {
                        auto t = arg(a, 1, "a password");
                        if (!t)
                            return std::unexpected(t.error());
                        v.authPass = (*t)->text;
                    } else if (a.key().text == "auth_type") {
                        auto t = arg(a, 1, "PASS or AH");
                        if (!t)
                            return std::unexpected(t.error());
                        if ((*t)->text != "PASS")
                            r.warn(**t, "auth_type " + (*t)->text + " is read as PASS");
                    } else {
                        ignored(a, "in authentication");
                    }
                }
            } else if (k == "virtual_ipaddress") {
                // vrrp_parser.c vrrp_vip_handler(): "ADDR[/LEN] [dev IF] [label ...] ..." a line.
                for (const Stmt& a : c.children) {
                    auto p = Ipv4Prefix::parse(a.key().text, true);
                    if (!p)
                        return r.error(a.key(), "'" + a.key().text + "' is not an IPv4 address or prefix");
                    v.virtualAddresses.push_back(*p);
                    if (a.words.size() > 1 && !(a.words.size() == 3 && a.words[1].text == "dev"))
                        r.warn(a.words[1], "virtual_ipaddress options after the address are not read (ignored)");
                }
            } else {
                ignored(c, "in vrrp_instance");
            }
        }
        if (ifname.empty())
            return r.error(s.key(), "vrrp_instance " + v.name + " has no interface");
        d.vrrp.push_back(std::move(v));
        d.vrrpInterfaceNames.push_back(std::move(ifname));
        return {};
    }

    Result<ForwardMethod> method(const Stmt& c)
    {
        auto t = arg(c, 1, "NAT, DR, TUN or FNAT");
        if (!t)
            return std::unexpected(t.error());
        const std::string& m = (*t)->text;
        if (m == "NAT")
            return ForwardMethod::Masq;
        if (m == "DR")
            return ForwardMethod::Route;
        if (m == "TUN")
            return ForwardMethod::Tunnel;
        if (m == "FNAT")
            return ForwardMethod::FullNat;
        return r.error(**t, "'" + c.key().text + "' must be NAT, DR, TUN or FNAT, not '" + m + "'");
    }

    struct Checker {
        HealthCheck check;
        const Token* at = nullptr;
    };

    Result<void> checker(const Stmt& s, CheckKind kind, Checker& out)
    {
        HealthCheck& h = out.check;
        h.kind = kind;
        out.at = &s.key();
        bool haveUrl = false;
        for (const Stmt& c : s.children) {
            const std::string& k = c.key().text;
            auto setInt = [&](int& field, std::int64_t lo, std::int64_t hi) -> Result<void> {
                auto n = number(c, 1, lo, hi);
                if (!n)
                    return std::unexpected(n.error());
                field = static_cast<int>(*n);
                return {};
            };
            Result<void> ok;
            if (k == "connect_timeout")
                ok = setInt(h.connectTimeout, 0, 86400);
            else if (k == "retry" || k == "nb_get_retry")
                ok = setInt(h.retry, 0, 1000000);
            else if (k == "delay_before_retry")
                ok = setInt(h.delayBeforeRetry, 0, 86400);
            else if (k == "connect_port") {
                auto n = number(c, 1, 0, 65535);
                if (!n)
                    return std::unexpected(n.error());
                h.connectPort = static_cast<std::uint16_t>(*n);
            } else if (k == "url" && kind == CheckKind::HttpGet) {
                if (haveUrl) {
                    r.warn(c.key(), "only the first url of a checker is read (ignored)");
                    continue;
                }
                haveUrl = true;
                for (const Stmt& u : c.children) {
                    if (u.key().text == "path") {
                        auto t = arg(u, 1, "a path");
                        if (!t)
                            return std::unexpected(t.error());
                        h.urlPath = (*t)->text;
                    } else if (u.key().text == "status_code") {
                        auto n = number(u, 1, 100, 999);
                        if (!n)
                            return std::unexpected(n.error());
                        h.statusCode = static_cast<int>(*n);
                    } else if (u.key().text == "digest") {
                        auto t = arg(u, 1, "an MD5 sum");
                        if (!t)
                            return std::unexpected(t.error());
                        h.digest = (*t)->text;
                    } else {
                        ignored(u, "in url");
                    }
                }
            } else {
                ignored(c, "in " + s.key().text);
            }
            if (!ok)
                return ok;
        }
        return {};
    }

    Result<void> virtualServer(const Stmt& s)
    {
        VirtualService v;
        auto first = arg(s, 1, "an address and port, 'fwmark N' or 'group NAME'");
        if (!first)
            return std::unexpected(first.error());
        if ((*first)->text == "group") {
            r.warn(s.key(), "virtual_server group is not read (ignored): write one virtual_server per address");
            return {};
        }
        if ((*first)->text == "fwmark") {
            auto n = number(s, 2, 1, 0xffffffffLL);
            if (!n)
                return std::unexpected(n.error());
            v.fwmark = static_cast<std::uint32_t>(*n);
        } else {
            auto a = address(s, 1);
            if (!a)
                return std::unexpected(a.error());
            v.address = *a;
            auto p = number(s, 2, 0, 65535);
            if (!p)
                return std::unexpected(p.error());
            v.port = static_cast<std::uint16_t>(*p);
        }
        if (auto ok = blockRequired(s); !ok)
            return ok;

        // keepalived's default forwarding method (check_data.c: "setting default NAT").
        ForwardMethod kind = ForwardMethod::Masq;
        std::vector<std::optional<ForwardMethod>> rsMethods;
        std::optional<Checker> serviceCheck;
        bool alpha = false;
        bool inhibit = false;
        int delayLoop = v.check.delayLoop;
        for (const Stmt& c : s.children) {
            const std::string& k = c.key().text;
            if (k == "delay_loop") {
                auto n = number(c, 1, 1, 86400);
                if (!n)
                    return std::unexpected(n.error());
                delayLoop = static_cast<int>(*n);
            } else if (k == "lb_algo" || k == "lvs_sched") {
                auto t = arg(c, 1, "a scheduler");
                if (!t)
                    return std::unexpected(t.error());
                v.scheduler = (*t)->text;
                if (!isKnownScheduler(v.scheduler))
                    r.warn(**t, "scheduler '" + v.scheduler + "' is not one IPVS knows");
            } else if (k == "sh-port" || k == "sh-fallback" || k == "mh-port" || k == "mh-fallback") {
                v.schedFlags.push_back(k);
            } else if (k == "lb_kind" || k == "lvs_method") {
                auto m = method(c);
                if (!m)
                    return std::unexpected(m.error());
                kind = *m;
            } else if (k == "persistence_timeout") {
                if (c.words.size() < 2) {
                    v.persistence = kDefaultPersistence; // pto_handler(): no value, the default
                } else {
                    auto n = number(c, 1, 1, 0xffffffffLL);
                    if (!n)
                        return std::unexpected(n.error());
                    v.persistence = static_cast<std::uint32_t>(*n);
                }
            } else if (k == "persistence_granularity") {
                auto m = address(c, 1);
                if (!m || !lengthFromNetmask(*m))
                    return r.error(c.words.size() > 1 ? c.words[1] : c.key(),
                                   "persistence_granularity needs a netmask such as 255.255.255.0");
                v.persistenceNetmask = *m;
                if (!v.persistence)
                    v.persistence = kDefaultPersistence; // pgr_handler() does the same
            } else if (k == "protocol") {
                auto t = arg(c, 1, "TCP, UDP or SCTP");
                if (!t)
                    return std::unexpected(t.error());
                std::string p = (*t)->text;
                std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
                auto proto = protocolFromString(p);
                if (!proto)
                    return r.error(**t, "protocol must be TCP, UDP or SCTP, not '" + (*t)->text + "'");
                v.protocol = *proto;
            } else if (k == "alpha") {
                alpha = true;
            } else if (k == "inhibit_on_failure") {
                inhibit = true;
            } else if (k == "sorry_server") {
                auto a = address(c, 1);
                if (!a)
                    return std::unexpected(a.error());
                auto p = number(c, 2, 0, 65535);
                if (!p)
                    return std::unexpected(p.error());
                v.sorryServer = std::pair{*a, static_cast<std::uint16_t>(*p)};
            } else if (k == "laddr_group_name") {
                auto t = arg(c, 1, "a local_address_group name");
                if (!t)
                    return std::unexpected(t.error());
                if (!m_laddrGroups.contains((*t)->text))
                    r.warn(**t, "local_address_group " + (*t)->text + " is not defined before this service");
                m_laddrGroupsUsed.push_back((*t)->text);
            } else if (k == "real_server") {
                Destination dest;
                auto a = address(c, 1);
                if (!a)
                    return std::unexpected(a.error());
                dest.address = *a;
                if (c.words.size() > 2) {
                    auto p = number(c, 2, 0, 65535);
                    if (!p)
                        return std::unexpected(p.error());
                    dest.port = static_cast<std::uint16_t>(*p);
                }
                std::optional<ForwardMethod> own;
                for (const Stmt& rc : c.children) {
                    const std::string& rk = rc.key().text;
                    if (rk == "weight") {
                        auto n = number(rc, 1, 0, kMaxWeight);
                        if (!n)
                            return std::unexpected(n.error());
                        dest.weight = *n;
                    } else if (rk == "lvs_method") {
                        auto m = method(rc);
                        if (!m)
                            return std::unexpected(m.error());
                        own = *m;
                    } else if (rk == "uthreshold" || rk == "lthreshold") {
                        auto n = number(rc, 1, 0, 0xffffffffLL);
                        if (!n)
                            return std::unexpected(n.error());
                        (rk == "uthreshold" ? dest.upperThreshold : dest.lowerThreshold) = static_cast<std::uint32_t>(*n);
                    } else if (rk == "inhibit_on_failure") {
                        inhibit = true;
                    } else if (rk == "alpha") {
                        alpha = true;
                    } else if (rk == "HTTP_GET" || rk == "SSL_GET" || rk == "TCP_CHECK" || rk == "PING_CHECK") {
                        const CheckKind ck = rk == "TCP_CHECK" ? CheckKind::TcpCheck
                            : rk == "PING_CHECK"               ? CheckKind::Ping
                                                               : CheckKind::HttpGet;
                        if (rk == "SSL_GET")
                            r.warn(rc.key(), "SSL_GET is read as HTTP_GET");
                        Checker ch;
                        if (auto ok = checker(rc, ck, ch); !ok)
                            return ok;
                        if (!serviceCheck)
                            serviceCheck = ch;
                        else if (serviceCheck->check != ch.check)
                            r.warn(rc.key(), "this checker differs from the service's first one, which LVS Lab keeps for "
                                             "every real server (ignored)");
                    } else {
                        ignored(rc, "in real_server");
                    }
                }
                rsMethods.push_back(own);
                v.destinations.push_back(dest);
            } else {
                ignored(c, "in virtual_server");
            }
        }
        if (serviceCheck)
            v.check = serviceCheck->check;
        v.check.delayLoop = delayLoop;
        v.check.alpha = alpha;
        v.check.inhibitOnFailure = inhibit;
        for (std::size_t i = 0; i < v.destinations.size(); ++i)
            v.destinations[i].method = rsMethods[i].value_or(kind);
        d.services.push_back(std::move(v));
        return {};
    }

    Result<void> laddrGroup(const Stmt& s)
    {
        auto name = arg(s, 1, "a group name");
        if (!name)
            return std::unexpected(name.error());
        std::vector<Ipv4>& list = m_laddrGroups[(*name)->text];
        for (const Stmt& c : s.children) {
            auto a = Ipv4::parse(c.key().text);
            if (!a)
                return r.error(c.key(), "'" + c.key().text + "' is not an IPv4 local address (write one address a line)");
            list.push_back(*a);
        }
        return {};
    }
};

} // namespace

Result<KeepalivedImport> parseKeepalived(std::string_view text, std::string_view fileName)
{
    Reader reader(fileName);
    auto root = reader.parse(text);
    if (!root)
        return std::unexpected(root.error());
    Builder builder(reader);
    auto director = builder.build(*root);
    if (!director)
        return std::unexpected(director.error());
    return KeepalivedImport{std::move(*director), std::move(reader.warnings())};
}

Result<Topology> importKeepalived(std::string_view text, std::string_view fileName, std::vector<std::string>* warnings)
{
    auto parsed = parseKeepalived(text, fileName);
    if (!parsed)
        return std::unexpected(parsed.error());
    if (warnings)
        *warnings = parsed->warnings;
    return designFromImport({parsed->director});
}

} // namespace lvs::core::import
