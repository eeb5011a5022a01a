#include "dangpli/shell_word.hpp"

#include <algorithm>
#include <cctype>

namespace dangpli {

std::string shell_word(std::string_view text) {
    const auto literal = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("_./-+:@%,=").find(c) != std::string_view::npos;
    };
    if (!text.empty() && std::all_of(text.begin(), text.end(), literal)) return std::string(text);
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
    return quoted + "'";
}

}  // namespace dangpli
