// The rs agent (Boost.Asio) and the in-namespace traffic client.
#include "emu/lab/services.h"

#include "emu/lab/libnl_ops.h"

#include <utility> // before Asio 1.74, whose awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lvs::emu::lab {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr std::size_t kMaxRequest = 8192;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, const std::string& body) : m_socket(std::move(socket)), m_buffer(kMaxRequest)
    {
        m_response = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
    }
    void start()
    {
        auto self = shared_from_this();
        asio::async_read_until(m_socket, m_buffer, "\r\n\r\n", [self](boost::system::error_code ec, std::size_t) {
            if (ec)
                return;
            asio::async_write(self->m_socket, asio::buffer(self->m_response), [self](boost::system::error_code, std::size_t) {
                boost::system::error_code ignored;
                self->m_socket.shutdown(tcp::socket::shutdown_both, ignored);
            });
        });
    }

private:
    tcp::socket m_socket;
    asio::streambuf m_buffer;
    std::string m_response;
};

class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
    explicit EchoSession(tcp::socket socket) : m_socket(std::move(socket)) {}
    void start()
    {
        auto self = shared_from_this();
        m_socket.async_read_some(asio::buffer(m_data), [self](boost::system::error_code ec, std::size_t n) {
            if (ec)
                return;
            asio::async_write(self->m_socket, asio::buffer(self->m_data, n), [self](boost::system::error_code e, std::size_t) {
                if (!e)
                    self->start();
            });
        });
    }

private:
    tcp::socket m_socket;
    std::array<char, 4096> m_data{};
};

void acceptLoop(tcp::acceptor& acceptor, core::AppKind kind, const std::string& body)
{
    acceptor.async_accept([&acceptor, kind, &body](boost::system::error_code ec, tcp::socket socket) {
        if (!ec) {
            if (kind == core::AppKind::Http)
                std::make_shared<HttpSession>(std::move(socket), body)->start();
            else
                std::make_shared<EchoSession>(std::move(socket))->start();
        }
        acceptLoop(acceptor, kind, body);
    });
}

struct UdpEcho {
    udp::socket socket;
    udp::endpoint peer;
    std::array<char, 65536> data{};
    void receive()
    {
        socket.async_receive_from(asio::buffer(data), peer, [this](boost::system::error_code ec, std::size_t n) {
            if (!ec) {
                boost::system::error_code ignored;
                socket.send_to(asio::buffer(data, n), peer, 0, ignored);
            }
            receive();
        });
    }
};

// A socket made inside ns (it stays there after the thread leaves), non-blocking, with the
// connect done under a deadline.
OpResult<int> connectedSocket(const std::string& ns, int type, core::Ipv4 address, std::uint16_t port,
                              std::chrono::milliseconds timeout)
{
    int fd = -1;
    {
        NamespaceGuard guard(ns);
        if (!guard.ok())
            return std::unexpected(guard.error());
        fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    if (fd < 0)
        return std::unexpected(OpError{errno, std::string("socket: ") + std::strerror(errno)});
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(address.value);
    std::string target = address.toString() + ":" + std::to_string(port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        if (errno != EINPROGRESS) {
            int e = errno;
            ::close(fd);
            return std::unexpected(OpError{e, target + ": " + std::strerror(e)});
        }
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            ::close(fd);
            return std::unexpected(OpError{ETIMEDOUT, target + ": no answer within " + std::to_string(timeout.count()) + " ms"});
        }
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            ::close(fd);
            return std::unexpected(OpError{err, target + ": " + std::strerror(err)});
        }
    }
    return fd;
}

