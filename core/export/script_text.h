// Pieces shared by the generated shell scripts (director-setup, rs-setup, netns-script).
#pragma once

#include "core/model/topology.h"

#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::exports {

// Text made safe for a `#` comment: control characters (a newline would end the comment and
// start a command) become '?'.
std::string commentSafe(std::string_view text);

// A name reduced to [A-Za-z0-9_-] (others become '_'), for namespace and state-file names.
std::string nameToken(std::string_view text);

// A command line with every word quoted through shellQuote, no trailing newline.
std::string shellWords(const std::vector<std::string>& words);

// The device a VIP binding sits on: the interface's name, "lo" or "tunl0" ("" when the
// interface id is unknown).
std::string vipDeviceName(const Node& node, const VipBinding& vip);

// The ipvsadm words that name a service: {"-t", "VIP:PORT"}, {"-u", ...}, {"--sctp-service", ...}
// or {"-f", "MARK"}.
std::vector<std::string> serviceKey(const VirtualService& service);

// The director's table as `ipvsadm -R` input inside a quoted here-document (so nothing in it
// expands), prefixed by `prefix` (e.g. "ip netns exec NS "); or, when the table cannot be
// exported, comment lines saying why and a command that prints it and fails.
std::string ipvsRestoreBlock(const Topology& topology, const Node& director, const std::string& prefix,
                             const std::string& indent);

} // namespace lvs::core::exports
