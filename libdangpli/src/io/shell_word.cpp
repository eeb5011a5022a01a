#include "dangpli/shell_word.hpp"

#include <algorithm>
#include <cctype>

#include "dangpli/ascii_text.hpp"

namespace dangpli {

std::string shell_word(std::string_view text) {
    const auto literal = [](char c) {
        return is_ascii_alnum(c) || std::string_view("_./-+:@%,=").find(c) != std::string_view::npos;
    };
    if (!text.empty() && std::all_of(text.begin(), text.end(), literal)) return std::string(text);
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
    return quoted + "'";
}

}  // namespace dangpli
