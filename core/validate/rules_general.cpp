// Validation rules that hold in every mode: addressing, services, firewall marks, thresholds,
// high availability (keepalived/VRRP) and health checks.
#include "core/validate/rule_support.h"

#include <algorithm>
#include <map>

namespace lvs::core::validate::detail {

namespace {

std::string str(Ipv4 a)
{
    return a.toString();
}

std::string str(const Ipv4Prefix& p)
{
    return p.toString();
}

} // namespace

// ---- Addressing ----

void netDuplicateAddress(Context& ctx)
{
    // Interface addresses, VIPs bound on an Ethernet interface and FULLNAT local addresses all
    // answer ARP; VIPs on lo/tunl0 (hidden by arp_ignore) and VRRP addresses (one holder at a
    // time) are meant to be shared.
    std::map<Ipv4, std::string> holder;
    auto see = [&](const Subject& subject, Ipv4 address) {
        auto [it, fresh] = holder.emplace(address, subject.name);
        if (fresh)
            return;
        ctx.report(subject,
                   {"the address " + str(address) + " of " + subject.name + " is also held by " + it->second
                        + ": ARP would answer for it from two places",
                    subject.name + " 的地址 " + str(address) + " 同时配置在 " + it->second
                        + " 上：IP 地址冲突，ARP 会从两处应答"});
    };
    for (const Node& node : ctx.topology.nodes) {
        for (const Interface& iface : node.interfaces) {
            for (const Ipv4Prefix& p : iface.addresses)
                see(interfaceSubject(node, iface), p.address);
            for (const VipBinding& b : node.vips)
                if (b.device == VipDevice::Interface && b.interfaceId == iface.id)
                    see(interfaceSubject(node, iface), b.address.address);
        }
        for (Ipv4 l : node.localAddresses)
            see(nodeSubject(node), l);
    }
}

void netPrefixOverlap(Context& ctx)
{
    std::map<int, std::vector<Attachment>> byDomain;
    for (const Node& node : ctx.topology.nodes)
        for (const Attachment& a : ctx.net.attachments(node))
            byDomain[a.domain].push_back(a);
    for (const auto& [domain, list] : byDomain)
        for (std::size_t j = 1; j < list.size(); ++j)
            for (std::size_t i = 0; i < j; ++i) {
                const Ipv4Prefix& a = list[i].address;
                const Ipv4Prefix& b = list[j].address;
                if (!a.overlaps(b) || a.length == b.length)
                    continue;
                Subject s = interfaceSubject(*list[j].node, *list[j].interface);
                Id node = list[j].node->id, iface = list[j].interface->id;
                Ipv4Prefix was = b;
                Ipv4Prefix want{b.address, a.length};
                std::optional<Fix> fix;
                if (want.contains(a.address))
                    fix = Fix{{"give " + s.name + " the segment's prefix: " + str(want),
                               "把 " + s.name + " 的地址改为与网段一致的 " + str(want)},
                              [=](Topology& t) {
                                  return editNode(t, node, [&](Node& n) {
                                      for (Interface& x : n.interfaces)
                                          if (x.id == iface)
                                              std::replace(x.addresses.begin(), x.addresses.end(), was, want);
                                  });
                              }};
                ctx.report(s,
                           {s.name + "'s " + str(b) + " overlaps " + list[i].node->name + "." + list[i].interface->name
                                + "'s " + str(a) + " on one segment with another prefix length: the hosts disagree on who is on-link",
                            s.name + " 的 " + str(b) + " 与同一网段上 " + list[i].node->name + "." + list[i].interface->name
                                + " 的 " + str(a) + " 重叠但前缀长度不同：各主机对哪些地址直连的判断不一致"},
                           std::move(fix));
                break;
            }
}

void netGatewayUnreachable(Context& ctx)
{
    for (const Node& node : ctx.topology.nodes) {
        std::vector<Ipv4> gateways;
        if (node.defaultGateway)
            gateways.push_back(*node.defaultGateway);
        for (const Route& r : node.routes)
            gateways.push_back(r.via);
        for (Ipv4 gw : gateways) {
            auto mine = ctx.net.attachments(node);
            if (std::any_of(mine.begin(), mine.end(), [&](const Attachment& a) { return a.address.contains(gw); }))
                continue;
            ctx.report(nodeSubject(node),
                       {node.name + "'s gateway " + str(gw)
                            + " is in none of its connected networks: the kernel refuses the route (Network is unreachable)",
                        node.name + " 的网关 " + str(gw) + " 不在它任何直连网络中：内核拒绝该路由（Network is unreachable）"});
        }
    }
}

// ---- Services ----

void svcNoDestination(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& s : director.services)
            if (s.destinations.empty())
                ctx.report(serviceSubject(s),
                           {serviceName(s) + " on " + director.name + " has no real servers: every request to it is dropped",
                            director.name + " 上的集群服务 " + serviceName(s) + " 没有真实服务器：所有请求都会被丢弃"});
}

