#pragma once
// How wide text is on a terminal: East Asian wide characters (Hangul, CJK, full-width forms) take two
// columns, combining marks none. For tables (`playlist list`) and live's block, where a line that
// wraps breaks the layout.

#include <cstddef>
#include <string>
#include <string_view>

namespace dangpli::cli {

/// Terminal columns a UTF-8 string takes.
std::size_t display_width(std::string_view utf8);

/// `s` cut to at most `width` columns, ending with `cut_mark` (one column) when something was cut.
std::string fit_to_width(std::string_view s, std::size_t width, std::string_view cut_mark = "…");

}  // namespace dangpli::cli
