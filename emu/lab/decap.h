// The userspace IPIP decapsulator of a TUN real server whose kernel lacks the ipip module
// (issue 8). tunl0 is then a TUN device (made persistent by the executor, so sysctls, link
// state and the VIPs apply to it as to the kernel's tunl0); the decapsulator attaches to it,
// drops IPIP packets to the node's own addresses at netdev ingress (so the kernel does not
// answer them with ICMP "protocol unreachable"), reads them on an AF_PACKET socket (which
// sees a frame before the ingress hook) and writes the inner IPv4 packet to the TUN device:
// the kernel receives it on tunl0 and delivers it locally, and the reply leaves by the
// node's normal route, as with the kernel's ipip.
#pragma once

#include <string>

namespace lvs::emu::lab {

// Makes a persistent TUN device (IFF_TUN | IFF_NO_PI) called name in the calling thread's
// network namespace. Returns 0, or an errno with the reason in *error.
int makePersistentTun(const std::string& name, std::string* error);

// Runs the decapsulator for tunl0 in the current namespace until killed; writes one byte to
// readyFd once the TUN device, the ingress rules and the packet socket are in place (then
// closes it). Returns 1, with the reason on stderr, when any of them cannot be made.
int runDecap(const std::string& nodeName, int readyFd);

} // namespace lvs::emu::lab
