#include "emu/director/daemon.h"

#include "core/io/lvslab_file.h"
#include "core/ipvsadm/live_table.h"
#include "emu/director/control.h"
#include "emu/director/dataplane.h"
#include "emu/director/seed.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace lvs::emu::director {

namespace asio = boost::asio;

namespace {

// The director's nftables table, replaced as a whole.
bool applyNft(const std::string& rules, std::string& error)
{
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) {
        error = "nftables: cannot create a context";
        return false;
    }
    nft_ctx_buffer_error(ctx);
    nft_run_cmd_from_buffer(ctx, "add table netdev lvsdirector\ndelete table netdev lvsdirector\n");
    const int rc = nft_run_cmd_from_buffer(ctx, rules.c_str());
    if (rc != 0)
        error = std::string("nftables: ") + nft_ctx_get_error_buffer(ctx);
    nft_ctx_free(ctx);
    return rc == 0;
}

void removeNft()
{
    if (nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT)) {
        nft_ctx_buffer_error(ctx);
        nft_run_cmd_from_buffer(ctx, "add table netdev lvsdirector\ndelete table netdev lvsdirector\n");
        nft_ctx_free(ctx);
    }
}

struct PacketSocket {
    int fd = -1;
    int ifindex = 0;
    std::unique_ptr<asio::posix::stream_descriptor> descriptor;
};

} // namespace

