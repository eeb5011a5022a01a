#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/core.h>

#include "stderr_line.hpp"

namespace dangpli::cli {

ProgressBar::ProgressBar(std::string label, bool shown)
    : label_(std::move(label)),
      enabled_(shown && ::isatty(::fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    // Redrawing more than ~10 times a second only costs terminal time.
    if (done != total && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr std::size_t kWidth = 30;
    const double fraction = static_cast<double>(done) / static_cast<double>(total);
    const auto filled = static_cast<std::size_t>(fraction * kWidth);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string eta = "";
    if (done > 0 && done < total)
        eta = fmt::format("  {:.0f} s left", elapsed / static_cast<double>(done) * static_cast<double>(total - done));
    tell("\r{} [{}{}] {}/{} {:3.0f}%{}\x1b[K", label_, std::string(filled, '#'),
         std::string(kWidth - filled, ' '), done, total, 100.0 * fraction, eta);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (drawn_) tell("\r\x1b[K");
    drawn_ = false;
}

ProgressBar::~ProgressBar() { finish(); }

}  // namespace dangpli::cli
