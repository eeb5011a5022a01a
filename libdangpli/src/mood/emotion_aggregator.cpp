#include "dangpli/emotion_aggregator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <fmt/core.h>

#include "core/enum_names.hpp"
#include "dangpli/error.hpp"

namespace dangpli {
namespace {

constexpr std::array kAllStrategies{AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema};

}  // namespace

std::string_view to_string(AggregationStrategy strategy) {
    switch (strategy) {
    case AggregationStrategy::Majority: return "majority";
    case AggregationStrategy::Mean: return "mean";
    case AggregationStrategy::Ema: return "ema";
    }
    return "?";
}

std::optional<AggregationStrategy> parse_aggregation_strategy(std::string_view name) {
    return detail::parse_name(kAllStrategies, name);
}

std::vector<std::string> aggregation_strategy_names() { return detail::names_of(kAllStrategies); }

EmotionAggregator::EmotionAggregator(EmotionAggregatorOptions options) : options_(options) {
    const auto& o = options_;
    auto fail = [](const std::string& what) { throw InputError("emotion aggregator: " + what); };
    if (!(o.window_s > 0.0)) fail(fmt::format("window_s must be positive, got {}", o.window_s));
    if (!(o.min_face_s >= 0.0 && o.min_face_s <= o.window_s))
        fail(fmt::format("min_face_s must be in [0, window_s], got {}", o.min_face_s));
    if (!(o.switch_margin >= 0.0f && o.switch_margin < 1.0f))
        fail(fmt::format("switch_margin must be in [0, 1), got {}", o.switch_margin));
    if (!(o.clear_margin >= 0.0f && o.clear_margin < 1.0f))
        fail(fmt::format("clear_margin must be in [0, 1), got {}", o.clear_margin));
    if (!(o.hold_s >= 0.0)) fail(fmt::format("hold_s must be >= 0, got {}", o.hold_s));
}

void EmotionAggregator::reset() {
    window_.clear();
    ema_sum_ = {};
    ema_weight_ = 0.0;
    first_time_.reset();
    last_time_.reset();
    challenger_.reset();
    challenger_evidence_ = 0.0;
    last_update_ = 0.0;
    mood_ = {};
}

std::array<float, kEmotionCount> EmotionAggregator::current_support() const {
    std::array<float, kEmotionCount> support{};
    if (options_.strategy == AggregationStrategy::Ema) {
        if (ema_weight_ > 0.0)
            for (std::size_t k = 0; k < kEmotionCount; ++k) support[k] = static_cast<float>(ema_sum_[k] / ema_weight_);
        return support;
    }
    double total = 0.0;
    for (const auto& f : window_) {
        total += static_cast<double>(f.weight);
        if (options_.strategy == AggregationStrategy::Majority)
            support[static_cast<std::size_t>(f.scores.emotion)] += f.weight;
        else
            for (std::size_t k = 0; k < kEmotionCount; ++k) support[k] += f.weight * f.scores.probabilities[k];
    }
    if (total > 0.0)
        for (auto& v : support) v = static_cast<float>(static_cast<double>(v) / total);
    return support;
}

const Mood& EmotionAggregator::push(double time, const EmotionScores& scores, float weight) {
    // One NaN would stay in the window for good (it never drops out) and poison every later mood.
    auto fail = [](const std::string& what) { throw InputError("emotion aggregator: " + what); };
    if (!std::isfinite(time)) fail(fmt::format("a frame's time must be finite, got {}", time));
    if (!std::isfinite(weight)) fail(fmt::format("a frame's weight must be finite, got {}", weight));
    if (static_cast<std::size_t>(scores.emotion) >= kEmotionCount)
        fail(fmt::format("a frame's emotion must be a label, got {}", static_cast<int>(scores.emotion)));
    for (const float p : scores.probabilities)
        if (!(p >= 0.0f && p <= 1.001f)) fail(fmt::format("a frame's probabilities must be in [0, 1], got {}", p));
    if (last_time_) time = std::max(time, *last_time_);  // a clock that steps back does not rewind the window
    if (!(weight > 0.0f)) weight = 1e-6f;
    if (options_.weigh_by_confidence) weight *= std::max(scores.confidence, 1e-3f);
    if (!first_time_) first_time_ = time;

    // The EMA decays with elapsed time, not frame count: the same face gives the same mood at any fps.
    const double decay = last_time_ ? std::exp(-(time - *last_time_) / (options_.window_s / 2.0)) : 0.0;
    for (std::size_t k = 0; k < kEmotionCount; ++k)
        ema_sum_[k] = decay * ema_sum_[k] + static_cast<double>(weight) * static_cast<double>(scores.probabilities[k]);
    ema_weight_ = decay * ema_weight_ + static_cast<double>(weight);
    last_time_ = time;

    window_.push_back({time, weight, scores});
    // The frame just pushed always stays: at 2e16 s and more, time - window_s is time itself.
    while (window_.size() > 1 && window_.front().time <= time - options_.window_s) window_.pop_front();
    update_mood(time);
    return mood_;
}

void EmotionAggregator::update_mood(double time) {
    mood_.support = current_support();
    const double seconds_before = mood_.seconds;
    mood_.seconds = time - *first_time_;
    const double previous_update = last_update_;
    last_update_ = time;
    if (mood_.seconds < options_.min_face_s && !mood_.emotion) return;

    const auto best = static_cast<std::size_t>(
        std::max_element(mood_.support.begin(), mood_.support.end()) - mood_.support.begin());
    const auto leader = static_cast<Emotion>(best);
    const float lead = mood_.emotion ? mood_.support[best] - mood_.support[static_cast<std::size_t>(*mood_.emotion)] : 0.0f;
    const bool window_filled = seconds_before < options_.window_s && mood_.seconds >= options_.window_s;
    if (!mood_.emotion || (mood_.seconds < options_.window_s && leader != *mood_.emotion && lead >= options_.clear_margin / 2) ||
        window_filled) {
        // Read from less than a full window of face, the mood is provisional: it follows the leader,
        // but not across a near tie, where a face between two emotions flipped it with every frame.
        // Once the window is full the mood is its leader: a first pick on a near tie was held for good
        // against a leader a few points ahead (under switch_margin), the marked bar not the longest.
        mood_.emotion = leader;
        challenger_.reset();
    } else if (leader != *mood_.emotion && lead >= options_.switch_margin) {
        // The challenger must hold for hold_s at a lead of twice the margin; a larger lead (a face
        // that plainly changed) needs proportionally less, down to a quarter, a marginal one more.
        // A gap without a face is no evidence: a frame counts for the time since the last one, at most 0.2 s.
        const double dt = std::min(time - previous_update, 0.2);
        if (challenger_ != leader) challenger_ = leader, challenger_evidence_ = 0.0;
        const double rate = std::min(4.0, static_cast<double>(lead) / (2.0 * static_cast<double>(std::max(options_.switch_margin, 0.01f))));
        challenger_evidence_ += dt * rate;
        if (challenger_evidence_ >= options_.hold_s) mood_.emotion = leader, challenger_.reset();
    } else {
        challenger_.reset();
    }

    const auto mine = static_cast<std::size_t>(*mood_.emotion);
    mood_.confidence = mood_.support[mine];
    float runner_up = 0.0f;
    for (std::size_t k = 0; k < kEmotionCount; ++k)
        if (k != mine) runner_up = std::max(runner_up, mood_.support[k]);
    mood_.clear = mood_.confidence >= runner_up + options_.clear_margin;
}

}  // namespace dangpli
