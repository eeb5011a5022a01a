#include "progress_bar.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/core.h>

#include "display_width.hpp"
#include "stderr_line.hpp"
#include "terminal_caps.hpp"

namespace dangpli::cli {

ProgressBar::ProgressBar(std::string label, bool shown)
    : label_(std::move(label)),
      enabled_(shown && moves_cursor(stderr)),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    // Redrawing more than ~10 times a second only costs terminal time.
    if (done != total && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double fraction = static_cast<double>(done) / static_cast<double>(total);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string eta = "";
    if (done > 0 && done < total)
        eta = fmt::format("  {:.0f} s left", elapsed / static_cast<double>(done) * static_cast<double>(total - done));
    const std::string counts = fmt::format("{}/{} {:3.0f}%{}", done, total, 100.0 * fraction, eta);
    // Narrower than the terminal: a line that wraps is redrawn from its last row only, and each
    // redraw left a row of bar behind. The bar gives way first, then the line is cut.
    const auto width = static_cast<std::size_t>(std::max(terminal_columns(stderr) - 1, 1));
    const std::size_t room = width > label_.size() + counts.size() + 4 ? width - label_.size() - counts.size() - 4 : 0;
    const std::size_t bar_width = std::min<std::size_t>(room, 30);
    std::string line = label_ + " ";
    if (bar_width >= 5) {
        const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar_width));
        line += "[" + std::string(filled, '#') + std::string(bar_width - filled, ' ') + "] ";
    }
    tell("\r{}\x1b[K", fit_to_width(line + counts, width, "~"));
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (drawn_) tell("\r\x1b[K");
    drawn_ = false;
}

ProgressBar::~ProgressBar() { finish(); }

}  // namespace dangpli::cli
