#pragma once
// Each subcommand adds itself to the app; its callback runs the command and returns an exit code.

#include <functional>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// Set by a subcommand's parse callback; main() runs it after parsing and returns its exit code.
using CommandRunner = std::function<int()>;

void add_analyze_command(CLI::App& app, CommandRunner& run);
void add_playlist_command(CLI::App& app, CommandRunner& run);
void add_live_command(CLI::App& app, CommandRunner& run);
void add_eval_command(CLI::App& app, CommandRunner& run);
#ifdef DANGPLI_HAVE_TRAINER
void add_train_command(CLI::App& app, CommandRunner& run);
#endif

}  // namespace dangpli::cli
