// `lvsctl import keepalived.conf`: a keepalived.conf (upstream 2.2.7, or DPVS's with full-NAT)
// becomes a design around the director it configures.
#pragma once

#include "core/import/design.h"
#include "core/model/topology.h"
#include "core/util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::import {

struct KeepalivedImport {
    ImportedDirector director; // name from global_defs router_id, empty when there is none
    // "file:line: unknown keyword 'notification_email' in global_defs (ignored)", and the
    // like: what was read but not carried into the model, for the caller to print.
    std::vector<std::string> warnings;
};

// Reads the text: '#' and '!' comments, "quoted words", blocks in braces, a '{' on the next
// line. Syntax faults (an unmatched brace, an unterminated quote, `include`) and values the
// model cannot hold (an address that is not IPv4, a priority that is not a number) are errors
// "file:line:column: reason"; unknown keywords are warnings. Never throws.
Result<KeepalivedImport> parseKeepalived(std::string_view text, std::string_view fileName);

// parseKeepalived, then designFromImport around its one director. Warnings go to *warnings
// when given.
Result<Topology> importKeepalived(std::string_view text, std::string_view fileName,
                                  std::vector<std::string>* warnings = nullptr);

} // namespace lvs::core::import
