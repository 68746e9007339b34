// /etc/services and /etc/hosts read as the files backends of getservbyname(3) and
// gethostbyname(3) read them: '#' starts a comment, fields are separated by blanks, the first
// entry for a name or number wins.
#include "emu/cli/system_names.h"

#include "core/io/atomic_file.h"

#include <map>
#include <memory>
#include <sstream>
#include <utility>

namespace lvs::emu {

namespace {

struct Tables {
    std::map<std::pair<std::string, int>, std::uint16_t> portByName; // (name, protocol)
    std::map<std::pair<std::uint16_t, int>, std::string> nameByPort;
    std::map<std::string, core::Ipv4> hostByName;
    std::map<std::uint32_t, std::string> nameByHost;
};

std::vector<std::string> fieldsOf(std::string line)
{
    if (auto hash = line.find('#'); hash != std::string::npos)
        line.resize(hash);
    std::istringstream in(line);
    std::vector<std::string> fields;
    for (std::string f; in >> f;)
        fields.push_back(f);
    return fields;
}

int protocolNumber(std::string_view name)
{
    return name == "tcp" ? 6 : name == "udp" ? 17 : name == "sctp" ? 132 : -1;
}

void readServices(Tables& t, const std::string& text)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto f = fieldsOf(line);
        if (f.size() < 2)
            continue;
        auto slash = f[1].find('/');
        if (slash == std::string::npos)
            continue;
        int proto = protocolNumber(f[1].substr(slash + 1));
        unsigned long port = 0;
        try {
            port = std::stoul(f[1].substr(0, slash));
        } catch (...) {
            continue;
        }
        if (proto < 0 || port > 65535)
            continue;
        auto p = static_cast<std::uint16_t>(port);
        t.nameByPort.emplace(std::pair{p, proto}, f[0]);
        for (std::size_t i = 0; i < f.size(); ++i)
            if (i != 1)
                t.portByName.emplace(std::pair{f[i], proto}, p);
    }
}

void readHosts(Tables& t, const std::string& text)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto f = fieldsOf(line);
        if (f.size() < 2)
            continue;
        auto address = core::Ipv4::parse(f[0]);
        if (!address)
            continue; // IPv6 lines: the lab's hosts are IPv4
        t.nameByHost.emplace(address->value, f[1]);
        for (std::size_t i = 1; i < f.size(); ++i)
            t.hostByName.emplace(f[i], *address);
    }
}

} // namespace

SystemNames systemNames(const std::string& servicesPath, const std::string& hostsPath)
{
    auto t = std::make_shared<Tables>();
    if (auto s = core::readFile(servicesPath))
        readServices(*t, *s);
    if (auto h = core::readFile(hostsPath))
        readHosts(*t, *h);
    SystemNames n;
    n.resolver.host = [t](std::string_view host) -> std::optional<core::Ipv4> {
        auto it = t->hostByName.find(std::string(host));
        return it == t->hostByName.end() ? std::nullopt : std::optional(it->second);
    };
    n.resolver.service = [t](std::string_view name, core::Protocol protocol) -> std::optional<std::uint16_t> {
        auto it = t->portByName.find({std::string(name), core::ipProtocolNumber(protocol)});
        return it == t->portByName.end() ? std::nullopt : std::optional(it->second);
    };
    n.names.host = [t](const core::ipvsadm::Address& a) -> std::optional<std::string> {
        if (a.ipv6)
            return std::nullopt;
        auto it = t->nameByHost.find(a.v4.value);
        return it == t->nameByHost.end() ? std::nullopt : std::optional(it->second);
    };
    n.names.service = [t](std::uint16_t port, int protocol) -> std::optional<std::string> {
        auto it = t->nameByPort.find({port, protocol});
        return it == t->nameByPort.end() ? std::nullopt : std::optional(it->second);
    };
    return n;
}

} // namespace lvs::emu
