// The lab executor: applies a Plan through NetlinkOps, keeping the manifest one step ahead of
// the kernel, and tears labs down (down, clean) from their manifests.
#pragma once

#include "emu/lab/manifest.h"
#include "emu/lab/netlink_ops.h"
#include "emu/lab/plan.h"

#include <string>
#include <vector>

namespace lvs::emu::lab {

struct LabStatus {
    Manifest manifest;
    bool live = false; // running, or being started/stopped by a process that still runs
};

class LabExecutor {
public:
    LabExecutor(NetlinkOps& ops, ManifestStore& store) : m_ops(ops), m_store(store) {}

    // Brings a plan up. Refuses (with a message saying what to do) when a lab of that name is
    // live; removes the leftovers of a dead one first, so an up after an interrupted up
    // converges. On a failure it removes what it made and returns the failing step's message.
    core::Result<Manifest> up(const Plan& plan, const std::string& file);

    // Stops the lab's processes and deletes its namespaces and manifest. Fails when no lab of
    // that name exists, or when another process is starting or stopping it.
    core::Result<void> down(const std::string& lab);

    // Removes every leftover of dead labs: their recorded processes, namespaces and manifests,
    // and namespaces whose names parse as a lab's (naming.h) when no live lab owns them.
    // Returns one line per thing removed. Live labs are left alone.
    std::vector<std::string> clean();

    std::vector<LabStatus> list();

private:
    bool isLive(const Manifest& manifest);
    // Everything a manifest names, plus namespaces of the lab that the kernel still has.
    void teardown(const Manifest& manifest, std::vector<std::string>* removed);

    NetlinkOps& m_ops;
    ManifestStore& m_store;
};

} // namespace lvs::emu::lab
