#include "emu/director/control.h"

#include "core/ipvsadm/run.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace lvs::emu::director {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

std::string controlSocketPath(const std::string& lab, const std::string& node, const std::string& root)
{
    return root + "/" + lab + "/" + node + ".ctl";
}

std::string handleControlRequest(const std::string& requestLine, core::ipvsadm::Control& table)
{
    nlohmann::json response;
    try {
        auto request = nlohmann::json::parse(requestLine);
        std::vector<std::string> args = request.at("args").get<std::vector<std::string>>();
        std::istringstream in(request.value("stdin", std::string()));
        core::ipvsadm::Invocation io;
        io.program = request.value("program", std::string("lvsadm"));
        io.input = &in;
        response["status"] = core::ipvsadm::runIpvsadm(args, table, io);
        response["out"] = io.out;
        response["err"] = io.err;
    } catch (const std::exception& e) {
        response["status"] = 2;
        response["out"] = "";
        response["err"] = std::string("lvs-director: bad control request: ") + e.what() + "\n";
    }
    return response.dump() + "\n";
}

namespace {

// One connection: read a line, answer it, close.
struct Session : std::enable_shared_from_this<Session> {
    Session(local::socket s, core::ipvsadm::Control& t, std::function<void()>& a) : socket(std::move(s)), table(t), after(a) {}
    void start()
    {
        auto self = shared_from_this();
        asio::async_read_until(socket, buffer, '\n', [self](boost::system::error_code ec, std::size_t n) {
            if (ec)
                return;
            std::string line(asio::buffers_begin(self->buffer.data()), asio::buffers_begin(self->buffer.data()) + static_cast<std::ptrdiff_t>(n));
            self->reply = handleControlRequest(line, self->table);
            if (self->after)
                self->after();
            asio::async_write(self->socket, asio::buffer(self->reply), [self](boost::system::error_code, std::size_t) {
                boost::system::error_code ignored;
                self->socket.shutdown(local::socket::shutdown_both, ignored);
            });
        });
    }
    local::socket socket;
    core::ipvsadm::Control& table;
    std::function<void()>& after;
    asio::streambuf buffer{1 << 24}; // a restore of 100,000 lines fits
    std::string reply;
};

} // namespace

ControlServer::ControlServer(asio::io_context& io, core::ipvsadm::Control& table, std::function<void()> afterCommand)
    : m_io(io), m_table(table), m_after(std::move(afterCommand))
{
}

ControlServer::~ControlServer()
{
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

core::Result<void> ControlServer::listen(const std::string& path, int ownerUid, int ownerGid)
{
    ::unlink(path.c_str());
    boost::system::error_code ec;
    m_acceptor = std::make_unique<local::acceptor>(m_io);
    m_acceptor->open(local(), ec);
    if (!ec)
        m_acceptor->bind(local::endpoint(path), ec);
    if (!ec)
        m_acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return core::fail("control socket " + path + ": " + ec.message());
    m_path = path;
    ::chmod(path.c_str(), 0600);
    if (ownerUid >= 0 && ::chown(path.c_str(), static_cast<uid_t>(ownerUid), static_cast<gid_t>(ownerGid)) != 0)
        return core::fail("control socket " + path + ": chown: " + std::strerror(errno));
    accept();
    return {};
}

void ControlServer::accept()
{
    m_acceptor->async_accept([this](boost::system::error_code ec, local::socket socket) {
        if (ec)
            return;
        std::make_shared<Session>(std::move(socket), m_table, m_after)->start();
        accept();
    });
}

core::Result<ControlReply> sendControlRequest(const std::string& path, const std::string& program,
                                              const std::vector<std::string>& args, const std::string& stdinText,
                                              int timeoutMs)
{
    nlohmann::json request{{"program", program}, {"args", args}, {"stdin", stdinText}};
    const std::string line = request.dump() + "\n";
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return core::fail(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        ::close(fd);
        return core::fail("control socket path too long: " + path);
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd);
        return core::fail(path + ": " + std::strerror(e));
    }
    for (std::size_t sent = 0; sent < line.size();) {
        ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            ::close(fd);
            return core::fail(path + ": send: " + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string reply;
    char buf[65536];
    while (reply.find('\n') == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0) {
            ::close(fd);
            return core::fail(path + ": the director did not answer within " + std::to_string(timeoutMs) + " ms");
        }
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        reply.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    try {
        auto j = nlohmann::json::parse(reply.substr(0, reply.find('\n')));
        return ControlReply{j.at("status").get<int>(), j.at("out").get<std::string>(), j.at("err").get<std::string>()};
    } catch (const std::exception& e) {
        return core::fail(path + ": unreadable answer from the director: " + e.what());
    }
}

} // namespace lvs::emu::director
