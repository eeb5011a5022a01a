// make_player: the kinds this build has, and clear errors for the others.
#include <doctest/doctest.h>

#include <algorithm>

#include "dangpli/error.hpp"
#include "dangpli/player_factory.hpp"

using namespace dangpli;

TEST_CASE("make_player builds each kind by name") {
    PlayerOptions o;
    o.audio_output = "null";
    CHECK(make_player("silent", o)->name() == "silent");
    CHECK(make_player("command", o)->name() == "command");
    auto kinds = player_kinds();
    CHECK(std::find(kinds.begin(), kinds.end(), "silent") != kinds.end());
    if (mpv_available()) {
        CHECK(make_player("mpv", o)->name() == "mpv");
        CHECK(kinds.front() == "mpv");
    } else {
        CHECK_THROWS_AS(make_player("mpv", o), InputError);
    }
    CHECK_THROWS_AS(make_player("vlc", o), InputError);
}

TEST_CASE("the silent player from the factory logs through the options") {
    std::vector<std::string> lines;
    PlayerOptions o;
    o.log = [&](const std::string& l) { lines.push_back(l); };
    SilentPlayer::TimePoint now{};
    o.now = [&] { return now; };
    auto p = make_player("silent", o);
    Song s;
    s.title = "One";
    s.duration = std::chrono::seconds(1);
    p->play(s);
    CHECK_FALSE(p->poll_finished());
    now += std::chrono::seconds(1);
    CHECK(p->poll_finished());
    CHECK(lines == std::vector<std::string>{"play: One", "finished: One"});
}
