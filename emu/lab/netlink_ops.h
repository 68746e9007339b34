// NetlinkOps: the narrow interface between the lab executor and the kernel (namespaces, links,
// addresses, routes, sysctls, and the processes that run inside lab namespaces). LibnlOps
// (libnl_ops.h) is the real one; RecordingOps (recording_ops.h) records calls for unit tests
// and can inject errors such as EEXIST or EPERM.
#pragma once

#include "core/net/ipv4.h"
#include "emu/lab/plan.h"

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace lvs::emu::lab {

// An operation's failure: the errno (EEXIST, ENOENT, EPERM, ...) and a message naming the object.
struct OpError {
    int code = 0;
    std::string message;
};

template <typename T = void>
using OpResult = std::expected<T, OpError>;

// A process, identified across PID reuse by its start time (field 22 of /proc/PID/stat).
struct ProcessId {
    int pid = 0;
    std::uint64_t startTime = 0;
    bool operator==(const ProcessId&) const = default;
};

// What ensureTunnel made tunl0: the kernel's ipip device, or (without the ipip module) a
// persistent TUN device that a userspace decapsulator (ProcessKind::Decap) must serve.
enum class TunnelDevice { Kernel, Userspace };

class NetlinkOps {
public:
    virtual ~NetlinkOps() = default;

    // Namespaces, made the way `ip netns add` makes them (/run/netns/NAME bind mounts). Add
    // fails with EEXIST when the name is taken; delete is ENOENT-tolerant.
    virtual OpResult<> addNamespace(const std::string& ns) = 0;
    virtual OpResult<> deleteNamespace(const std::string& ns) = 0;
    virtual std::vector<std::string> listNamespaces() = 0;

    // Links inside namespaces. Nothing is ever made in the machine's own namespace: a veth is
    // made in veth.a.ns with its peer placed in veth.b.ns by the same request.
    virtual OpResult<> addBridge(const std::string& ns, const std::string& name) = 0;
    virtual OpResult<> addVeth(const PlanVeth& veth) = 0;
    virtual OpResult<> addDummy(const PlanDummy& dummy) = 0;
    virtual OpResult<TunnelDevice> ensureTunnel(const std::string& ns) = 0; // tunl0 (loads ipip if needed)
    virtual OpResult<> setMaster(const std::string& ns, const std::string& device, const std::string& bridge) = 0;
    virtual OpResult<> setUp(const std::string& ns, const std::string& device) = 0;
    virtual OpResult<> addAddress(const std::string& ns, const std::string& device, const core::Ipv4Prefix& address) = 0;
    virtual OpResult<> addRoute(const std::string& ns, const core::Ipv4Prefix& destination, core::Ipv4 via) = 0;
    // ENOENT when the kernel has no such key in that namespace.
    virtual OpResult<> setSysctl(const std::string& ns, const std::string& key, int value) = 0;

    // Starts a process inside a namespace (setns, then fork; exec for a command); returns once
    // a built-in agent listens on all its ports, or fails after a bounded wait. Output goes to
    // logPath.
    virtual OpResult<ProcessId> startProcess(const PlanProcess& process, const std::string& logPath) = 0;
    // SIGTERM, a bounded wait, then SIGKILL, for every process inside the namespace.
    virtual void stopProcessesIn(const std::string& ns) = 0;
    // The same for one process, only if it is still the one that was started (same start time).
    virtual void stopProcess(const ProcessId& process) = 0;
    virtual bool processAlive(const ProcessId& process) = 0;
    virtual ProcessId self() = 0;
};

} // namespace lvs::emu::lab
