// `dangpli train` runs dangpli-train in its place: the other commands start without libtorch, and
// training reads the same command line as before.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "support.hpp"

using namespace dangpli::test;

namespace {

// The shared libraries a program asks for by name (the NEEDED lines of its dynamic section).
std::string needed_libraries(const std::filesystem::path& program) {
    const auto r = run_command("readelf -d " + shell_quote(program.string()));
    REQUIRE(r.exit_code == 0);
    std::string needed;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find("(NEEDED)") != std::string::npos) needed += line + '\n';
    REQUIRE(!needed.empty());
    return needed;
}

const std::filesystem::path kTrainerProgram = DANGPLI_TRAINER_PROGRAM_PATH;

}  // namespace

TEST_CASE("the dangpli program does not load libtorch; dangpli-train, which `dangpli train` runs, does") {
    CHECK(needed_libraries(kCli).find("libtorch") == std::string::npos);
    REQUIRE(std::filesystem::is_regular_file(kTrainerProgram));
    CHECK(needed_libraries(kTrainerProgram).find("libtorch") != std::string::npos);
}

TEST_CASE("`dangpli train` passes every argument to the trainer: its help, its usage errors, --verbose") {
    const auto help = run_cli("train --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: dangpli train [OPTIONS] RUN_DIR") != std::string::npos);
    CHECK(help.out.find("--ferplus-votes") != std::string::npos);
    CHECK(run_cli("--verbose train --help").out == help.out);
    CHECK(run_cli("train --verbose --help").out == help.out);  // not dangpli's own help
    const auto listed = run_cli("--help");
    CHECK(listed.out.find("train") != std::string::npos);

    TempDir dir;
    const auto bad = run_cli("train " + shell_quote((dir / "run").string()) + " --epochs 0");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "dangpli: --epochs: '0' must be at least 1 (see --help)\n");
    CHECK(!std::filesystem::exists(dir / "run"));
}

TEST_CASE("a dangpli whose trainer program is missing says so in one line naming it, exit 6") {
    TempDir dir;
    std::filesystem::create_directory(dir / "bin");
    std::filesystem::copy_file(kCli, dir / "bin/dangpli");
    // Where it looks: the build's own layout (bin/ to libexec/dangpli/), from the copy's folder.
    const auto expected = (dir / "bin" / std::filesystem::relative(kTrainerProgram, kCli.parent_path())).lexically_normal();
    const auto r = run_command(shell_quote((dir / "bin/dangpli").string()) + " train " +
                               shell_quote((dir / "run").string()));
    CHECK(r.exit_code == 6);
    CHECK(r.out.empty());
    CHECK(r.err == "dangpli: train: cannot run the trainer " + expected.string() +
                       " (No such file or directory); it is built where libtorch is installed\n");
    CHECK(!std::filesystem::exists(dir / "run"));
}
