#pragma once
/// \file
/// EmotionAggregator: turns per-frame emotion scores into a mood, over a window of recent frames
/// with a face, with hysteresis so that a few noisy frames cannot switch the mood.

#include <array>
#include <cstddef>
#include <deque>
#include <optional>

#include "dangpli/emotion.hpp"
#include "dangpli/emotion_scores.hpp"

namespace dangpli {

/// How the frames in the window are combined into each emotion's support.
enum class AggregationStrategy {
    Majority,  ///< the most frequent arg-max over the window (the seed service's rule)
    Mean,      ///< the highest mean probability over the window
    Ema,       ///< the highest exponential moving average of the probabilities
};

/// Settings of an EmotionAggregator. Frames are counted, not timed: at 30 frames/s the default
/// window is about 0.7 s of face.
struct EmotionAggregatorOptions {
    AggregationStrategy strategy = AggregationStrategy::Mean;  ///< how frames are combined
    std::size_t window = 20;        ///< frames with a face that count (Majority, Mean); > 0
    float ema_alpha = 0.1f;         ///< weight of the newest frame for Ema, in (0, 1]
    /// A new emotion takes over only when its support beats the current mood's by this much
    /// (vote share for Majority, probability for Mean and Ema), in [0, 1).
    float switch_margin = 0.10f;
    std::size_t min_frames = 5;     ///< frames with a face before any mood is reported; <= window
};

/// The mood after the latest frame. Support is a vote share (Majority) or a probability (Mean,
/// Ema), in [0, 1].
struct Mood {
    std::optional<Emotion> emotion;     ///< nullopt until min_frames frames with a face were seen
    float confidence = 0.0f;            ///< the mood's support (vote share or probability), [0, 1]
    std::array<float, kEmotionCount> support{};  ///< every emotion's support, indexed by label
    bool stable = false;                ///< the window is full and the mood leads by the margin
    std::size_t frames = 0;             ///< frames with a face in the window (Ema: seen, capped at window)
};

/// Aggregates the main face's per-frame scores into a Mood.
/// Not thread-safe: one aggregator per stream of frames. Only the constructor throws.
///
/// The first mood is the leader once min_frames frames were seen; after that another emotion
/// takes over only when its support is at least the current mood's plus switch_margin. For Ema
/// the first frames are averaged plainly (alpha = max(ema_alpha, 1/frames)) so that the average
/// does not start biased towards zero.
class EmotionAggregator {
public:
    /// Throws InputError for options out of their documented ranges (window 0, ema_alpha not in
    /// (0, 1], switch_margin not in [0, 1), min_frames above window).
    explicit EmotionAggregator(EmotionAggregatorOptions options = {});

    /// Adds the main face's scores of one frame and returns the mood after it (a reference to
    /// mood(), updated by the next call). Majority uses `scores.emotion`, Mean and Ema
    /// `scores.probabilities`.
    const Mood& push(const EmotionScores& scores);
    /// A frame without a face: it does not count, the mood stays as it is.
    const Mood& push_no_face() { return mood_; }

    /// The mood after the last frame (empty before the first).
    const Mood& mood() const { return mood_; }
    /// The options it was made with.
    const EmotionAggregatorOptions& options() const { return options_; }
    /// Forgets every frame (e.g. when the person changes).
    void reset();

private:
    std::array<float, kEmotionCount> current_support() const;

    EmotionAggregatorOptions options_;
    std::deque<EmotionScores> window_;
    std::array<float, kEmotionCount> ema_{};
    std::size_t seen_ = 0;
    Mood mood_;
};

}  // namespace dangpli
