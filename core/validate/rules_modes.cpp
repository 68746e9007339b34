// Validation rules of the four forwarding modes: NAT, DR, TUN, FULLNAT (seed 002 lines 153-229,
// seed 003 lines 129-189).
#include "core/validate/rule_support.h"

#include <algorithm>

namespace lvs::core::validate::detail {

namespace {

std::string str(Ipv4 a)
{
    return a.toString();
}

// The director's interface address whose network holds an address: the DIP toward it.
std::optional<Attachment> dipFor(const Context& ctx, const Node& director, Ipv4 address)
{
    std::optional<Attachment> best;
    for (const Attachment& a : ctx.net.attachments(director))
        if (a.address.contains(address) && (!best || a.address.length > best->address.length))
            best = a;
    return best;
}

// The interface of a real server that faces its director: the RIP's, else one on a domain the
// director shares.
const Interface* facingInterface(const Context& ctx, const DestinationView& v)
{
    if (v.rip)
        return v.rip->interface;
    for (const Interface& iface : v.realServer->interfaces)
        for (const Attachment& a : ctx.net.attachments(v.director))
            if (a.domain == ctx.net.domainOf(iface.id))
                return &iface;
    return nullptr;
}

bool hasVipOn(const Node& rs, Ipv4 vip, VipDevice device)
{
    return std::any_of(rs.vips.begin(), rs.vips.end(), [&](const VipBinding& b) {
        return b.address.address == vip && b.device == device && b.address.length == 32;
    });
}

Fix bindVipFix(Id rs, Ipv4 vip, VipDevice device, const std::string& rsName)
{
    const std::string dev(toString(device));
    return Fix{{"bind " + str(vip) + "/32 on " + rsName + "'s " + dev,
                "在 " + rsName + " 的 " + dev + " 上配置 " + str(vip) + "/32"},
               [=](Topology& t) {
                   return editNode(t, rs, [&](Node& n) {
                       std::erase_if(n.vips, [&](const VipBinding& b) { return b.address.address == vip; });
                       n.vips.push_back(VipBinding{Ipv4Prefix{vip, 32}, device, kNoId});
                   });
               }};
}

Fix setSysctlsFix(Id node, const std::string& nodeName, std::vector<std::string> keys, int value)
{
    std::string list;
    for (const std::string& k : keys)
        list += (list.empty() ? "" : ", ") + k + "=" + std::to_string(value);
    return Fix{{"set " + list + " on " + nodeName, "在 " + nodeName + " 上设置 " + list},
               [=](Topology& t) {
                   return editNode(t, node, [&](Node& n) {
                       for (const std::string& k : keys)
                           n.sysctls[k] = value;
                   });
               }};
}

// Every real server of a mode holds each VIP of its service on a device (lo for DR, tunl0 for
// TUN) as /32; the fix binds it there.
void requireVipOn(Context& ctx, ForwardMethod method, VipDevice device,
                  const std::function<Text(const std::string&, Ipv4)>& message)
{
    for (const DestinationView& v : destinations(ctx, method)) {
        if (!v.realServer)
            continue;
        for (Ipv4 vip : serviceVips(v.director, v.service))
            if (!hasVipOn(*v.realServer, vip, device))
                ctx.report(nodeSubject(*v.realServer), message(v.realServer->name, vip),
                           bindVipFix(v.realServer->id, vip, device, v.realServer->name));
    }
}

void portMapping(Context& ctx, ForwardMethod method, const char* mode)
{
    for (const DestinationView& v : destinations(ctx, method)) {
        if (v.destination.port == 0 || v.destination.port == v.service.port)
            continue;
        const std::string sport = std::to_string(v.service.port);
        const std::string dport = std::to_string(v.destination.port);
        Id director = v.director.id, service = v.service.id, dest = v.destination.id;
        std::uint16_t port = v.service.port;
        ctx.report(destinationSubject(v.service, v.destination),
                   {std::string(mode) + ": " + serviceName(v.service) + " maps port " + sport + " to "
                        + str(v.destination.address) + ":" + dport + ", but " + mode
                        + " cannot map ports (the packet keeps its destination port; ipvsadm sets the real server's port to the service's)",
                    std::string(mode) + "：" + serviceName(v.service) + " 把端口 " + sport + " 映射到 "
                        + str(v.destination.address) + ":" + dport + "，但 " + mode
                        + " 模型不支持端口映射（报文的目标端口不变）"},
                   Fix{{"use port " + (port ? sport : std::string("0 (the service's)")) + " for the real server",
                        "真实服务器使用端口 " + (port ? sport : std::string("0（与集群服务相同）"))},
                       [=](Topology& t) {
                           return editDestination(t, director, service, dest,
                                                  [&](Destination& d) { d.port = port; });
                       }});
    }
}

} // namespace

// ---- NAT: seed 002 lines 157-161, seed 003 lines 131-133 and 532-533 ----

void natSameNetwork(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Masq)) {
        std::optional<Attachment> dip = dipFor(ctx, v.director, v.destination.address);
        const std::string rs = v.realServer ? v.realServer->name : str(v.destination.address);
        if (dip && (!v.rip || v.rip->domain == dip->domain))
            continue;
        std::string en = "NAT: " + rs + "'s RIP " + str(v.destination.address);
        std::string zh = "NAT：" + rs + " 的 RIP " + str(v.destination.address);
        if (!dip) {
            en += " is in no network of " + v.director.name
                  + " (no DIP); RIP and DIP must be in one IP network";
            zh += " 不在调度器 " + v.director.name + " 的任何网络中（没有对应的 DIP）；RIP 和 DIP 必须在同一个 IP 网络";
        } else {
            en += " is not on the segment of the DIP " + str(dip->address.address)
                  + "; RIP and DIP must be in one IP network on one segment";
            zh += " 与 DIP " + str(dip->address.address) + " 不在同一网段；RIP 和 DIP 必须在同一个 IP 网络";
        }
        ctx.report(destinationSubject(v.service, v.destination), {en, zh});
    }
}

