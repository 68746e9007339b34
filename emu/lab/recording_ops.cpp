// RecordingOps: the recording NetlinkOps fake.
#include "emu/lab/recording_ops.h"

#include <cerrno>
#include <cstring>

namespace lvs::emu::lab {

OpResult<> RecordingOps::record(std::string line)
{
    m_log->push_back(line);
    for (auto it = m_failures.begin(); it != m_failures.end(); ++it)
        if (line.starts_with(it->first)) {
            int code = it->second;
            m_failures.erase(it);
            return std::unexpected(OpError{code, line + ": " + std::strerror(code)});
        }
    return {};
}

OpResult<> RecordingOps::addNamespace(const std::string& ns)
{
    if (auto r = record("addNamespace " + ns); !r)
        return r;
    if (!namespaces.insert(ns).second)
        return std::unexpected(OpError{EEXIST, "namespace " + ns + " exists"});
    return {};
}

OpResult<> RecordingOps::deleteNamespace(const std::string& ns)
{
    if (auto r = record("deleteNamespace " + ns); !r)
        return r;
    namespaces.erase(ns);
    return {};
}

std::vector<std::string> RecordingOps::listNamespaces() { return {namespaces.begin(), namespaces.end()}; }

OpResult<> RecordingOps::addBridge(const std::string& ns, const std::string& name)
{
    return record("addBridge " + ns + " " + name);
}

OpResult<> RecordingOps::addVeth(const PlanVeth& veth)
{
    return record("addVeth " + veth.a.ns + " " + veth.a.name + " " + veth.b.ns + " " + veth.b.name);
}

OpResult<> RecordingOps::addDummy(const PlanDummy& dummy) { return record("addDummy " + dummy.ns + " " + dummy.name); }

OpResult<TunnelDevice> RecordingOps::ensureTunnel(const std::string& ns)
{
    if (auto r = record("ensureTunnel " + ns); !r)
        return std::unexpected(r.error());
    return tunnelDevice;
}

OpResult<> RecordingOps::setMaster(const std::string& ns, const std::string& device, const std::string& bridge)
{
    return record("setMaster " + ns + " " + device + " " + bridge);
}

OpResult<> RecordingOps::setUp(const std::string& ns, const std::string& device) { return record("setUp " + ns + " " + device); }

OpResult<> RecordingOps::addAddress(const std::string& ns, const std::string& device, const core::Ipv4Prefix& address)
{
    return record("addAddress " + ns + " " + device + " " + address.toString());
}

OpResult<> RecordingOps::addRoute(const std::string& ns, const core::Ipv4Prefix& destination, core::Ipv4 via)
{
    return record("addRoute " + ns + " " + destination.toString() + " " + via.toString());
}

OpResult<> RecordingOps::setSysctl(const std::string& ns, const std::string& key, int value)
{
    return record("setSysctl " + ns + " " + key + "=" + std::to_string(value));
}

OpResult<ProcessId> RecordingOps::startProcess(const PlanProcess& process, const std::string& logPath)
{
    (void)logPath;
    if (auto r = record("startProcess " + process.ns + " " + process.nodeName); !r)
        return std::unexpected(r.error());
    ProcessId id{m_nextPid++, 7};
    running.insert(id);
    processNamespace[id.pid] = process.ns;
    return id;
}

void RecordingOps::stopProcessesIn(const std::string& ns)
{
    (void)record("stopProcessesIn " + ns);
    for (auto it = running.begin(); it != running.end();)
        if (processNamespace[it->pid] == ns)
            it = running.erase(it);
        else
            ++it;
}

void RecordingOps::stopProcess(const ProcessId& process)
{
    (void)record("stopProcess " + std::to_string(process.pid));
    running.erase(process);
}

bool RecordingOps::processAlive(const ProcessId& process)
{
    if (process == owner)
        return true;
    auto it = running.find(process);
    return it != running.end() && it->startTime == process.startTime;
}

} // namespace lvs::emu::lab
