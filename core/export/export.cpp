// The export dispatcher: format names and the choice of node.
#include "core/export/export.h"
#include "core/export/keepalived.h"

#include <array>

namespace lvs::core::exports {

namespace {

constexpr std::array<std::pair<Format, std::string_view>, 7> kNames{{
    {Format::Ipvsadm, "ipvsadm"},
    {Format::IpvsadmSave, "ipvsadm-save"},
    {Format::Keepalived, "keepalived"},
    {Format::KeepalivedDpvs, "keepalived-dpvs"},
    {Format::DirectorSetup, "director-setup"},
    {Format::RsSetup, "rs-setup"},
    {Format::NetnsScript, "netns-script"},
}};

// The node the export is for: the one named, or the design's only node of that kind.
Result<const Node*> pick(const Topology& t, NodeKind kind, const std::optional<std::string>& name,
                         std::string_view what)
{
    std::vector<const Node*> candidates;
    for (const Node& n : t.nodes)
        if (n.kind == kind)
            candidates.push_back(&n);
    if (name) {
        for (const Node* n : candidates)
            if (n->name == *name)
                return n;
        for (const Node& n : t.nodes)
            if (n.name == *name)
                return fail("node \"" + *name + "\" is not a " + std::string(what));
        return fail("no node named \"" + *name + "\"");
    }
    if (candidates.size() == 1)
        return candidates.front();
    if (candidates.empty())
        return fail("the design has no " + std::string(what));
    std::string names;
    for (const Node* n : candidates)
        names += (names.empty() ? "" : ", ") + n->name;
    return fail("the design has " + std::to_string(candidates.size()) + " " + std::string(what) + "s (" + names
                + "): choose one with --node NAME");
}

} // namespace

std::string_view formatName(Format format)
{
    for (const auto& [f, n] : kNames)
        if (f == format)
            return n;
    return {};
}

std::optional<Format> formatNamed(std::string_view name)
{
    for (const auto& [f, n] : kNames)
        if (n == name)
            return f;
    return std::nullopt;
}

Result<std::string> exportDesign(const Topology& topology, Format format, const Options& options)
{
    if (format == Format::NetnsScript)
        return netnsScript(topology, options.labName);
    if (format == Format::RsSetup) {
        auto rs = pick(topology, NodeKind::RealServer, options.node, "real server");
        if (!rs)
            return fail(rs.error().message);
        return rsSetup(topology, **rs);
    }
    auto director = pick(topology, NodeKind::Director, options.node, "director");
    if (!director)
        return fail(director.error().message);
    switch (format) {
    case Format::Ipvsadm: return ipvsadmScript(topology, **director);
    case Format::IpvsadmSave: return ipvsadmSave(topology, **director);
    case Format::Keepalived: return keepalivedConf(topology, **director);
    case Format::KeepalivedDpvs: return keepalivedConf(topology, **director, KeepalivedDialect::Dpvs);
    default: return directorSetup(topology, **director);
    }
}

} // namespace lvs::core::exports