void natGateway(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Masq)) {
        if (!v.realServer)
            continue;
        std::optional<Attachment> dip = dipFor(ctx, v.director, v.destination.address);
        if (!dip || (v.rip && v.rip->domain != dip->domain))
            continue; // NAT-SAME-NETWORK says it
        const Ipv4 gw = dip->address.address;
        if (v.realServer->defaultGateway == gw)
            continue;
        const std::string& rs = v.realServer->name;
        Id rsId = v.realServer->id;
        ctx.report(nodeSubject(*v.realServer),
                   {"NAT: " + rs + "'s default gateway must be the DIP " + str(gw)
                        + " (replies must return through the director to be rewritten)",
                    "NAT：" + rs + " 的默认网关必须指向 DIP " + str(gw) + "（响应报文必须经由调度器才能改写源地址）"},
                   Fix{{"set " + rs + "'s default gateway to " + str(gw),
                        "把 " + rs + " 的默认网关设为 " + str(gw)},
                       [=](Topology& t) {
                           return editNode(t, rsId, [&](Node& n) { n.defaultGateway = gw; });
                       }});
    }
}

void natIpForward(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Masq)) {
        if (sysctl(v.director, "net.ipv4.ip_forward") == 1)
            continue;
        const std::string& d = v.director.name;
        ctx.report(nodeSubject(v.director),
                   {"NAT: " + d + " must forward packets (net.ipv4.ip_forward=1): requests and replies both pass through it",
                    "NAT：调度器 " + d + " 必须开启核心转发（net.ipv4.ip_forward=1），请求和响应报文都经由它转发"},
                   setSysctlsFix(v.director.id, d, {"net.ipv4.ip_forward"}, 1));
    }
}

