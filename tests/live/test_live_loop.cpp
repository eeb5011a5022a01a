// LiveLoop and SongChooser with real parts: a SQLite store in a temporary folder, the silent player
// on the frames' clock, traces of frames in.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include <SQLiteCpp/Database.h>
#include <fmt/core.h>

#include "dangpli/error.hpp"
#include "dangpli/live_loop.hpp"
#include "dangpli/silent_player.hpp"
#include "dangpli/song_chooser.hpp"
#include "support.hpp"

using namespace dangpli;
using Kind = LiveEvent::Kind;
using test::TempDir;

namespace {

Song song(const std::string& title, Emotion e, double weight = 1.0, int seconds = 0) {
    Song s;
    s.title = title;
    s.artist = "Test";
    s.tags.push_back({e, weight, TagSource::Imported});
    if (seconds > 0) s.duration = std::chrono::seconds(seconds);
    return s;
}

TraceFrame frame_with(double t, Emotion e, float p = 0.8f) {
    TraceFrame f;
    f.time = t;
    f.faces = 1;
    f.main_face = Face{cv::Rect2f(100, 100, 160, 160), 0.99f, {}};
    f.scores = test::scores_for(e, p);
    return f;
}

// A store, a silent player on a clock the test moves, and a loop over them.
struct Rig {
    TempDir dir;
    PlaylistStore store{dir / "songs.db"};
    double now = 0.0;
    SilentPlayer player{{}, [this] {
                            return SilentPlayer::TimePoint(std::chrono::duration_cast<SilentPlayer::TimePoint::duration>(
                                std::chrono::duration<double>(now)));
                        }};
    std::vector<LiveEvent> run(LiveLoop& loop, double from, double to, Emotion e) {
        std::vector<LiveEvent> all;
        for (double t = from; t < to; t += 1.0 / 30) {
            now = t;
            auto events = loop.observe(frame_with(t, e));
            all.insert(all.end(), events.begin(), events.end());
        }
        return all;
    }
};

std::vector<Kind> kinds(const std::vector<LiveEvent>& events) {
    std::vector<Kind> k;
    for (const auto& e : events) k.push_back(e.kind);
    return k;
}

LiveLoopOptions seeded(MoodPolicy policy = MoodPolicy::Lift) {
    LiveLoopOptions o;
    o.session.policy = policy;
    o.seed = 7;
    return o;
}

}  // namespace

TEST_CASE("a face's mood starts a song of that mood; a finished song is recorded and followed by the next") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy, 1.0, 8));
    rig.store.add_song(song("Bright", Emotion::Happy, 1.0, 8));
    LiveLoop loop(rig.store, rig.player, seeded());
    const auto events = rig.run(loop, 0.0, 12.0, Emotion::Happy);
    REQUIRE(kinds(events) == std::vector{Kind::MoodChanged, Kind::SongStarted, Kind::SongFinished, Kind::SongStarted});
    CHECK(events[1].time == doctest::Approx(2.0).epsilon(0.02));
    CHECK(events[2].time == doctest::Approx(10.0).epsilon(0.01));
    CHECK(events[3].song->title != events[1].song->title);  // the next one, not the same again
    const auto plays = rig.store.history();
    REQUIRE(plays.size() == 1);
    CHECK(plays.front().outcome == PlayOutcome::Finished);
    CHECK(plays.front().mood == Emotion::Happy);
    loop.stop();  // the session ends: the song was not skipped
    CHECK(rig.store.history().front().outcome == PlayOutcome::Stopped);
}

TEST_CASE("a song removed from the store while it plays ends the same way; the run goes on") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy, 1.0, 8));
    rig.store.add_song(song("Bright", Emotion::Happy, 1.0, 8));
    LiveLoop loop(rig.store, rig.player, seeded());
    rig.run(loop, 0.0, 5.0, Emotion::Happy);
    REQUIRE(loop.current_song().has_value());
    const std::string removed = loop.current_song()->title;
    PlaylistStore other(rig.dir / "songs.db");  // another program's connection, as `playlist remove` is
    REQUIRE(other.remove_song(loop.current_song()->id));
    const auto later = rig.run(loop, 5.0, 12.0, Emotion::Happy);
    REQUIRE(kinds(later) == std::vector{Kind::SongFinished, Kind::SongStarted});
    CHECK(later[1].song->title != removed);
    CHECK(rig.store.history().empty());  // nothing kept of the removed song's play
}

