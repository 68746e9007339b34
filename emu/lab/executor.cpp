// The lab executor: plan in, namespaces out, with the manifest written before each creation.
#include "emu/lab/executor.h"

#include "emu/lab/naming.h"

#include <algorithm>
#include <cerrno>
#include <set>

namespace lvs::emu::lab {

namespace {

std::string describe(const PlanProcess& p)
{
    switch (p.kind) {
    case ProcessKind::Agent: {
        std::string text = "agent";
        for (const PlanService& s : p.services)
            text += " " + std::string(core::toString(s.kind)) + ":" + std::to_string(s.port);
        return text;
    }
    case ProcessKind::Command: return "command " + p.command;
    case ProcessKind::Director: return "director";
    case ProcessKind::Decap: return "decap tunl0";
    }
    return "?";
}

std::string hint(const OpError& e)
{
    if (e.code == EPERM || e.code == EACCES)
        return " (the lab needs root: run lvsctl lab as root, or through sudo or pkexec)";
    return "";
}

} // namespace

bool LabExecutor::isLive(const Manifest& m)
{
    switch (m.state) {
    case LabState::Running: {
        auto existing = m_ops.listNamespaces();
        return std::all_of(m.namespaces.begin(), m.namespaces.end(), [&](const std::string& ns) {
            return std::find(existing.begin(), existing.end(), ns) != existing.end();
        });
    }
    case LabState::Starting:
    case LabState::Stopping:
        return m.owner.pid != 0 && m_ops.processAlive(m.owner) && !(m.owner == m_ops.self());
    case LabState::Design:
    case LabState::Failed: return false;
    }
    return false;
}

void LabExecutor::teardown(const Manifest& m, std::vector<std::string>* removed)
{
    auto note = [&](std::string line) {
        if (removed)
            removed->push_back(std::move(line));
    };
    // Processes first: a namespace only goes away once nothing runs in it.
    for (const ManifestProcess& p : m.processes)
        if (m_ops.processAlive(p.id)) {
            m_ops.stopProcess(p.id);
            note("process " + std::to_string(p.id.pid) + " (" + p.what + ") in " + p.ns);
        }
    std::set<std::string> names(m.namespaces.begin(), m.namespaces.end());
    for (const std::string& ns : m_ops.listNamespaces())
        if (auto parsed = parseName(ns, true); parsed && parsed->lab == m.lab)
            names.insert(ns);
    auto existing = m_ops.listNamespaces();
    for (const std::string& ns : names) {
        m_ops.stopProcessesIn(ns);
        (void)m_ops.deleteNamespace(ns);
        if (std::find(existing.begin(), existing.end(), ns) != existing.end())
            note("namespace " + ns);
    }
    m_store.remove(m.lab);
    note("manifest of " + m.lab);
}

core::Result<Manifest> LabExecutor::up(const Plan& plan, const std::string& file)
{
    if (auto existing = m_store.load(plan.lab)) {
        if (isLive(*existing))
            return core::fail("lab \"" + plan.lab + "\" is " + std::string(toString(existing->state))
                              + (existing->file.empty() ? "" : " (from " + existing->file + ")")
                              + ": run `lvsctl lab down " + plan.lab + "` first, or choose another name with --name");
        teardown(*existing, nullptr); // the remains of an up or down that was cut short
    } else {
        Manifest orphan;
        orphan.lab = plan.lab;
        teardown(orphan, nullptr); // namespaces of this lab without a manifest
    }

    Manifest m;
    m.lab = plan.lab;
    m.file = file;
    m.topologyName = plan.topologyName;
    m.state = LabState::Starting;
    m.owner = m_ops.self();
    m.notes = plan.notes;
    for (const PlanNamespace& n : plan.namespaces)
        if (n.node != core::kNoId)
            m.nodes[n.nodeName] = n.name;

    std::string failure;
    auto step = [&](OpResult<> r, bool eexistOk = true) {
        if (r || (eexistOk && r.error().code == EEXIST))
            return true;
        failure = r.error().message + hint(r.error());
        return false;
    };
    auto save = [&]() {
        if (auto s = m_store.save(m); !s) {
            failure = s.error().message;
            return false;
        }
        return true;
    };
    auto run = [&]() {
        for (const PlanNamespace& n : plan.namespaces) {
            m.namespaces.push_back(n.name);
            if (!save() || !step(m_ops.addNamespace(n.name), false))
                return false;
        }
        for (const PlanBridge& b : plan.bridges)
            if (!step(m_ops.addBridge(b.ns, b.name)))
                return false;
        for (const PlanVeth& v : plan.veths) {
            if (!step(m_ops.addVeth(v)))
                return false;
            for (const PlanVethEnd* e : {&v.a, &v.b})
                if (!e->master.empty() && !step(m_ops.setMaster(e->ns, e->name, e->master)))
                    return false;
        }
        for (const PlanDummy& d : plan.dummies)
            if (!step(m_ops.addDummy(d)))
                return false;
        // Without ipip, tunl0 is a TUN device and a userspace decapsulator (decap.h) serves it;
        // where even that cannot be made the lab still runs, as the netns-script export does:
        // the TUN real server lacks tunl0 and its VIP, and the manifest says so.
        std::set<std::string> noTunnel;
        std::set<std::string> userspace;
        for (const std::string& ns : plan.tunnels)
            if (auto r = m_ops.ensureTunnel(ns); !r) {
                noTunnel.insert(ns);
                m.notes.push_back(r.error().message + ": tunl0 and its VIP are left out, so this TUN real server "
                                                      "cannot take tunnelled requests");
            } else if (*r == TunnelDevice::Userspace) {
                userspace.insert(ns);
                m.notes.push_back(ns + ": no ipip module: tunl0 is a TUN device, decapsulated in userspace");
            }
        auto skipped = [&](const std::string& ns, const std::string& device) {
            return noTunnel.contains(ns) && device == "tunl0";
        };
        for (const PlanSysctl& s : plan.sysctls)
            if (skipped(s.ns, s.key.find(".tunl0.") != std::string::npos ? "tunl0" : ""))
                continue;
            else if (auto r = m_ops.setSysctl(s.ns, s.key, s.value); !r && !(s.optional && r.error().code == ENOENT)) {
                failure = r.error().message + hint(r.error());
                return false;
            }
        for (const PlanLinkUp& l : plan.linksUp)
            if (!skipped(l.ns, l.device) && !step(m_ops.setUp(l.ns, l.device)))
                return false;
        for (const PlanAddress& a : plan.addresses)
            if (!skipped(a.ns, a.device) && !step(m_ops.addAddress(a.ns, a.device, a.address)))
                return false;
        for (const PlanRoute& r : plan.routes)
            if (!step(m_ops.addRoute(r.ns, r.destination, r.via)))
                return false;
        for (const PlanProcess& p : plan.processes) {
            if (p.kind == ProcessKind::Decap && !userspace.contains(p.ns))
                continue; // the kernel's ipip decapsulates (or there is no tunl0 at all)
            if (!save())
                return false;
            auto pid = m_ops.startProcess(p, m_store.logPath(plan.lab, p.ns));
            if (!pid) {
                failure = p.nodeName + ": " + pid.error().message;
                return false;
            }
            m.processes.push_back({*pid, p.ns, p.nodeName, describe(p)});
        }
        m.state = LabState::Running;
        return save();
    };
    if (!run()) {
        m.state = LabState::Failed;
        (void)m_store.save(m);
        teardown(m, nullptr);
        return core::fail("lab " + plan.lab + ": " + failure + " (everything the lab made is removed again)");
    }
    return m;
}

core::Result<void> LabExecutor::down(const std::string& lab)
{
    auto m = m_store.load(lab);
    if (!m) {
        bool any = false;
        for (const std::string& ns : m_ops.listNamespaces())
            if (auto parsed = parseName(ns, true); parsed && parsed->lab == lab)
                any = true;
        if (!any)
            return core::fail("no lab named \"" + lab + "\" (see `lvsctl lab list`)");
        Manifest orphan;
        orphan.lab = lab;
        teardown(orphan, nullptr);
        return {};
    }
    if ((m->state == LabState::Starting || m->state == LabState::Stopping) && isLive(*m))
        return core::fail("lab \"" + lab + "\" is " + std::string(toString(m->state)) + " by process "
                          + std::to_string(m->owner.pid) + ": wait for it, or stop it and run `lvsctl lab clean`");
    m->state = LabState::Stopping;
    m->owner = m_ops.self();
    (void)m_store.save(*m);
    teardown(*m, nullptr);
    return {};
}

std::vector<std::string> LabExecutor::clean()
{
    std::vector<std::string> removed;
    std::set<std::string> live;
    for (const std::string& lab : m_store.labs()) {
        auto m = m_store.load(lab);
        if (m && isLive(*m)) {
            live.insert(lab);
            continue;
        }
        Manifest dead = m ? *m : Manifest{};
        dead.lab = lab;
        teardown(dead, &removed);
    }
    for (const std::string& ns : m_ops.listNamespaces()) {
        auto parsed = parseName(ns, true);
        if (!parsed || live.contains(parsed->lab))
            continue;
        m_ops.stopProcessesIn(ns);
        (void)m_ops.deleteNamespace(ns);
        removed.push_back("namespace " + ns);
    }
    return removed;
}

std::vector<LabStatus> LabExecutor::list()
{
    std::vector<LabStatus> out;
    for (const std::string& lab : m_store.labs())
        if (auto m = m_store.load(lab))
            out.push_back({*m, isLive(*m)});
    return out;
}

} // namespace lvs::emu::lab
