// LiveLoop with a player that cannot play, with real parts: a SQLite store in a temporary folder and
// a CommandPlayer running a program that does not exist. Each child's end is waited for (it has
// exited once it is a zombie) before the next frame, so the test does not depend on the machine's
// speed; the loop's timing is all on the frames' clock.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "dangpli/command_player.hpp"
#include "dangpli/error.hpp"
#include "dangpli/live_loop.hpp"
#include "player/player_test_util.hpp"
#include "support.hpp"

using namespace dangpli;
using Kind = LiveEvent::Kind;
using test::TempDir;

namespace {

TraceFrame face_frame(double t, Emotion e) {
    TraceFrame f;
    f.time = t;
    f.faces = 1;
    f.main_face = Face{cv::Rect2f(100, 100, 160, 160), 0.99f, {}};
    f.scores = test::scores_for(e, 0.8f);
    return f;
}

struct BrokenPlayerRig {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    CommandPlayer player{CommandPlayerOptions{"/nonexistent/dangpli-test-player {}", true}};

    BrokenPlayerRig() {
        for (int i = 0; i < 10; ++i) {
            Song s;
            s.title = "Song " + std::to_string(i);
            s.uri = (dir / (std::to_string(i) + ".ogg")).string();  // a file there: the player is what fails
            test::write_file(*s.uri, "OggS");
            s.tags.push_back({Emotion::Happy, 1.0, TagSource::Imported});
            s.tags.push_back({Emotion::Sad, 1.0, TagSource::Imported});
            store.add_song(s);
        }
    }

    // Frames every 0.1 s from `from` to `to`; a started child is waited for until it has exited.
    std::vector<LiveEvent> run(LiveLoop& loop, double from, double to, Emotion e) {
        std::vector<LiveEvent> all;
        for (double t = from; t < to; t += 0.1) {
            auto events = loop.observe(face_frame(t, e));
            all.insert(all.end(), events.begin(), events.end());
            if (auto pid = player.pid())
                REQUIRE(test::wait_until([&] { return !test::alive(*pid); }, std::chrono::seconds(30)));
        }
        return all;
    }
};

std::vector<const LiveEvent*> of_kind(const std::vector<LiveEvent>& events, Kind kind) {
    std::vector<const LiveEvent*> found;
    for (const auto& e : events)
        if (e.kind == kind) found.push_back(&e);
    return found;
}

LiveLoopOptions options() {
    LiveLoopOptions o;
    o.seed = 3;
    o.session.policy = MoodPolicy::Match;
    return o;
}

}  // namespace

TEST_CASE("a player that cannot play: songs fail, are recorded and reported, retried ever later, then given up") {
    BrokenPlayerRig rig;
    LiveLoop loop(rig.store, rig.player, options());
    const auto events = rig.run(loop, 0.0, 120.0, Emotion::Happy);

    CHECK(of_kind(events, Kind::SongFinished).empty());
    const auto started = of_kind(events, Kind::SongStarted);
    const auto failed = of_kind(events, Kind::SongFailed);
    REQUIRE(failed.size() == 5);
    REQUIRE(started.size() == 5);
    for (const LiveEvent* f : failed) {
        CHECK(f->error.find("command '/nonexistent/dangpli-test-player' not found") != std::string::npos);
        REQUIRE(f->song);
    }
    // The wait before the next song grows: 1, 2, 4, 8 s on the frames' clock.
    for (std::size_t i = 0; i + 1 < failed.size(); ++i) CHECK(failed[i]->retry_in_s == doctest::Approx(1 << i));
    for (std::size_t i = 1; i + 1 < started.size(); ++i)
        CHECK(started[i + 1]->time - started[i]->time > started[i]->time - started[i - 1]->time);

    const auto gave_up = of_kind(events, Kind::PlayerFailed);
    REQUIRE(gave_up.size() == 1);
    CHECK(gave_up[0]->time == doctest::Approx(failed.back()->time));
    CHECK(gave_up[0]->error.find("5 songs failed in a row") != std::string::npos);
    CHECK(loop.player_failed());

    const auto plays = rig.store.history();
    REQUIRE(plays.size() == 5);
    for (const auto& p : plays) CHECK(p.outcome == PlayOutcome::Failed);

    // Given up: the mood is still followed, but the player is asked for nothing more.
    const auto later = rig.run(loop, 120.0, 160.0, Emotion::Sad);
    CHECK_FALSE(of_kind(later, Kind::MoodChanged).empty());
    CHECK(of_kind(later, Kind::SongStarted).empty());
    CHECK(of_kind(later, Kind::Switched).empty());
    CHECK(of_kind(later, Kind::Asked).empty());
    CHECK_FALSE(rig.player.pid());
    CHECK(rig.store.history().size() == 5);
}

