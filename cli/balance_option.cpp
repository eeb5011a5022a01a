#include "balance_option.hpp"

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "number_checks.hpp"

namespace dangpli::cli {

CLI::Option* add_balance_option(CLI::App& sub, std::optional<float>& weight, float fallback) {
    return sub
        .add_option("--balance", weight,
                    fmt::format("Class balance, 0 to 1 (default {}): 0 reads faces with the emotions as common as "
                                "in the model's training data, 1 as if all seven were equally common",
                                fallback))
        ->check(in_range(NumberRange::between(0.0, 1.0)));
}

float balance_to_use(const std::optional<float>& given, float fallback, const EmotionClassifier& classifier) {
    if (!given) return fallback;
    if (*given > 0.0f && !classifier.card().training_prior)
        throw UsageError(fmt::format("--balance {}: the model card {} gives no output.training_prior to balance by",
                                     *given, ModelCard::card_path_for(classifier.card().model_file).string()));
    return *given;
}

}  // namespace dangpli::cli
