#pragma once
/// \file
/// EmotionScores: what the classifier says about one face.

#include <array>

#include "dangpli/emotion.hpp"

namespace dangpli {

/// The classifier's answer for one face: a probability per emotion, and the most likely one.
struct EmotionScores {
    std::array<float, kEmotionCount> probabilities{};  ///< indexed by label_of(Emotion); sum to 1
    Emotion emotion = Emotion::Neutral;                ///< the arg-max
    float confidence = 0.0f;                           ///< probability of `emotion`

    /// The probability of `e`, in [0, 1].
    float operator[](Emotion e) const { return probabilities[static_cast<std::size_t>(e)]; }
};

}  // namespace dangpli
