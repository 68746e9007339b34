// Captures of a lab interface as pcap files that Wireshark and tshark open (libpcap's
// savefile format), taken inside the node's network namespace and bounded in packets and time.
#pragma once

#include "core/util/result.h"

#include <chrono>
#include <functional>
#include <string>

namespace lvs::emu::lab {

struct CaptureSpec {
    std::string ns;        // the node's namespace ("" for the caller's own: tests on lo)
    std::string interface; // "eth0", or "any"
    std::string path;      // the pcap file (written atomically: a temporary file renamed into place)
    std::string filter;    // a BPF filter (tcpdump syntax), "" for everything
    int maxPackets = 1000;
    std::chrono::milliseconds maxTime{10000};
    std::function<void()> ready; // called once the interface is being captured
};

struct CaptureResult {
    int packets = 0;
    std::chrono::milliseconds elapsed{0};
};

// Captures until maxPackets or maxTime; the file holds what was seen (possibly nothing).
core::Result<CaptureResult> capture(const CaptureSpec& spec);

} // namespace lvs::emu::lab
