#pragma once
// Words on the command line that CLI11 would misread in silence, found before it parses.

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace dangpli::cli {

/// The first word before "--" that CLI11 would misread, said as the words of a usage error: a flag
/// given a value (`--no-ask=true`, `--help=`; CLI11 reads "true", "" and "{}" as the flag itself, and
/// `-hx` as -h), an option given an empty value (`--csv=` would take the next word, `-j1`, as its
/// value), a short option with '=' (`-o=x` would write a file named "=x"), a word after "--" where no
/// file goes (`dangpli -- analyze`, `eval -- --help`). None when all read right.
std::optional<std::string> misread_option_word(const CLI::App& app, int argc, const char* const* argv);

}  // namespace dangpli::cli
