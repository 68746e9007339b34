// Atomic file replacement: a save either fully happens or leaves the old file untouched.
#pragma once

#include "core/util/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace lvs::core {

// Points where a test can make an atomic write fail, to prove the old file survives.
struct WriteFaults {
    std::size_t failWriteAfterBytes = static_cast<std::size_t>(-1); // write() fails past this
    bool failFsync = false;
    bool failRename = false;
};

// Writes contents to path via a temporary file in the same folder (".NAME.XXXXXX"), fsync,
// rename over path, and fsync of the folder. An existing file keeps its permission bits. On any
// failure the temporary file is removed and path is as it was; the error names the path and
// the system's reason.
Result<void> writeFileAtomically(const std::string& path, std::string_view contents,
                                 const WriteFaults& faults = {});

// Reads a whole file; the error names the path and the system's reason.
Result<std::string> readFile(const std::string& path);

} // namespace lvs::core
