// Lab naming: the one place that builds (and parses back) every namespace and interface name a
// lab makes, so `lvsctl lab clean` can remove exactly what labs made and nothing else.
//
//   namespace of a node          lvslab-LAB-nID        e.g. lvslab-nat-n4
//   namespace of the bridges     lvslab-LAB-br
//   bridge of a segment          LAB-bID               (inside lvslab-LAB-br; 15 characters at most)
//   a segment's end of a link    LAB-pID, LAB-pIDa/b   (inside lvslab-LAB-br; a/b when both ends
//                                                       of the link are segments)
// A node's end of a link carries the model's interface name ("eth0"): it lives in the node's own
// namespace, so it cannot collide, and it goes away with that namespace.
#pragma once

#include "core/model/topology.h"

#include <optional>
#include <string>
#include <string_view>

namespace lvs::emu::lab {

inline constexpr std::string_view kNamespacePrefix = "lvslab-";
inline constexpr std::size_t kMaxLabName = 7;     // so LAB-pIDa fits IFNAMSIZ-1 with 5-digit ids
inline constexpr core::Id kMaxNamedId = 99999;
inline constexpr std::size_t kMaxInterfaceName = 15; // IFNAMSIZ - 1

// Empty when the name is usable; else a message saying what a lab name must be.
std::string labNameError(std::string_view lab);
// A lab name made from any text (a file name): lower case, [a-z0-9-], at most kMaxLabName
// characters, "lab" when nothing is left.
std::string labNameFrom(std::string_view text);

std::string nodeNamespace(std::string_view lab, core::Id node);
std::string bridgesNamespace(std::string_view lab);
std::string bridgeName(std::string_view lab, core::Id segment);
// side: '\0' for none, 'a' or 'b' when both ends of the link are segments.
std::string portName(std::string_view lab, core::Id link, char side = '\0');

enum class NameKind { NodeNamespace, BridgesNamespace, Bridge, Port };

struct ParsedName {
    NameKind kind = NameKind::NodeNamespace;
    std::string lab;
    core::Id id = core::kNoId; // the node, segment or link; kNoId for the bridges namespace
    char side = '\0';
    bool operator==(const ParsedName&) const = default;
};

// The inverse of the builders above; nullopt for any name a lab does not make (the cleaner
// touches only names that parse). Namespace names parse only with isNamespace, interface names
// only without it.
std::optional<ParsedName> parseName(std::string_view name, bool isNamespace);

} // namespace lvs::emu::lab
