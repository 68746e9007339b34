// lvs-director's data path without sockets: a frame that arrived on an interface goes in, the
// frames to send come out (with the interface to send them on), and a trace line per handled
// packet. The I/O layer (AF_PACKET) feeds it; tests feed it frames directly.
//
// What it mirrors: ip_vs_in (LOCAL_IN: service lookup with the firewall mark first, a new
// connection scheduled on a SYN or a UDP datagram, an existing one found by ip_vs_conn_in_get),
// ip_vs_nat_xmit / ip_vs_dr_xmit / ip_vs_tunnel_xmit (no TTL change: IPVS sends from LOCAL_OUT,
// not through ip_forward), ip_vs_out at FORWARD for NAT replies (ip_vs_conn_out_get), and
// DPVS's FULLNAT (a local address and port per connection, the client in a TOA option on the
// first packet). The kernel's own answer to the same packets is kept away by nftables rules
// the I/O layer installs (see ingressDropRules).
#pragma once

#include "core/ipvsadm/live_table.h"
#include "core/model/topology.h"
#include "core/packet/frame.h"
#include "core/packet/rewrite.h"

#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lvs::emu::director {

struct DirectorInterface {
    std::string name;
    core::Mac mac;
    std::vector<core::Ipv4Prefix> addresses;
};

struct DirectorConfig {
    std::string node;
    std::vector<DirectorInterface> interfaces;
    std::vector<core::Route> routes;
    std::optional<core::Ipv4> defaultGateway;
    std::vector<core::FwmarkRule> fwmarkRules;
    std::vector<core::Ipv4> localAddresses;
    // Addresses the director answers ARP for itself (VIPs the kernel does not hold).
    std::vector<core::Ipv4> arpAddresses;
};

// The director node of a design as the data path needs it.
DirectorConfig configOf(const core::Node& director);

struct OutFrame {
    std::size_t interface = 0; // index into DirectorConfig::interfaces
    std::vector<std::uint8_t> bytes;
};

struct DataPlaneCounters {
    std::uint64_t received = 0;
    std::uint64_t forwarded = 0;
    std::uint64_t replies = 0;
    std::uint64_t arpAnswered = 0;
    std::uint64_t arpRequested = 0;
    std::uint64_t noDestination = 0;
    std::uint64_t unresolved = 0; // dropped while waiting for ARP (queue full or timed out)
    std::uint64_t ignored = 0;    // not ours: the kernel's business
};

class DataPlane {
public:
    using TraceSink = std::function<void(const std::string& jsonLine)>;

    DataPlane(DirectorConfig config, core::ipvsadm::LiveTable& table);

    // One frame received on interface `in`. Frames to send are appended to out.
    void handle(std::size_t in, std::span<const std::uint8_t> frame, std::vector<OutFrame>& out);
    // Moves the connection timers and the estimator; drops ARP waits older than 3 s.
    void tick(std::chrono::milliseconds now);

    void setTraceSink(TraceSink sink) { m_trace = std::move(sink); }
    const DataPlaneCounters& counters() const { return m_counters; }
    const DirectorConfig& config() const { return m_config; }

    // The nftables netdev ingress rules that keep the director's kernel from also answering
    // (RST, ICMP) or forwarding what the data path handles: packets to each virtual service,
    // NAT replies from each real server's port, packets to FULLNAT local addresses.
    std::string ingressDropRules() const;

private:
    struct NextHop {
        std::size_t interface = 0;
        core::Ipv4 address;
    };
    std::optional<NextHop> route(core::Ipv4 dst) const;
    void transmit(const NextHop& hop, std::vector<std::uint8_t> bytes, std::vector<OutFrame>& out);
    void send(const std::string& action, std::size_t in, std::span<const std::uint8_t> before,
              const core::packet::Frame& fb, const NextHop& hop, std::vector<std::uint8_t> frame,
              std::vector<OutFrame>& out, const std::string& detail);
    void handleArp(std::size_t in, const core::packet::Frame& f, std::vector<OutFrame>& out);
    bool handleRequest(std::size_t in, std::vector<std::uint8_t>& bytes, core::packet::Frame& f, std::vector<OutFrame>& out);
    bool handleIcmpError(std::size_t in, std::vector<std::uint8_t>& bytes, core::packet::Frame& f, std::vector<OutFrame>& out);
    bool handleReply(std::size_t in, std::vector<std::uint8_t>& bytes, core::packet::Frame& f, std::vector<OutFrame>& out);
    void trace(const std::string& action, std::size_t in, std::span<const std::uint8_t> before,
               const core::packet::Frame& fb, std::optional<std::size_t> outIf, std::span<const std::uint8_t> after,
               const std::string& detail);

    struct FullNatKey {
        std::uint32_t rip;
        std::uint16_t rport;
        std::uint32_t laddr;
        std::uint16_t lport;
        std::uint8_t protocol;
        auto operator<=>(const FullNatKey&) const = default;
    };
    struct FullNatConn {
        core::ipvs::Balancer* balancer = nullptr;
        core::ipvs::ConnId conn;
        core::Ipv4 caddr;
        std::uint16_t cport = 0;
        core::Ipv4 vaddr;
        std::uint16_t vport = 0;
    };
    struct FullNatOut {
        core::Ipv4 laddr;
        std::uint16_t lport = 0;
    };

    DirectorConfig m_config;
    core::ipvsadm::LiveTable& m_table;
    TraceSink m_trace;
    DataPlaneCounters m_counters;
    std::chrono::milliseconds m_now{0};
    std::map<std::uint32_t, core::Mac> m_arp; // the neighbours' MACs, learned from ARP
    struct Waiting {
        NextHop hop;
        std::vector<std::uint8_t> bytes;
        std::chrono::milliseconds since;
    };
    std::deque<Waiting> m_waiting; // at most 256 frames wait for ARP
    std::map<FullNatKey, FullNatConn> m_fullNatIn;                       // reply side
    std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint8_t, std::uint32_t, std::uint16_t>, FullNatOut> m_fullNatOut; // client side
    std::uint16_t m_nextLocalPort = 1024;
};

} // namespace lvs::emu::director