TEST_CASE("a store another program holds: the plays wait in memory, the frames and songs go on, saved once it lets go") {
    // Before: each song's end waited the store's whole busy timeout (10 s of frozen frames in live),
    // then failed the run.
    Rig rig;
    for (const char* title : {"Sunny", "Bright", "Golden", "Warm"}) rig.store.add_song(song(title, Emotion::Happy, 1.0, 8));
    LiveLoop loop(rig.store, rig.player, seeded());
    const auto full_wait = rig.store.busy_timeout();
    const auto first = rig.run(loop, 0.0, 5.0, Emotion::Happy);
    SQLite::Database other((rig.dir / "songs.db").string(), SQLite::OPEN_READWRITE);  // a database browser's edit
    other.exec("BEGIN IMMEDIATE");
    const auto held = rig.run(loop, 5.0, 20.0, Emotion::Happy);
    REQUIRE(kinds(held) == std::vector{Kind::SongFinished, Kind::SongStarted, Kind::SongFinished, Kind::SongStarted});
    // The unsaved plays count as recent: no song comes back while the store cannot say it played.
    REQUIRE(first.back().kind == Kind::SongStarted);
    std::set<std::string> titles{first.back().song->title, held[1].song->title, held[3].song->title};
    CHECK(titles.size() == 3);
    CHECK(loop.unsaved_plays() == 2);
    CHECK(rig.store.busy_timeout() == full_wait);  // the brief wait was the loop's, not left behind
    // stop() waits as the store says, and keeps the plays when it is still held.
    rig.store.set_busy_timeout(std::chrono::milliseconds(50));
    CHECK_THROWS_AS(loop.stop(), StoreBusyError);
    CHECK(loop.unsaved_plays() == 3);
    other.exec("ROLLBACK");
    loop.stop();
    CHECK(loop.unsaved_plays() == 0);
    const auto plays = rig.store.history();  // newest first, each with the time it ended
    REQUIRE(plays.size() == 3);
    CHECK(plays[0].outcome == PlayOutcome::Stopped);
    CHECK(plays[1].outcome == PlayOutcome::Finished);
    CHECK(plays[2].outcome == PlayOutcome::Finished);
    CHECK(plays[2].at <= plays[1].at);
    CHECK(plays[1].at <= plays[0].at);
}

TEST_CASE("a store whose disk is full: the plays wait in memory as for a held store; the run's end names those lost") {
    // Before: the next song's end failed the run (exit 5) and lost the play that had just finished.
    Rig rig;
    for (const char* title : {"Sunny", "Bright", "Golden", "Warm"}) rig.store.add_song(song(title, Emotion::Happy, 1.0, 8));
    LiveLoop loop(rig.store, rig.player, seeded());
    rig.run(loop, 0.0, 5.0, Emotion::Happy);
    // The disk fills: no file of this process may grow (the store's WAL cannot take another page).
    struct FileSizeLimit {  // put back however the test ends: every later test writes files
        rlimit before{};
        void (*handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
        FileSizeLimit() { ::getrlimit(RLIMIT_FSIZE, &before); }
        ~FileSizeLimit() { lift(); }
        void lift() {
            ::setrlimit(RLIMIT_FSIZE, &before);
            std::signal(SIGXFSZ, handler);
        }
    } limit;
    const rlimit before = limit.before;
    std::uintmax_t largest = 0;
    for (const char* name : {"songs.db", "songs.db-wal"})
        if (std::error_code ec; std::filesystem::exists(rig.dir / name, ec))
            largest = std::max(largest, std::filesystem::file_size(rig.dir / name));
    rlimit full = before;
    full.rlim_cur = static_cast<rlim_t>(largest + 100);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &full) == 0);
    const auto while_full = rig.run(loop, 5.0, 12.0, Emotion::Happy);
    CHECK(kinds(while_full) == std::vector{Kind::SongFinished, Kind::SongStarted});
    CHECK(loop.unsaved_plays() == 1);
    CHECK(loop.store_full());
    std::string message;
    try {
        loop.stop();
    } catch (const StoreFullError& e) {
        message = e.what();
    }
    CHECK(message.ends_with("(2 plays of this run could not be saved)"));
    limit.lift();
    loop.stop();  // room again: both are saved
    CHECK(loop.unsaved_plays() == 0);
    CHECK(rig.store.history().size() == 2);
}

