#include "dangpli/class_balance.hpp"

#include <cmath>
#include <string>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli {

void check_class_balance(float weight) {
    if (!(weight >= 0.0f && weight <= 1.0f))
        throw InputError(fmt::format("class balance must be between 0 and 1, got {}", weight));
}

EmotionScores rebalanced(const EmotionScores& scores, const ClassPrior& training_prior, float weight) {
    check_class_balance(weight);
    if (weight == 0.0f) return scores;
    std::array<double, kEmotionCount> moved{};
    double sum = 0.0;
    for (std::size_t i = 0; i < kEmotionCount; ++i) {
        // ModelCard::load() keeps every share positive, so the division is defined.
        moved[i] = static_cast<double>(scores.probabilities[i]) /
                   std::pow(static_cast<double>(training_prior[i]), static_cast<double>(weight));
        sum += moved[i];
    }
    if (!(sum > 0.0)) return scores;  // no probability at all: nothing to reweigh
    EmotionScores out;
    for (std::size_t i = 0; i < kEmotionCount; ++i) {
        out.probabilities[i] = static_cast<float>(moved[i] / sum);
        if (out.probabilities[i] > out.confidence) {
            out.confidence = out.probabilities[i];
            out.emotion = static_cast<Emotion>(i);
        }
    }
    return out;
}

void rebalance(std::span<EmotionScores> scores, const std::optional<ClassPrior>& training_prior, float weight) {
    check_class_balance(weight);
    if (!training_prior) return;
    for (auto& s : scores) s = rebalanced(s, *training_prior, weight);
}

}  // namespace dangpli