void natClientOnRsNetwork(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Masq)) {
        if (!v.rip)
            continue;
        for (const Node& client : ctx.topology.nodes) {
            if (client.kind != NodeKind::Client)
                continue;
            for (const Attachment& c : ctx.net.attachments(client)) {
                if (!v.rip->address.contains(c.address.address))
                    continue;
                const std::string net = v.rip->address.network().toString() + "/"
                                        + std::to_string(v.rip->address.length);
                const std::string& rs = v.realServer->name;
                ctx.report(nodeSubject(client),
                           {"NAT: " + client.name + " (" + str(c.address.address) + ") is inside " + rs
                                + "'s network " + net + ": " + rs
                                + " would answer it directly, bypassing the director, and the client drops a reply from the RIP",
                            "NAT：客户端 " + client.name + "（" + str(c.address.address) + "）位于 " + rs
                                + " 的网络 " + net + " 内：" + rs
                                + " 会直接响应，绕过调度器，客户端收到源地址为 RIP 的响应会丢弃"});
            }
        }
    }
}

// ---- DR: seed 002 lines 167-193, seed 003 lines 140-154 and 540-560, seed 004 lines 174-188 ----

void drSameSegment(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Route)) {
        if (!v.realServer || ctx.net.sharedDomain(v.director, *v.realServer) >= 0)
            continue;
        const std::string& rs = v.realServer->name;
        ctx.report(destinationSubject(v.service, v.destination),
                   {"DR: " + rs + " and " + v.director.name
                        + " must be on one physical network (L2 segment): the director only rewrites the destination MAC",
                    "DR：" + rs + " 和调度器 " + v.director.name + " 必须在同一物理网络：调度器只修改目标 MAC 地址"});
    }
}

void drVipOnLo(Context& ctx)
{
    requireVipOn(ctx, ForwardMethod::Route, VipDevice::Loopback, [](const std::string& rs, Ipv4 vip) {
        return Text{"DR: " + rs + " must hold the VIP " + str(vip)
                        + "/32 on lo, or it drops the requests the director forwards unchanged (CIP -> VIP)",
                    "DR：" + rs + " 必须在本地回环接口 lo 上配置 VIP " + str(vip)
                        + "/32，否则会丢弃调度器原样转发的请求报文（CIP -> VIP）"};
    });
}

namespace {

void drArpSetting(Context& ctx, const std::string& setting, int wanted, bool orTwo)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Route)) {
        if (!v.realServer)
            continue;
        const Interface* iface = facingInterface(ctx, v);
        if (!iface)
            continue;
        int value = effectiveMaxConf(*v.realServer, iface->name, setting);
        if (value == wanted || (orTwo && value == 2))
            continue;
        const std::string& rs = v.realServer->name;
        const std::string why = setting == "arp_ignore"
            ? "so that only the director answers ARP for the VIP"
            : "so that the VIP on lo is never announced as an ARP source";
        const std::string whyZh = setting == "arp_ignore"
            ? "只有调度器响应对 VIP 的 ARP 请求"
            : "lo 上的 VIP 不会被用作 ARP 通告的源地址";
        ctx.report(nodeSubject(*v.realServer),
                   {"DR: " + rs + " needs " + setting + "=" + std::to_string(wanted) + " on " + iface->name
                        + " (the kernel uses the larger of conf/all and conf/" + iface->name + "; now "
                        + std::to_string(value) + ") " + why,
                    "DR：" + rs + " 的 " + iface->name + " 需要 " + setting + "=" + std::to_string(wanted)
                        + "（内核取 conf/all 与 conf/" + iface->name + " 中的较大值，当前为 "
                        + std::to_string(value) + "），使" + whyZh},
                   setSysctlsFix(v.realServer->id, rs,
                                 {"net.ipv4.conf.all." + setting,
                                  "net.ipv4.conf." + iface->name + "." + setting},
                                 wanted));
    }
}

} // namespace