// Sends text, then reads until EOF (want == 0) or until want bytes came, within the deadline.
OpResult<std::string> roundTrip(int fd, const std::string& text, std::size_t want, std::chrono::milliseconds timeout,
                                const std::string& target)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    if (send(fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size())) {
        int e = errno;
        ::close(fd);
        return std::unexpected(OpError{e, target + ": " + std::strerror(e)});
    }
    std::string answer;
    char buffer[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            ::close(fd);
            return std::unexpected(OpError{ETIMEDOUT, target + ": no (complete) answer within " + std::to_string(timeout.count()) + " ms"});
        }
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            int e = errno;
            ::close(fd);
            return std::unexpected(OpError{e, target + ": " + std::strerror(e)});
        }
        answer.append(buffer, static_cast<std::size_t>(n));
        if (n == 0 || (want && answer.size() >= want))
            break;
    }
    ::close(fd);
    return answer;
}

} // namespace

int runAgent(const std::string& nodeName, const std::vector<PlanService>& services, int readyFd)
{
    try {
        asio::io_context io;
        const std::string body = "<h1>" + nodeName + "</h1>\n";
        std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
        std::vector<std::unique_ptr<UdpEcho>> udps;
        for (const PlanService& s : services) {
            if (s.kind == core::AppKind::UdpEcho) {
                auto u = std::make_unique<UdpEcho>(UdpEcho{udp::socket(io, udp::endpoint(udp::v4(), s.port)), {}, {}});
                u->receive();
                udps.push_back(std::move(u));
                continue;
            }
            auto a = std::make_unique<tcp::acceptor>(io);
            tcp::endpoint at(tcp::v4(), s.port);
            a->open(at.protocol());
            a->set_option(tcp::acceptor::reuse_address(true));
            a->bind(at);
            a->listen();
            acceptLoop(*a, s.kind, body);
            acceptors.push_back(std::move(a));
        }
        std::cerr << "lvslab agent " << nodeName << ": listening\n";
        char ok = '1';
        if (write(readyFd, &ok, 1) != 1)
            return 1;
        ::close(readyFd);
        io.run();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "lvslab agent " << nodeName << ": " << e.what() << "\n";
        return 1;
    }
}

OpResult<std::string> httpGet(const std::string& ns, core::Ipv4 address, std::uint16_t port,
                              std::chrono::milliseconds timeout)
{
    auto fd = connectedSocket(ns, SOCK_STREAM, address, port, timeout);
    if (!fd)
        return std::unexpected(fd.error());
    std::string target = address.toString() + ":" + std::to_string(port);
    auto answer = roundTrip(*fd, "GET / HTTP/1.0\r\nHost: " + address.toString() + "\r\nUser-Agent: lvsctl-lab\r\n\r\n",
                           0, timeout, target);
    if (!answer)
        return answer;
    auto head = answer->find("\r\n\r\n");
    if (!answer->starts_with("HTTP/") || head == std::string::npos)
        return std::unexpected(OpError{EPROTO, target + ": not an HTTP answer"});
    return answer->substr(head + 4);
}

OpResult<std::string> tcpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout)
{
    auto fd = connectedSocket(ns, SOCK_STREAM, address, port, timeout);
    if (!fd)
        return std::unexpected(fd.error());
    return roundTrip(*fd, text, text.size(), timeout, address.toString() + ":" + std::to_string(port));
}

OpResult<std::string> udpEcho(const std::string& ns, core::Ipv4 address, std::uint16_t port, const std::string& text,
                              std::chrono::milliseconds timeout)
{
    auto fd = connectedSocket(ns, SOCK_DGRAM, address, port, timeout);
    if (!fd)
        return std::unexpected(fd.error());
    return roundTrip(*fd, text, 1, timeout, address.toString() + ":" + std::to_string(port)); // one datagram
}

std::optional<std::string> serverNameOf(const std::string& body)
{
    auto open = body.find("<h1>");
    if (open == std::string::npos)
        return std::nullopt;
    auto close = body.find("</h1>", open + 4);
    if (close == std::string::npos)
        return std::nullopt;
    return body.substr(open + 4, close - open - 4);
}

} // namespace lvs::emu::lab
