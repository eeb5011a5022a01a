#include "dangpli/error.hpp"

#include <cstdio>

#include "core/utf8_text.hpp"

namespace dangpli {
namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string escape_controls(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            // A valid character as it is; a byte that is none (a Latin-1 file name) as \xHH, never raw
            const std::size_t length = detail::utf8_sequence_length(text, i);
            if (length == 0) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X", byte);
                out += hex;
            } else {
                out.append(text.substr(i, length));
                i += length - 1;
            }
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20 || byte == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", byte);
            out += hex;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string one_line(std::string_view text, std::size_t max_bytes) {
    std::string line = escape_controls(text);
    if (line.size() <= max_bytes) return line;
    // The start names the file and line, the end often says what was expected: keep both.
    constexpr std::string_view kCut = " ... ";
    const std::size_t budget = max_bytes > kCut.size() ? max_bytes - kCut.size() : 0;
    std::size_t head = budget * 3 / 4, tail_from = line.size() - (budget - head);
    while (head > 0 && is_utf8_continuation(line[head])) --head;
    while (tail_from < line.size() && is_utf8_continuation(line[tail_from])) ++tail_from;
    return line.substr(0, head) + std::string(kCut) + line.substr(tail_from);
}

}  // namespace dangpli