void drArpIgnore(Context& ctx)
{
    drArpSetting(ctx, "arp_ignore", 1, true);
}

void drArpAnnounce(Context& ctx)
{
    drArpSetting(ctx, "arp_announce", 2, false);
}

void drGateway(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Route)) {
        if (!v.realServer || !v.realServer->defaultGateway
            || !Connectivity::owns(v.director, *v.realServer->defaultGateway))
            continue;
        const std::string& rs = v.realServer->name;
        const Ipv4 gw = *v.realServer->defaultGateway;
        // The fix: a router on the RS's segment with an address in the RIP's network.
        std::optional<Ipv4> router;
        if (v.rip)
            for (const Attachment& a : ctx.net.onDomain(v.rip->domain))
                if (a.node->kind == NodeKind::Router && v.rip->address.contains(a.address.address)) {
                    router = a.address.address;
                    break;
                }
        std::optional<Fix> fix;
        if (router) {
            Id rsId = v.realServer->id;
            Ipv4 to = *router;
            fix = Fix{{"set " + rs + "'s default gateway to the router " + str(to),
                       "把 " + rs + " 的默认网关设为路由器 " + str(to)},
                      [=](Topology& t) {
                          return editNode(t, rsId, [&](Node& n) { n.defaultGateway = to; });
                      }};
        }
        ctx.report(nodeSubject(*v.realServer),
                   {"DR: " + rs + "'s default gateway " + str(gw) + " is the director " + v.director.name
                        + "; it must not be, so that replies go to the client directly, not back through the director",
                    "DR：" + rs + " 的默认网关 " + str(gw) + " 指向了调度器 " + v.director.name
                        + "；RIP 的网关不能指向 DIP，以确保响应报文不经由调度器"},
                   std::move(fix));
    }
}

void drPortMapping(Context& ctx)
{
    portMapping(ctx, ForwardMethod::Route, "DR");
}

void drRouterVip(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes) {
        for (const VirtualService& service : director.services) {
            bool dr = std::any_of(service.destinations.begin(), service.destinations.end(),
                                  [](const Destination& d) { return d.method == ForwardMethod::Route; });
            if (!dr)
                continue;
            for (Ipv4 vip : serviceVips(director, service)) {
                // The segments where the director holds the VIP.
                std::vector<Attachment> sides;
                for (const Attachment& a : ctx.net.attachments(director)) {
                    bool holds = a.address.contains(vip);
                    for (const VipBinding& b : director.vips)
                        holds = holds || (b.address.address == vip && b.device == VipDevice::Interface
                                          && b.interfaceId == a.interface->id);
                    for (const VrrpInstance& i : director.vrrp)
                        for (const Ipv4Prefix& p : i.virtualAddresses)
                            holds = holds || (p.address == vip && i.interfaceId == a.interface->id);
                    if (holds)
                        sides.push_back(a);
                }
                for (const Attachment& side : sides) {
                    const Node* firstRouter = nullptr;
                    bool reaches = false;
                    for (const Attachment& r : ctx.net.onDomain(side.domain)) {
                        if (r.node->kind != NodeKind::Router)
                            continue;
                        firstRouter = firstRouter ? firstRouter : r.node;
                        if (r.address.contains(vip))
                            reaches = true;
                        for (const Route& route : r.node->routes)
                            if (route.destination.contains(vip) && Connectivity::owns(director, route.via))
                                reaches = true;
                    }
                    if (!firstRouter || reaches)
                        continue;
                    Id routerId = firstRouter->id;
                    Ipv4 dip = side.address.address;
                    const std::string& rn = firstRouter->name;
                    ctx.report(serviceSubject(service),
                               {"DR: the router " + rn + " has no route to the VIP " + str(vip)
                                    + ": it needs the VIP's network on its interface or a route to it via the director",
                                "DR：前端路由器 " + rn + " 没有到 VIP " + str(vip)
                                    + " 的路由：其接口需在 VIP 所在网络，或有经由调度器的路由"},
                               Fix{{"add the route " + str(vip) + "/32 via " + str(dip) + " on " + rn,
                                    "在 " + rn + " 上添加路由 " + str(vip) + "/32 via " + str(dip)},
                                   [=](Topology& t) {
                                       return editNode(t, routerId, [&](Node& n) {
                                           n.routes.push_back(Route{Ipv4Prefix{vip, 32}, dip});
                                       });
                                   }});
                    break;
                }
            }
        }
    }
}

