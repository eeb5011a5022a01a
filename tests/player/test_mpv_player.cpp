// MpvPlayer on a real libmpv with the null audio output, playing tones made by sox.
#include <doctest/doctest.h>

#if DANGPLI_HAVE_MPV

#include <chrono>
#include <thread>

#include "dangpli/error.hpp"
#include "dangpli/mpv_player.hpp"
#include "player_test_util.hpp"
#include "support.hpp"

using namespace dangpli;
using namespace dangpli::test;
using namespace std::chrono_literals;

namespace {

std::string make_tone(const TempDir& tmp, const std::string& name, double seconds) {
    auto path = (tmp / name).string();
    auto r = run_command("sox -n -r 44100 -c 1 " + shell_quote(path) + " synth " + std::to_string(seconds) +
                         " sine 440");
    INFO("sox: " << r.err);
    REQUIRE_MESSAGE(r.exit_code == 0, "sox is needed to make test tones (scripts/install-deps.sh)");
    return path;
}

MpvPlayer null_player() {
    MpvPlayerOptions o;
    o.audio_output = "null";
    o.ytdl = false;
    return MpvPlayer(o);
}

}  // namespace

TEST_CASE("mpv plays a short tone to its end and says so once") {
    TempDir tmp;
    auto tone = make_tone(tmp, "tone.wav", 0.5);
    auto player = null_player();
    CHECK(player.name() == "mpv");
    player.play(song_at(tone));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK_FALSE(player.last_error());
    CHECK_FALSE(player.poll_finished());
    // And again: the player is reusable after a song ended.
    player.play(song_at(tone));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK_FALSE(player.last_error());
}

TEST_CASE("mpv pause holds the position, resume moves it on") {
    TempDir tmp;
    auto tone = make_tone(tmp, "long.wav", 5.0);
    auto player = null_player();
    player.play(song_at(tone));
    REQUIRE(wait_until([&] { return player.position().value_or(0) > 0.1; }));
    player.pause();
    CHECK(player.paused());
    auto held = player.position();
    REQUIRE(held);
    // While paused, the position stays where it is (mpv may settle once right after the pause).
    std::this_thread::sleep_for(100ms);
    held = player.position();
    CHECK_FALSE(wait_until([&] { return player.position().value_or(0) > *held + 0.05; }, 500ms));
    CHECK_FALSE(player.poll_finished());
    player.resume();
    CHECK_FALSE(player.paused());
    CHECK(wait_until([&] { return player.position().value_or(0) > *held + 0.1; }));
    player.stop();
}

TEST_CASE("mpv stop gives no finished event, and play replaces a song without one") {
    TempDir tmp;
    auto tone = make_tone(tmp, "tone.wav", 0.5);
    auto long_tone = make_tone(tmp, "long.wav", 5.0);
    auto player = null_player();
    player.play(song_at(tone));
    REQUIRE(wait_until([&] { return player.position().has_value(); }));
    player.stop();
    CHECK_FALSE(wait_until([&] { return player.poll_finished(); }, 1500ms));  // the tone's end has passed

    player.play(song_at(long_tone));
    REQUIRE(wait_until([&] { return player.position().has_value(); }));
    player.play(song_at(tone));  // the long tone stops: that is no end of the new song
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK_FALSE(player.last_error());
}

TEST_CASE("mpv reports a missing file as an error, not as a normal end") {
    TempDir tmp;
    auto player = null_player();
    player.play(song_at((tmp / "missing.wav").string()));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    REQUIRE(player.last_error());
    CHECK(player.last_error()->find("missing.wav") != std::string::npos);

    write_file(tmp / "noise.wav", "this is not audio");
    player.play(song_at((tmp / "noise.wav").string()));
    REQUIRE(wait_until([&] { return player.poll_finished(); }));
    CHECK(player.last_error());
}

TEST_CASE("mpv refuses a bad option with an Error") {
    MpvPlayerOptions o;
    o.audio_output = "null";
    o.volume = -5;
    CHECK_THROWS_AS(MpvPlayer{o}, Error);
}

#else

TEST_CASE("mpv player not built" * doctest::skip()) {}

#endif
