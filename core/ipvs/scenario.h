// `lvsctl simulate`: replays a scheduling scenario (../shared/scenario-format.md in the design
// notes) through the same Balancer and schedulers the director runs.
#pragma once

#include "core/util/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace lvs::core::ipvs {

// Runs a scenario: out(line) for each connect/syn ("RIP:PORT" or "none"), in order. On a bad
// line, returns "FILE:LINE: reason" after the lines before it were printed. seed drives twos'
// random choices.
Result<void> runScenario(std::string_view text, std::string_view fileName, std::uint64_t seed,
                         const std::function<void(const std::string&)>& out);

} // namespace lvs::core::ipvs