// ---- TUN: seed 002 lines 197-211, seed 003 lines 158-176 ----

void tunRoute(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Tunnel)) {
        if (!v.realServer)
            continue;
        const Node* there = ctx.net.route(v.director, v.destination.address);
        bool back = false;
        std::string dip;
        for (const Attachment& a : ctx.net.attachments(v.director)) {
            if (dip.empty())
                dip = str(a.address.address);
            back = back || ctx.net.route(*v.realServer, a.address.address) == &v.director;
        }
        if (there == v.realServer && back)
            continue;
        const std::string& rs = v.realServer->name;
        ctx.report(destinationSubject(v.service, v.destination),
                   {"TUN: " + v.director.name + " (DIP " + dip + ") and " + rs + " (RIP "
                        + str(v.destination.address)
                        + ") must reach each other over IP: the director sends each request inside a DIP -> RIP packet",
                    "TUN：调度器 " + v.director.name + "（DIP " + dip + "）与 " + rs + "（RIP "
                        + str(v.destination.address) + "）必须能经路由互通：调度器把请求封装在 DIP -> RIP 的 IP 报文中发送"});
    }
}

void tunVipOnTunl0(Context& ctx)
{
    requireVipOn(ctx, ForwardMethod::Tunnel, VipDevice::Tunnel, [](const std::string& rs, Ipv4 vip) {
        return Text{"TUN: " + rs + " must hold the VIP " + str(vip)
                        + " on tunl0: the decapsulated request is addressed to the VIP and arrives on tunl0",
                    "TUN：" + rs + " 必须在隧道接口 tunl0 上配置 VIP " + str(vip)
                        + "：解封装后的请求报文目标地址是 VIP，从 tunl0 进入"};
    });
}

void tunIpip(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Tunnel)) {
        if (!v.realServer)
            continue;
        const std::string& rs = v.realServer->name;
        ctx.report(nodeSubject(*v.realServer),
                   {"TUN: " + rs + " must support IP tunnelling: load the ipip module (modprobe ipip creates tunl0)",
                    "TUN：" + rs + " 的系统必须支持隧道功能：加载 ipip 模块（modprobe ipip 会创建 tunl0）"});
    }
}

void tunRpFilter(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::Tunnel)) {
        if (!v.realServer)
            continue;
        const Node& node = *v.realServer;
        if (sysctl(node, "net.ipv4.conf.all.rp_filter") == 0
            && sysctl(node, "net.ipv4.conf.tunl0.rp_filter") == 0)
            continue;
        std::vector<std::string> keys{"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.tunl0.rp_filter"};
        if (const Interface* iface = facingInterface(ctx, v))
            keys.push_back("net.ipv4.conf." + iface->name + ".rp_filter");
        ctx.report(nodeSubject(node),
                   {"TUN: " + node.name
                        + " needs rp_filter=0 on all and tunl0 (set explicitly; distributions default to 1 or 2): a request from the CIP arrives on tunl0 but the route back to the CIP leaves by another interface, so reverse-path filtering drops it",
                    "TUN：" + node.name
                        + " 需要在 all 和 tunl0 上设置 rp_filter=0（须显式设置，发行版默认为 1 或 2）：来自 CIP 的请求从 tunl0 进入，而回 CIP 的路由走另一个接口，反向路径过滤会丢弃它"},
                   setSysctlsFix(node.id, node.name, keys, 0));
    }
}

