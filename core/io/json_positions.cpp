// JSON parsing that remembers where each value and key starts, so errors can name line:column.
#include "core/io/json_positions.h"

#include <variant>
#include <vector>

namespace lvs::core {

TextPosition positionOf(std::string_view text, std::size_t offset)
{
    TextPosition pos;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

std::string childPointer(const std::string& parent, std::string_view key)
{
    std::string out = parent + "/";
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string childPointer(const std::string& parent, std::size_t index)
{
    return parent + "/" + std::to_string(index);
}

namespace {

// Builds the DOM from SAX events and follows the text to find where each token starts. The
// parser has already checked the text up to each event, so a forward scan over whitespace and
// the separators ':' and ',' lands exactly on the token the event belongs to.
class PositionTracker final : public nlohmann::json_sax<Json> {
public:
    explicit PositionTracker(std::string_view text) : m_text(text) {}

    bool null() override { return scalar(Json(nullptr)); }
    bool boolean(bool v) override { return scalar(Json(v)); }
    bool number_integer(number_integer_t v) override { return scalar(Json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return scalar(Json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return scalar(Json(v)); }
    bool string(string_t& v) override { return scalar(Json(v)); }
    bool binary(binary_t&) override { return false; }

    bool start_object(std::size_t) override
    {
        std::size_t start = tokenStart();
        m_scan = start + 1;
        return open(Json::object(), start);
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override
    {
        std::size_t start = tokenStart();
        m_scan = start + 1;
        return open(Json::array(), start);
    }
    bool end_array() override { return close(); }

    bool key(string_t& k) override
    {
        std::size_t start = tokenStart();
        m_scan = stringEnd(start);
        Frame& frame = m_stack.back();
        if (frame.value->contains(k)) {
            m_duplicate = JsonSyntaxError{positionOf(m_text, start),
                                          "duplicate key \"" + k + "\""};
            return false;
        }
        frame.pendingKey = k;
        m_result.keyOffsets[childPointer(frame.pointer, std::string_view(k))] = start;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& ex) override
    {
        std::string what = ex.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 1: syntax error ..."
        auto colon = what.find(": ");
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        std::size_t offset = position > 0 ? position - 1 : 0;
        m_syntax = JsonSyntaxError{positionOf(m_text, offset), reason};
        return false;
    }

    std::variant<PositionedJson, JsonSyntaxError> take(bool ok)
    {
        if (m_duplicate)
            return *m_duplicate;
        if (m_syntax)
            return *m_syntax;
        if (!ok)
            return JsonSyntaxError{positionOf(m_text, m_scan), "malformed JSON"};
        return std::move(m_result);
    }

private:
    struct Frame {
        Json* value;
        std::string pointer;
        std::string pendingKey;
    };

    std::size_t tokenStart()
    {
        while (m_scan < m_text.size()) {
            char c = m_text[m_scan];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',')
                ++m_scan;
            else
                break;
        }
        return m_scan;
    }

    std::size_t stringEnd(std::size_t start) const
    {
        std::size_t i = start + 1;
        while (i < m_text.size() && m_text[i] != '"')
            i += (m_text[i] == '\\') ? 2 : 1;
        return i + 1;
    }

    std::size_t scalarEnd(std::size_t start) const
    {
        if (start < m_text.size() && m_text[start] == '"')
            return stringEnd(start);
        std::size_t i = start;
        while (i < m_text.size()) {
            char c = m_text[i];
            bool part = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+'
                || c == '.' || c == 'E';
            if (!part)
                break;
            ++i;
        }
        return i;
    }

    // Places v in the current container; returns where it went and its pointer.
    std::pair<Json*, std::string> place(Json v)
    {
        if (m_stack.empty()) {
            m_result.value = std::move(v);
            return {&m_result.value, ""};
        }
        Frame& frame = m_stack.back();
        if (frame.value->is_array()) {
            std::string pointer = childPointer(frame.pointer, frame.value->size());
            frame.value->push_back(std::move(v));
            return {&frame.value->back(), pointer};
        }
        std::string pointer = childPointer(frame.pointer, std::string_view(frame.pendingKey));
        Json& slot = (*frame.value)[frame.pendingKey];
        slot = std::move(v);
        return {&slot, pointer};
    }

    bool scalar(Json v)
    {
        std::size_t start = tokenStart();
        m_scan = scalarEnd(start);
        auto [slot, pointer] = place(std::move(v));
        m_result.valueOffsets[pointer] = start;
        return true;
    }

    bool open(Json v, std::size_t start)
    {
        auto [slot, pointer] = place(std::move(v));
        m_result.valueOffsets[pointer] = start;
        m_stack.push_back(Frame{slot, pointer, {}});
        return true;
    }

    bool close()
    {
        std::size_t start = tokenStart();
        m_scan = start + 1;
        m_stack.pop_back();
        return true;
    }

    std::string_view m_text;
    std::size_t m_scan = 0;
    std::vector<Frame> m_stack;
    PositionedJson m_result;
    std::optional<JsonSyntaxError> m_syntax;
    std::optional<JsonSyntaxError> m_duplicate;
};

} // namespace

std::variant<PositionedJson, JsonSyntaxError> parseJsonWithPositions(std::string_view text)
{
    PositionTracker tracker(text);
    bool ok = Json::sax_parse(text.begin(), text.end(), &tracker, nlohmann::detail::input_format_t::json,
                              /*strict=*/true);
    return tracker.take(ok);
}

} // namespace lvs::core
