// The traffic client: blocking sockets made inside a lab namespace, every wait bounded by poll.
#include "emu/lab/traffic.h"

#include "emu/lab/libnl_ops.h"
#include "emu/lab/services.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_set>
#include <utility>

namespace lvs::emu::lab {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxHead = 65536;
constexpr std::size_t kMaxBody = 1 << 20;
constexpr std::string_view kRequestText = "lvslab request "; // + the request's number: an echo request

std::string endpointText(core::Ipv4 address, std::uint16_t port) { return address.toString() + ":" + std::to_string(port); }

int millisecondsLeft(Clock::time_point deadline)
{
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

sockaddr_in socketAddress(core::Ipv4 address, std::uint16_t port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(address.value);
    return a;
}

// A socket made inside a namespace (it stays there after the thread leaves), bound and
// connected, with the bytes read past the last answer. Every read waits until a deadline at most.
class Connection {
public:
    Connection(Connection&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)), m_target(std::move(other.m_target)), m_timeout(other.m_timeout),
          m_pending(std::move(other.m_pending))
    {
    }
    Connection& operator=(Connection&&) = delete;
    ~Connection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    struct Options {
        std::optional<core::Ipv4> source;
        std::uint16_t sourcePort = 0;
    };

    static OpResult<Connection> open(const std::string& ns, int type, core::Ipv4 address, std::uint16_t port,
                                     std::chrono::milliseconds timeout, Clock::time_point deadline, const Options& options)
    {
        int fd = -1;
        {
            std::optional<NamespaceGuard> guard;
            if (!ns.empty() && !guard.emplace(ns).ok())
                return std::unexpected(guard->error());
            fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        }
        if (fd < 0)
            return std::unexpected(OpError{errno, std::string("socket: ") + std::strerror(errno)});
        Connection c(fd, endpointText(address, port), timeout);
        if (options.source || options.sourcePort) {
            int on = 1;
            if (options.sourcePort)
                (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            else if (type == SOCK_STREAM) // the port is picked at connect, per destination
                (void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
            sockaddr_in from = socketAddress(options.source.value_or(core::Ipv4{}), options.sourcePort);
            if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
                return c.failure(errno, "bind " + endpointText(options.source.value_or(core::Ipv4{}), options.sourcePort));
        }
        sockaddr_in to = socketAddress(address, port);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0)
            return c;
        if (errno != EINPROGRESS)
            return c.failure(errno);
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, millisecondsLeft(deadline)) <= 0)
            return c.timedOut();
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error)
            return c.failure(error);
        return c;
    }

    OpResult<> send(std::string_view text)
    {
        if (::send(m_fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size()))
            return failure(errno);
        return {};
    }

    // The data up to and including delimiter (at most max bytes).
    OpResult<std::string> readUntil(std::string_view delimiter, std::size_t max, Clock::time_point deadline)
    {
        for (std::size_t from = 0;;) {
            if (auto at = m_pending.find(delimiter, from); at != std::string::npos)
                return take(at + delimiter.size());
            if (m_pending.size() > max)
                return failure(EPROTO, m_target + ": an answer without \"" + printable(delimiter) + "\" in its first "
                                           + std::to_string(max) + " bytes");
            from = m_pending.size() >= delimiter.size() ? m_pending.size() - delimiter.size() + 1 : 0;
            auto more = fill(deadline);
            if (!more)
                return std::unexpected(more.error());
            if (!*more)
                return closedEarly();
        }
    }

    OpResult<std::string> readExactly(std::size_t n, Clock::time_point deadline)
    {
        while (m_pending.size() < n) {
            auto more = fill(deadline);
            if (!more)
                return std::unexpected(more.error());
            if (!*more)
                return closedEarly();
        }
        return take(n);
    }

    OpResult<std::string> readToEnd(std::size_t max, Clock::time_point deadline)
    {
        for (;;) {
            if (m_pending.size() > max)
                return failure(EPROTO, m_target + ": an answer longer than " + std::to_string(max) + " bytes");
            auto more = fill(deadline);
            if (!more)
                return std::unexpected(more.error());
            if (!*more)
                return take(m_pending.size());
        }
    }

    // The next datagram.
    OpResult<std::string> readDatagram(Clock::time_point deadline)
    {
        m_pending.clear();
        auto more = fill(deadline);
        if (!more)
            return std::unexpected(more.error());
        return take(m_pending.size());
    }

    const std::string& target() const { return m_target; }

