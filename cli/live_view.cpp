#include "live_view.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "monotonic_seconds.hpp"

namespace dangpli::cli {
namespace {

std::string bar(float p, int width, bool utf8) {
    const int full = static_cast<int>(p * static_cast<float>(width) + 0.5f);
    std::string s;
    for (int i = 0; i < width; ++i) s += i < full ? (utf8 ? "█" : "#") : (utf8 ? "·" : ".");
    return s;
}

// A terminal that can move the cursor: TERM set, and not "dumb" (Emacs' shell, some CI logs).
bool moves_cursor(std::FILE* out) {
    const char* term = std::getenv("TERM");
    return isatty(fileno(out)) != 0 && term != nullptr && *term != '\0' && std::string_view(term) != "dumb";
}

// Whether the locale's text is UTF-8 (LC_ALL, else LC_CTYPE, else LANG, as the C library reads them).
bool utf8_locale() {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* value = std::getenv(name);
        if (value == nullptr || *value == '\0') continue;
        std::string lower(value);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
    }
    return false;
}

// The terminal's width in columns; 80 when it does not say.
int columns(std::FILE* out) {
    winsize size{};
    if (::ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

// The columns a character takes on a terminal: two for the East Asian wide ones (Hangul, CJK, full-
// width forms), which song titles hold ("폴킴 - 모든 날 모든 순간"); one for the rest.
int columns_of(char32_t c) {
    const auto in = [c](char32_t from, char32_t to) { return c >= from && c <= to; };
    return in(0x1100, 0x115F) || in(0x2E80, 0xA4CF) || in(0xAC00, 0xD7A3) || in(0xF900, 0xFAFF) ||
                   in(0xFE30, 0xFE4F) || in(0xFF00, 0xFF60) || in(0xFFE0, 0xFFE6) || in(0x1F300, 0x1F64F) ||
                   in(0x20000, 0x3FFFD)
               ? 2
               : 1;
}

// `line` cut to `width` columns (UTF-8 sequences kept whole), with "…"/"~" where cut: a wrapped line
// would throw the in-place redraw off by a row.
std::string fitted(const std::string& line, int width, bool utf8) {
    // Each character's start and columns, decoded from UTF-8 (a stray byte counts as one column).
    std::vector<std::pair<std::size_t, int>> characters;
    int total = 0;
    for (std::size_t i = 0; i < line.size();) {
        const auto lead = static_cast<unsigned char>(line[i]);
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        char32_t c = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length && i + k < line.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(line[i + k]) & 0x3F);
        characters.emplace_back(i, columns_of(c));
        total += characters.back().second;
        i += length;
    }
    if (total <= width) return line;
    int used = 0;
    for (const auto& [start, columns] : characters) {
        if (used + columns > width - 1) return line.substr(0, start) + (utf8 ? "…" : "~");  // the mark takes one
        used += columns;
    }
    return line;
}

}  // namespace

LiveView::LiveView(std::FILE* out) : out_(out), tty_(moves_cursor(out)), utf8_(utf8_locale()) {}

void LiveView::release() {
    drawn_lines_ = 0;
    std::fflush(out_);
}

void LiveView::say(const std::string& line) {
    if (tty_ && drawn_lines_ > 0) fmt::print(out_, "\x1b[{}F\x1b[J", drawn_lines_);  // erase the block
    drawn_lines_ = 0;
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
    last_draw_ = -1.0;  // redraw the block on the next update
}

void LiveView::update(const LiveStatus& s) {
    if (!tty_) return;
    const double now = monotonic_seconds();
    if (last_draw_ >= 0 && now - last_draw_ < 0.1) return;
    last_draw_ = now;
    // Every line shorter than the terminal is wide: one that wraps takes two rows, and the redraw,
    // which moves up one row a line, would leave stale copies behind.
    const int width = columns(out_) - 1;
    const int bar_width = std::clamp(width - 18, 5, 30);
    const auto line = [&](const std::string& text) { return fitted(text, width, utf8_) + "\x1b[K\n"; };
    std::string block;
    for (Emotion e : kAllEmotions) {
        const float p = s.face ? (*s.face)[e] : 0.0f;
        const bool dominant = s.mood.emotion == e;
        block += line(fmt::format("{} {:<9}{} {:5.1f}%", dominant ? (utf8_ ? "▶" : ">") : " ", to_string(e),
                                  bar(p, bar_width, utf8_), 100.0f * p));
    }
    block += line(fmt::format("mood: {:<9} {:5.1f}%{}   faces: {}   {:.1f} fps   [{}]",
                              s.mood.emotion ? std::string(to_string(*s.mood.emotion)) : "-", 100.0f * s.mood.confidence,
                              s.mood.emotion && !s.mood.clear ? " (unclear)" : "", s.faces, s.fps, s.state));
    block += line(fmt::format("{} {}", utf8_ ? "♪" : "song:", s.playing.empty() ? "(nothing playing)" : s.playing));
    if (drawn_lines_ > 0) fmt::print(out_, "\x1b[{}F", drawn_lines_);
    fmt::print(out_, "{}", block);
    drawn_lines_ = static_cast<int>(kEmotionCount) + 2;
    std::fflush(out_);
}

}  // namespace dangpli::cli