TEST_CASE("asked after five songs without a smile: between songs, and the answer is recorded and played") {
    Rig rig;
    for (int i = 0; i < 6; ++i) rig.store.add_song(song("Blue " + std::to_string(i), Emotion::Sad, 1.0, 40));
    LiveLoop loop(rig.store, rig.player, seeded());
    // A steady sad face lets each sad song play to its end (40 s): asked when the fifth ends, at 202 s,
    // with nothing cut or paused.
    const auto events = rig.run(loop, 0.0, 205.0, Emotion::Sad);
    REQUIRE(!events.empty());
    CHECK(events.back().kind == Kind::Asked);
    CHECK(events.back().time == doctest::Approx(202.0).epsilon(0.01));
    const auto k = kinds(events);
    CHECK(std::count(k.begin(), k.end(), Kind::SongFinished) == 5);
    CHECK(loop.asking());
    CHECK_FALSE(rig.player.current().has_value());
    for (const auto& play : rig.store.history()) CHECK(play.outcome == PlayOutcome::Finished);
    Song wanted;
    wanted.title = "Yesterday";
    wanted.artist = "The Beatles";
    const auto answered = loop.answer(205.0, {Emotion::Sad, wanted});
    REQUIRE(kinds(answered) == std::vector{Kind::Answered, Kind::SongStarted});
    CHECK(answered[1].song->title == "Yesterday");
    CHECK(rig.player.current()->title == "Yesterday");
    CHECK_FALSE(loop.asking());
    CHECK(rig.store.find_songs("The Beatles - Yesterday").size() == 1);
}

TEST_CASE("someone new after the face followed was lost is a new person, not the face back") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy));
    LiveLoop loop(rig.store, rig.player, seeded(MoodPolicy::Match));
    rig.run(loop, 0.0, 5.0, Emotion::Happy);
    std::vector<Kind> gone;
    for (double t = 5.0; t < 9.0; t += 1.0 / 30) {
        TraceFrame none;
        none.time = t;
        for (const auto& e : loop.observe(none)) gone.push_back(e.kind);
    }
    REQUIRE(gone == std::vector{Kind::NoFace});
    TraceFrame other = frame_with(9.0, Emotion::Sad);
    other.new_person = true;
    CHECK(kinds(loop.observe(other)) == std::vector{Kind::NewPerson});
    // The same face coming back is the face back.
    for (double t = 9.1; t < 13.0; t += 1.0 / 30) {
        TraceFrame none;
        none.time = t;
        loop.observe(none);
    }
    const auto back = kinds(loop.observe(frame_with(13.0, Emotion::Sad)));
    CHECK(std::count(back.begin(), back.end(), Kind::FaceBack) == 1);
    CHECK(std::count(back.begin(), back.end(), Kind::NewPerson) == 0);
}

TEST_CASE("a new person is announced and read afresh; the first person is not new") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy));
    LiveLoop loop(rig.store, rig.player, seeded(MoodPolicy::Match));
    TraceFrame first = frame_with(0.0, Emotion::Happy);
    first.new_person = true;
    CHECK(kinds(loop.observe(first)).empty());
    rig.run(loop, 0.1, 5.0, Emotion::Happy);
    TraceFrame other = frame_with(5.0, Emotion::Sad);
    other.new_person = true;
    CHECK(kinds(loop.observe(other)) == std::vector{Kind::NewPerson});
    CHECK_FALSE(loop.session().mood().emotion.has_value());
}

