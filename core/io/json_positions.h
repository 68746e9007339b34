// JSON parsing that remembers where each value and key starts, so errors can name line:column.
//
// nlohmann-json 3.11 (Debian 12) checks the syntax but keeps no positions; a SAX handler
// builds the document and, walking the text in step with the parser's callbacks, records the
// offset of every value and object key by its JSON pointer ("/nodes/0/name").
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace lvs::core {

using Json = nlohmann::ordered_json;

struct TextPosition {
    int line = 1;   // 1-based
    int column = 1; // 1-based, in bytes
};

TextPosition positionOf(std::string_view text, std::size_t offset);

struct PositionedJson {
    Json value;
    std::map<std::string, std::size_t> valueOffsets; // pointer -> offset of the value's first char
    std::map<std::string, std::size_t> keyOffsets;   // pointer -> offset of the key's opening quote
};

struct JsonSyntaxError {
    TextPosition position;
    std::string reason;
};

// Parses text strictly (no comments, no trailing commas, one value). Objects with a key twice
// are refused ("duplicate key"), since the later one would silently win.
std::variant<PositionedJson, JsonSyntaxError> parseJsonWithPositions(std::string_view text);

// "/nodes/0" + "name" -> "/nodes/0/name" (escaping '~' and '/' as RFC 6901 says).
std::string childPointer(const std::string& parent, std::string_view key);
std::string childPointer(const std::string& parent, std::size_t index);

} // namespace lvs::core
