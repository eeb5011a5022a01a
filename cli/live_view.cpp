#include "live_view.hpp"

#include <unistd.h>

#include <fmt/core.h>

#include "monotonic_seconds.hpp"

namespace dangpli::cli {
namespace {

std::string bar(float p, int width) {
    const int full = static_cast<int>(p * static_cast<float>(width) + 0.5f);
    std::string s;
    for (int i = 0; i < width; ++i) s += i < full ? "█" : "·";
    return s;
}

}  // namespace

LiveView::LiveView(std::FILE* out) : out_(out), tty_(isatty(fileno(out)) != 0) {}

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
    std::string block;
    for (Emotion e : kAllEmotions) {
        const float p = s.face ? (*s.face)[e] : 0.0f;
        const bool dominant = s.mood.emotion == e;
        block += fmt::format("{} {:<9}{} {:5.1f}%\x1b[K\n", dominant ? "▶" : " ", to_string(e), bar(p, 30), 100.0f * p);
    }
    block += fmt::format("mood: {:<9} {:5.1f}%{}   faces: {}   {:.1f} fps   [{}]\x1b[K\n",
                         s.mood.emotion ? std::string(to_string(*s.mood.emotion)) : "-", 100.0f * s.mood.confidence,
                         s.mood.emotion && !s.mood.clear ? " (unclear)" : "", s.faces, s.fps, s.state);
    block += fmt::format("♪ {}\x1b[K\n", s.playing.empty() ? "(nothing playing)" : s.playing);
    if (drawn_lines_ > 0) fmt::print(out_, "\x1b[{}F", drawn_lines_);
    fmt::print(out_, "{}", block);
    drawn_lines_ = static_cast<int>(kEmotionCount) + 2;
    std::fflush(out_);
}

}  // namespace dangpli::cli
