#include "dangpli/emotion_aggregator.hpp"

#include <algorithm>
#include <string>

#include "dangpli/error.hpp"

namespace dangpli {

EmotionAggregator::EmotionAggregator(EmotionAggregatorOptions options) : options_(options) {
    const auto& o = options_;
    if (o.window == 0) throw InputError("emotion aggregator: window must be at least 1 frame");
    if (!(o.ema_alpha > 0.0f && o.ema_alpha <= 1.0f))
        throw InputError("emotion aggregator: ema_alpha must be in (0, 1], got " + std::to_string(o.ema_alpha));
    if (!(o.switch_margin >= 0.0f && o.switch_margin < 1.0f))
        throw InputError("emotion aggregator: switch_margin must be in [0, 1), got " + std::to_string(o.switch_margin));
    if (o.min_frames > o.window)
        throw InputError("emotion aggregator: min_frames (" + std::to_string(o.min_frames) +
                         ") cannot exceed the window (" + std::to_string(o.window) + ")");
}

void EmotionAggregator::reset() {
    window_.clear();
    ema_ = {};
    seen_ = 0;
    mood_ = {};
}

std::array<float, kEmotionCount> EmotionAggregator::current_support() const {
    std::array<float, kEmotionCount> support{};
    if (options_.strategy == AggregationStrategy::Ema) return ema_;
    for (const auto& s : window_) {
        if (options_.strategy == AggregationStrategy::Majority)
            support[static_cast<std::size_t>(s.emotion)] += 1.0f;
        else
            for (std::size_t k = 0; k < kEmotionCount; ++k) support[k] += s.probabilities[k];
    }
    for (auto& v : support) v /= static_cast<float>(window_.size());
    return support;
}

const Mood& EmotionAggregator::push(const EmotionScores& scores) {
    window_.push_back(scores);
    if (window_.size() > options_.window) window_.pop_front();
    ++seen_;
    // The EMA starts as the plain mean so that its first frames are not biased towards zero.
    const float alpha = std::max(options_.ema_alpha, 1.0f / static_cast<float>(seen_));
    for (std::size_t k = 0; k < kEmotionCount; ++k) ema_[k] += alpha * (scores.probabilities[k] - ema_[k]);

    mood_.support = current_support();
    mood_.frames = std::min(seen_, options_.window);
    if (mood_.frames < options_.min_frames) return mood_;

    const auto best = static_cast<std::size_t>(
        std::max_element(mood_.support.begin(), mood_.support.end()) - mood_.support.begin());
    const auto leader = static_cast<Emotion>(best);
    if (!mood_.emotion) {
        mood_.emotion = leader;
    } else if (leader != *mood_.emotion) {
        const float current = mood_.support[static_cast<std::size_t>(*mood_.emotion)];
        if (mood_.support[best] >= current + options_.switch_margin) mood_.emotion = leader;
    }
    const auto mine = static_cast<std::size_t>(*mood_.emotion);
    mood_.confidence = mood_.support[mine];
    float runner_up = 0.0f;
    for (std::size_t k = 0; k < kEmotionCount; ++k)
        if (k != mine) runner_up = std::max(runner_up, mood_.support[k]);
    mood_.stable = mood_.frames == options_.window && mood_.confidence >= runner_up + options_.switch_margin;
    return mood_;
}

}  // namespace dangpli
