#pragma once
// What the analyze CLI tests read from its output: rows and their faces.
#include <cstddef>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support.hpp"

namespace dangpli::test {

/// The faces of one row of `--format json/jsonl`.
inline std::size_t faces_in(const nlohmann::json& image) { return image.at("faces").size(); }

/// The lines of an output, without their ends.
inline std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace dangpli::test
