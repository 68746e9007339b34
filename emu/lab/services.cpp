// The rs agent (Boost.Asio) and the answer formats it promises (services.h).
#include "emu/lab/services.h"

#include <utility> // before Asio 1.74, whose awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace lvs::emu::lab {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr std::size_t kMaxRequest = 8192;
constexpr std::size_t kMaxLine = 65536;

std::string lower(std::string_view text)
{
    std::string s(text);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string peerOf(const tcp::socket& socket)
{
    boost::system::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    return ec ? std::string("?") : peer.address().to_string() + ":" + std::to_string(peer.port());
}

// One HTTP connection: answers each request with the node's name until the client or the
// request's own rules (httpKeepAlive) end it.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, const std::string& body)
        : m_socket(std::move(socket)), m_buffer(kMaxRequest), m_body(body), m_peer(peerOf(m_socket))
    {
    }
    void start()
    {
        auto self = shared_from_this();
        asio::async_read_until(m_socket, m_buffer, "\r\n\r\n", [self](boost::system::error_code ec, std::size_t n) {
            if (ec)
                return;
            std::string head(asio::buffers_begin(self->m_buffer.data()), asio::buffers_begin(self->m_buffer.data()) + n);
            self->m_buffer.consume(n);
            bool keep = httpKeepAlive(head);
            self->m_response = std::string(keep ? "HTTP/1.1" : "HTTP/1.0") + " 200 OK\r\nContent-Type: text/html\r\n"
                + "Content-Length: " + std::to_string(self->m_body.size()) + "\r\n" + std::string(kPeerHeader) + ": "
                + self->m_peer + "\r\nConnection: " + (keep ? "keep-alive" : "close") + "\r\n\r\n" + self->m_body;
            asio::async_write(self->m_socket, asio::buffer(self->m_response), [self, keep](boost::system::error_code e, std::size_t) {
                if (!e && keep)
                    return self->start();
                boost::system::error_code ignored;
                self->m_socket.shutdown(tcp::socket::shutdown_both, ignored);
            });
        });
    }

private:
    tcp::socket m_socket;
    asio::streambuf m_buffer;
    const std::string& m_body;
    std::string m_peer;
    std::string m_response;
};

// One TCP echo connection: "NAME " + each line.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
    EchoSession(tcp::socket socket, const std::string& name) : m_socket(std::move(socket)), m_buffer(kMaxLine), m_name(name) {}
    void start()
    {
        auto self = shared_from_this();
        asio::async_read_until(m_socket, m_buffer, '\n', [self](boost::system::error_code ec, std::size_t n) {
            bool last = ec == asio::error::eof && self->m_buffer.size() > 0; // a last line without '\n'
            if (ec && !last)
                return;
            std::size_t take = last ? self->m_buffer.size() : n;
            std::string line(asio::buffers_begin(self->m_buffer.data()), asio::buffers_begin(self->m_buffer.data()) + take);
            self->m_buffer.consume(take);
            self->m_answer = self->m_name + " " + line;
            asio::async_write(self->m_socket, asio::buffer(self->m_answer), [self, last](boost::system::error_code e, std::size_t) {
                if (!e && !last)
                    return self->start();
                boost::system::error_code ignored;
                self->m_socket.shutdown(tcp::socket::shutdown_both, ignored);
            });
        });
    }

private:
    tcp::socket m_socket;
    asio::streambuf m_buffer;
    const std::string& m_name;
    std::string m_answer;
};

struct Texts {
    std::string name;
    std::string body; // "<h1>NAME</h1>\n"
};

void acceptLoop(tcp::acceptor& acceptor, core::AppKind kind, const Texts& texts)
{
    acceptor.async_accept([&acceptor, kind, &texts](boost::system::error_code ec, tcp::socket socket) {
        if (!ec) {
            if (kind == core::AppKind::Http)
                std::make_shared<HttpSession>(std::move(socket), texts.body)->start();
            else
                std::make_shared<EchoSession>(std::move(socket), texts.name)->start();
        }
        acceptLoop(acceptor, kind, texts);
    });
}

struct UdpEcho {
    udp::socket socket;
    const std::string& name;
    udp::endpoint peer;
    std::array<char, 65536> data{};
    std::string answer;
    void receive()
    {
        socket.async_receive_from(asio::buffer(data), peer, [this](boost::system::error_code ec, std::size_t n) {
            if (!ec) {
                answer = name + " ";
                answer.append(data.data(), n);
                boost::system::error_code ignored;
                socket.send_to(asio::buffer(answer), peer, 0, ignored);
            }
            receive();
        });
    }
};

} // namespace

int runAgent(const std::string& nodeName, const std::vector<PlanService>& services, int readyFd, core::Ipv4 bindAddress)
{
    try {
        asio::io_context io;
        const auto address = asio::ip::address_v4(bindAddress.value);
        const Texts texts{nodeName, "<h1>" + nodeName + "</h1>\n"};
        std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
        std::vector<std::unique_ptr<UdpEcho>> udps;
        for (const PlanService& s : services) {
            if (s.kind == core::AppKind::UdpEcho) {
                auto u = std::make_unique<UdpEcho>(UdpEcho{udp::socket(io, udp::endpoint(address, s.port)), texts.name, {}, {}, {}});
                u->receive();
                udps.push_back(std::move(u));
                continue;
            }
            auto a = std::make_unique<tcp::acceptor>(io);
            tcp::endpoint at(address, s.port);
            a->open(at.protocol());
            a->set_option(tcp::acceptor::reuse_address(true));
            a->bind(at);
            a->listen();
            acceptLoop(*a, s.kind, texts);
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

std::optional<std::string> echoServerNameOf(std::string_view answer, std::string_view sent)
{
    if (answer.size() < sent.size() + 2 || !answer.ends_with(sent) || answer[answer.size() - sent.size() - 1] != ' ')
        return std::nullopt;
    return std::string(answer.substr(0, answer.size() - sent.size() - 1));
}

std::optional<std::string> httpHeader(std::string_view head, std::string_view name)
{
    const std::string want = lower(name);
    std::size_t at = head.find("\r\n"); // past the start line
    while (at != std::string_view::npos && at + 2 < head.size()) {
        std::size_t begin = at + 2;
        std::size_t end = head.find("\r\n", begin);
        std::string_view line = head.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        if (line.empty()) // the end of the head
            break;
        if (auto colon = line.find(':'); colon != std::string_view::npos && lower(line.substr(0, colon)) == want) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
                value.remove_suffix(1);
            return std::string(value);
        }
        at = end;
    }
    return std::nullopt;
}

bool httpKeepAlive(std::string_view head)
{
    std::string_view start = head.substr(0, head.find("\r\n"));
    std::string connection = lower(httpHeader(head, "Connection").value_or(""));
    if (start.find("HTTP/1.0") != std::string_view::npos)
        return connection.find("keep-alive") != std::string::npos;
    return connection.find("close") == std::string::npos;
}

} // namespace lvs::emu::lab
