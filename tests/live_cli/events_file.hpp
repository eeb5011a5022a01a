#pragma once
// Reading what `dangpli live --events` wrote, for the live CLI tests.

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support.hpp"

namespace dangpli::test {

/// Every line of an events file, parsed (a line that is not whole JSON fails the test with a throw).
inline std::vector<nlohmann::json> read_events(const std::filesystem::path& path) {
    std::vector<nlohmann::json> events;
    std::istringstream lines(read_file(path));
    for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
    return events;
}

}  // namespace dangpli::test
