// Quoting for the shell scripts LVS Lab generates: every name and value goes through here, so a
// node named `$(reboot)` or `a;b` comes out as inert text.
#pragma once

#include <string>
#include <string_view>

namespace lvs::core::exports {

// A POSIX sh word that expands to exactly `text`: plain words ([A-Za-z0-9_./:=@%+,-], not empty,
// not starting with '=') stay as they are; anything else is single-quoted, with each
// embedded ' written as '\''. Never fails.
std::string shellQuote(std::string_view text);

// A name for a '#' comment line: control characters (a newline would end the comment and
// start a command) become '?'.
std::string commentText(std::string_view text);

} // namespace lvs::core::exports
