// The .lvslab file: versioned JSON for a Topology, read with file:line:column errors and
// written atomically.
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core {

// The version this build writes. Older versions are migrated on load; newer ones are refused.
inline constexpr int kLvslabVersion = 1;

struct LoadError {
    std::string file;
    int line = 0;   // 0 when the error is not in the text (the file cannot be read)
    int column = 0;
    std::string reason;
    // "examples/lvs-dr.lvslab:12:18: weight must be 0..2147483647, not -1"
    std::string toString() const;
};

using LoadResult = std::expected<Topology, std::vector<LoadError>>;

// Reads a topology from text; fileName is only used in the errors. Reports every error it
// finds (a bad document gives all its faults, not the first only); never throws.
LoadResult parseLvslab(std::string_view text, std::string_view fileName);
LoadResult loadLvslab(const std::string& path);

// The canonical text of a topology: the same topology always gives the same bytes, and
// parseLvslab(serializeLvslab(t)) == t.
std::string serializeLvslab(const Topology& topology);
// Writes atomically (temporary file, fsync, rename, fsync of the folder): on any failure the old
// file is left as it was.
Result<void> saveLvslab(const Topology& topology, const std::string& path);

} // namespace lvs::core