TEST_CASE("a face not yet confirmed is read but not announced; one never confirmed leaves no mood behind") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy));
    rig.store.add_song(song("Blue", Emotion::Sad));
    LiveLoop loop(rig.store, rig.player, seeded(MoodPolicy::Match));
    std::vector<LiveEvent> all;
    auto see = [&](TraceFrame f) {
        rig.now = f.time;
        const auto events = loop.observe(f);
        all.insert(all.end(), events.begin(), events.end());
    };
    auto nobody = [](double t) {
        TraceFrame f;
        f.time = t;
        return f;
    };
    // Empty for 4 s (NoFace at 3 s), then a "face" on one frame every 2 s, each a new person never
    // confirmed: no FaceBack, no NewPerson, no mood, no song, and no second NoFace.
    int flashes = 0;
    for (double t = 0.0; t < 20.0; t += 1.0 / 30) {
        const bool flash = t > 4.0 && std::fmod(t, 2.0) < 1.0 / 30;
        if (!flash) {
            see(nobody(t));
            continue;
        }
        ++flashes;
        TraceFrame f = frame_with(t, Emotion::Happy, 0.9f);
        f.new_person = true;
        f.confirmed = false;
        see(f);
    }
    REQUIRE(flashes >= 7);
    CHECK(kinds(all) == std::vector{Kind::NoFace});
    CHECK_FALSE(loop.session().mood().emotion.has_value());
    // A real face: read from its first frame, announced (FaceBack) once confirmed 0.4 s later.
    all.clear();
    for (double t = 20.0; t < 23.0; t += 1.0 / 30) {
        TraceFrame f = frame_with(t, Emotion::Sad);
        f.new_person = t == 20.0;
        f.confirmed = t >= 20.4;
        see(f);
    }
    REQUIRE_FALSE(all.empty());
    CHECK(all.front().kind == Kind::FaceBack);
    CHECK(all.front().time == doctest::Approx(20.4).epsilon(0.001));
    CHECK(loop.session().mood().emotion == Emotion::Sad);
    CHECK(loop.session().mood().seconds >= 2.9);  // its unconfirmed frames count towards the mood
}

TEST_CASE("a new person after someone else is announced when confirmed, and read afresh from their first frame") {
    Rig rig;
    rig.store.add_song(song("Sunny", Emotion::Happy));
    LiveLoop loop(rig.store, rig.player, seeded(MoodPolicy::Match));
    rig.run(loop, 0.0, 5.0, Emotion::Happy);
    TraceFrame other = frame_with(5.0, Emotion::Sad);
    other.new_person = true;
    other.confirmed = false;
    CHECK(kinds(loop.observe(other)).empty());
    CHECK_FALSE(loop.session().mood().emotion.has_value());  // read afresh
    TraceFrame later = frame_with(5.5, Emotion::Sad);
    CHECK(kinds(loop.observe(later)) == std::vector{Kind::NewPerson});
    CHECK(kinds(loop.observe(frame_with(5.6, Emotion::Sad))).empty());
}

TEST_CASE("the same frames and seed give the same events on equal stores") {
    auto events_of = [] {
        Rig rig;
        for (int i = 0; i < 8; ++i) rig.store.add_song(song("Song " + std::to_string(i), Emotion::Happy, 1.0 + i, 20));
        for (int i = 0; i < 8; ++i) rig.store.add_song(song("Tune " + std::to_string(i), Emotion::Sad, 1.0 + i, 20));
        LiveLoop loop(rig.store, rig.player, seeded(MoodPolicy::Match));
        auto a = rig.run(loop, 0.0, 50.0, Emotion::Happy);
        auto b = rig.run(loop, 50.0, 100.0, Emotion::Sad);
        a.insert(a.end(), b.begin(), b.end());
        std::vector<std::string> lines;
        for (const auto& e : a)
            lines.push_back(fmt::format("{:.3f} {} {}", e.time, to_string(e.kind), e.song ? e.song->title : ""));
        return lines;
    };
    const auto once = events_of();
    CHECK(once.size() >= 6);
    CHECK(once == events_of());
}

