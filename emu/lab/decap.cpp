// The userspace IPIP decapsulator (decap.h).
#include "emu/lab/decap.h"

#include <nftables/libnftables.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <ifaddrs.h>
#include <iostream>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <map>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <set>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace lvs::emu::lab {

namespace {

constexpr const char* kTunnel = "tunl0";
constexpr const char* kTable = "lvsdecap";

int openTun(const std::string& name, std::string* error)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        *error = std::string("cannot open /dev/net/tun: ") + std::strerror(e);
        return -e;
    }
    ifreq req{};
    req.ifr_flags = IFF_TUN | IFF_NO_PI;
    std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &req) != 0) {
        int e = errno;
        *error = "cannot make TUN device " + name + ": " + std::strerror(e);
        ::close(fd);
        return -e;
    }
    return fd;
}

bool runNft(const std::string& commands, std::string* error)
{
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) {
        *error = "nftables: no context";
        return false;
    }
    nft_ctx_buffer_error(ctx);
    nft_run_cmd_from_buffer(ctx, (std::string("add table netdev ") + kTable + "\ndelete table netdev " + kTable + "\n").c_str());
    const int rc = nft_run_cmd_from_buffer(ctx, commands.c_str());
    if (rc != 0)
        *error = std::string("nftables: ") + nft_ctx_get_error_buffer(ctx);
    nft_ctx_free(ctx);
    return rc == 0;
}

std::string ipText(std::uint32_t networkOrder)
{
    char text[INET_ADDRSTRLEN] = {};
    in_addr a{networkOrder};
    inet_ntop(AF_INET, &a, text, sizeof text);
    return text;
}

} // namespace

int makePersistentTun(const std::string& name, std::string* error)
{
    int fd = openTun(name, error);
    if (fd < 0)
        return -fd;
    if (ioctl(fd, TUNSETPERSIST, 1) != 0) {
        int e = errno;
        *error = "cannot make TUN device " + name + " persistent: " + std::strerror(e);
        ::close(fd);
        return e;
    }
    ::close(fd);
    return 0;
}

int runDecap(const std::string& nodeName, int readyFd)
{
    const std::string who = "lvslab decap (" + nodeName + "): ";
    std::string error;
    const int tun = openTun(kTunnel, &error);
    if (tun < 0) {
        std::cerr << who << error << "\n";
        return 1;
    }

    // The node's own interfaces (not lo, not tunl0) and their IPv4 addresses: the outer
    // destinations this node decapsulates.
    std::map<int, std::string> interfaces;
    std::set<std::uint32_t> own;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
        std::cerr << who << "getifaddrs: " << std::strerror(errno) << "\n";
        return 1;
    }
    for (ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_name || (a->ifa_flags & IFF_LOOPBACK) || std::strcmp(a->ifa_name, kTunnel) == 0)
            continue;
        if (unsigned index = if_nametoindex(a->ifa_name); index != 0)
            interfaces[static_cast<int>(index)] = a->ifa_name;
        if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET)
            own.insert(reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr);
    }
    freeifaddrs(list);
    if (interfaces.empty() || own.empty()) {
        std::cerr << who << "no interface with an IPv4 address to take tunnelled packets on\n";
        return 1;
    }

    std::string addresses;
    for (std::uint32_t a : own)
        addresses += (addresses.empty() ? "" : ", ") + ipText(a);
    std::string rules = std::string("table netdev ") + kTable + " {\n";
    for (const auto& [index, name] : interfaces)
        rules += "  chain in_" + std::to_string(index) + " {\n    type filter hook ingress device \"" + name
                 + "\" priority -500; policy accept;\n    ip protocol 4 ip daddr { " + addresses + " } drop\n  }\n";
    rules += "}\n";
    if (!runNft(rules, &error)) {
        std::cerr << who << error << "\n";
        return 1;
    }

    const int sock = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (sock < 0) {
        std::cerr << who << "AF_PACKET socket: " << std::strerror(errno) << "\n";
        return 1;
    }
    int big = 1 << 21;
    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);

    std::cerr << who << "tunl0 is a TUN device; decapsulating IPIP to " << addresses << "\n";
    if (readyFd >= 0) {
        char byte = 1;
        (void)!write(readyFd, &byte, 1);
        ::close(readyFd);
    }

    std::vector<std::uint8_t> buffer(65536 + 64);
    pollfd fds[2] = {{sock, POLLIN, 0}, {tun, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            std::cerr << who << "poll: " << std::strerror(errno) << "\n";
            return 1;
        }
        if (fds[1].revents & POLLIN) // what the kernel sends out of tunl0 goes nowhere
            (void)!read(tun, buffer.data(), buffer.size());
        if (!(fds[0].revents & POLLIN))
            continue;
        sockaddr_ll from{};
        socklen_t fromLength = sizeof from;
        const ssize_t n = recvfrom(sock, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (n < 0)
            continue;
        if (from.sll_pkttype != PACKET_HOST || ntohs(from.sll_protocol) != ETH_P_IP || !interfaces.contains(from.sll_ifindex))
            continue;
        // The outer IPv4 header, after the Ethernet header: protocol 4, to one of our addresses,
        // not a fragment; the inner packet is what its total length leaves after the header.
        const std::size_t eth = ETH_HLEN;
        const std::uint8_t* ip = buffer.data() + eth;
        const std::size_t size = static_cast<std::size_t>(n);
        if (size < eth + 20 || (ip[0] >> 4) != 4 || ip[9] != IPPROTO_IPIP)
            continue;
        const std::size_t headerLength = (ip[0] & 0x0f) * 4u;
        const std::size_t total = (std::size_t(ip[2]) << 8) | ip[3];
        const std::uint16_t fragment = static_cast<std::uint16_t>((ip[6] << 8) | ip[7]);
        std::uint32_t dst = 0;
        std::memcpy(&dst, ip + 16, 4);
        if (headerLength < 20 || total < headerLength + 20 || eth + total > size || (fragment & 0x3fff) != 0 || !own.contains(dst))
            continue;
        const std::uint8_t* inner = ip + headerLength;
        if ((inner[0] >> 4) != 4)
            continue;
        if (write(tun, inner, total - headerLength) < 0)
            std::cerr << who << "write to tunl0: " << std::strerror(errno) << "\n";
    }
}

} // namespace lvs::emu::lab