TEST_CASE("a song that plays resets the count of failures in a row") {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    // Fails for uris with "bad" in them, plays (a little longer than CommandPlayer::kInstantEnd) the others.
    CommandPlayer player{CommandPlayerOptions{"case {} in *bad*) exit 4;; *) sleep 0.7;; esac", true}};
    // A song that failed is drawn again only where its mood has no other: eight bad ones keep failing.
    for (const char* uri : {"bad-1", "bad-2", "bad-3", "bad-4", "bad-5", "bad-6", "bad-7", "bad-8", "good-1", "good-2"}) {
        Song s;
        s.title = uri;
        s.uri = uri;
        s.tags.push_back({Emotion::Happy, 1.0, TagSource::Imported});
        store.add_song(s);
    }
    LiveLoopOptions o = options();
    o.max_failed_songs = 100;  // never reached here
    o.avoid_recent = 2;  // a good song left out of the two draws after it
    LiveLoop loop(store, player, o);
    std::vector<LiveEvent> events;
    // Until each bad song has failed once: then only the good ones are drawn.
    for (double t = 0.0; t < 200.0 && of_kind(events, Kind::SongFailed).size() < 8; t += 0.1) {
        auto more = loop.observe(face_frame(t, Emotion::Happy));
        events.insert(events.end(), more.begin(), more.end());
        if (auto pid = player.pid()) REQUIRE(test::wait_until([&] { return !test::alive(*pid); }, std::chrono::seconds(30)));
    }
    // A good song's end is a finish, a bad one's a failure, and the wait after a failure starts
    // again from 1 s after each good song: 1, 2, 4, ... counts the failures since the last one.
    int in_a_row = 0;
    for (const auto& e : events) {
        if (e.kind == Kind::SongFinished) {
            CHECK(e.song->title.starts_with("good"));
            in_a_row = 0;
        } else if (e.kind == Kind::SongFailed) {
            CHECK(e.song->title.starts_with("bad"));
            CHECK(e.error == "exited with status 4");
            ++in_a_row;
            CHECK(e.retry_in_s == doctest::Approx(std::min(30.0, static_cast<double>(1 << (in_a_row - 1)))));
        }
    }
    CHECK(of_kind(events, Kind::SongFinished).size() >= 2);
    CHECK(of_kind(events, Kind::SongFailed).size() >= 4);
    CHECK(of_kind(events, Kind::PlayerFailed).empty());
}

TEST_CASE("a loop refuses retry settings it cannot use") {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    CommandPlayer player;
    LiveLoopOptions o;
    o.max_failed_songs = 0;
    CHECK_THROWS_AS(LiveLoop(store, player, o), InputError);
    o = {};
    o.first_retry_s = 0.0;
    CHECK_THROWS_AS(LiveLoop(store, player, o), InputError);
}

TEST_CASE("offline, a failed search makes the songs with files go first: the player is not given up") {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    // Searches fail at once, as offline or without yt-dlp; a file plays (for longer than the test).
    CommandPlayer player{CommandPlayerOptions{"case {} in ytdl:*) exit 3;; *) exec sleep 60;; esac", true}};
    for (int i = 0; i < 12; ++i) {  // the default playlists' kind: no file, played by search
        Song s;
        s.title = "Search " + std::to_string(i);
        s.artist = "Someone";
        s.tags.push_back({Emotion::Happy, 1.0, TagSource::Imported});
        store.add_song(s);
    }
    Song local;
    local.title = "On disk";
    local.uri = (dir / "on-disk.ogg").string();
    test::write_file(*local.uri, "OggS");
    local.tags.push_back({Emotion::Happy, 0.2, TagSource::Imported});  // the least likely draw
    store.add_song(local);
    LiveLoopOptions o = options();
    o.max_failed_songs = 2;  // a search or two more, drawn by chance, gave the player up
    LiveLoop loop(store, player, o);
    std::vector<LiveEvent> all;
    for (double t = 0.0; t < 30.0 && !(loop.current_song() && loop.current_song()->uri); t += 0.1) {
        auto events = loop.observe(face_frame(t, Emotion::Happy));
        all.insert(all.end(), events.begin(), events.end());
        if (auto pid = player.pid(); pid && !(loop.current_song() && loop.current_song()->uri))
            REQUIRE(test::wait_until([&] { return !test::alive(*pid); }, std::chrono::seconds(30)));
    }
    CHECK(of_kind(all, Kind::PlayerFailed).empty());
    REQUIRE(loop.current_song().has_value());
    CHECK(loop.current_song()->title == "On disk");
    CHECK(of_kind(all, Kind::SongFailed).size() == 1);  // one search, then the file
    loop.stop();
}

TEST_CASE("a song whose file is gone fails by its path, is drawn after the others, and never gives up the player") {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    CommandPlayer player{CommandPlayerOptions{": {}; sleep 0.7", true}};
    for (int i = 0; i < 7; ++i) {  // six files deleted since they were added, one still there
        Song s;
        s.title = "Song " + std::to_string(i);
        s.uri = (dir / ("song " + std::to_string(i) + ".ogg")).string();
        s.tags.push_back({Emotion::Happy, 1.0, TagSource::Imported});
        if (i == 6) test::write_file(*s.uri, "OggS");
        store.add_song(s);
    }
    LiveLoop loop(store, player, options());
    std::vector<LiveEvent> events;
    for (double t = 0.0; t < 40.0 && (of_kind(events, Kind::SongFailed).size() < 6 || of_kind(events, Kind::SongFinished).empty()); t += 0.1) {
        auto more = loop.observe(face_frame(t, Emotion::Happy));
        events.insert(events.end(), more.begin(), more.end());
        if (auto pid = player.pid()) REQUIRE(test::wait_until([&] { return !test::alive(*pid); }, std::chrono::seconds(30)));
    }
    const auto failed = of_kind(events, Kind::SongFailed);
    REQUIRE(failed.size() >= 6);
    for (const LiveEvent* f : failed) {
        REQUIRE(f->song);
        CHECK(f->error == *f->song->uri + ": no such file (moved or deleted since it was added?)");
        CHECK(f->retry_in_s == doctest::Approx(1.0));
    }
    // Each gone file failed once, none twice: once failed, a song is drawn only where its mood has no other.
    std::set<std::string> first_six;
    for (std::size_t i = 0; i < 6; ++i) first_six.insert(failed[i]->song->title);
    CHECK(first_six.size() == 6);
    CHECK_FALSE(of_kind(events, Kind::SongFinished).empty());
    CHECK(of_kind(events, Kind::PlayerFailed).empty());
    CHECK_FALSE(loop.player_failed());
}
