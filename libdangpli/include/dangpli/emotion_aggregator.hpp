#pragma once
// Turns per-frame emotion scores into a mood: a window over recent frames with a face, and
// hysteresis so that a few noisy frames cannot switch the mood.

#include <array>
#include <cstddef>
#include <deque>
#include <optional>

#include "dangpli/emotion.hpp"
#include "dangpli/emotion_scores.hpp"

namespace dangpli {

enum class AggregationStrategy {
    Majority,  ///< the most frequent arg-max over the window (the seed service's rule)
    Mean,      ///< the highest mean probability over the window
    Ema,       ///< the highest exponential moving average of the probabilities
};

struct EmotionAggregatorOptions {
    AggregationStrategy strategy = AggregationStrategy::Mean;
    std::size_t window = 20;        ///< frames with a face that count (Majority, Mean); > 0
    float ema_alpha = 0.1f;         ///< weight of the newest frame for Ema, in (0, 1]
    /// A new emotion takes over only when its support beats the current mood's by this much
    /// (vote share for Majority, probability for Mean and Ema), in [0, 1).
    float switch_margin = 0.10f;
    std::size_t min_frames = 5;     ///< frames with a face before any mood is reported; <= window
};

struct Mood {
    std::optional<Emotion> emotion;     ///< nullopt until min_frames frames with a face were seen
    float confidence = 0.0f;            ///< the mood's support (vote share or probability), [0, 1]
    std::array<float, kEmotionCount> support{};  ///< every emotion's support, indexed by label
    bool stable = false;                ///< the window is full and the mood leads by the margin
    std::size_t frames = 0;             ///< frames with a face in the window (Ema: seen, capped at window)
};

/// Not thread-safe: one aggregator per stream of frames.
class EmotionAggregator {
public:
    /// Throws InputError for options out of their documented ranges.
    explicit EmotionAggregator(EmotionAggregatorOptions options = {});

    /// Adds the main face's scores of one frame and returns the mood after it.
    const Mood& push(const EmotionScores& scores);
    /// A frame without a face: it does not count, the mood stays as it is.
    const Mood& push_no_face() { return mood_; }

    const Mood& mood() const { return mood_; }
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