TEST_CASE("songs are drawn by their weight as a relative chance, and recent plays are avoided") {
    TempDir dir;
    PlaylistStore store(dir / "songs.db");
    const auto heavy = store.add_song(song("Heavy", Emotion::Happy, 3.0)).id;
    store.add_song(song("Light", Emotion::Happy, 1.0));
    SongChooser chooser(store, 11, 0);
    int heavy_draws = 0;
    for (int i = 0; i < 2000; ++i) heavy_draws += chooser.choose(Emotion::Happy)->id == heavy;
    CHECK(heavy_draws > 1400);  // 1500 expected
    CHECK(heavy_draws < 1600);
    // Never the song now playing while another fits; the only song plays again rather than nothing.
    for (int i = 0; i < 50; ++i) CHECK(chooser.choose(Emotion::Happy, heavy)->id != heavy);
    const auto only = store.add_song(song("Only", Emotion::Fear)).id;
    CHECK(chooser.choose(Emotion::Fear, only)->id == only);
    CHECK_FALSE(chooser.choose(Emotion::Disgust).has_value());

    // The last plays are left out of the draw while others remain.
    SongChooser fresh(store, 5, 1);
    store.record_play(heavy, Emotion::Happy, PlayOutcome::Finished);
    for (int i = 0; i < 50; ++i) CHECK(fresh.choose(Emotion::Happy)->title == "Light");
    // Two songs and three plays avoided: they take turns, the one played last left out (both came
    // back into the draw, and one played three times in a row).
    SongChooser turns(store, 7, 3);
    for (int i = 0; i < 20; ++i) {
        const auto next = turns.choose(Emotion::Happy);
        REQUIRE(next);
        const auto last = store.history(1);
        if (!last.empty()) CHECK(next->title != last.front().song.title);
        store.record_play(next->id, Emotion::Happy, PlayOutcome::Finished);
    }

    // Weights near the largest double (finite, so accepted) do not sum to infinity: the light song
    // stays a 1 in 3e308 chance, not a certainty.
    for (const char* title : {"Huge A", "Huge B", "Huge C"}) store.add_song(song(title, Emotion::Surprise, 1e308));
    const auto tiny = store.add_song(song("Tiny", Emotion::Surprise, 1.0)).id;
    SongChooser drawer(store, 3, 0);
    for (int i = 0; i < 50; ++i) CHECK(drawer.choose(Emotion::Surprise)->id != tiny);
}

TEST_CASE("frames of small faces weigh less") {
    CHECK(frame_weight(Face{cv::Rect2f(0, 0, 160, 160), 1.0f, {}}) == 1.0f);
    CHECK(frame_weight(Face{cv::Rect2f(0, 0, 40, 40), 1.0f, {}}) == doctest::Approx(0.5));
    CHECK(frame_weight(Face{cv::Rect2f(0, 0, 10, 10), 1.0f, {}}) == 0.25f);
    CHECK(to_string(Kind::MoodChanged) == "mood_changed");
    CHECK(to_string(Kind::NewPerson) == "new_person");
}

