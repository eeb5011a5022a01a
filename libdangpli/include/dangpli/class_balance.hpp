#pragma once
/// \file
/// Class balance: reading a face as if every emotion were equally common, not as common as in the
/// model's training data.
///
/// A classifier learns its training data's class frequencies as a prior: FER2013 Training is 25%
/// happy and 1.5% disgust, so a disgusted face needs far more evidence than a happy one. Where the
/// faces to read are not distributed like FER2013 (a set of posed photos has as many of each), that
/// prior costs the rare classes. rebalanced() divides each probability by its class's training
/// share raised to `weight` (Saerens et al. 2002; Menon et al. 2021, "logit adjustment"):
/// 0 leaves the scores as the model gives them, 1 assumes every emotion equally likely.

#include <array>
#include <optional>
#include <span>

#include "dangpli/emotion.hpp"
#include "dangpli/emotion_scores.hpp"

namespace dangpli {

/// Share of each emotion in a model's training targets, indexed by label_of(Emotion); sums to 1.
/// A model card gives it as output.training_prior.
using ClassPrior = std::array<float, kEmotionCount>;

/// The balance `dangpli analyze` and the Python Analyzer read photos with. On PublicTest re-cut by
/// the detector and aligner (mirror TTA, analyze's fer-resnet-wide), 0.5 reads disgust 64.3%
/// instead of 53.6% and the seven classes' mean recall 69.1% instead of 67.8%, for 0.3 points of
/// accuracy on FER2013's own class mix; `eval` and `live` keep 0 (FER2013's mix, and a user's video is mostly neutral).
inline constexpr float kDefaultAnalyzerBalance = 0.5f;

/// Throws InputError naming `weight` unless it is in [0, 1] (NaN is not).
void check_class_balance(float weight);

/// `scores` with each probability divided by training_prior[e]^weight, renormalised, and the
/// arg-max and confidence taken again. `weight` 0 returns `scores` as they are. Throws as
/// check_class_balance().
EmotionScores rebalanced(const EmotionScores& scores, const ClassPrior& training_prior, float weight);

/// rebalanced() on each of `scores`, in place, where the model's card gives a `training_prior`
/// (ModelCard::training_prior); without one they stay as the model gave them.
void rebalance(std::span<EmotionScores> scores, const std::optional<ClassPrior>& training_prior, float weight);

}  // namespace dangpli