private:
    Connection(int fd, std::string target, std::chrono::milliseconds timeout)
        : m_fd(fd), m_target(std::move(target)), m_timeout(timeout)
    {
    }

    // Reads what is there once it comes; false at the end of the stream.
    OpResult<bool> fill(Clock::time_point deadline)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (poll(&p, 1, millisecondsLeft(deadline)) <= 0)
            return timedOut();
        char buffer[65536];
        ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0)
            return failure(errno);
        m_pending.append(buffer, static_cast<std::size_t>(n));
        return n > 0;
    }

    std::string take(std::size_t n)
    {
        std::string out = m_pending.substr(0, n);
        m_pending.erase(0, n);
        return out;
    }

    static std::string printable(std::string_view text)
    {
        std::string out;
        for (char c : text)
            out += c == '\r' ? "\\r" : c == '\n' ? "\\n" : std::string(1, c);
        return out;
    }

    std::unexpected<OpError> failure(int code, std::string message = {}) const
    {
        return std::unexpected(OpError{code, message.empty() ? m_target + ": " + std::strerror(code) : message});
    }
    std::unexpected<OpError> timedOut() const
    {
        return failure(ETIMEDOUT, m_target + ": no answer within " + std::to_string(m_timeout.count()) + " ms");
    }
    std::unexpected<OpError> closedEarly() const
    {
        return failure(EPROTO, m_target + ": the connection closed before a complete answer");
    }

    int m_fd = -1;
    std::string m_target;
    std::chrono::milliseconds m_timeout;
    std::string m_pending;
};

struct HttpAnswer {
    std::string body;
    bool keepAlive = false;
    std::optional<std::string> peer; // kPeerHeader
};

OpResult<HttpAnswer> httpExchange(Connection& c, const std::string& request, Clock::time_point deadline)
{
    if (auto sent = c.send(request); !sent)
        return std::unexpected(sent.error());
    auto start = c.readExactly(5, deadline); // to tell a server that is not HTTP at once
    if (!start)
        return std::unexpected(start.error());
    if (*start != "HTTP/")
        return std::unexpected(OpError{EPROTO, c.target() + ": not an HTTP answer"});
    auto head = c.readUntil("\r\n\r\n", kMaxHead, deadline);
    if (!head)
        return std::unexpected(head.error());
    head->insert(0, *start);
    if (auto te = httpHeader(*head, "Transfer-Encoding"); te && te->find("chunked") != std::string::npos)
        return std::unexpected(OpError{EPROTO, c.target() + ": a chunked answer (not read by the lab's client)"});
    HttpAnswer answer{{}, httpKeepAlive(*head), httpHeader(*head, kPeerHeader)};
    auto length = httpHeader(*head, "Content-Length");
    OpResult<std::string> body;
    if (length) {
        std::size_t n = 0;
        try {
            n = std::stoul(*length);
        } catch (const std::exception&) {
            return std::unexpected(OpError{EPROTO, c.target() + ": a Content-Length of \"" + *length + "\""});
        }
        if (n > kMaxBody)
            return std::unexpected(OpError{EPROTO, c.target() + ": an answer longer than " + std::to_string(kMaxBody) + " bytes"});
        body = c.readExactly(n, deadline);
    } else {
        answer.keepAlive = false; // the end of the body is the end of the connection
        body = c.readToEnd(kMaxBody, deadline);
    }
    if (!body)
        return std::unexpected(body.error());
    answer.body = std::move(*body);
    return answer;
}

std::string httpRequest(core::Ipv4 address, std::uint16_t port, bool keepAlive)
{
    std::string host = port == 80 ? address.toString() : endpointText(address, port);
    return std::string("GET / ") + (keepAlive ? "HTTP/1.1" : "HTTP/1.0") + "\r\nHost: " + host
        + "\r\nUser-Agent: lvsctl-lab\r\n\r\n";
}

// The answer line to a line (text + '\n'), without its '\n'.
OpResult<std::string> lineExchange(Connection& c, const std::string& text, Clock::time_point deadline)
{
    if (auto sent = c.send(text + "\n"); !sent)
        return std::unexpected(sent.error());
    auto line = c.readUntil("\n", kMaxHead, deadline);
    if (!line)
        return line;
    line->pop_back();
    return line;
}

// The answer datagram to text. (A socket whose request timed out is not used again, so a late
// answer is never taken for the next one's.)
OpResult<std::string> datagramExchange(Connection& c, const std::string& text, Clock::time_point deadline)
{
    if (auto sent = c.send(text); !sent)
        return std::unexpected(sent.error());
    return c.readDatagram(deadline);
}

// One exchange on a new connection, all of it within timeout.
template <typename Exchange>
OpResult<std::string> singleRequest(const std::string& ns, int type, core::Ipv4 address, std::uint16_t port,
                                    std::chrono::milliseconds timeout, Exchange exchange)
{
    auto deadline = Clock::now() + timeout;
    auto c = Connection::open(ns, type, address, port, timeout, deadline, {});
    if (!c)
        return std::unexpected(c.error());
    return exchange(*c, deadline);
}

