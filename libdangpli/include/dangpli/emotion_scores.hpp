#pragma once
// What the classifier says about one face.

#include <array>

#include "dangpli/emotion.hpp"

namespace dangpli {

struct EmotionScores {
    std::array<float, kEmotionCount> probabilities{};  ///< indexed by label_of(Emotion); sum to 1
    Emotion emotion = Emotion::Neutral;                ///< the arg-max
    float confidence = 0.0f;                           ///< probability of `emotion`

    float operator[](Emotion e) const { return probabilities[static_cast<std::size_t>(e)]; }
};

}  // namespace dangpli
