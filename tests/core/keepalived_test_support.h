// Shared by the keepalived export, import and keepalived -t tests: the bundled examples in a
// fixed order, and one director that uses every keyword the export can write.
#pragma once

#include "core/io/lvslab_file.h"
#include "core/model/topology.h"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace lvs::test {

inline const std::filesystem::path kSource = LVSLAB_SOURCE_DIR;

// The bundled examples, sorted so the rows come in the same order on every machine.
inline std::vector<std::filesystem::directory_entry> examples()
{
    std::vector<std::filesystem::directory_entry> all;
    for (const auto& entry : std::filesystem::directory_iterator(kSource / "examples"))
        if (entry.path().extension() == ".lvslab")
            all.push_back(entry);
    std::sort(all.begin(), all.end());
    return all;
}

// keepalived-ha's Director2 with sched flags, persistence granularity, alpha, sorry_server,
// lvs_method, thresholds, inhibit_on_failure, digest, connect_port, a UDP service, a fwmark
// service with PING_CHECK, and a sync group of two instances (one with nopreempt).
inline core::Topology everyKeywordDesign()
{
    using namespace lvs::core;
    Topology t = *loadLvslab((kSource / "examples" / "keepalived-ha.lvslab").string());
    Node& d = *t.findNode(t.findNodeByName("Director2")->id);
    VrrpInstance second = d.vrrp.front();
    second.name = "VI_2";
    second.virtualRouterId = 52;
    second.nopreempt = true;
    second.authPass.clear();
    second.virtualAddresses = {*Ipv4Prefix::parse("192.168.1.251/24")};
    d.vrrp.front().syncGroup = second.syncGroup = "VG_1";
    d.vrrp.push_back(second);
    VirtualService& s = d.services.front();
    s.check.digest = "9b3a0c85a887a256d6939da88aabd8cd";
    s.check.urlPath = "/health?full=1";
    s.check.statusCode = 204;
    s.check.connectPort = 8080;
    s.check.alpha = true;
    s.check.inhibitOnFailure = true;
    s.scheduler = "sh";
    s.schedFlags = {"sh-port", "sh-fallback"};
    s.persistence = 300;
    s.persistenceNetmask = Ipv4{0xffffff00u};
    s.sorryServer = std::pair{Ipv4{0xc0a801c8u}, std::uint16_t{80}};
    s.destinations[0].upperThreshold = 100;
    s.destinations[0].lowerThreshold = 10;
    s.destinations[0].weight = 2147483647;
    s.destinations[1].method = ForwardMethod::Tunnel;
    VirtualService fw = d.services.back();
    fw.fwmark = 10;
    fw.port = 0;
    fw.address = Ipv4{};
    fw.check.kind = CheckKind::Ping;
    fw.scheduler = "mh";
    fw.schedFlags = {"mh-port", "mh-fallback"};
    fw.persistence = 300;
    fw.destinations[0].port = fw.destinations[1].port = 0;
    d.services.push_back(fw);
    d.services[1].protocol = Protocol::Udp;
    return t;
}

} // namespace lvs::test
