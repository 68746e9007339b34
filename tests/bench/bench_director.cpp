// lvs-director against the direct path, measured in the same run on this machine (needs root;
// exits 77 to skip otherwise). The lvs-dr lab: the client opens one new HTTP connection per
// request (a SYN through the director each time) to the VIP, through the router and
// lvs-director to a real server; the direct path sends the same requests from the same client
// through the same router straight to the real servers' own addresses. Bounded: 3000 requests
// per path, 0.5 s per request at most, and the lab is removed at the end.
#include "core/io/lvslab_file.h"
#include "emu/lab/executor.h"
#include "emu/lab/libnl_ops.h"
#include "emu/lab/traffic.h"

#include <chrono>
#include <cstdio>
#include <unistd.h>

using namespace lvs::emu::lab;

namespace {

double rate(const std::string& ns, const char* address, int requests, int& answered)
{
    TrafficSpec spec;
    spec.ns = ns;
    spec.address = *lvs::core::Ipv4::parse(address);
    spec.port = 80;
    spec.requests = requests;
    auto r = runTraffic(spec);
    if (!r)
        return 0;
    answered = 0;
    for (const auto& [server, n] : r->servers)
        answered += n;
    return answered / std::max(0.001, std::chrono::duration<double>(r->elapsed).count());
}

} // namespace

int main()
{
    if (geteuid() != 0) {
        std::printf("SKIP: bench_director makes network namespaces: it needs root\n");
        return 77;
    }
    const std::string file = LVSLAB_SOURCE_DIR "/examples/lvs-dr.lvslab";
    auto topology = lvs::core::loadLvslab(file);
    auto plan = makePlan(*topology, "zbench");
    LibnlOps ops;
    FileManifestStore store;
    LabExecutor exec(ops, store);
    (void)exec.down("zbench");
    auto m = exec.up(*plan, file);
    if (!m) {
        std::printf("lab: %s\n", m.error().message.c_str());
        return 1;
    }
    const std::string client = m->nodes.at("Client");
    int viaAnswered = 0, directAnswered = 0, warm = 0;
    rate(client, "172.18.100.7", 50, warm); // ARP caches and the director's neighbours
    const int n = 3000;
    const double direct = rate(client, "172.18.100.11", n, directAnswered);
    const double via = rate(client, "172.18.100.7", n, viaAnswered);
    (void)exec.down("zbench");
    std::printf("new HTTP connections per second, one client, lvs-dr lab, %d requests per path\n", n);
    std::printf("  direct to a real server (router only):   %8.0f/s  (%d answered)\n", direct, directAnswered);
    std::printf("  through lvs-director (DR, AF_PACKET):     %8.0f/s  (%d answered)\n", via, viaAnswered);
    std::printf("  ratio director/direct:                    %8.2f\n", direct > 0 ? via / direct : 0.0);
    return viaAnswered == n && directAnswered == n ? 0 : 1;
}