TEST_CASE("a song an unanswered question cut ends as switched, in the events as in the store") {
    Rig rig;
    for (const Emotion e : kAllEmotions)
        for (int i = 0; i < 2; ++i) rig.store.add_song(song(fmt::format("{} {}", to_string(e), i), e, 1.0, 300));
    LiveLoop loop(rig.store, rig.player, seeded());
    // A face that changes its mood every 40 s: each change cuts the song (min play 30 s), none a smile.
    std::vector<LiveEvent> events;
    const std::array moods{Emotion::Sad, Emotion::Angry, Emotion::Fear, Emotion::Surprise, Emotion::Disgust, Emotion::Neutral};
    for (std::size_t k = 0; !loop.asking() && k < 24; ++k) {
        const auto more = rig.run(loop, 40.0 * static_cast<double>(k), 40.0 * static_cast<double>(k + 1), moods[k % moods.size()]);
        events.insert(events.end(), more.begin(), more.end());
    }
    REQUIRE(loop.asking());
    REQUIRE(loop.current_song().has_value());  // asked at a cut: the song it cut waits, paused
    const auto after = loop.answer(rig.now, UserAnswer{Emotion::Neutral, std::nullopt, /*unanswered=*/true});
    REQUIRE(kinds(after) == std::vector{Kind::Unanswered, Kind::Switched});  // was Unanswered, SongStarted
    CHECK(rig.store.feedback().empty());  // nobody answered: nothing of the user's to keep
    events.insert(events.end(), after.begin(), after.end());
    const auto k = kinds(events);
    const auto history = rig.store.history();
    CHECK(history.front().outcome == PlayOutcome::Switched);
    CHECK(std::count(k.begin(), k.end(), Kind::Switched) ==
          std::count_if(history.begin(), history.end(), [](const Play& p) { return p.outcome == PlayOutcome::Switched; }));
}

TEST_CASE("an answer that names no song is stored all the same: the feeling, with no request") {
    Rig rig;
    for (const Emotion e : kAllEmotions)
        for (int i = 0; i < 2; ++i) rig.store.add_song(song(fmt::format("{} {}", to_string(e), i), e, 1.0, 300));
    LiveLoop loop(rig.store, rig.player, seeded());
    const std::array moods{Emotion::Sad, Emotion::Angry, Emotion::Fear, Emotion::Surprise, Emotion::Disgust, Emotion::Neutral};
    for (std::size_t k = 0; !loop.asking() && k < 24; ++k)
        rig.run(loop, 40.0 * static_cast<double>(k), 40.0 * static_cast<double>(k + 1), moods[k % moods.size()]);
    REQUIRE(loop.asking());
    const auto after = loop.answer(rig.now, UserAnswer{Emotion::Sad, std::nullopt});
    REQUIRE_FALSE(after.empty());
    CHECK(after.front().kind == Kind::Answered);
    const auto kept = rig.store.feedback();
    REQUIRE(kept.size() == 1);  // was none: `playlist stats` said "feedback 0" after an answer
    CHECK(kept.front().feeling == Emotion::Sad);
    CHECK(kept.front().request.empty());
    CHECK_FALSE(kept.front().song_id.has_value());
    CHECK(rig.store.counts().feedback == 1);
}

TEST_CASE("after a failed search the songs with a file stay first, even when they are the last plays") {
    TempDir dir;
    PlaylistStore store(dir / "songs.db");
    for (int i = 0; i < 4; ++i) store.add_song(song("Search " + std::to_string(i), Emotion::Happy));
    for (const char* title : {"File A", "File B"}) {
        Song s = song(title, Emotion::Happy);
        s.uri = std::string("/music/") + title + ".ogg";
        store.add_song(s);
    }
    SongChooser chooser(store, 3, 3);  // the last three plays left out while others remain
    chooser.prefer_files();
    std::optional<std::int64_t> playing;
    for (int i = 0; i < 20; ++i) {
        const auto next = chooser.choose(Emotion::Happy, playing);
        REQUIRE(next);
        CHECK(next->uri.has_value());  // a search came back once both files were among the last plays
        store.record_play(next->id, Emotion::Happy, PlayOutcome::Finished);
        playing = next->id;
    }
    // One file song, playing: it plays again rather than a search that fails the same way.
    const auto lone = store.add_song([] {
        Song s = song("Lone file", Emotion::Sad);
        s.uri = "/music/lone.ogg";
        return s;
    }()).id;
    store.add_song(song("Sad search", Emotion::Sad));
    CHECK(chooser.choose(Emotion::Sad, lone)->id == lone);
    // A mood without a file song still gets its searches.
    CHECK(chooser.choose(Emotion::Fear) == std::nullopt);
    store.add_song(song("Fear search", Emotion::Fear));
    CHECK(chooser.choose(Emotion::Fear)->title == "Fear search");
}
