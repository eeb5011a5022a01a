#include "dangpli/command_player.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <utility>

#include "dangpli/error.hpp"
#include "dangpli/shell_word.hpp"

extern char** environ;

namespace dangpli {
namespace {

std::string describe_status(int status) {
    if (WIFEXITED(status)) {
        // The shell's own codes for a program it could not run (POSIX: 126, 127).
        const int code = WEXITSTATUS(status);
        const char* why = code == 127 ? ": command not found" : code == 126 ? ": command cannot be run" : "";
        return "exited with status " + std::to_string(code) + why;
    }
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

// RAII for the posix_spawn attribute and file-action objects.
struct SpawnSetup {
    posix_spawnattr_t attr{};
    posix_spawn_file_actions_t actions{};
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

std::string CommandPlayer::command_line(std::string_view command) {
    // The target is never part of the line: the shell reads it from $1, so no quote, $( ) or `
    // in a song's uri is ever parsed as shell, however the user quoted {} ('{}' and "{}" ran it).
    enum class Quote { None, Single, Double } quote = Quote::None;
    std::string out;
    bool replaced = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (command.compare(i, 2, "{}") == 0) {
            out += quote == Quote::None ? "\"$1\"" : quote == Quote::Double ? "$1" : "'\"$1\"'";
            replaced = true;
            ++i;
            continue;
        }
        out += c;
        if (c == '\\' && quote != Quote::Single && i + 1 < command.size()) {
            out += command[++i];  // an escaped character quotes nothing
        } else if (c == '\'' && quote != Quote::Double) {
            quote = quote == Quote::Single ? Quote::None : Quote::Single;
        } else if (c == '"' && quote != Quote::Single) {
            quote = quote == Quote::Double ? Quote::None : Quote::Double;
        }
    }
    if (!replaced) out += " \"$1\"";
    return out;
}

CommandPlayer::CommandPlayer(CommandPlayerOptions options) : options_(std::move(options)) {}

CommandPlayer::~CommandPlayer() { stop(); }

void CommandPlayer::play(const Song& song) {
    stop();
    last_error_.reset();
    std::string line = command_line(options_.command), target = play_target(song);

    SpawnSetup s;
    // Own process group (pgid = child pid): signals reach whatever the shell starts, and the
    // terminal's Ctrl-C goes to the caller, which decides what to do with the music.
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    posix_spawnattr_setflags(&s.attr, flags);
    posix_spawnattr_setpgroup(&s.attr, 0);
    // The caller may block or ignore signals (a live loop often does); the player must not inherit that.
    sigset_t none, defaults;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&s.attr, &none);
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP, SIGQUIT, SIGTSTP, SIGXFSZ})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigdefault(&s.attr, &defaults);
    posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
    if (options_.quiet) {
        posix_spawn_file_actions_addopen(&s.actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&s.actions, 2, "/dev/null", O_WRONLY, 0);
    }

    std::string sh = "/bin/sh", dash_c = "-c", name = "dangpli-player";
    char* argv[] = {sh.data(), dash_c.data(), line.data(), name.data(), target.data(), nullptr};
    pid_t pid = 0;
    int rc = posix_spawn(&pid, "/bin/sh", &s.actions, &s.attr, argv, environ);
    if (rc != 0)
        throw Error("cannot start the player for '" + display_name(song) + "' (" + line + ", $1 = " +
                    shell_word(target) + "): " + std::strerror(rc));
    pid_ = pid;
    started_ = std::chrono::steady_clock::now();
    paused_ = false;
}

void CommandPlayer::pause() {
    if (!pid_ || paused_) return;
    ::kill(-*pid_, SIGSTOP);
    paused_ = true;
}

void CommandPlayer::resume() {
    if (!pid_ || !paused_) return;
    ::kill(-*pid_, SIGCONT);
    paused_ = false;
}

void CommandPlayer::stop() {
    if (!pid_) return;
    const pid_t pid = *pid_;
    pid_.reset();
    paused_ = false;
    // SIGTERM lets a player such as mpv restore the terminal; SIGCONT so a paused one can act on it.
    ::kill(-pid, SIGTERM);
    ::kill(-pid, SIGCONT);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 50 && !reaped; ++i) {  // up to ~0.5 s of grace
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) reaped = true;
        else std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Anything still in the group (a child that ignored SIGTERM, or the leader itself) dies now.
    ::kill(-pid, SIGKILL);
    if (!reaped) {
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

bool CommandPlayer::poll_finished() {
    if (!pid_) return false;
    int status = 0;
    pid_t r = ::waitpid(*pid_, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) return false;
    const pid_t pid = *pid_;
    pid_.reset();
    paused_ = false;
    if (r < 0) {
        last_error_.reset();  // ECHILD: reaped by the kernel (SIGCHLD ignored); status unknown
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        const std::chrono::duration<double> played = std::chrono::steady_clock::now() - started_;
        if (played < kInstantEnd) {
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.2f", played.count());
            last_error_ = std::string("ended at once (after ") + seconds +
                          " s, status 0): a player command must play the song and return when it has ended";
        } else {
            last_error_.reset();
        }
    } else {
        last_error_ = describe_status(status);
    }
    ::kill(-pid, SIGKILL);  // sweep anything the song left behind in its group
    return true;
}

}  // namespace dangpli
