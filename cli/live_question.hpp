#pragma once
// The question `live` asks in the terminal after songs without a smile: how do you feel, what would
// you like to hear. Answers are lines on stdin, which may be a terminal, a pipe, or nothing at all.

#include <atomic>
#include <optional>
#include <string>

#include "dangpli/emotion.hpp"
#include "dangpli/live_session.hpp"
#include "live_view.hpp"

namespace dangpli::cli {

/// Asks on stdout and reads the answers from stdin. One per run: it keeps what was read past a line.
class TerminalQuestion {
public:
    /// `stop`: set by Ctrl-C, which ends a wait. `wait_seconds`: how long a question waits for a line.
    TerminalQuestion(const std::atomic<bool>& stop, double wait_seconds) : stop_(stop), wait_seconds_(wait_seconds) {}

    /// Asks how the user feels (`seen`: the mood read, the empty answer) and what they want to hear.
    /// nullopt without an answer (none in time, stdin ended, Ctrl-C).
    std::optional<UserAnswer> ask(LiveView& view, Emotion seen);
    /// No answer can come any more: stdin has ended and every line it gave was used.
    bool answers_ended() const { return ended_ && pending_.empty(); }

private:
    bool read_line(std::string& line);

    const std::atomic<bool>& stop_;
    double wait_seconds_;
    std::string pending_;  // bytes read past the last line given
    bool ended_ = false;
};

}  // namespace dangpli::cli
