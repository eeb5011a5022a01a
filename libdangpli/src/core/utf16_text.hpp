#pragma once
// Text saved as UTF-16 (as Notepad and some Windows programs save it), which the readers of text
// files (playlists, live's config) name as such rather than as bytes they cannot read.

#include <string_view>

namespace dangpli::detail {

/// Whether `text` is UTF-16: it starts with a byte-order mark, or it is ASCII text without one (a NUL
/// in every pair of bytes).
inline bool utf16_text(std::string_view text) {
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) return true;
    return text.size() >= 4 && ((text[0] != '\0' && text[1] == '\0' && text[3] == '\0') ||
                                (text[0] == '\0' && text[1] != '\0' && text[2] == '\0'));
}

/// What the readers say of it.
inline constexpr std::string_view kUtf16Advice = "UTF-16 text (as some Windows programs save it): save it as UTF-8";

}  // namespace dangpli::detail
