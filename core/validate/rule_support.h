// What the validation rules share: the context they read, how they report, how fixes edit.
// Internal to core/validate (the public interface is validate.h).
#pragma once

#include "core/validate/connectivity.h"
#include "core/validate/validate.h"

#include <set>
#include <tuple>

namespace lvs::core::validate::detail {

// The rule running now: its code and severity stamp every finding it reports.
struct RuleDescriptor {
    RuleInfo info;
    void (*check)(class Context&);
};

class Context {
public:
    explicit Context(const Topology& topology)
        : topology(topology), net(topology)
    {
    }

    const Topology& topology;
    Connectivity net;
    const RuleInfo* rule = nullptr;

    // Reports a finding of the running rule. One finding per subject and message: a real
    // server in several services is told once.
    void report(Subject subject, Text message, std::optional<Fix> fix = std::nullopt);

    std::vector<Finding> findings;

private:
    std::set<std::tuple<std::string, int, Id, std::string>> m_seen;
};

Subject nodeSubject(const Node& node);
Subject interfaceSubject(const Node& node, const Interface& iface);
Subject serviceSubject(const VirtualService& service);
Subject destinationSubject(const VirtualService& service, const Destination& destination);

// "TCP 172.18.100.7:80" or "FWM 10".
std::string serviceName(const VirtualService& service);
// The port a destination receives: its own, else the service's (0: every port).
std::uint16_t destinationPort(const VirtualService& service, const Destination& destination);

// The VIPs a service answers on: its address, or for a firewall-mark service the destination
// addresses of the director's mark rules with its mark.
std::vector<Ipv4> serviceVips(const Node& director, const VirtualService& service);

// A sysctl as the node sets it, or nullopt when the design leaves it alone.
std::optional<int> sysctl(const Node& node, const std::string& key);
// The value the kernel acts on for a per-device setting that it reads as
// max(conf/all, conf/DEV) (IN_DEV_MAXCONF in include/linux/inetdevice.h); unset counts as 0.
int effectiveMaxConf(const Node& node, const std::string& device, const std::string& setting);

// One destination of a director's service with the real server it names, if any, and the
// RS interface address that is the RIP.
struct DestinationView {
    const Node& director;
    const VirtualService& service;
    const Destination& destination;
    const Node* realServer;       // nullptr for an address outside the design
    std::optional<Attachment> rip; // the RS interface holding the RIP
};
std::vector<DestinationView> destinations(const Context& ctx, std::optional<ForwardMethod> method);

// A fix that edits one node through edit::setNode (the GUI's "set" of a node value).
Result<void> editNode(Topology& topology, Id node, const std::function<void(Node&)>& change);
// The same for one destination of one service of one director.
Result<void> editDestination(Topology& topology, Id director, Id service, Id destination,
                             const std::function<void(Destination&)>& change);
Result<void> editService(Topology& topology, Id director, Id service,
                         const std::function<void(VirtualService&)>& change);

// The rule families (rules_modes.cpp, rules_general.cpp).
void natSameNetwork(Context& ctx);
void natGateway(Context& ctx);
void natIpForward(Context& ctx);
void natClientOnRsNetwork(Context& ctx);
void drSameSegment(Context& ctx);
void drVipOnLo(Context& ctx);
void drArpIgnore(Context& ctx);
void drArpAnnounce(Context& ctx);
void drGateway(Context& ctx);
void drPortMapping(Context& ctx);
void drRouterVip(Context& ctx);
void tunRoute(Context& ctx);
void tunVipOnTunl0(Context& ctx);
void tunIpip(Context& ctx);
void tunRpFilter(Context& ctx);
void tunPortMapping(Context& ctx);
void tunMtu(Context& ctx);
void fullnatLocalAddress(Context& ctx);
void fullnatLocalReach(Context& ctx);
void fullnatToa(Context& ctx);

void netDuplicateAddress(Context& ctx);
void netPrefixOverlap(Context& ctx);
void netGatewayUnreachable(Context& ctx);
void svcNoDestination(Context& ctx);
void svcWeightsZero(Context& ctx);
void svcShPersistence(Context& ctx);
void fwmNoRule(Context& ctx);
void fwmUnusedRule(Context& ctx);
void svcThreshold(Context& ctx);
void haSingleDirector(Context& ctx);
void vrrpRouterId(Context& ctx);
void vrrpAddresses(Context& ctx);
void vrrpTwoMasters(Context& ctx);
void checkPort(Context& ctx);

} // namespace lvs::core::validate::detail
