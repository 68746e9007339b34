// LibnlOps: NetlinkOps on the real kernel through libnl-3 (route), setns(2) and /proc/sys.
// Namespaces are /run/netns bind mounts, as `ip netns add` makes them; nothing is shelled out.
#pragma once

#include "emu/lab/netlink_ops.h"

#include <map>
#include <optional>

struct nl_sock;

namespace lvs::emu::lab {

class LibnlOps : public NetlinkOps {
public:
    LibnlOps() = default;
    ~LibnlOps() override;
    LibnlOps(const LibnlOps&) = delete;
    LibnlOps& operator=(const LibnlOps&) = delete;

    OpResult<> addNamespace(const std::string& ns) override;
    OpResult<> deleteNamespace(const std::string& ns) override;
    std::vector<std::string> listNamespaces() override;
    OpResult<> addBridge(const std::string& ns, const std::string& name) override;
    OpResult<> addVeth(const PlanVeth& veth) override;
    OpResult<> addDummy(const PlanDummy& dummy) override;
    OpResult<TunnelDevice> ensureTunnel(const std::string& ns) override;
    OpResult<> setMaster(const std::string& ns, const std::string& device, const std::string& bridge) override;
    OpResult<> setUp(const std::string& ns, const std::string& device) override;
    OpResult<> addAddress(const std::string& ns, const std::string& device, const core::Ipv4Prefix& address) override;
    OpResult<> addRoute(const std::string& ns, const core::Ipv4Prefix& destination, core::Ipv4 via) override;
    OpResult<> setSysctl(const std::string& ns, const std::string& key, int value) override;
    OpResult<ProcessId> startProcess(const PlanProcess& process, const std::string& logPath) override;
    void stopProcessesIn(const std::string& ns) override;
    void stopProcess(const ProcessId& process) override;
    bool processAlive(const ProcessId& process) override;
    ProcessId self() override;

    // Read-only helpers for tests and `lab exec`.
    // The link-layer address the neighbour table of ns holds for address (any state that has one).
    std::optional<core::Mac> neighbourMac(const std::string& ns, core::Ipv4 address);
    std::optional<core::Mac> linkMac(const std::string& ns, const std::string& device);
    // Every process whose network namespace is ns.
    std::vector<int> processesIn(const std::string& ns);

private:
    OpResult<nl_sock*> socketIn(const std::string& ns);
    void dropSocket(const std::string& ns);

    std::map<std::string, nl_sock*> m_sockets;
};

// The path of a lab namespace's file (/run/netns/NAME).
std::string namespacePath(const std::string& ns);

// Joins the network namespace ns for the calling thread until destroyed. ok() is false (and
// error() says why) when it could not.
class NamespaceGuard {
public:
    explicit NamespaceGuard(const std::string& ns);
    ~NamespaceGuard();
    NamespaceGuard(const NamespaceGuard&) = delete;
    NamespaceGuard& operator=(const NamespaceGuard&) = delete;
    bool ok() const { return m_error.code == 0; }
    const OpError& error() const { return m_error; }

private:
    int m_back = -1;
    OpError m_error;
};

// The start time of a process (field 22 of /proc/PID/stat), 0 when it does not exist.
std::uint64_t processStartTime(int pid);

} // namespace lvs::emu::lab
