// lvsctl validate: checks a .lvslab design and prints its findings as text or JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lvs::emu {

// `lvsctl validate FILE [--json] [--lang en|zh_CN]` (args without "validate"). Exit 0: no
// errors (warnings and infos allowed); 1: design errors found; 2: unreadable input or bad
// arguments, with the loader's file:line:column messages on err. Never throws on user input.
int runValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lvs::emu
