// SilentPlayer against an injected clock: songs end after their un-paused duration;
// without one, after the unknown length given, else never.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "dangpli/error.hpp"
#include "dangpli/silent_player.hpp"

using namespace dangpli;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    SilentPlayer::TimePoint now{};
    std::vector<std::string> lines;
    SilentPlayer player{[this](const std::string& l) { lines.push_back(l); }, [this] { return now; }};
};

Song song(std::string title, std::optional<std::chrono::milliseconds> duration) {
    Song s;
    s.title = std::move(title);
    s.artist = "Band";
    s.duration = duration;
    return s;
}

}  // namespace

TEST_CASE("a song finishes once after its duration") {
    Fixture f;
    f.player.play(song("One", 3000ms));
    CHECK_FALSE(f.player.poll_finished());
    f.now += 2999ms;
    CHECK_FALSE(f.player.poll_finished());
    CHECK(f.player.position() == 2999ms);
    f.now += 1ms;
    CHECK(f.player.poll_finished());
    CHECK_FALSE(f.player.poll_finished());  // once
    CHECK_FALSE(f.player.current().has_value());
    CHECK(f.lines == std::vector<std::string>{"play: Band - One", "finished: Band - One"});
}

TEST_CASE("pause stops the clock, resume starts it again") {
    Fixture f;
    f.player.play(song("One", 1000ms));
    f.now += 600ms;
    f.player.pause();
    CHECK(f.player.paused());
    f.now += 10s;
    CHECK_FALSE(f.player.poll_finished());
    CHECK(f.player.position() == 600ms);
    f.player.resume();
    CHECK_FALSE(f.player.paused());
    f.now += 399ms;
    CHECK_FALSE(f.player.poll_finished());
    f.now += 1ms;
    CHECK(f.player.poll_finished());
    CHECK(f.lines == std::vector<std::string>{"play: Band - One", "pause", "resume", "finished: Band - One"});
}

TEST_CASE("stop gives no finish; play starts the clock afresh") {
    Fixture f;
    f.player.play(song("One", 1000ms));
    f.now += 500ms;
    f.player.stop();
    f.now += 5s;
    CHECK_FALSE(f.player.poll_finished());

    f.player.play(song("Two", 1000ms));
    f.now += 900ms;
    f.player.play(song("Three", 1000ms));  // replaces Two: its clock starts now
    f.now += 900ms;
    CHECK_FALSE(f.player.poll_finished());
    f.now += 100ms;
    CHECK(f.player.poll_finished());
    CHECK(f.lines.back() == "finished: Band - Three");
}

TEST_CASE("a paused player plays the next song unpaused") {
    Fixture f;
    f.player.play(song("One", 1000ms));
    f.player.pause();
    f.player.play(song("Two", 1000ms));
    CHECK_FALSE(f.player.paused());
    f.now += 1s;
    CHECK(f.player.poll_finished());
}

TEST_CASE("a song without a duration never finishes by itself") {
    Fixture f;
    f.player.play(song("Endless", std::nullopt));
    f.now += 24h;
    CHECK_FALSE(f.player.poll_finished());
    CHECK(f.player.current().has_value());
}

TEST_CASE("given an unknown length, a song without a duration ends after it; one with a duration keeps its own") {
    SilentPlayer::TimePoint now{};
    SilentPlayer player({}, [&] { return now; }, 210s);
    player.play(song("Search result", std::nullopt));
    now += 209s;
    CHECK_FALSE(player.poll_finished());
    now += 1s;
    CHECK(player.poll_finished());
    CHECK_FALSE(player.poll_finished());
    player.play(song("Long one", 300s));
    now += 299s;
    CHECK_FALSE(player.poll_finished());
    now += 1s;
    CHECK(player.poll_finished());
    CHECK_THROWS_AS(SilentPlayer({}, {}, 0ms), InputError);
}

TEST_CASE("calls without a song are harmless and still logged") {
    Fixture f;
    f.player.pause();
    f.player.resume();
    f.player.stop();
    CHECK_FALSE(f.player.poll_finished());
    CHECK(f.lines == std::vector<std::string>{"pause", "resume", "stop"});
    SilentPlayer quiet;  // no log, real clock
    quiet.play(song("One", 0ms));
    CHECK(quiet.poll_finished());
    CHECK(quiet.name() == "silent");
}
