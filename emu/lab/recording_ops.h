// RecordingOps: a NetlinkOps fake for unit tests. Every call appends one line to a shared log
// ("addNamespace lvslab-t-n1"); a namespace set tracks what exists; failures are injected by
// the start of a log line ("addVeth" fails every veth; "addNamespace lvslab-t-n4" one call).
#pragma once

#include "emu/lab/netlink_ops.h"

#include <map>
#include <memory>
#include <set>

namespace lvs::emu::lab {

class RecordingOps : public NetlinkOps {
public:
    explicit RecordingOps(std::shared_ptr<std::vector<std::string>> log) : m_log(std::move(log)) {}

    // The next call whose log line starts with prefix fails with errno code (once).
    void failNext(std::string prefix, int code) { m_failures.emplace_back(std::move(prefix), code); }

    std::set<std::string> namespaces;  // the namespaces that exist now
    std::set<ProcessId, bool (*)(const ProcessId&, const ProcessId&)> running{
        [](const ProcessId& a, const ProcessId& b) { return a.pid < b.pid; }};
    std::map<int, std::string> processNamespace; // pid -> namespace it runs in
    ProcessId owner{4242, 1};                    // what self() answers

    OpResult<> addNamespace(const std::string& ns) override;
    OpResult<> deleteNamespace(const std::string& ns) override;
    std::vector<std::string> listNamespaces() override;
    OpResult<> addBridge(const std::string& ns, const std::string& name) override;
    OpResult<> addVeth(const PlanVeth& veth) override;
    OpResult<> addDummy(const PlanDummy& dummy) override;
    OpResult<TunnelDevice> ensureTunnel(const std::string& ns) override;
    TunnelDevice tunnelDevice = TunnelDevice::Kernel; // what a recorded ensureTunnel reports
    OpResult<> setMaster(const std::string& ns, const std::string& device, const std::string& bridge) override;
    OpResult<> setUp(const std::string& ns, const std::string& device) override;
    OpResult<> addAddress(const std::string& ns, const std::string& device, const core::Ipv4Prefix& address) override;
    OpResult<> addRoute(const std::string& ns, const core::Ipv4Prefix& destination, core::Ipv4 via) override;
    OpResult<> setSysctl(const std::string& ns, const std::string& key, int value) override;
    OpResult<ProcessId> startProcess(const PlanProcess& process, const std::string& logPath) override;
    void stopProcessesIn(const std::string& ns) override;
    void stopProcess(const ProcessId& process) override;
    bool processAlive(const ProcessId& process) override;
    ProcessId self() override { return owner; }

private:
    OpResult<> record(std::string line);

    std::shared_ptr<std::vector<std::string>> m_log;
    std::vector<std::pair<std::string, int>> m_failures;
    int m_nextPid = 1000;
};

} // namespace lvs::emu::lab
