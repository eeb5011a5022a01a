#pragma once
// "Did you mean": the known word a mistyped one was most likely meant to be (an option, a command,
// an emotion), for usage lines that would otherwise leave the user to find it in --help.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dangpli::cli {

/// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and swaps
/// of two neighbours, each 1; case ignored), where it is at most 1 for words up to 4 characters (an
/// option's leading dashes not counted) and 2 for longer ones, and no other candidate is as close;
/// nullopt otherwise.
std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& candidates);

/// "did you mean X? " for nearest_word()'s answer, or empty: to open the bracket of a message that
/// lists the candidates ("unknown command 'anlyze' (did you mean analyze? the commands: ...)").
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace dangpli::cli
