#include "emu/lab/capture.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <thread>
#include <unistd.h>

namespace lvs::emu::lab {

namespace {

core::Result<CaptureResult> captureHere(const CaptureSpec& spec)
{
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_create(spec.interface.c_str(), errbuf);
    if (!p)
        return core::fail("capture on " + spec.interface + ": " + errbuf);
    pcap_set_snaplen(p, 65535);
    pcap_set_promisc(p, 1);
    pcap_set_timeout(p, 100);
    pcap_set_immediate_mode(p, 1);
    if (int rc = pcap_activate(p); rc < 0) {
        std::string e = pcap_geterr(p);
        pcap_close(p);
        return core::fail("capture on " + spec.interface + ": " + e);
    }
    if (!spec.filter.empty()) {
        bpf_program prog{};
        if (pcap_compile(p, &prog, spec.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0) {
            std::string e = pcap_geterr(p);
            pcap_close(p);
            return core::fail("capture filter \"" + spec.filter + "\": " + e);
        }
        pcap_freecode(&prog);
    }
    const std::string temporary = spec.path + ".part";
    pcap_dumper_t* dump = pcap_dump_open(p, temporary.c_str());
    if (!dump) {
        std::string e = pcap_geterr(p);
        pcap_close(p);
        return core::fail("capture file " + spec.path + ": " + e);
    }
    pcap_setnonblock(p, 1, errbuf);
    if (spec.ready)
        spec.ready();
    CaptureResult result;
    const auto start = std::chrono::steady_clock::now();
    const int fd = pcap_get_selectable_fd(p);
    while (result.packets < spec.maxPackets) {
        const auto now = std::chrono::steady_clock::now();
        if (now - start >= spec.maxTime)
            break;
        fd_set set;
        FD_ZERO(&set);
        FD_SET(fd, &set);
        timeval tv{0, 50000};
        ::select(fd + 1, &set, nullptr, nullptr, &tv);
        int n = pcap_dispatch(p, spec.maxPackets - result.packets, pcap_dump, reinterpret_cast<u_char*>(dump));
        if (n < 0)
            break;
        result.packets += n;
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    pcap_dump_flush(dump);
    pcap_dump_close(dump);
    pcap_close(p);
    if (std::rename(temporary.c_str(), spec.path.c_str()) != 0) {
        const int e = errno;
        std::remove(temporary.c_str());
        return core::fail("capture file " + spec.path + ": " + std::strerror(e));
    }
    return result;
}

} // namespace

core::Result<CaptureResult> capture(const CaptureSpec& spec)
{
    if (spec.maxPackets < 1 || spec.maxTime.count() < 1)
        return core::fail("a capture needs a packet count and a time limit above 0");
    if (spec.ns.empty())
        return captureHere(spec);
    // setns changes only the calling thread's namespace: capture from a thread of its own.
    core::Result<CaptureResult> result = core::fail("capture did not run");
    std::thread worker([&] {
        const std::string path = "/run/netns/" + spec.ns;
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            result = core::fail("no namespace " + spec.ns + ": " + std::strerror(errno));
            return;
        }
        if (::setns(fd, CLONE_NEWNET) != 0) {
            result = core::fail("cannot enter " + spec.ns + ": " + std::strerror(errno));
            ::close(fd);
            return;
        }
        ::close(fd);
        result = captureHere(spec);
    });
    worker.join();
    return result;
}

} // namespace lvs::emu::lab
