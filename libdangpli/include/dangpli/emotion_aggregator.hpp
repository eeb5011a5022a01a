#pragma once
/// \file
/// EmotionAggregator: turns the main face's per-frame emotion scores into a mood, over a window of
/// seconds on the frames' clock, with hysteresis and a hold time so that a talking face's noisy
/// frames cannot switch the mood.

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/emotion.hpp"
#include "dangpli/emotion_scores.hpp"

namespace dangpli {

/// How the frames in the window are combined into each emotion's support.
enum class AggregationStrategy {
    Majority,  ///< the most frequent (weighted) arg-max over the window (the seed service's rule)
    Mean,      ///< the highest weighted mean probability over the window
    Ema,       ///< the highest exponential moving average of the probabilities (time constant window_s / 2)
};

/// "majority", "mean" or "ema".
std::string_view to_string(AggregationStrategy strategy);
/// The strategy named `name` (as to_string gives it); nullopt for anything else.
std::optional<AggregationStrategy> parse_aggregation_strategy(std::string_view name);
/// Every strategy's name, for a program's option list.
std::vector<std::string> aggregation_strategy_names();

/// Settings of an EmotionAggregator. Every duration is in seconds on the frames' clock, so a
/// camera at 15 fps and a video at 60 fps give the same mood for the same face. The defaults were
/// chosen by replaying realistic traces (bench/bench_replay; the README gives the figures).
struct EmotionAggregatorOptions {
    AggregationStrategy strategy = AggregationStrategy::Mean;  ///< how frames are combined
    double window_s = 2.0;      ///< seconds of frames that count (the EMA's time constant is half of it); > 0
    double min_face_s = 1.0;    ///< seconds of face before the first mood is reported; in [0, window_s]
    /// A new emotion becomes the mood only when its support beats the current mood's by this much
    /// (vote share for Majority, probability for Mean and Ema), in [0, 1) ...
    float switch_margin = 0.10f;
    /// ... and has done so without a break for this many seconds at a lead of twice the margin;
    /// a larger lead (a face that plainly changed) needs proportionally less time, down to a
    /// quarter, a lead just over the margin up to twice as long. >= 0.
    double hold_s = 1.0;
    /// The mood is clear (Mood::clear) when its support leads every other emotion's by at least
    /// this much; a mood that is not clear changes nothing in the music. In [0, 1).
    float clear_margin = 0.05f;
    /// Weigh each frame by the classifier's confidence in it (in addition to the caller's weight).
    bool weigh_by_confidence = false;
};

/// The mood after the latest frame.
struct Mood {
    std::optional<Emotion> emotion;     ///< nullopt until min_face_s of face was seen
    float confidence = 0.0f;            ///< the mood's support (vote share or probability), [0, 1]
    std::array<float, kEmotionCount> support{};  ///< every emotion's support, indexed by label
    /// The mood leads every other emotion by clear_margin. When it does not, no emotion leads
    /// clearly: the previous mood is held, with low confidence, and the music does not change.
    bool clear = false;
    double seconds = 0.0;  ///< seconds since the first face of this reading (the window is full at window_s)
};

/// Aggregates the main face's per-frame scores into a Mood.
/// Not thread-safe: one aggregator per stream of frames. The constructor throws for bad options,
/// push() for a frame that is not a number (see there); nothing else throws.
///
/// The first mood is the leader once min_face_s of face was seen, and it follows the leader until
/// window_s of face was seen (a mood read from less than a full window is provisional; on a near
/// tie, a lead under half clear_margin, it stays, rather than flip with every frame), and becomes
/// the leader of the window when window_s is reached (a pick on a near tie is not held); after that
/// another emotion takes over only when its support has been at least the current mood's plus switch_margin for
/// about hold_s seconds in a row (less for a large lead, more for a marginal one). Frames older than window_s drop out of the window (Majority, Mean);
/// the EMA decays with the time between frames, so a face gone for long leaves little behind.
class EmotionAggregator {
public:
    /// Throws InputError for options out of their documented ranges.
    explicit EmotionAggregator(EmotionAggregatorOptions options = {});

    /// Adds the main face's scores of one frame at `time` seconds (non-decreasing; an earlier time
    /// counts as the latest) with `weight` (> 0, e.g. from the face's size; 0 or less counts as
    /// 1e-6) and returns the mood after it (a reference to mood(), updated by the next call).
    /// Majority uses `scores.emotion`, Mean and Ema `scores.probabilities`. Throws InputError, and
    /// keeps the mood as it was, for a time or weight that is not finite, an emotion that is not a
    /// label, or a probability outside [0, 1] (beyond rounding; NaN included).
    const Mood& push(double time, const EmotionScores& scores, float weight = 1.0f);
    /// A frame without a face: it does not count, the mood stays as it is.
    const Mood& push_no_face() { return mood_; }

    /// The mood after the last frame (empty before the first).
    const Mood& mood() const { return mood_; }
    /// The options it was made with.
    const EmotionAggregatorOptions& options() const { return options_; }
    /// Forgets every frame and the mood (e.g. when the person changes).
    void reset();

private:
    struct WeightedFrame {
        double time;
        float weight;
        EmotionScores scores;
    };
    std::array<float, kEmotionCount> current_support() const;
    void update_mood(double time);

    EmotionAggregatorOptions options_;
    std::deque<WeightedFrame> window_;
    std::array<double, kEmotionCount> ema_sum_{};
    double ema_weight_ = 0.0;
    std::optional<double> first_time_, last_time_;
    std::optional<Emotion> challenger_;
    double challenger_evidence_ = 0.0;  // seconds of lead, weighted by its size (see update_mood)
    double last_update_ = 0.0;
    Mood mood_;
};

}  // namespace dangpli
