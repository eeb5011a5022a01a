#pragma once
// Helpers shared by the tests: paths to the built CLI and shared data, temp dirs, running commands.

#include <filesystem>
#include <string>

#include "dangpli/emotion_scores.hpp"

namespace dangpli::test {

inline const std::filesystem::path kCli = DANGPLI_CLI_PATH;
inline const std::filesystem::path kSharedDir = DANGPLI_SHARED_DIR;
inline const std::filesystem::path kSourceDir = DANGPLI_SOURCE_DIR;
/// The shared face photos (happy-baby.jpeg, group.jpeg, ...; SOURCES.md gives their licences).
inline const std::filesystem::path kFacesDir = kSharedDir / "data/faces";
inline const std::filesystem::path kDlibFacesDir = DANGPLI_DLIB_FACES_DIR;
/// Built with AddressSanitizer (DANGPLI_SANITIZE): its shadow memory cannot live under `ulimit -v`.
inline constexpr bool kSanitized = DANGPLI_SANITIZED;

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// Runs a shell command line (quote arguments with shell_quote), capturing stdout and stderr.
CommandResult run_command(const std::string& command_line, const std::string& stdin_text = {});

/// Runs the built `dangpli` with the given (already quoted) argument string.
CommandResult run_cli(const std::string& args, const std::string& stdin_text = {});

/// Classifier output with probability `p` on `e` and the rest spread evenly over the other six.
inline EmotionScores scores_for(Emotion e, float p = 0.8f) {
    EmotionScores s;
    s.probabilities.fill((1.0f - p) / 6.0f);
    s.probabilities[static_cast<std::size_t>(e)] = p;
    s.emotion = e;
    s.confidence = p;
    return s;
}

/// Single-quotes a string for /bin/sh.
std::string shell_quote(const std::string& s);

std::string read_file(const std::filesystem::path& p);
/// Writes `content` to `p` whole; throws (failing the test) where it cannot, e.g. its folder is missing.
void write_file(const std::filesystem::path& p, const std::string& content);

}  // namespace dangpli::test