void tunPortMapping(Context& ctx)
{
    portMapping(ctx, ForwardMethod::Tunnel, "TUN");
}

void tunMtu(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& service : director.services)
            if (std::any_of(service.destinations.begin(), service.destinations.end(),
                            [](const Destination& d) { return d.method == ForwardMethod::Tunnel; }))
                ctx.report(serviceSubject(service),
                           {"TUN: the outer IP header adds 20 bytes to each request; full-size (1500-byte) packets need fragmentation, so lower the clients' MSS or the path MTU to 1480",
                            "TUN：外层 IP 首部使每个请求报文增加 20 字节；1500 字节的满载报文需要分片，应把 MSS 或路径 MTU 降到 1480"});
}

// ---- FULLNAT: seed 002 lines 215-229, seed 003 lines 180-189 ----

void fullnatLocalAddress(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::FullNat)) {
        if (!v.director.localAddresses.empty())
            continue;
        // The fix: a free address in the network the director shares with the RS.
        std::optional<Ipv4> free;
        if (std::optional<Attachment> side = dipFor(ctx, v.director, v.destination.address)) {
            const Ipv4Prefix net = side->address;
            std::uint32_t last = net.network().value | ~net.netmask();
            for (std::uint32_t a = last - 1; a > net.network().value && !free; --a) {
                bool taken = std::any_of(ctx.topology.nodes.begin(), ctx.topology.nodes.end(),
                                         [&](const Node& n) { return Connectivity::owns(n, Ipv4{a}); });
                if (!taken)
                    free = Ipv4{a};
            }
        }
        std::optional<Fix> fix;
        const std::string& d = v.director.name;
        if (free) {
            Id id = v.director.id;
            Ipv4 laddr = *free;
            fix = Fix{{"add the local address " + str(laddr) + " to " + d,
                       "为调度器 " + d + " 添加本地地址 " + str(laddr)},
                      [=](Topology& t) {
                          return editNode(t, id, [&](Node& n) { n.localAddresses.push_back(laddr); });
                      }};
        }
        ctx.report(nodeSubject(v.director),
                   {"FULLNAT: " + d
                        + " has no local addresses: it rewrites each request's source CIP to a local address, and the real servers reply to it",
                    "FULLNAT：调度器 " + d + " 没有本地地址（local address）：它把请求报文的源地址 CIP 改为本地地址，真实服务器向该地址响应"},
                   std::move(fix));
    }
}

void fullnatLocalReach(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, ForwardMethod::FullNat)) {
        if (!v.realServer || v.director.localAddresses.empty())
            continue;
        bool reaches = std::any_of(v.director.localAddresses.begin(), v.director.localAddresses.end(),
                                   [&](Ipv4 l) { return ctx.net.route(*v.realServer, l) == &v.director; });
        if (reaches)
            continue;
        const std::string& rs = v.realServer->name;
        ctx.report(destinationSubject(v.service, v.destination),
                   {"FULLNAT: " + rs + " cannot reach any local address of " + v.director.name
                        + ": its replies go to the local address and must return to the director",
                    "FULLNAT：" + rs + " 无法到达调度器 " + v.director.name
                        + " 的任何本地地址：响应报文发往本地地址，必须回到调度器"});
    }
}

void fullnatToa(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& service : director.services)
            if (std::any_of(service.destinations.begin(), service.destinations.end(),
                            [](const Destination& d) { return d.method == ForwardMethod::FullNat; }))
                ctx.report(serviceSubject(service),
                           {"FULLNAT: the real servers of " + serviceName(service)
                                + " see a local address of the director as the client, not the CIP, unless the TOA module carries it",
                            "FULLNAT：" + serviceName(service)
                                + " 的真实服务器看到的源地址是调度器的本地地址而不是 CIP，除非使用 TOA 模块传递客户端地址"});
}

} // namespace lvs::core::validate::detail
