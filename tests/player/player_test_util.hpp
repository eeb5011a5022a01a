#pragma once
// Helpers for the player tests: waiting on a condition with a generous timeout, process states.

#include <sys/types.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

/// The processes whose process group is `pgid`.
inline std::vector<pid_t> group_members(pid_t pgid) {
    std::vector<pid_t> members;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;
        auto paren = stat.rfind(')');
        if (paren == std::string::npos) continue;
        std::istringstream fields(stat.substr(paren + 2));
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (fields >> state >> ppid >> pgrp && pgrp == pgid) members.push_back(std::stoi(name));
    }
    return members;
}

/// Stopped, or with SIGSTOP pending, so that it cannot run another instruction of its own. A
/// shell that vforked a child which was stopped before its exec waits in the kernel ('D') and
/// never shows 'T' itself (dash does this), though it holds the stop pending.
inline bool stopped_or_stop_pending(pid_t pid) {
    const char state = process_state(pid);
    if (state == 'T' || state == 't') return true;  // 't': a sandbox's tracing stop
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    constexpr unsigned long long kStopBit = 1ULL << (19 - 1);  // SIGSTOP is 19 on Linux
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("SigPnd:", 0) == 0 || line.rfind("ShdPnd:", 0) == 0) {
            if (std::strtoull(line.c_str() + 7, nullptr, 16) & kStopBit) return true;
        }
    }
    return false;
}

/// Every process of the group is stopped or about to be (see above); false for an empty group.
inline bool group_paused(pid_t pgid) {
    const auto members = group_members(pgid);
    if (members.empty()) return false;
    for (pid_t pid : members)
        if (!stopped_or_stop_pending(pid)) return false;
    return true;
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
