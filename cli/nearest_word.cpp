#include "nearest_word.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

#include <fmt/core.h>

#include "dangpli/ascii_text.hpp"

namespace dangpli::cli {
namespace {

// Optimal string alignment distance: Levenshtein's, with a swap of two neighbours ("soruce") as one edit.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t change = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + change});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string typed = ascii_lower(word);
    // An option's dashes are no letters of its name: "--foo" is as short as "foo".
    const std::size_t letters = typed.size() - std::min(typed.find_first_not_of('-'), typed.size());
    const std::size_t allowed = letters <= 4 ? 1 : 2;
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    bool tie = false;
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(typed, ascii_lower(candidate));
        if (distance < best_distance) {
            best = candidate, best_distance = distance, tie = false;
        } else if (distance == best_distance && best != candidate) {
            tie = true;
        }
    }
    if (tie) return std::nullopt;
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto nearest = nearest_word(word, candidates);
    return nearest ? fmt::format("did you mean {}? ", *nearest) : std::string();
}

}  // namespace dangpli::cli
