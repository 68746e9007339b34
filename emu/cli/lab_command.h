// lvsctl lab: runs a design in Linux network namespaces (up, down, list, clean, exec, run).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lvs::emu {

// `lvsctl lab up FILE [--name N] | down N | list | clean | exec N NODE -- CMD... |
//  run FILE --requests K [--name N] [TRAFFIC...] | traffic N --requests K [TRAFFIC...]` (args
// without "lab"), TRAFFIC being [--client NODE] [--proto http|tcp|udp] [--keep-alive]
// [--sources S] [--to ADDRESS:PORT] (kUsage says what they do). Exit 0 on success, 1 when the
// lab cannot be made or found (the message says what to do), 2 for bad arguments. exec replaces
// the process with CMD on success. traffic --sources leaves the addresses it adds on the client
// until the lab goes down. Needs root except for list; never throws.
int runLabCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lvs::emu
