#include "support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace dangpli::test {

TempDir::TempDir() {
    std::random_device rd;
    std::mt19937_64 rng(rd());
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         ("dangpli-test-" + std::to_string(rng() % 1000000000ULL));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("could not create a temp dir");
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::filesystem::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
    // A test whose input was never written would test something else (a missing folder, say).
    if (!out.flush()) throw std::runtime_error("test setup: cannot write " + p.string());
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'') q += "'\\''";
        else q += c;
    }
    return q + "'";
}

CommandResult run_command(const std::string& command_line, const std::string& stdin_text) {
    TempDir tmp;
    auto in = tmp / "stdin", out = tmp / "stdout", err = tmp / "stderr";
    write_file(in, stdin_text);
    std::string full = command_line + " <" + shell_quote(in.string()) + " >" + shell_quote(out.string()) +
                       " 2>" + shell_quote(err.string());
    int status = std::system(full.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

CommandResult run_cli(const std::string& args, const std::string& stdin_text) {
    return run_command(shell_quote(kCli.string()) + " " + args, stdin_text);
}

}  // namespace dangpli::test