// One request of a traffic run: what answered, and as whom the server saw the client.
struct Answer {
    std::string server;
    std::optional<std::string> peer;
};

class TrafficRun {
public:
    explicit TrafficRun(const TrafficSpec& spec)
        : m_spec(spec), m_connections(std::max<std::size_t>(1, spec.sources.size())), m_opened(m_connections.size(), 0)
    {
    }

    OpResult<Answer> request(int i)
    {
        const std::size_t s = static_cast<std::size_t>(i) % m_connections.size();
        const auto deadline = Clock::now() + m_spec.timeout;
        std::optional<Connection>& c = m_connections[s];
        if (!c || !m_spec.keepAlive) {
            c.reset();
            auto made = Connection::open(m_spec.ns, m_spec.protocol == TrafficProtocol::Udp ? SOCK_DGRAM : SOCK_STREAM,
                                         m_spec.address, m_spec.port, m_spec.timeout, deadline, optionsFor(s));
            if (!made)
                return std::unexpected(made.error());
            c.emplace(std::move(*made));
        }
        auto answer = exchange(*c, i, deadline);
        if (!answer || !m_spec.keepAlive || !answer->second)
            c.reset();
        if (!answer)
            return std::unexpected(answer.error());
        return answer->first;
    }

private:
    Connection::Options optionsFor(std::size_t s)
    {
        Connection::Options o;
        if (!m_spec.sources.empty())
            o.source = m_spec.sources[s];
        if (m_spec.firstSourcePort) {
            const int range = 65536 - m_spec.firstSourcePort;
            o.sourcePort = static_cast<std::uint16_t>(m_spec.firstSourcePort + m_opened[s] % range);
        }
        ++m_opened[s];
        return o;
    }

    // The answer, and whether the connection may carry the next request.
    OpResult<std::pair<Answer, bool>> exchange(Connection& c, int i, Clock::time_point deadline)
    {
        const std::string text = std::string(kRequestText) + std::to_string(i + 1);
        switch (m_spec.protocol) {
        case TrafficProtocol::Http: {
            auto answer = httpExchange(c, httpRequest(m_spec.address, m_spec.port, m_spec.keepAlive), deadline);
            if (!answer)
                return std::unexpected(answer.error());
            return std::pair{Answer{serverNameOf(answer->body).value_or(std::string(kUnnamed)), answer->peer},
                             answer->keepAlive};
        }
        case TrafficProtocol::Tcp:
        case TrafficProtocol::Udp: {
            bool udp = m_spec.protocol == TrafficProtocol::Udp;
            auto answer = udp ? datagramExchange(c, text, deadline) : lineExchange(c, text, deadline);
            if (!answer)
                return std::unexpected(answer.error());
            return std::pair{Answer{echoServerNameOf(*answer, text).value_or(std::string(kUnnamed)), std::nullopt}, true};
        }
        }
        return std::unexpected(OpError{EINVAL, "unknown protocol"});
    }

    const TrafficSpec& m_spec;
    std::vector<std::optional<Connection>> m_connections; // one per source
    std::vector<int> m_opened;                            // connections made per source
};

} // namespace

std::string_view toString(TrafficProtocol protocol)
{
    switch (protocol) {
    case TrafficProtocol::Http:
        return "http";
    case TrafficProtocol::Tcp:
        return "tcp";
    case TrafficProtocol::Udp:
        return "udp";
    }
    return "?";
}

std::optional<TrafficProtocol> trafficProtocolFromString(std::string_view text)
{
    for (TrafficProtocol p : {TrafficProtocol::Http, TrafficProtocol::Tcp, TrafficProtocol::Udp})
        if (text == toString(p))
            return p;
    return std::nullopt;
}