void svcWeightsZero(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& s : director.services) {
            if (s.destinations.empty()
                || std::any_of(s.destinations.begin(), s.destinations.end(),
                               [](const Destination& d) { return d.weight > 0; }))
                continue;
            Id dir = director.id, svc = s.id;
            ctx.report(serviceSubject(s),
                       {"every real server of " + serviceName(s)
                            + " has weight 0: the scheduler never chooses a weight-0 server, so new connections are refused",
                        serviceName(s) + " 的所有真实服务器权重都为 0：调度器不会选择权重为 0 的服务器，新连接全被拒绝"},
                       Fix{{"set every weight to 1", "把所有权重设为 1"},
                           [=](Topology& t) {
                               return editService(t, dir, svc, [](VirtualService& v) {
                                   for (Destination& d : v.destinations)
                                       d.weight = 1;
                               });
                           }});
        }
}

void svcShPersistence(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& s : director.services) {
            if (s.scheduler != "sh" || !s.persistence)
                continue;
            Id dir = director.id, svc = s.id;
            ctx.report(serviceSubject(s),
                       {serviceName(s)
                            + " uses sh with persistence: source hashing already sends a client to the same real server, so the persistence template is redundant",
                        serviceName(s) + " 同时使用 sh 调度和持久连接：源地址哈希已把同一客户端发往同一真实服务器，持久连接模板是多余的"},
                       Fix{{"remove the persistence (-p)", "去掉持久连接（-p）"},
                           [=](Topology& t) {
                               return editService(t, dir, svc, [](VirtualService& v) { v.persistence.reset(); });
                           }});
        }
}

void fwmNoRule(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const VirtualService& s : director.services) {
            if (s.fwmark == 0
                || std::any_of(director.fwmarkRules.begin(), director.fwmarkRules.end(),
                               [&](const FwmarkRule& r) { return r.mark == s.fwmark; }))
                continue;
            const std::string mark = std::to_string(s.fwmark);
            ctx.report(serviceSubject(s),
                       {"FWM " + mark + " on " + director.name + " has no iptables mangle rule setting mark " + mark
                            + ": no packet carries the mark, so the service never matches",
                        director.name + " 上的防火墙标记服务 FWM " + mark + " 没有设置该标记的 iptables mangle 规则：没有报文带此标记，集群服务永远不会匹配"});
        }
}

void fwmUnusedRule(Context& ctx)
{
    for (const Node& director : ctx.topology.nodes)
        for (const FwmarkRule& r : director.fwmarkRules) {
            if (std::any_of(director.services.begin(), director.services.end(),
                            [&](const VirtualService& s) { return s.fwmark == r.mark; }))
                continue;
            const std::string mark = std::to_string(r.mark);
            Id dir = director.id, rule = r.id;
            ctx.report(nodeSubject(director),
                       {director.name + " marks packets to " + str(r.destination) + " with " + mark
                            + " but has no FWM " + mark + " service: the marked packets are not balanced",
                        director.name + " 为发往 " + str(r.destination) + " 的报文打标记 " + mark
                            + "，但没有 FWM " + mark + " 集群服务：带标记的报文不会被调度"},
                       Fix{{"remove the mark rule " + mark, "删除标记规则 " + mark},
                           [=](Topology& t) {
                               return editNode(t, dir, [&](Node& n) {
                                   std::erase_if(n.fwmarkRules, [&](const FwmarkRule& x) { return x.id == rule; });
                               });
                           }});
        }
}

