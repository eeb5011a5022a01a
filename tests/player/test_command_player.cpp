// CommandPlayer with real short commands: ends, stop, pause, process groups, no zombies.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "dangpli/command_player.hpp"
#include "player_test_util.hpp"
#include "support.hpp"

using namespace dangpli;
using namespace dangpli::test;
using namespace std::chrono_literals;

namespace {

CommandPlayer player_for(std::string command) {
    CommandPlayerOptions o;
    o.command = std::move(command);
    return CommandPlayer(o);
}

// True when `pid` is no child of ours any more: reaped, so it cannot be a zombie of ours.
bool reaped(pid_t pid) {
    int status = 0;
    return ::waitpid(pid, &status, WNOHANG) < 0 && errno == ECHILD;
}

}  // namespace

TEST_CASE("the target is the shell's $1, quoted for where {} stands") {
    CHECK(CommandPlayer::command_line("mpv --no-video {}") == "mpv --no-video \"$1\"");
    CHECK(CommandPlayer::command_line("mpv \"{}\" '{}'") == "mpv \"$1\" ''\"$1\"''");
    CHECK(CommandPlayer::command_line("ffplay -nodisp") == "ffplay -nodisp \"$1\"");
    CHECK(CommandPlayer::command_line("echo \\\"{}") == "echo \\\"\"$1\"");  // an escaped quote opens nothing
}

TEST_CASE("a song's uri is never run as shell, however the command quotes {}") {
    // A uri from an imported playlist: with {} in quotes ("{}", '{}'), the old quoting ran it.
    TempDir dir;
    const auto seen = dir / "argv.txt", planted = dir / "planted";
    const std::string uri = "/music/a b $(touch " + planted.string() + ") `touch " + planted.string() +
                            "` 'q' \"d\" \\.mp3";
    for (const std::string placeholder : {"{}", "\"{}\"", "'{}'", "x{}y"}) {
        INFO(placeholder);
        auto player = player_for("printf '%s\\n' " + placeholder + " > " + shell_quote(seen.string()));
        player.play(song_at(uri));
        REQUIRE(wait_until([&] { return player.poll_finished(); }));
        CHECK_FALSE(std::filesystem::exists(planted));
        const std::string expected = placeholder == "x{}y" ? "x" + uri + "y" : uri;
        CHECK(read_file(seen) == expected + "\n");
    }
}

TEST_CASE("a uri that starts with '-' reaches the program as a file name, never as an option") {
    // A shared playlist with the uri "--script=evil.lua" must not hand mpv a script to run.
    TempDir dir;
    const auto seen = dir / "argv.txt";
    auto player = player_for("printf '%s\\n' {} > " + shell_quote(seen.string()));
    player.play(song_at("--script=evil.lua"));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK(read_file(seen) == "./--script=evil.lua\n");
    CHECK(play_target(song_at("-x.mp3")) == "./-x.mp3");
    CHECK(play_target(song_at("https://example.org/-x.mp3")) == "https://example.org/-x.mp3");
}

TEST_CASE("a command that ends by itself is reported once and reaped") {
    auto player = player_for("sleep {}");
    player.play(song_at("0.8"));  // longer than kInstantEnd: it played
    REQUIRE(player.pid());
    const pid_t pid = *player.pid();
    CHECK(process_state(pid) != 0);
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK_FALSE(player.poll_finished());
    CHECK_FALSE(player.pid());
    CHECK_FALSE(player.last_error());
    CHECK(reaped(pid));
    CHECK_FALSE(alive(pid));
}

TEST_CASE("a command that returns at once did not play the song: a failure, not a song heard") {
    // A launcher that hands the song on, or a typo'd command that prints and exits 0: counted as
    // finished, the loop played the next one at once, 60 "songs" in a 6 s clip.
    auto player = player_for("true {}");
    player.play(song_at("a.mp3"));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    REQUIRE(player.last_error());
    CHECK(player.last_error()->starts_with("ended after 0."));
}

TEST_CASE("a search, or a song known to last minutes, that ends within seconds with status 0 was not played") {
    // ffplay cannot open the default playlists' searches and exits 0 after 0.35 to 0.6 s, later on
    // a loaded machine: past half a second those songs were stored as heard.
    Song search;
    search.title = "Lilac";
    search.artist = "IU";
    auto player = player_for("sleep 1; : {}");
    player.play(search);
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    REQUIRE(player.last_error());
    CHECK(player.last_error()->starts_with("ended after 1."));
    CHECK(player.last_error()->ends_with(" s with status 0: the song is a search, not a file, and only mpv with yt-dlp "
                                         "plays searches"));

    Song long_file = song_at("long.mp3");
    long_file.duration = std::chrono::minutes(3);
    player.play(long_file);
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    REQUIRE(player.last_error());
    CHECK(player.last_error()->ends_with("a player command must play the song and return when it has ended"));

    // A file of unknown length may be a one-second jingle: past half a second it played.
    player.play(song_at("jingle.ogg"));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK_FALSE(player.last_error());
}

