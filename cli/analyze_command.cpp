// PLACEHOLDER: replaced by the real `dangpli analyze` command.
#include "commands.hpp"
#include "exit_codes.hpp"

namespace dangpli::cli {
void add_analyze_command(CLI::App& app, CommandRunner& run) {
    auto* sub = app.add_subcommand("analyze", "(not built yet)");
    sub->callback([&run] { run = [] { return kFailure; }; });
}
}  // namespace dangpli::cli
