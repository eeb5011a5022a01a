#pragma once
// Words on the command line that CLI11 would misread in silence, found before it parses.

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dangpli::cli {

/// The command line as CLI11 is to read it.
struct OptionWords {
    /// The first word before "--" that CLI11 would misread, said as the words of a usage error: a flag
    /// given a value (`--no-ask=true`, `--help=`; CLI11 reads "true", "" and "{}" as the flag itself, and
    /// `-hx` as -h), an option given an empty value (`--csv=` would take the next word, `-j1`, as its
    /// value), a short option with '=' (`-o=x` would write a file named "=x"), a word after "--" where no
    /// file goes (`dangpli -- analyze`, `eval -- --help`). None when all read right.
    std::optional<std::string> misread;
    /// argv as given, but with a second "--" where CLI11 would take the first as the end of a list's
    /// values only (`add --emotion happy -- -x` read -x as an option), and cut after a command whose own
    /// program reads the rest (`train -- --version` printed dangpli's version).
    std::vector<const char*> argv;
};

OptionWords read_option_words(const CLI::App& app, int argc, const char* const* argv);

}  // namespace dangpli::cli
