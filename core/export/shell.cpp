#include "core/export/shell.h"

#include <algorithm>

namespace lvs::core::exports {

std::string shellQuote(std::string_view text)
{
    auto plain = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view("_./:=@%+,-").find(c) != std::string_view::npos;
    };
    if (!text.empty() && text.front() != '=' && std::all_of(text.begin(), text.end(), plain))
        return std::string(text);
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += "'";
    return out;
}

std::string commentText(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return out;
}

} // namespace lvs::core::exports
