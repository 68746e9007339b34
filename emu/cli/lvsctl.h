// lvsctl's commands, callable in-process so tests can run them without a subprocess.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lvs::emu {

// Exit codes shared by every lvsctl command (DESIGN.md's contracts).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1; // the command ran and found design errors
inline constexpr int kExitBadInput = 2; // unreadable input or a bad command line

// Runs one lvsctl command line (without the program name); output to out, errors to err.
int runLvsctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lvs::emu
