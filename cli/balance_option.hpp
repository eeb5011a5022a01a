#pragma once
// `--balance W`, for the commands that read faces: how far scores are moved from the model's
// training class mix towards every emotion being equally likely (the library's rebalanced()).

#include <optional>

#include <CLI/CLI.hpp>

#include "dangpli/emotion_classifier.hpp"

namespace dangpli::cli {

/// Adds `--balance` to `sub`, writing into `weight` (unset until given), accepting 0 to 1;
/// `fallback` is the command's default, shown in its help.
CLI::Option* add_balance_option(CLI::App& sub, std::optional<float>& weight, float fallback);

/// The weight to run with: `given`, else `fallback`. A weight given above 0 for a model whose card
/// has no output.training_prior would do nothing: UsageError naming the card.
float balance_to_use(const std::optional<float>& given, float fallback, const EmotionClassifier& classifier);

}  // namespace dangpli::cli
