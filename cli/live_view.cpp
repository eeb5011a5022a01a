#include "live_view.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <string_view>

#include <fmt/core.h>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "display_width.hpp"
#include "monotonic_seconds.hpp"
#include "terminal_caps.hpp"

namespace dangpli::cli {
namespace {

// The block: a bar per emotion, the mood line, the song line.
constexpr int kBlockLines = static_cast<int>(kEmotionCount) + 2;

std::string bar(float p, int width, bool utf8) {
    const int full = static_cast<int>(p * static_cast<float>(width) + 0.5f);
    std::string s;
    for (int i = 0; i < width; ++i) s += i < full ? (utf8 ? "█" : "#") : (utf8 ? "·" : ".");
    return s;
}

// Whether the locale's text is UTF-8 (LC_ALL, else LC_CTYPE, else LANG, as the C library reads them).
bool utf8_locale() {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* value = std::getenv(name);
        if (value == nullptr || *value == '\0') continue;
        const std::string lower = ascii_lower(value);
        return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
    }
    return false;
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
    // A path or a player's error can hold a terminal escape or a line break: shown, never obeyed.
    fmt::print(out_, "{}\n", one_line(line, std::numeric_limits<std::size_t>::max()));
    std::fflush(out_);
    last_draw_ = -1.0;  // redraw the block on the next update
}

bool LiveView::interactive() const { return tty_ && terminal_rows(out_) > kBlockLines; }

void LiveView::update(const LiveStatus& s) {
    if (!interactive()) return;
    const double now = monotonic_seconds();
    if (last_draw_ >= 0 && now - last_draw_ < 0.1) return;
    last_draw_ = now;
    // Every line shorter than the terminal is wide: one that wraps takes two rows, and the redraw,
    // which moves up one row a line, would leave stale copies behind.
    const int width = terminal_columns(out_) - 1;
    const int bar_width = std::clamp(width - 18, 5, 30);
    // A wrapped line would throw the in-place redraw off by a row: each is cut to the width.
    const auto line = [&](const std::string& text) {
        return fit_to_width(text, static_cast<std::size_t>(width), utf8_ ? "…" : "~") + "\x1b[K\n";
    };
    std::string block;
    for (Emotion e : kAllEmotions) {
        const float p = s.mood.support[static_cast<std::size_t>(e)];
        const bool dominant = s.mood.emotion == e;
        block += line(fmt::format("{} {:<9}{} {:5.1f}%", dominant ? (utf8_ ? "▶" : ">") : " ", to_string(e),
                                  bar(p, bar_width, utf8_), 100.0f * p));
    }
    // A mood held while nobody is in view says so: "mood: happy 79.5%" read as a confident mood of an empty room.
    std::string held;
    if (s.mood.emotion && s.face_gone_s && *s.face_gone_s >= 1.0)
        held = fmt::format(" (held: {} for {:.0f} s)", s.faces == 0 ? "no face" : "the face followed gone", *s.face_gone_s);
    else if (s.mood.emotion && !s.mood.clear) held = " (unclear)";
    // Before the first mood (a second of face) the bars already move: "- 0.0%" read as a reading of nothing.
    const std::string mood = s.mood.emotion ? fmt::format("{:<9} {:5.1f}%{}", to_string(*s.mood.emotion),
                                                          100.0f * s.mood.confidence, held)
                                            : std::string(s.faces == 0 ? "-  (no face yet)" : "-  (reading the face)");
    block += line(fmt::format("mood: {}   faces: {}   {:.1f} fps   [{}]", mood, s.faces, s.fps, s.state));
    block += line(fmt::format("{} {}", utf8_ ? "♪" : "song:", s.playing.empty() ? "(nothing playing)" : s.playing));
    if (drawn_lines_ > 0) fmt::print(out_, "\x1b[{}F", drawn_lines_);
    fmt::print(out_, "{}", block);
    drawn_lines_ = kBlockLines;
    std::fflush(out_);
}

}  // namespace dangpli::cli