int runDirectorProcess(const DirectorOptions& o)
{
    auto loaded = o.designText.empty() ? core::loadLvslab(o.design) : core::parseLvslab(o.designText, "the lab's design");
    if (!loaded) {
        for (const auto& e : loaded.error())
            std::cerr << "lvs-director: " << e.toString() << "\n";
        return 1;
    }
    const core::Node* node = loaded->findNodeByName(o.node);
    if (!node || node->kind != core::NodeKind::Director) {
        std::cerr << "lvs-director: " << (o.designText.empty() ? o.design : std::string("the design")) << " has no director named \""
                  << o.node << "\"\n";
        return 1;
    }
    std::mt19937 random(static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()));
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    };
    core::ipvs::SchedulerContext context;
    context.clock = [&] { return static_cast<std::uint64_t>(elapsed().count() / 1000); };
    context.random = [&] { return static_cast<std::uint32_t>(random()); };
    core::ipvsadm::LiveTable table(context, 1 << 16);
    if (auto seeded = seedTable(*node, table); !seeded) {
        std::cerr << "lvs-director: " << seeded.error().message << "\n";
        return 1;
    }
    DataPlane plane(configOf(*node), table);

    std::ofstream trace;
    const std::string tracePath = o.tracePath.empty() ? o.root + "/" + o.lab + "/" + o.node + ".trace.jsonl" : o.tracePath;
    if (tracePath != "-") {
        trace.open(tracePath, std::ios::app);
        if (trace)
            plane.setTraceSink([&trace](const std::string& line) { trace << line << '\n' << std::flush; });
    }

    asio::io_context io;
    std::string error;
    auto refreshRules = [&] {
        if (o.installNft && !applyNft(plane.ingressDropRules(), error))
            std::cerr << "lvs-director: " << error << "\n";
    };
    if (o.installNft && !applyNft(plane.ingressDropRules(), error)) {
        std::cerr << "lvs-director: " << error << "\n";
        return 1;
    }

    // One AF_PACKET socket per interface; the kernel's own transmissions are not looped back.
    std::vector<PacketSocket> sockets;
    for (const DirectorInterface& i : plane.config().interfaces) {
        PacketSocket s;
        s.ifindex = static_cast<int>(if_nametoindex(i.name.c_str()));
        if (s.ifindex == 0) {
            std::cerr << "lvs-director: no interface " << i.name << " in this namespace\n";
            return 1;
        }
        s.fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
        if (s.fd < 0) {
            std::cerr << "lvs-director: AF_PACKET socket: " << std::strerror(errno) << "\n";
            return 1;
        }
        sockaddr_ll ll{};
        ll.sll_family = AF_PACKET;
        ll.sll_protocol = htons(ETH_P_ALL);
        ll.sll_ifindex = s.ifindex;
        int one = 1;
        ::setsockopt(s.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
        if (::bind(s.fd, reinterpret_cast<sockaddr*>(&ll), sizeof ll) != 0) {
            std::cerr << "lvs-director: bind to " << i.name << ": " << std::strerror(errno) << "\n";
            return 1;
        }
        s.descriptor = std::make_unique<asio::posix::stream_descriptor>(io, s.fd);
        sockets.push_back(std::move(s));
    }

    std::vector<OutFrame> out;
    auto send = [&] {
        for (OutFrame& f : out) {
            sockaddr_ll to{};
            to.sll_family = AF_PACKET;
            to.sll_ifindex = sockets[f.interface].ifindex;
            to.sll_halen = 6;
            std::memcpy(to.sll_addr, f.bytes.data(), 6);
            ::sendto(sockets[f.interface].fd, f.bytes.data(), f.bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
        }
        out.clear();
    };
    std::vector<std::uint8_t> buffer(65536);
    std::function<void(std::size_t)> wait = [&](std::size_t k) {
        sockets[k].descriptor->async_wait(asio::posix::stream_descriptor::wait_read, [&, k](boost::system::error_code ec) {
            if (ec)
                return;
            for (int burst = 0; burst < 256; ++burst) {
                sockaddr_ll from{};
                socklen_t len = sizeof from;
                ssize_t n = ::recvfrom(sockets[k].fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
                if (n <= 0)
                    break;
                if (from.sll_pkttype == PACKET_OUTGOING)
                    continue;
                plane.handle(k, std::span<const std::uint8_t>(buffer.data(), static_cast<std::size_t>(n)), out);
                send();
            }
            wait(k);
        });
    };
    for (std::size_t k = 0; k < sockets.size(); ++k)
        wait(k);

    asio::steady_timer timer(io);
    std::function<void()> tick = [&] {
        plane.tick(elapsed());
        timer.expires_after(std::chrono::milliseconds(100));
        timer.async_wait([&](boost::system::error_code ec) {
            if (!ec)
                tick();
        });
    };
    tick();

    ControlServer control(io, table, refreshRules);
    const std::string socketPath = o.socketPath.empty() ? controlSocketPath(o.lab, o.node, o.root) : o.socketPath;
    if (auto r = control.listen(socketPath, o.ownerUid, o.ownerGid); !r) {
        std::cerr << "lvs-director: " << r.error().message << "\n";
        return 1;
    }
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](boost::system::error_code, int) { io.stop(); });
    std::cerr << "lvs-director: " << o.node << " is up: " << sockets.size() << " interfaces, control " << socketPath
              << (tracePath != "-" ? ", trace " + tracePath : std::string()) << "\n";
    if (o.readyFd >= 0) {
        const char byte = 1;
        (void)::write(o.readyFd, &byte, 1);
        ::close(o.readyFd);
    }
    io.run();
    if (o.installNft)
        removeNft();
    for (PacketSocket& s : sockets)
        s.descriptor->close();
    return 0;
}

int runDirectorCommand(int argc, char** argv)
{
    DirectorOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "lvs-director: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--design") o.design = value();
        else if (a == "--node") o.node = value();
        else if (a == "--lab") o.lab = value();
        else if (a == "--socket") o.socketPath = value();
        else if (a == "--trace") o.tracePath = value();
        else if (a == "--root") o.root = value();
        else if (a == "--no-nft") o.installNft = false;
        else {
            std::cerr << "usage: lvs-director --design FILE --node NAME --lab LAB [--socket PATH] [--trace PATH|-] "
                         "[--root DIR] [--no-nft]\n";
            return 2;
        }
    }
    if (o.design.empty() || o.node.empty() || o.lab.empty()) {
        std::cerr << "usage: lvs-director --design FILE --node NAME --lab LAB [--socket PATH] [--trace PATH|-] "
                     "[--root DIR] [--no-nft]\n";
        return 2;
    }
    return runDirectorProcess(o);
}

} // namespace lvs::emu::director
