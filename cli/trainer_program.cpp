#include "trainer_program.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "dangpli/data_dirs.hpp"
#include "exit_codes.hpp"
#include "stderr_line.hpp"

namespace dangpli::cli {
namespace {

// Beside this program as installed (bin/ -> libexec/dangpli/) and in the build tree alike; by
// PATH-less name where /proc cannot tell (execv then fails, named).
std::filesystem::path trainer_program() {
    const auto dir = running_program_dir();
    if (!dir) return "dangpli-train";
    return (*dir / DANGPLI_BIN_TO_TRAINER / "dangpli-train").lexically_normal();
}

}  // namespace

CLI::App* add_train_forwarder(CLI::App& app) {
    auto* sub = app.add_subcommand("train", "Train (or resume) an emotion model in a run folder "
                                            "(`dangpli train --help` for its options)");
    sub->prefix_command();  // every argument after `train` is the trainer's
    sub->set_help_flag();   // --help too
    sub->fallthrough(false);  // --help and --verbose included: none goes up to dangpli's own
    return sub;
}

int run_trainer_program(char** argv) {
    const std::string program = trainer_program().string();
    std::vector<char*> args{const_cast<char*>(program.c_str())};
    for (char** arg = argv + 1; *arg != nullptr; ++arg) args.push_back(*arg);
    args.push_back(nullptr);
    std::fflush(stdout);
    ::execv(program.c_str(), args.data());
    const int error = errno;
    tell("dangpli: train: cannot run the trainer {} ({}); it is built where libtorch is installed\n",
         program, std::strerror(error));
    return kFailure;
}

}  // namespace dangpli::cli
