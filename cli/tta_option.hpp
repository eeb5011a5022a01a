#pragma once
// `--tta NAME`, for the commands that classify faces; the names are the library's
// (test_time_augmentation_names()), never spelled here.

#include <string>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// Adds `--tta` to `sub`, writing into `name`, accepting test_time_augmentation_names() only.
CLI::Option* add_tta_option(CLI::App& sub, std::string& name);

}  // namespace dangpli::cli
