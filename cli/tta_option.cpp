#include "tta_option.hpp"

#include <vector>

#include <fmt/format.h>

#include "dangpli/emotion_classifier.hpp"

namespace dangpli::cli {

CLI::Option* add_tta_option(CLI::App& sub, std::string& name) {
    std::vector<std::string> described;
    for (const auto& tta_name : test_time_augmentation_names())
        described.push_back(fmt::format("{} ({})", tta_name, views_per_face(*parse_test_time_augmentation(tta_name))));
    return sub.add_option("--tta", name, fmt::format("Views per face: {}", fmt::join(described, ", ")))
        ->transform(CLI::IsMember(test_time_augmentation_names(), CLI::ignore_case))
        ->capture_default_str();
}

}  // namespace dangpli::cli