TEST_CASE("a failing command ends with its status in last_error") {
    auto player = player_for("exit {}");
    player.play(song_at("3"));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    REQUIRE(player.last_error());
    CHECK(*player.last_error() == "exited with status 3");
}

TEST_CASE("stop kills a long command at once and gives no finish") {
    auto player = player_for("sleep {}");
    player.play(song_at("30"));
    const pid_t pid = *player.pid();
    auto t0 = std::chrono::steady_clock::now();
    player.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);  // not the 30 s of the song
    CHECK(reaped(pid));
    CHECK_FALSE(alive(pid));
    CHECK_FALSE(player.pid());
    CHECK_FALSE(player.poll_finished());
    player.stop();  // twice is fine
}

TEST_CASE("pause keeps a command from ending until resume") {
    // The command ends only once a file exists, and the file is made only after the pause took
    // hold: no load on the machine can let it end before pause() (a timed song once did in CI).
    TempDir tmp;
    auto go = tmp / "go";
    auto player = player_for("while [ ! -e {} ]; do sleep 0.05; done");
    player.play(song_at(go.string()));
    const pid_t pid = *player.pid();
    player.pause();
    // The whole group, the shell and any child it started, is stopped or holds the stop pending.
    REQUIRE(wait_until([&] { return group_paused(pid); }, 5s));
    write_file(go, "");
    // Paused, it cannot see the file: it must not end.
    CHECK_FALSE(wait_until([&] { return player.poll_finished(); }, 1s));
    CHECK(alive(pid));
    player.resume();
    REQUIRE(wait_until([&] { return player.poll_finished(); }, 10s));
    CHECK_FALSE(player.last_error());
    CHECK(reaped(pid));
}

TEST_CASE("stop reaches a paused command and everything in its process group") {
    TempDir tmp;
    auto pid_file = tmp / "grandchild.pid";
    auto player = player_for("sleep 30 & echo $! > {}; wait");
    player.play(song_at(pid_file.string()));
    REQUIRE(wait_until([&] { return !read_file(pid_file).empty(); }, 5s));
    const pid_t grandchild = static_cast<pid_t>(std::stol(read_file(pid_file)));
    const pid_t shell = *player.pid();
    CHECK(alive(grandchild));
    player.pause();
    player.stop();
    CHECK(reaped(shell));
    // The grandchild is reparented on its parent's death; it must be gone (or a zombie for init).
    CHECK(wait_until([&] { return !alive(grandchild); }, 5s));
}

TEST_CASE("play replaces the previous command; the destructor stops the last one") {
    pid_t first = 0, second = 0;
    {
        auto player = player_for("sleep {}");
        player.play(song_at("30"));
        first = *player.pid();
        player.play(song_at("30"));
        second = *player.pid();
        CHECK(first != second);
        CHECK(reaped(first));
        CHECK(alive(second));
        CHECK_FALSE(player.poll_finished());
    }
    CHECK(reaped(second));
    CHECK_FALSE(alive(second));
}

namespace {

// Runs a player in a forked owner process, kills the owner with SIGKILL (no destructor runs) and
// tells whether the song's process was gone within 5 s. The owner pauses first when asked: a
// paused group orphaned by its owner must end too.
bool song_ends_with_killed_owner(bool paused) {
    TempDir tmp;
    auto pid_file = tmp / "song.pid";
    const pid_t owner = ::fork();
    REQUIRE(owner >= 0);
    if (owner == 0) {
        auto player = player_for("sleep 30 & echo $! > {}; wait");
        player.play(song_at(pid_file.string()));
        if (paused) {
            wait_until([&] { return !read_file(pid_file).empty(); }, 5s);
            player.pause();
            std::ofstream(tmp / "paused") << "yes";
        }
        for (;;) ::pause();
    }
    struct KilledOnReturn {  // the owner never outlives the test, whichever check fails
        pid_t pid;
        ~KilledOnReturn() {
            ::kill(pid, SIGKILL);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
    } owner_ends{owner};
    REQUIRE(wait_until([&] { return !read_file(pid_file).empty(); }, 5s));
    if (paused) REQUIRE(wait_until([&] { return std::filesystem::exists(tmp / "paused"); }, 5s));
    const pid_t song = static_cast<pid_t>(std::stol(read_file(pid_file)));
    // The song plays on while its owner lives (the guard leaves it alone).
    std::this_thread::sleep_for(300ms);
    REQUIRE(alive(song));
    ::kill(owner, SIGKILL);
    return wait_until([&] { return !alive(song); }, 5s);
}

}  // namespace

TEST_CASE("a player whose process is killed outright takes its song with it") {
    CHECK(song_ends_with_killed_owner(false));
}

TEST_CASE("a paused song ends too when its player's process is killed outright") {
    CHECK(song_ends_with_killed_owner(true));
}
