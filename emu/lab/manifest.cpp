// Lab manifests: JSON text and the stores that keep them.
#include "emu/lab/manifest.h"

#include "emu/lab/naming.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace lvs::emu::lab {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::pair<LabState, std::string_view> kStates[] = {
    {LabState::Design, "design"},     {LabState::Starting, "starting"}, {LabState::Running, "running"},
    {LabState::Stopping, "stopping"}, {LabState::Failed, "failed"},
};

} // namespace

std::string_view toString(LabState state)
{
    for (auto [s, text] : kStates)
        if (s == state)
            return text;
    return "?";
}

std::optional<LabState> labStateFromString(std::string_view text)
{
    for (auto [s, t] : kStates)
        if (t == text)
            return s;
    return std::nullopt;
}

std::string toJson(const Manifest& m)
{
    json j;
    j["lab"] = m.lab;
    j["file"] = m.file;
    j["topology"] = m.topologyName;
    j["state"] = std::string(toString(m.state));
    j["owner"] = {{"pid", m.owner.pid}, {"start", m.owner.startTime}};
    j["namespaces"] = m.namespaces;
    j["processes"] = json::array();
    for (const ManifestProcess& p : m.processes)
        j["processes"].push_back(
            {{"pid", p.id.pid}, {"start", p.id.startTime}, {"namespace", p.ns}, {"node", p.node}, {"what", p.what}});
    j["nodes"] = m.nodes;
    j["notes"] = m.notes;
    return j.dump(2) + "\n";
}

core::Result<Manifest> manifestFromJson(const std::string& text)
{
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return core::fail("not a JSON object");
    try {
        Manifest m;
        m.lab = j.at("lab").get<std::string>();
        m.file = j.value("file", "");
        m.topologyName = j.value("topology", "");
        auto state = labStateFromString(j.at("state").get<std::string>());
        if (!state)
            return core::fail("unknown state");
        m.state = *state;
        m.owner = {j.at("owner").at("pid").get<int>(), j.at("owner").at("start").get<std::uint64_t>()};
        m.namespaces = j.at("namespaces").get<std::vector<std::string>>();
        for (const json& p : j.at("processes"))
            m.processes.push_back({{p.at("pid").get<int>(), p.at("start").get<std::uint64_t>()},
                                   p.at("namespace").get<std::string>(), p.value("node", ""), p.value("what", "")});
        m.nodes = j.value("nodes", std::map<std::string, std::string>{});
        m.notes = j.value("notes", std::vector<std::string>{});
        return m;
    } catch (const json::exception& e) {
        return core::fail(e.what());
    }
}

core::Result<void> FileManifestStore::save(const Manifest& manifest)
{
    std::error_code ec;
    fs::path dir = fs::path(m_root) / manifest.lab;
    fs::create_directories(dir, ec);
    if (ec)
        return core::fail("cannot make " + dir.string() + ": " + ec.message());
    // Written to a temporary file and renamed, so a kill -9 leaves the old or the new manifest.
    fs::path tmp = dir / "manifest.json.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << toJson(manifest);
        if (!out.flush())
            return core::fail("cannot write " + tmp.string());
    }
    fs::rename(tmp, dir / "manifest.json", ec);
    if (ec)
        return core::fail("cannot write " + (dir / "manifest.json").string() + ": " + ec.message());
    return {};
}

std::optional<Manifest> FileManifestStore::load(const std::string& lab)
{
    std::ifstream in(fs::path(m_root) / lab / "manifest.json");
    if (!in)
        return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto m = manifestFromJson(text.str());
    if (!m)
        return std::nullopt;
    return *m;
}

void FileManifestStore::remove(const std::string& lab)
{
    if (!labNameError(lab).empty())
        return; // never remove a folder whose name a lab cannot have
    std::error_code ec;
    fs::remove_all(fs::path(m_root) / lab, ec);
    fs::remove(m_root, ec); // only when empty
}

std::vector<std::string> FileManifestStore::labs()
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_root, ec))
        if (entry.is_directory() && labNameError(entry.path().filename().string()).empty())
            out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string FileManifestStore::logPath(const std::string& lab, const std::string& node)
{
    return (fs::path(m_root) / lab / (node + ".log")).string();
}

core::Result<void> MemoryManifestStore::save(const Manifest& manifest)
{
    std::string line = "manifest " + std::string(toString(manifest.state));
    for (const std::string& ns : manifest.namespaces)
        line += " " + ns;
    for (const ManifestProcess& p : manifest.processes)
        line += " pid" + std::to_string(p.id.pid);
    m_log->push_back(line);
    manifests[manifest.lab] = manifest;
    return {};
}

std::optional<Manifest> MemoryManifestStore::load(const std::string& lab)
{
    auto it = manifests.find(lab);
    if (it == manifests.end())
        return std::nullopt;
    return it->second;
}

void MemoryManifestStore::remove(const std::string& lab)
{
    m_log->push_back("manifest removed " + lab);
    manifests.erase(lab);
}

std::vector<std::string> MemoryManifestStore::labs()
{
    std::vector<std::string> out;
    for (const auto& [lab, m] : manifests)
        out.push_back(lab);
    return out;
}

} // namespace lvs::emu::lab
