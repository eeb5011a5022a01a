#include "display_width.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace dangpli::cli {
namespace {

// Decodes one code point (input is valid UTF-8: the store only holds checked text).
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    char32_t c = b(i);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > 1) c &= (0xFFu >> (len + 1));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) c = (c << 6) | (b(i + k) & 0x3F);
    i += len;
    return c;
}

bool is_wide(char32_t c) {
    constexpr std::array<std::pair<char32_t, char32_t>, 12> wide{{{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF},
                                                                 {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
                                                                 {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F},
                                                                 {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x3FFFD}}};
    return std::any_of(wide.begin(), wide.end(), [c](auto r) { return c >= r.first && c <= r.second; });
}

bool is_combining(char32_t c) { return (c >= 0x0300 && c <= 0x036F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F); }

std::size_t columns_of(char32_t c) { return is_combining(c) ? 0u : is_wide(c) ? 2u : 1u; }

}  // namespace

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) width += columns_of(next_code_point(utf8, i));
    return width;
}

std::string fit_to_width(std::string_view s, std::size_t width, std::string_view cut_mark) {
    if (display_width(s) <= width) return std::string(s);
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const std::size_t w = columns_of(next_code_point(s, i));
        if (used + w + 1 > width) break;
        used += w;
        out.append(s.substr(start, i - start));
    }
    return out + std::string(cut_mark);
}

}  // namespace dangpli::cli