void svcThreshold(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, std::nullopt)) {
        const Destination& d = v.destination;
        if (d.lowerThreshold <= d.upperThreshold)
            continue;
        Id dir = v.director.id, svc = v.service.id, dest = d.id;
        const std::string x = std::to_string(d.upperThreshold), y = std::to_string(d.lowerThreshold);
        ctx.report(destinationSubject(v.service, d),
                   {"the lower threshold -y " + y + " of " + str(d.address) + " is above the upper threshold -x " + x
                        + ": the kernel refuses it (ERANGE)",
                    str(d.address) + " 的下限 -y " + y + " 大于上限 -x " + x + "：内核拒绝该设置（ERANGE）"},
                   Fix{{"set -y to 0 (the kernel then clears the overload at 3/4 of -x)",
                        "把 -y 设为 0（内核在连接数降到 -x 的 3/4 时解除过载）"},
                       [=](Topology& t) {
                           return editDestination(t, dir, svc, dest, [](Destination& target) { target.lowerThreshold = 0; });
                       }});
    }
}

// ---- High availability: seed 003 line 20, seed 004 lines 236-295 ----

void haSingleDirector(Context& ctx)
{
    std::vector<const Node*> directors;
    for (const Node& n : ctx.topology.nodes)
        if (n.kind == NodeKind::Director && !n.services.empty())
            directors.push_back(&n);
    if (directors.size() != 1)
        return;
    const Node& d = *directors.front();
    ctx.report(nodeSubject(d),
               {d.name + " is the only director, a single point of failure (SPOF): add a second director with keepalived (VRRP MASTER/BACKUP)",
                d.name + " 是唯一的调度器，存在单点故障（SPOF）：可用 keepalived 增加一台备用调度器（VRRP MASTER/BACKUP）"});
}

namespace {

// VRRP instances grouped by name across directors: keepalived peers share the instance name.
std::map<std::string, std::vector<std::pair<const Node*, const VrrpInstance*>>> vrrpPeers(const Context& ctx)
{
    std::map<std::string, std::vector<std::pair<const Node*, const VrrpInstance*>>> peers;
    for (const Node& n : ctx.topology.nodes)
        if (n.kind == NodeKind::Director)
            for (const VrrpInstance& v : n.vrrp)
                peers[v.name].push_back({&n, &v});
    return peers;
}

Result<void> editVrrp(Topology& t, Id node, Id instance, const std::function<void(VrrpInstance&)>& change)
{
    return editNode(t, node, [&](Node& n) {
        for (VrrpInstance& v : n.vrrp)
            if (v.id == instance)
                change(v);
    });
}

} // namespace

void vrrpRouterId(Context& ctx)
{
    for (const auto& [name, list] : vrrpPeers(ctx))
        for (std::size_t i = 1; i < list.size(); ++i) {
            const auto& [first, a] = list.front();
            const auto& [node, b] = list[i];
            if (a->virtualRouterId == b->virtualRouterId)
                continue;
            const int want = a->virtualRouterId;
            Id nodeId = node->id, inst = b->id;
            ctx.report(nodeSubject(*node),
                       {"VRRP " + name + ": " + node->name + " uses virtual_router_id " + std::to_string(b->virtualRouterId)
                            + " but " + first->name + " uses " + std::to_string(want)
                            + ": peers of one instance must share it, or each becomes MASTER and both hold the VIP",
                        "VRRP " + name + "：" + node->name + " 的 virtual_router_id 为 " + std::to_string(b->virtualRouterId)
                            + "，而 " + first->name + " 为 " + std::to_string(want)
                            + "：同一实例的各节点必须一致，否则都会成为 MASTER 并同时持有 VIP"},
                       Fix{{"set virtual_router_id " + std::to_string(want) + " on " + node->name,
                            "把 " + node->name + " 的 virtual_router_id 设为 " + std::to_string(want)},
                           [=](Topology& t) {
                               return editVrrp(t, nodeId, inst, [&](VrrpInstance& v) { v.virtualRouterId = want; });
                           }});
        }
}

