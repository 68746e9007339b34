// The manifest of a lab: what it has made so far, written before each creation step so that a
// lab cut short (kill -9 at any point) still names everything `lvsctl lab clean` must remove.
#pragma once

#include "emu/lab/netlink_ops.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lvs::emu::lab {

// The lab's one state (no scattered bools). Design: planned, nothing made yet.
enum class LabState { Design, Starting, Running, Stopping, Failed };

std::string_view toString(LabState state);
std::optional<LabState> labStateFromString(std::string_view text);

struct ManifestProcess {
    ProcessId id;
    std::string ns;
    std::string node;
    std::string what; // "agent http:80", "command ...", "director", "decap tunl0", "decap tunl0"
    bool operator==(const ManifestProcess&) const = default;
};

struct Manifest {
    std::string lab;
    std::string file;          // the .lvslab it came from ("" when unknown)
    std::string topologyName;
    LabState state = LabState::Design;
    ProcessId owner;           // the lvsctl that is starting or stopping it
    std::vector<std::string> namespaces; // every namespace made or about to be made
    std::vector<ManifestProcess> processes;
    std::map<std::string, std::string> nodes; // node name -> namespace
    std::vector<std::string> notes;
    bool operator==(const Manifest&) const = default;
};

std::string toJson(const Manifest& manifest);
core::Result<Manifest> manifestFromJson(const std::string& text);

// Where manifests live. FileManifestStore is /run/lvslab/<lab>/manifest.json; MemoryManifestStore
// keeps them in memory and logs each save into the RecordingOps log, so tests see the order.
class ManifestStore {
public:
    virtual ~ManifestStore() = default;
    virtual core::Result<void> save(const Manifest& manifest) = 0;
    virtual std::optional<Manifest> load(const std::string& lab) = 0;
    virtual void remove(const std::string& lab) = 0;
    virtual std::vector<std::string> labs() = 0; // every lab with a manifest or a folder
    virtual std::string logPath(const std::string& lab, const std::string& node) = 0;
};

class FileManifestStore : public ManifestStore {
public:
    explicit FileManifestStore(std::string root = "/run/lvslab") : m_root(std::move(root)) {}
    core::Result<void> save(const Manifest& manifest) override;
    std::optional<Manifest> load(const std::string& lab) override;
    void remove(const std::string& lab) override;
    std::vector<std::string> labs() override;
    std::string logPath(const std::string& lab, const std::string& node) override;
    const std::string& root() const { return m_root; }

private:
    std::string m_root;
};

class MemoryManifestStore : public ManifestStore {
public:
    explicit MemoryManifestStore(std::shared_ptr<std::vector<std::string>> log) : m_log(std::move(log)) {}
    core::Result<void> save(const Manifest& manifest) override;
    std::optional<Manifest> load(const std::string& lab) override;
    void remove(const std::string& lab) override;
    std::vector<std::string> labs() override;
    std::string logPath(const std::string& lab, const std::string& node) override { return "/nowhere/" + lab + "/" + node; }

    std::map<std::string, Manifest> manifests;

private:
    std::shared_ptr<std::vector<std::string>> m_log;
};

} // namespace lvs::emu::lab
