// `lvsctl import rules.save`: an ipvsadm-save file (or any ipvsadm -R input) becomes a design.
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <string_view>

namespace lvs::core::import {

// Reads the rules as ipvsadm-restore would (comment lines dropped, each line one ipvsadm
// command, the kernel's checks applied), then builds the design around one director.
// Errors name the file and line.
Result<Topology> importIpvsadmSave(std::string_view text, std::string_view fileName);

} // namespace lvs::core::import
