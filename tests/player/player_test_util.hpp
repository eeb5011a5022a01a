#pragma once
// Helpers for the player tests: waiting on a condition with a generous timeout, process states.

#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "dangpli/playlist_types.hpp"

namespace dangpli::test {

/// Polls `done` every 10 ms until it is true or `timeout` has passed; returns its last value.
template <class F>
bool wait_until(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

/// The state letter from /proc/<pid>/stat ('R', 'S', 'T', 'Z', ...), or 0 when there is no such process.
inline char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return 0;
    auto paren = stat.rfind(')');  // the command name may contain spaces
    return paren == std::string::npos || paren + 2 >= stat.size() ? 0 : stat[paren + 2];
}

/// Running, sleeping or stopped: anything but gone or a zombie waiting for its parent.
inline bool alive(pid_t pid) {
    char s = process_state(pid);
    return s != 0 && s != 'Z' && s != 'X';
}

inline Song song_at(const std::string& uri, std::string title = "Tone") {
    Song s;
    s.title = std::move(title);
    s.uri = uri;
    return s;
}

}  // namespace dangpli::test
