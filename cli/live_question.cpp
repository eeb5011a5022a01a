#include "live_question.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <utility>

#include <fmt/core.h>

#include "monotonic_seconds.hpp"

namespace dangpli::cli {

// A line of answer from stdin, or false at its end, on Ctrl-C, or after the wait without a whole
// line: a run under cron, systemd or ssh whose stdin is held open must not stop for good at the
// question. Read with read(2) into a buffer of its own, so that lines that came together are all kept
// (stdio's buffer would hide them from poll) and a line without its end cannot block.
bool TerminalQuestion::read_line(std::string& line) {
    const double until = monotonic_seconds() + wait_seconds_;
    for (;;) {
        if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
            line = pending_.substr(0, newline);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            pending_.erase(0, newline + 1);
            return true;
        }
        if (ended_) {  // a last line without its end still counts
            line = std::exchange(pending_, {});
            if (line.empty()) fmt::print("(no input to read; going on, not asking again)\n");  // ends the question's line
            return !line.empty();
        }
        if (stop_.load()) return false;
        const double left = until - monotonic_seconds();
        if (left <= 0) {
            fmt::print("(no answer in {:g} s; going on)\n", wait_seconds_);
            return false;
        }
        // Polled in slices, so that Ctrl-C (which does not interrupt a restarted read) ends the wait.
        pollfd in{STDIN_FILENO, POLLIN, 0};
        if (::poll(&in, 1, static_cast<int>(std::min(left, 0.2) * 1000.0) + 1) <= 0) continue;
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) pending_.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) ended_ = true;
    }
}

std::optional<UserAnswer> TerminalQuestion::ask(LiveView& view, Emotion seen) {
    view.release();
    // Keys pressed before the question (an Enter during a song) are not its answer. Only a terminal's:
    // a pipe's lines are answers written ahead on purpose.
    if (::isatty(STDIN_FILENO) == 1) {
        ::tcflush(STDIN_FILENO, TCIFLUSH);
        pending_.clear();
    }
    fmt::print("\nYou have not smiled for a while. How do you feel? [angry, disgust, fear, happy, sad, surprise, "
               "neutral] (empty: {}) ", to_string(seen));
    std::fflush(stdout);
    std::string line;
    if (!read_line(line)) return std::nullopt;
    const auto read_feeling = [&] { return line.empty() ? std::optional(seen) : parse_emotion(line); };
    auto feeling = read_feeling();
    while (!feeling) {
        fmt::print("Please type one of: angry, disgust, fear, happy, sad, surprise, neutral (empty: {}): ", to_string(seen));
        std::fflush(stdout);
        if (!read_line(line)) return std::nullopt;
        feeling = read_feeling();
    }
    fmt::print("What would you like to hear? (\"artist - title\", kept in your songs for this feeling; empty: anything) ");
    std::fflush(stdout);
    UserAnswer answer{*feeling, std::nullopt};
    if (read_line(line) && !line.empty()) {
        Song wanted;
        const auto dash = line.find(" - ");
        wanted.artist = dash == std::string::npos ? "" : line.substr(0, dash);
        wanted.title = dash == std::string::npos ? line : line.substr(dash + 3);
        answer.requested = wanted;
    }
    return answer;
}

}  // namespace dangpli::cli
