// Lab naming: builders and the parser that the cleaner trusts.
#include "emu/lab/naming.h"

#include <charconv>

namespace lvs::emu::lab {

namespace {

bool labChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// "123" -> 123 when it is a canonical decimal 1..kMaxNamedId (no leading zeros, so that a
// parsed name builds back to the same text).
std::optional<core::Id> parseId(std::string_view text)
{
    if (text.empty() || text.size() > 5 || text[0] == '0')
        return std::nullopt;
    core::Id id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id == 0 || id > kMaxNamedId)
        return std::nullopt;
    return id;
}

} // namespace

std::string labNameError(std::string_view lab)
{
    bool ok = !lab.empty() && lab.size() <= kMaxLabName && lab.front() != '-' && lab.back() != '-';
    for (char c : lab)
        ok = ok && labChar(c);
    if (ok)
        return {};
    return "the lab name \"" + std::string(lab) + "\" must be 1 to " + std::to_string(kMaxLabName)
        + " characters of a-z, 0-9 and '-' (not first or last): it prefixes interface names, which Linux limits to "
          "15 characters";
}

std::string labNameFrom(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (out.size() == kMaxLabName)
            break;
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (labChar(c) && !(c == '-' && out.empty()))
            out += c;
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "lab" : out;
}

std::string nodeNamespace(std::string_view lab, core::Id node)
{
    return std::string(kNamespacePrefix) + std::string(lab) + "-n" + std::to_string(node);
}

std::string bridgesNamespace(std::string_view lab) { return std::string(kNamespacePrefix) + std::string(lab) + "-br"; }

std::string bridgeName(std::string_view lab, core::Id segment) { return std::string(lab) + "-b" + std::to_string(segment); }

std::string portName(std::string_view lab, core::Id link, char side)
{
    std::string name = std::string(lab) + "-p" + std::to_string(link);
    if (side)
        name += side;
    return name;
}

std::optional<ParsedName> parseName(std::string_view name, bool isNamespace)
{
    if (isNamespace) {
        if (!name.starts_with(kNamespacePrefix))
            return std::nullopt;
        name.remove_prefix(kNamespacePrefix.size());
    }
    auto dash = name.rfind('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    ParsedName parsed;
    parsed.lab = std::string(name.substr(0, dash));
    if (!labNameError(parsed.lab).empty())
        return std::nullopt;
    std::string_view rest = name.substr(dash + 1);
    if (isNamespace) {
        if (rest == "br") {
            parsed.kind = NameKind::BridgesNamespace;
            return parsed;
        }
        if (!rest.starts_with('n'))
            return std::nullopt;
        auto id = parseId(rest.substr(1));
        if (!id)
            return std::nullopt;
        parsed.kind = NameKind::NodeNamespace;
        parsed.id = *id;
        return parsed;
    }
    if (name.size() > kMaxInterfaceName || rest.empty())
        return std::nullopt;
    if (rest[0] == 'b') {
        parsed.kind = NameKind::Bridge;
        rest.remove_prefix(1);
    } else if (rest[0] == 'p') {
        parsed.kind = NameKind::Port;
        rest.remove_prefix(1);
        if (!rest.empty() && (rest.back() == 'a' || rest.back() == 'b')) {
            parsed.side = rest.back();
            rest.remove_suffix(1);
        }
    } else {
        return std::nullopt;
    }
    auto id = parseId(rest);
    if (!id)
        return std::nullopt;
    parsed.id = *id;
    return parsed;
}

} // namespace lvs::emu::lab
