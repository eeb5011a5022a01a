// PLACEHOLDER: replaced by the real `dangpli playlist` command.
#include "commands.hpp"
#include "exit_codes.hpp"

namespace dangpli::cli {
void add_playlist_command(CLI::App& app, CommandRunner& run) {
    auto* sub = app.add_subcommand("playlist", "(not built yet)");
    sub->callback([&run] { run = [] { return kFailure; }; });
}
}  // namespace dangpli::cli
