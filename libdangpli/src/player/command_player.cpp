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

// `command`'s first word, the program it most likely runs ("mpv" of "mpv --no-video {}").
std::string first_word(const std::string& command) {
    const auto start = command.find_first_not_of(" \t");
    if (start == std::string::npos) return {};
    return command.substr(start, command.find_first_of(" \t;|&", start) - start);
}

// `command`: the player's command, whose first word a status of 127 names (the shell said which on
// the player's own stderr, which the quiet option sends to /dev/null).
std::string describe_status(int status, const std::string& command) {
    if (WIFEXITED(status)) {
        // The shell's own codes for a program it could not run (POSIX: 126, 127).
        const int code = WEXITSTATUS(status);
        const std::string program = first_word(command);
        const std::string why = code == 127   ? (program.empty() ? ": command not found" : ": command '" + program + "' not found")
                                : code == 126 ? ": command cannot be run"
                                              : "";
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

// The guard: a small shell in the song's process group that blocks reading a pipe whose only write
// end this process holds. When this process dies, even by SIGKILL, the read ends and the guard ends
// the group: the music stops with its player. It ignores SIGTERM (stop() ends it with the group's
// SIGKILL) and SIGHUP (a paused group orphaned by its owner's death gets SIGHUP, then SIGCONT: the guard
// must outlive that). An exec'd shell, not a fork left running: a fork would hold on to a copy of every
// page this process writes while the song plays.
constexpr const char* kGuardScript =
    "trap '' HUP TERM INT; while read -r _ <&3; do :; done; kill -TERM 0; kill -CONT 0; sleep 0.5; kill -KILL 0";

// In the child after fork() from a threaded process, with every signal blocked by the parent:
// async-signal-safe calls only. The caller's handlers (a test framework's, live's) must not run in
// this copy of it: each signal is set to its default before any is let in.
[[noreturn]] void exec_guard(int read_end, pid_t group, char* const argv[]) noexcept {
    ::setpgid(0, group);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &defaults, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Keep only the pipe (as fd 3): no terminal, no other pipe held open by the guard.
    // dup2 clears close-on-exec; a pipe already at 3 keeps its flag and would close at the exec.
    if (read_end != 3) ::dup2(read_end, 3);
    else ::fcntl(3, F_SETFD, 0);
    const int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    if (::close_range(4, ~0U, 0) != 0)
        for (int fd = 4; fd < 1024; ++fd) ::close(fd);
    ::execve("/bin/sh", argv, environ);
    ::_exit(127);
}

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
    // A search finds a whole song too: minutes, never a second.
    searched_ = !song.uri;
    shortest_play_ = searched_ || (song.duration && *song.duration >= 2 * kShortestPlay) ? kShortestPlay : kInstantEnd;

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
    const auto cannot_start = [&](int error) {
        return Error("cannot start the player for '" + display_name(song) + "' (" + line + ", $1 = " +
                     shell_word(target) + "): " + std::strerror(error));
    };
    int guard_pipe[2];
    if (::pipe2(guard_pipe, O_CLOEXEC) != 0) throw cannot_start(errno);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, "/bin/sh", &s.actions, &s.attr, argv, environ);
    if (rc != 0) {
        ::close(guard_pipe[0]);
        ::close(guard_pipe[1]);
        throw cannot_start(rc);
    }
    pid_ = pid;
    guard_write_end_ = guard_pipe[1];
    std::string guard_name = "dangpli-guard", script = kGuardScript;
    char* guard_argv[] = {sh.data(), dash_c.data(), script.data(), guard_name.data(), nullptr};
    sigset_t all, before;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &before);  // no handler of ours runs in the guard before its exec
    const pid_t guard = ::fork();
    if (guard == 0) exec_guard(guard_pipe[0], pid, guard_argv);
    const int fork_error = errno;
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    ::close(guard_pipe[0]);
    if (guard < 0) {
        stop();
        throw cannot_start(fork_error);
    }
    ::setpgid(guard, pid);  // also here, so the group holds the guard before play() returns
    guard_pid_ = guard;
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
    end_guard();
}

void CommandPlayer::end_guard() {
    if (guard_write_end_ >= 0) ::close(std::exchange(guard_write_end_, -1));
    if (!guard_pid_) return;
    const pid_t guard = *std::exchange(guard_pid_, std::nullopt);
    ::kill(guard, SIGKILL);  // it is in the song's group, which was swept already; this is sure
    int status = 0;
    while (::waitpid(guard, &status, 0) < 0 && errno == EINTR) {
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
        if (played < shortest_play_) {
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.2f", played.count());
            last_error_ = std::string("ended after ") + seconds + " s with status 0: " +
                          (searched_ ? "the song is a search, not a file, and only mpv with yt-dlp plays searches"
                                     : "a player command must play the song and return when it has ended");
        } else {
            last_error_.reset();
        }
    } else {
        last_error_ = describe_status(status, options_.command);
    }
    ::kill(-pid, SIGKILL);  // sweep anything the song left behind in its group
    end_guard();
    return true;
}

}  // namespace dangpli
