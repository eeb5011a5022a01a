#include "dangpli/csv_field.hpp"

namespace dangpli {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool needs_quotes(std::string_view text) {
    if (text.find_first_of(",\"\r\n") != std::string_view::npos) return true;
    return !text.empty() && (is_blank(text.front()) || is_blank(text.back()));
}

}  // namespace

std::string csv_field(std::string_view text) {
    if (!needs_quotes(text)) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace dangpli
