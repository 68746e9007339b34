// The director's control socket: lvsadm sends an ipvsadm command line (and, for -R, its
// standard input) and gets back what ipvsadm would print and its exit status. One JSON object
// per line each way:
//   request  {"program": "lvsadm", "args": ["-Ln"], "stdin": ""}
//   response {"status": 0, "out": "...", "err": "..."}
// The socket is /run/lvslab/<lab>/<node>.ctl, a Unix stream socket owned by the user who
// started the lab (SUDO_UID when run through sudo), mode 0600.
#pragma once

#include "core/ipvsadm/control.h"
#include "core/util/result.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lvs::emu::director {

std::string controlSocketPath(const std::string& lab, const std::string& node, const std::string& root = "/run/lvslab");

// One request handled against a table: the JSON response line (with its newline).
std::string handleControlRequest(const std::string& requestLine, core::ipvsadm::Control& table);

// Accepts connections on path and answers each request line on the io_context's thread, so
// the data path (on the same thread) never sees a half-applied command.
class ControlServer {
public:
    // afterCommand runs after each request (the director refreshes its nftables rules there).
    ControlServer(boost::asio::io_context& io, core::ipvsadm::Control& table, std::function<void()> afterCommand = {});
    ~ControlServer();
    // Binds (replacing a stale socket file), sets the owner and mode, and starts accepting.
    core::Result<void> listen(const std::string& path, int ownerUid = -1, int ownerGid = -1);

private:
    void accept();
    boost::asio::io_context& m_io;
    core::ipvsadm::Control& m_table;
    std::function<void()> m_after;
    std::unique_ptr<boost::asio::local::stream_protocol::acceptor> m_acceptor;
    std::string m_path;
};

struct ControlReply {
    int status = 0;
    std::string out;
    std::string err;
};

// lvsadm's side: sends one command line and waits (at most timeoutMs) for the answer.
core::Result<ControlReply> sendControlRequest(const std::string& path, const std::string& program,
                                              const std::vector<std::string>& args, const std::string& stdinText,
                                              int timeoutMs = 10000);

} // namespace lvs::emu::director
