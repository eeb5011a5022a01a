#include "dangpli/video_clock.hpp"

#include <algorithm>
#include <cmath>

#include "dangpli/live_trace.hpp"

namespace dangpli {

double VideoClock::usual_step() const {
    if (steps_seen_ > 0) {
        const std::size_t n = std::min(steps_seen_, recent_steps_.size());
        std::array<double, 9> steps = recent_steps_;
        std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(n / 2), steps.begin() + static_cast<std::ptrdiff_t>(n));
        return steps[n / 2];
    }
    // A variable-rate file may declare a rate far off its frames' (90000 for a still picture).
    return nominal_fps_ > 0.0 && nominal_fps_ <= 1000.0 ? 1.0 / nominal_fps_ : 1.0 / 30.0;
}

double VideoClock::next(double stamp_seconds, bool after_lost_frames) {
    const bool stamped = stamp_seconds >= 0.0 && stamp_seconds < kLatestFrameSeconds;
    if (stamped) latest_stamp_ = std::max(latest_stamp_, stamp_seconds);
    double t = 0.0;
    if (frames_ == 0) {
        t = stamped ? stamp_seconds : 0.0;
        offset_ = 0.0;
    } else if (const double step = stamp_seconds + offset_ - last_time_; stamped && step > 0.0 && (step <= kLongestFrameGap || after_lost_frames)) {
        t = stamp_seconds + offset_;  // not last + step: a clean file's times are its stamps, without float noise
        recent_steps_[steps_seen_++ % recent_steps_.size()] = step;
    } else {
        // No stamp, one that stands still or goes back, or a break: the usual step. After a break (a jump
        // of more than the longest gap, ahead or back) the stamps are followed again from here; after a
        // hiccup (a stamp ahead, the next ones on it or behind), once they pass the clock again.
        t = last_time_ + usual_step();
        if (stamped && std::abs(step) > kLongestFrameGap) offset_ = t - stamp_seconds;
    }
    ++frames_;
    return last_time_ = t;
}

}  // namespace dangpli
