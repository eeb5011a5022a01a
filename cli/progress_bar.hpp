#pragma once
// A count of the work done, on stderr where a person watches it (eval, playlist scan, analyze).

#include <chrono>
#include <cstddef>
#include <string>

namespace dangpli::cli {

/// "eval [#####     ] 1234/3589  34%  5 s left" on stderr, redrawn in place and fitted to the
/// terminal's width (the bar narrows, then goes). Silent when stderr is not a terminal that moves the
/// cursor (logs and CI stay clean; TERM unset or dumb), or where `shown` says so. Not thread-safe: call from one thread.
class ProgressBar {
public:
    explicit ProgressBar(std::string label, bool shown = true);
    void update(std::size_t done, std::size_t total);
    /// Clears the bar's line (also done by the destructor).
    void finish();
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace dangpli::cli
