#pragma once
/// \file
/// VideoClock: the seconds of a video's frames, read from their time stamps as they are decoded, for a
/// loop whose every duration is on the frames' clock (a mood's window, a song's least play). A file's
/// stamps are not always a clock: the last frames after B-frames carry none (read as 0), a stream
/// without stamps reads as garbage, two recordings joined or an MPEG-TS discontinuity jump by minutes,
/// and a recording hiccup or a damaged packet puts one stamp ahead and the next ones on it or behind.
/// Each such frame follows the one before at the video's usual step; after a break the clock follows the
/// stamps again from there, after a hiccup once they pass it again: a hiccup costs at most its own size,
/// never a step on every later frame (it cost 1 s a frame: a 60 s video ran to 1559 s).

#include <array>
#include <cstddef>

namespace dangpli {

/// The frames' clock of one video; see the file comment. Pure arithmetic: nothing throws.
class VideoClock {
public:
    /// Seconds between two frames beyond any interval a camera or phone writes: a longer jump of
    /// the stamps is a break in them, not time without a frame.
    static constexpr double kLongestFrameGap = 2.0;

    /// `nominal_fps`: the rate the container declares (0 or less when unknown), used for the step
    /// until the stamps have shown theirs.
    explicit VideoClock(double nominal_fps) : nominal_fps_(nominal_fps) {}

    /// The time of the next frame, in seconds, from its stamp (`stamp_seconds`; anything not in
    /// [0, kLatestFrameSeconds) is no stamp). The first frame is at its stamp (0 without one); every later one is
    /// after the one before it. `after_lost_frames`: frames before this one could not be decoded (a
    /// damaged part), so a jump ahead of its stamp is their time, however long, not a break.
    double next(double stamp_seconds, bool after_lost_frames = false);

    /// The latest stamp seen (past a jump in the stamps, unlike the frames' times); 0 before any.
    double latest_stamp() const { return latest_stamp_; }
    /// The time next() gave last; 0 before any frame.
    double last_time() const { return last_time_; }

private:
    double usual_step() const;  // the median of the recent steps the stamps gave, else the nominal rate's

    double nominal_fps_;
    double offset_ = 0.0;  // added to a stamp: how far the clock moved from the stamps at their breaks
    double last_time_ = 0.0;
    double latest_stamp_ = 0.0;
    std::size_t frames_ = 0;
    std::array<double, 9> recent_steps_{};  // a ring of the last steps the stamps gave
    std::size_t steps_seen_ = 0;
};

}  // namespace dangpli
