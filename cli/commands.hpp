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
/// Only in dangpli-train (DANGPLI_TRAINER_PROGRAM), which `dangpli train` runs (trainer_program.hpp).
void add_train_command(CLI::App& app, CommandRunner& run);

}  // namespace dangpli::cli
