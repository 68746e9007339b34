// ipvsadm run against a Control: main() and process_options()'s dispatch of ipvsadm 1.31
// (ipvsadm.c), restore_table() with config_stream_read()'s line reading, and the texts of
// usage_exit(), version() and tryhelp_exit(). Output goes to strings; nothing exits.
#pragma once

#include "core/ipvsadm/control.h"
#include "core/util/result.h"

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::ipvsadm {

struct Invocation {
    // argv[0]: the name usage and "Try `%s -h'" print ("ipvsadm", "lvsadm").
    std::string program = "ipvsadm";
    // stdin, for -R. Null reads as empty.
    std::istream* input = nullptr;
    Resolver resolver = defaultResolver(); // names in -t/-r (gethostbyname, getservbyname)
    NameResolver names;                    // names in listings without -n
    std::string out;                       // what ipvsadm writes on stdout
    std::string err;                       // and on stderr
};

// The exit status ipvsadm would end with: 0; 1 (a listing of a missing service); 2 (fail());
// 255 (tryhelp_exit(argv[0], -1), popt errors, and every libipvs error: process_options
// returns -1 and main() returns it). -R continues past libipvs errors, as restore_table does,
// and ends with the status of the last line; a parse error stops it with 2. Where ipvsadm's
// restore messages cannot say where they come from, ours add "<program> -R, line N: ".
int runIpvsadm(const std::vector<std::string>& args, Control& control, Invocation& io);

// config_stream_read(): one line's words (space, tab and CR separate; the word "ipvsadm" is
// dropped anywhere on the line). Fails, naming the reason, on a NUL byte and on a word longer
// than MAX_LINE_LENGTH (4096) characters, where ipvsadm's fscanf would read stale buffers.
Result<std::vector<std::string>> restoreWords(std::string_view line);

// A table kept as ipvsadm-restore text (StateTable::toRestoreText): '#' lines are skipped, as
// the ipvsadm-restore script's grep does, and every other line must apply cleanly. Errors
// name the file and line: "FILE:LINE: message".
Result<void> loadRestoreText(std::string_view text, std::string_view fileName, Control& control);

// usage_exit()'s text for a program name, version()'s line.
std::string usageText(std::string_view program);
std::string versionText();

} // namespace lvs::core::ipvsadm
