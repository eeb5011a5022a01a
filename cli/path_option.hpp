#pragma once
// A check for options that name a file: given, the path may not be empty (`--db ""` would
// otherwise mean "not given" and fall back to the default store without a word).

#include <string>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// A CLI11 check refusing an empty path (a usage error, exit 2).
inline CLI::Validator non_empty_path() {
    return CLI::Validator([](std::string& value) { return value.empty() ? std::string("an empty path") : std::string(); },
                          "");
}

}  // namespace dangpli::cli
