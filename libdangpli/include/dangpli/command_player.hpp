#pragma once
/// \file
/// CommandPlayer: plays each song by running an external program ("mpv --no-video {}",
/// "ffplay -nodisp -autoexit {}"). POSIX only: the program runs in its own process group, so
/// pause and stop reach everything it starts.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "dangpli/player.hpp"

namespace dangpli {

/// Settings of a CommandPlayer (`dangpli live --player command --player-command ...`).
struct CommandPlayerOptions {
    /// A /bin/sh command line; each "{}" stands for the play target (play_target(song)), bare or
    /// in quotes. Without "{}" the target is appended after a space. See command_line().
    std::string command = "mpv --no-video --really-quiet {}";
    /// Send the program's stdout and stderr to /dev/null so it cannot scribble over the terminal.
    /// (Its stdin is always /dev/null: it must not eat the keys meant for the caller.)
    bool quiet = true;
};

/// A Player that runs an external program for each song.
///
/// Runs one child process per song: play() stops the previous one and starts the next; pause()
/// and resume() send SIGSTOP/SIGCONT to its process group; stop() sends SIGTERM, then SIGKILL
/// after a short grace period, and reaps it. poll_finished() reaps with waitpid(WNOHANG) and is
/// true once when the child exited by itself (any exit status; see last_error()). The destructor
/// stops the child, so no child outlives the player and none is left a zombie. A process that dies
/// without running destructors (SIGKILL, an unhandled signal, a crash) stops its song too, within
/// about 0.5 s: a guard process in the song's group ends the group when its pipe from this process
/// closes.
/// Not thread-safe: use one player from one thread. If the process sets SIGCHLD to SIG_IGN the
/// kernel reaps children itself and a song counts as finished as soon as it cannot be waited for.
class CommandPlayer : public Player {
public:
    /// Its kind, as make_player() takes it and name() returns it.
    static constexpr std::string_view kName = "command";
    /// A song that ends sooner after play() than this, on the wall clock, was not played.
    static constexpr std::chrono::milliseconds kInstantEnd{500};
    /// A song known to be at least twice this long, or one without a file (a search finds a whole
    /// song), that ends sooner than this was not played either: a player that cannot open its target may still exit with status 0 (ffplay on a
    /// search it cannot resolve, after 0.35 to 0.6 s, longer on a loaded machine).
    static constexpr std::chrono::milliseconds kShortestPlay{5000};

    /// Keeps the options; nothing runs until play(). The command line is not checked here: a
    /// program that does not exist shows up as a song that ends at once (see play()).
    explicit CommandPlayer(CommandPlayerOptions options = {});
    /// Stops the child, if any (see stop()): no song outlives its player.
    ~CommandPlayer() override;
    CommandPlayer(const CommandPlayer&) = delete;
    CommandPlayer& operator=(const CommandPlayer&) = delete;

    /// Stops the previous child (see stop()), then runs `/bin/sh -c command_line(options.command)
    /// dangpli-player TARGET` (TARGET = play_target(song), the shell's $1), stdin from /dev/null, in a new process group, with no signal blocked and
    /// SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP, SIGQUIT, SIGTSTP, SIGXFSZ at their defaults (a live loop
    /// that blocks or ignores them must not pass that on to the music). Clears last_error().
    /// A guard (a small /bin/sh started from this process) joins the child's process group and ends
    /// it if this process dies (see the class comment); it is reaped with the song.
    /// Throws Error if the child or its guard cannot be started (pipe2, posix_spawn or fork failed; nothing is left running). A command that is not
    /// found still starts (the shell reports it) and ends by itself with status 127.
    void play(const Song& song) override;
    /// SIGSTOP to the child's process group; nothing if nothing plays or it is paused already.
    void pause() override;
    /// SIGCONT to the child's process group; nothing unless paused.
    void resume() override;
    /// SIGTERM (and SIGCONT, so that a paused child can act on it) to the process group, up to
    /// about 0.5 s for the child to exit, then SIGKILL to whatever is left in the group; the child
    /// is reaped. Blocks for at most that grace period; nothing if nothing plays. A stopped song
    /// is not reported by poll_finished() and leaves last_error() as it was.
    void stop() override;
    /// Reaps the child with waitpid(WNOHANG), never blocks; true once after it exited by itself,
    /// whatever its status (last_error() tells a failure), and SIGKILL then sweeps what it left
    /// in its process group. A child that exits with status 0 within kInstantEnd of play() (within
    /// kShortestPlay where the song is a search or known to last 2 * kShortestPlay or more) did not play the song (a
    /// launcher that hands it on, `true`, `echo`, a player that could not open it): that is a failure
    /// too, or the caller would count songs as heard many times a second; for a song without a file
    /// its error says that its target is a search.
    bool poll_finished() override;
    std::string name() const override { return std::string(kName); }

    /// The running child's process id (also its process group id); none when nothing plays.
    std::optional<int> pid() const { return pid_; }
    /// Why the last song that ended by itself did not end well ("exited with status 2",
    /// "exited with status 127: command 'mpv' not found", "killed by signal 9", "ended after 0.31 s with status 0: ...");
    /// none when it played and exited with status 0, or no song has ended yet.
    std::optional<std::string> last_error() const override { return last_error_; }

    /// The line /bin/sh runs, with the target as its $1: every "{}" becomes a reference to $1
    /// quoted for where it stands ("$1" bare, $1 within double quotes, '"$1"' within single
    /// quotes), so the target is one word that the shell never reads as code, whatever its
    /// characters and however {} was quoted; without "{}", ` "$1"` is appended. A pure function:
    /// thread-safe, never throws except std::bad_alloc.
    static std::string command_line(std::string_view command);

private:
    CommandPlayerOptions options_;
    std::optional<int> pid_;
    std::chrono::steady_clock::time_point started_;  // of the running child
    std::chrono::milliseconds shortest_play_ = kInstantEnd;  // of the running child's song
    bool searched_ = false;                                   // its target is a search, not a file
    bool paused_ = false;
    std::optional<std::string> last_error_;
    // A child in the song's group that ends it when this process dies without stop() (see play()).
    std::optional<int> guard_pid_;
    int guard_write_end_ = -1;
    void end_guard();  // after the group was ended: closes the pipe, reaps the guard
};

}  // namespace dangpli