void vrrpAddresses(Context& ctx)
{
    for (const auto& [name, list] : vrrpPeers(ctx))
        for (std::size_t i = 1; i < list.size(); ++i) {
            const auto& [first, a] = list.front();
            const auto& [node, b] = list[i];
            auto sorted = [](std::vector<Ipv4Prefix> v) {
                std::sort(v.begin(), v.end());
                return v;
            };
            if (sorted(a->virtualAddresses) == sorted(b->virtualAddresses))
                continue;
            std::vector<Ipv4Prefix> want = a->virtualAddresses;
            Id nodeId = node->id, inst = b->id;
            ctx.report(nodeSubject(*node),
                       {"VRRP " + name + ": " + node->name + "'s virtual_ipaddress differs from " + first->name
                            + "'s: after a failover the new MASTER would not hold the same VIPs",
                        "VRRP " + name + "：" + node->name + " 的 virtual_ipaddress 与 " + first->name
                            + " 不同：故障切换后新的 MASTER 不会持有相同的 VIP"},
                       Fix{{"copy " + first->name + "'s virtual_ipaddress to " + node->name,
                            "把 " + first->name + " 的 virtual_ipaddress 复制到 " + node->name},
                           [=](Topology& t) {
                               return editVrrp(t, nodeId, inst, [&](VrrpInstance& v) { v.virtualAddresses = want; });
                           }});
        }
}

void vrrpTwoMasters(Context& ctx)
{
    for (const auto& [name, list] : vrrpPeers(ctx)) {
        const Node* master = nullptr;
        for (const auto& [node, v] : list) {
            if (v->state != VrrpState::Master)
                continue;
            if (!master) {
                master = node;
                continue;
            }
            Id nodeId = node->id, inst = v->id;
            ctx.report(nodeSubject(*node),
                       {"VRRP " + name + ": " + node->name + " and " + master->name
                            + " both start as MASTER: until the advertisements settle it, both hold the VIP",
                        "VRRP " + name + "：" + node->name + " 和 " + master->name
                            + " 都以 MASTER 启动：在通告协商完成前两者会同时持有 VIP"},
                       Fix{{"start " + node->name + " as BACKUP", "让 " + node->name + " 以 BACKUP 状态启动"},
                           [=](Topology& t) {
                               return editVrrp(t, nodeId, inst, [](VrrpInstance& x) { x.state = VrrpState::Backup; });
                           }});
        }
    }
}

// ---- Health checks: seed 004 lines 226-233 and 297-313 ----

void checkPort(Context& ctx)
{
    for (const DestinationView& v : destinations(ctx, std::nullopt)) {
        const HealthCheck& check = v.service.check;
        if (!v.realServer || (check.kind != CheckKind::TcpCheck && check.kind != CheckKind::HttpGet))
            continue;
        const std::uint16_t port = check.connectPort.value_or(destinationPort(v.service, v.destination));
        if (port == 0)
            continue; // a port-0 or mark service without connect_port: keepalived needs one, not ours to guess
        const auto& apps = v.realServer->apps;
        if (std::any_of(apps.begin(), apps.end(),
                        [&](const AppService& a) { return a.port == port && a.kind != AppKind::UdpEcho; }))
            continue;
        const std::string& rs = v.realServer->name;
        const std::string checker(toString(check.kind));
        const std::string p = std::to_string(port);
        Id rsId = v.realServer->id;
        AppService app{check.kind == CheckKind::HttpGet ? AppKind::Http : AppKind::TcpEcho, port, {}};
        const std::string appName(toString(app.kind));
        ctx.report(destinationSubject(v.service, v.destination),
                   {checker + " probes " + rs + " on TCP port " + p + ", which " + rs
                        + " does not serve: the check fails and keepalived removes the real server",
                    checker + " 检测 " + rs + " 的 TCP 端口 " + p + "，但 " + rs
                        + " 没有在该端口提供服务：健康状态检测失败，keepalived 会移除该真实服务器"},
                   Fix{{"run " + appName + " on port " + p + " on " + rs,
                        "在 " + rs + " 上运行端口 " + p + " 的 " + appName + " 服务"},
                       [=](Topology& t) {
                           return editNode(t, rsId, [&](Node& n) { n.apps.push_back(app); });
                       }});
    }
}

} // namespace lvs::core::validate::detail
