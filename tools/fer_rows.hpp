#pragma once
// Every row of a FER2013 CSV with its split, in file order: what the tools that write a file lined
// up row for row with the data (align_fer2013, teacher_votes) read.

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"

namespace dangpli::tools {

struct FerRow {
    std::size_t line = 0;
    Fer2013Sample sample;
    Fer2013Split split{};
};

inline std::size_t line_of(const std::string& origin) {  // "file.csv:123"
    std::size_t line = 0;
    const auto colon = origin.rfind(':');
    std::from_chars(origin.data() + colon + 1, origin.data() + origin.size(), line);
    return line;
}

inline std::vector<FerRow> load_fer_rows(const std::string& path) {
    std::vector<FerRow> rows;
    auto add = [&](Fer2013Split split) {
        for (auto& s : load_fer2013(path, split)) {
            const auto line = line_of(s.origin);
            rows.push_back({line, std::move(s), split});
        }
    };
    add(Fer2013Split::Training);
    add(Fer2013Split::PublicTest);
    try {
        add(Fer2013Split::PrivateTest);
    } catch (const DataError&) {
        // ../shared's file has no PrivateTest rows: the held-out split stays out of training.
    }
    std::sort(rows.begin(), rows.end(), [](const FerRow& a, const FerRow& b) { return a.line < b.line; });
    return rows;
}

}  // namespace dangpli::tools