OpResult<TrafficResult> runTraffic(const TrafficSpec& spec)
{
    if (spec.requests < 1 || spec.requests > kMaxRequests)
        return std::unexpected(OpError{EINVAL, "requests must be 1.." + std::to_string(kMaxRequests)});
    if (spec.port == 0 || spec.timeout.count() <= 0 || spec.maxTimeoutsInARow < 1)
        return std::unexpected(OpError{EINVAL, "a traffic run needs a port, a timeout and maxTimeoutsInARow >= 1"});
    if (!spec.ns.empty())
        if (NamespaceGuard guard(spec.ns); !guard.ok())
            return std::unexpected(guard.error());
    const auto start = Clock::now();
    TrafficResult result;
    std::unordered_set<std::string> endpoints;
    TrafficRun run(spec);
    int timeoutsInARow = 0;
    for (int i = 0; i < spec.requests; ++i) {
        if (timeoutsInARow >= spec.maxTimeoutsInARow) {
            result.notSent = spec.requests - i;
            break;
        }
        auto answer = run.request(i);
        if (!answer) {
            bool timedOut = answer.error().code == ETIMEDOUT;
            timeoutsInARow = timedOut ? timeoutsInARow + 1 : 0;
            if (timedOut)
                ++result.unanswered;
            else
                ++result.errors[answer.error().message];
            continue;
        }
        timeoutsInARow = 0;
        ++result.servers[answer->server];
        if (answer->peer) {
            ++result.seenFrom[answer->peer->substr(0, answer->peer->rfind(':'))];
            endpoints.insert(*answer->peer);
        }
    }
    result.seenEndpoints = static_cast<int>(endpoints.size());
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
}

OpResult<std::string> httpGet(const std::string& ns, core::Ipv4 address, std::uint16_t port,
                              std::chrono::milliseconds timeout)
{
    return singleRequest(ns, SOCK_STREAM, address, port, timeout, [&](Connection& c, Clock::time_point deadline) {
        auto answer = httpExchange(c, httpRequest(address, port, false), deadline);
        return answer ? OpResult<std::string>(std::move(answer->body)) : std::unexpected(answer.error());
    });
}

OpResult<std::string> tcpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout)
{
    return singleRequest(ns, SOCK_STREAM, address, port, timeout,
                         [&](Connection& c, Clock::time_point deadline) { return lineExchange(c, text, deadline); });
}

OpResult<std::string> udpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout)
{
    return singleRequest(ns, SOCK_DGRAM, address, port, timeout,
                         [&](Connection& c, Clock::time_point deadline) { return datagramExchange(c, text, deadline); });
}

std::string toText(const TrafficSpec& spec, const TrafficResult& result)
{
    std::string text;
    auto line = [&text](const std::string& what, int n) { text += "  " + what + ": " + std::to_string(n) + "\n"; };
    for (const auto& [who, n] : result.servers)
        line(who, n);
    if (result.unanswered)
        line("no answer within " + std::to_string(spec.timeout.count()) + " ms", result.unanswered);
    for (const auto& [error, n] : result.errors)
        line(error, n);
    if (result.notSent)
        line("not sent after " + std::to_string(spec.maxTimeoutsInARow) + " timeouts in a row", result.notSent);
    if (!result.seenFrom.empty()) {
        text += "  the servers saw the client as";
        for (const auto& [who, n] : result.seenFrom)
            text += " " + who + " (" + std::to_string(n) + ")";
        text += ", " + std::to_string(result.seenEndpoints) + " address:port pair(s)\n";
    }
    return text + "  in " + std::to_string(result.elapsed.count()) + " ms\n";
}

core::Result<std::vector<core::Ipv4Prefix>> freeSourceAddresses(const core::Topology& topology,
                                                                 const core::Ipv4Prefix& primary, int count)
{
    std::set<core::Ipv4> used;
    for (const core::Node& n : topology.nodes) {
        for (const core::Interface& i : n.interfaces)
            for (const core::Ipv4Prefix& a : i.addresses)
                used.insert(a.address);
        for (const core::VipBinding& v : n.vips)
            used.insert(v.address.address);
        for (const core::VirtualService& s : n.services) {
            used.insert(s.address);
            if (s.sorryServer)
                used.insert(s.sorryServer->first);
            for (const core::Destination& d : s.destinations)
                used.insert(d.address);
        }
        for (const core::Ipv4& a : n.localAddresses)
            used.insert(a);
        for (const core::VrrpInstance& v : n.vrrp)
            for (const core::Ipv4Prefix& a : v.virtualAddresses)
                used.insert(a.address);
        if (n.defaultGateway)
            used.insert(*n.defaultGateway);
        for (const core::Route& r : n.routes)
            used.insert(r.via);
    }
    std::vector<core::Ipv4Prefix> out;
    const std::uint32_t broadcast = primary.network().value | ~primary.netmask();
    for (std::uint64_t a = std::uint64_t(primary.address.value) + 1; a < broadcast && static_cast<int>(out.size()) < count; ++a)
        if (core::Ipv4 candidate{static_cast<std::uint32_t>(a)}; !used.contains(candidate))
            out.push_back({candidate, primary.length});
    if (static_cast<int>(out.size()) < count)
        return core::fail("the network " + core::Ipv4Prefix{primary.network(), primary.length}.toString() + " has "
                          + std::to_string(out.size()) + " free addresses above " + primary.address.toString() + ", not "
                          + std::to_string(count));
    return out;
}

} // namespace lvs::emu::lab
