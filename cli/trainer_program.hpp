#pragma once
// `dangpli train` runs dangpli-train, the program that links libtorch, in this process's place, so
// that the other commands start without loading libtorch.

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// Adds `train`, whose arguments all go to dangpli-train as they are (its own --help among them).
CLI::App* add_train_forwarder(CLI::App& app);

/// Replaces this process by dangpli-train with the same arguments (argv[0] aside). Returns only if
/// it cannot: after one line on stderr naming the program it looked for, with kFailure.
int run_trainer_program(char** argv);

}  // namespace dangpli::cli
