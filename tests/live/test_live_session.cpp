// LiveSession frame by frame: every transition of the lift and match policies.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "dangpli/error.hpp"
#include "dangpli/live_session.hpp"
#include "support.hpp"

using namespace dangpli;
using Kind = LiveAction::Kind;

namespace {

constexpr double kFps = 30.0;

EmotionScores face(Emotion e) { return dangpli::test::scores_for(e, 0.9f); }

// Songs named "<emotion> <n>", counting up per emotion; no songs for disgust.
struct Jukebox {
    std::map<Emotion, int> played;
    LiveSession::SongPicker picker() {
        return [this](Emotion e) -> std::optional<Song> {
            if (e == Emotion::Disgust) return std::nullopt;
            Song s;
            s.title = std::string(to_string(e)) + " " + std::to_string(++played[e]);
            return s;
        };
    }
};

// Feeds `seconds` of frames from `t` on and returns every action; t advances.
std::vector<LiveAction> feed(LiveSession& s, double& t, double seconds, const std::optional<EmotionScores>& f) {
    std::vector<LiveAction> all;
    for (const double end = t + seconds; t < end; t += 1.0 / kFps) {
        auto actions = s.on_frame(t, f);
        all.insert(all.end(), actions.begin(), actions.end());
    }
    return all;
}

std::vector<Kind> kinds(const std::vector<LiveAction>& actions, bool skip_mood_changes = true) {
    std::vector<Kind> k;
    for (const auto& a : actions)
        if (!skip_mood_changes || a.kind != Kind::MoodChanged) k.push_back(a.kind);
    return k;
}

}  // namespace

TEST_CASE("lift: a window of face picks the first song; a happy face keeps it; another mood moves on") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    std::vector<LiveAction> first;
    while (first.empty() || kinds(first).empty()) first = s.on_frame(t, face(Emotion::Happy)), t += 1.0 / kFps;
    REQUIRE(kinds(first) == std::vector{Kind::Play});
    CHECK(first.back().time == doctest::Approx(2.0).epsilon(0.02));  // the 2 s window, whatever the frame rate
    CHECK(first.back().song->title == "happy 1");
    CHECK(s.state() == LiveSession::State::Playing);

    auto keep = feed(s, t, 10.5, face(Emotion::Happy));
    CHECK(kinds(keep) == std::vector{Kind::Keep});
    CHECK(keep.front().time >= 10.0);

    // The recheck at 22 s finds a sad face, but the song has played 20 s of its 30 (min_play_s).
    auto moved = feed(s, t, 20.0, face(Emotion::Sad));
    REQUIRE(kinds(moved) == std::vector{Kind::Switch});
    CHECK(moved.back().time == doctest::Approx(32.0).epsilon(0.01));
    CHECK(moved.back().song->title == "sad 1");
    CHECK(moved.back().emotion == Emotion::Sad);
    CHECK(s.songs_without_smile() == 1);
}

// A song of `seconds` with the face showing `e`, then its end; the actions of both.
std::vector<Kind> song_of(LiveSession& s, double& t, double seconds, Emotion e) {
    auto k = kinds(feed(s, t, seconds, face(e)));
    for (auto more : kinds(s.on_song_finished(t))) k.push_back(more);
    return k;
}

TEST_CASE("lift: five songs without a smile, then it asks; the answer is played and the count restarts") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    auto actions = feed(s, t, 3.1, face(Emotion::Sad));
    REQUIRE(kinds(actions) == std::vector{Kind::Play});
    std::vector<Kind> all;
    for (int i = 0; i < 5; ++i)  // a sad song for a sad face plays to its end: asked between songs
        for (auto k : song_of(s, t, 60.0, Emotion::Sad)) all.push_back(k);
    CHECK(all == std::vector{Kind::Play, Kind::Play, Kind::Play, Kind::Play, Kind::Ask});
    CHECK(s.state() == LiveSession::State::Asking);
    CHECK(kinds(feed(s, t, 30.0, face(Emotion::Angry))).empty());  // nothing happens while asking

    Song wanted;
    wanted.title = "Happy";
    wanted.artist = "Pharrell Williams";
    auto answer = s.on_answer(t, {Emotion::Sad, wanted});
    REQUIRE(kinds(answer) == std::vector{Kind::Play});
    CHECK(answer.front().song->title == "Happy");
    CHECK(s.state() == LiveSession::State::Playing);
    CHECK(s.songs_without_smile() == 0);
    // Once nobody can answer (stdin ended), the songs go on without asking.
    s.stop_asking();
    std::vector<Kind> after;
    for (int i = 0; i < 6; ++i)
        for (auto k : song_of(s, t, 60.0, Emotion::Sad)) after.push_back(k);
    CHECK(after == std::vector<Kind>(6, Kind::Play));
    // Without a requested song, the feeling's playlist plays.
    LiveSession other({}, box.picker());
    double t2 = 0.0;
    feed(other, t2, 3.1, face(Emotion::Sad));
    CHECK(other.on_answer(t2, {Emotion::Fear, std::nullopt}).front().song->title == "fear 1");
}

TEST_CASE("the song an answer started plays to its end, whatever the face reads; a new person lifts that") {
    // The user said "sad, Bohemian Rhapsody"; the face that made us ask still read neutral, and the
    // song they had named was cut after min_play_s, stored as switched.
    for (const MoodPolicy policy : {MoodPolicy::Lift, MoodPolicy::Match}) {
        CAPTURE(static_cast<int>(policy));
        Jukebox box;
        LiveSessionOptions o;
        o.policy = policy;
        LiveSession s(o, box.picker());
        double t = 0.0;
        feed(s, t, 3.1, face(Emotion::Neutral));
        if (policy == MoodPolicy::Lift) {
            for (int i = 0; i < 5; ++i) song_of(s, t, 60.0, Emotion::Neutral);
            REQUIRE(s.state() == LiveSession::State::Asking);
        }
        Song wanted;
        wanted.title = "Bohemian Rhapsody";
        REQUIRE(kinds(s.on_answer(t, {Emotion::Sad, wanted})) == std::vector{Kind::Play});
        CHECK(kinds(feed(s, t, 300.0, face(Emotion::Neutral))).empty());
        CHECK(kinds(s.on_song_finished(t)) == std::vector{Kind::Play});  // then the face leads again
        CHECK(kinds(feed(s, t, 300.0, face(Emotion::Angry))) == std::vector{Kind::Switch});
        // Someone else's face may cut the song another user chose.
        REQUIRE(kinds(s.on_answer(t, {Emotion::Sad, wanted})).size() <= 1);
        if (s.state() != LiveSession::State::Playing) continue;
        s.on_new_person();
        CHECK(kinds(feed(s, t, 60.0, face(Emotion::Angry))) == std::vector{Kind::Switch});
    }
    // An unanswered question is no say: the song it started is cut like any other.
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Neutral));
    for (int i = 0; i < 5; ++i) song_of(s, t, 60.0, Emotion::Neutral);
    REQUIRE(s.state() == LiveSession::State::Asking);
    UserAnswer nobody{Emotion::Neutral, std::nullopt, /*unanswered=*/true};
    REQUIRE(kinds(s.on_answer(t, nobody)) == std::vector{Kind::Play});
    CHECK(kinds(feed(s, t, 60.0, face(Emotion::Angry))) == std::vector{Kind::Switch});
}

TEST_CASE("lift with --no-ask keeps moving on instead of asking") {
    Jukebox box;
    LiveSessionOptions o;
    o.ask_user = false;
    LiveSession s(o, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Sad));
    for (int i = 0; i < 8; ++i) CHECK(song_of(s, t, 60.0, Emotion::Sad) == std::vector{Kind::Play});
    CHECK(s.state() == LiveSession::State::Playing);
}

TEST_CASE("lift: a song cut for another mood counts as a song without a smile; a smile during a song does not") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Sad));
    CHECK(kinds(feed(s, t, 35.0, face(Emotion::Angry))) == std::vector{Kind::Switch});  // at min_play_s
    CHECK(s.songs_without_smile() == 1);
    CHECK(song_of(s, t, 60.0, Emotion::Angry) == std::vector{Kind::Play});  // it played out: 2
    auto smiled = kinds(feed(s, t, 12.0, face(Emotion::Happy)));
    CHECK(smiled == std::vector{Kind::Keep});
    CHECK(s.songs_without_smile() == 0);
    CHECK(song_of(s, t, 60.0, Emotion::Angry) == std::vector{Kind::Play});  // the angry song stays: it is its mood
    CHECK(s.songs_without_smile() == 0);  // this song saw a smile
    // A smile as a song ends, before any recheck saw it, counts too: no "you have not smiled" then.
    LiveSessionOptions one;
    one.songs_before_asking = 1;
    LiveSession asks(one, box.picker());
    double t2 = 0.0;
    feed(asks, t2, 3.1, face(Emotion::Sad));
    feed(asks, t2, 4.0, face(Emotion::Sad));
    feed(asks, t2, 3.0, face(Emotion::Happy));  // clear by now; the recheck at 12 s is still ahead
    CHECK(kinds(asks.on_song_finished(t2)) == std::vector{Kind::Play});
}

TEST_CASE("lift: a steady face that is not happy keeps its song; a face that changes, at most twice a minute") {
    for (const double min_play : {30.0, 0.0}) {
        CAPTURE(min_play);
        Jukebox box;
        LiveSessionOptions o;
        o.ask_user = false;
        o.min_play_s = min_play;
        LiveSession s(o, box.picker());
        double t = 0.0;
        feed(s, t, 3.1, face(Emotion::Neutral));
        // Neutral, the commonest face, heard 30 s of each neutral song: the song now plays on.
        CHECK(kinds(feed(s, t, 120.0, face(Emotion::Neutral))).empty());
        // A face that turns between neutral and sad every 20 s: a song at most every min_play_s (or recheck).
        std::vector<LiveAction> all;
        for (int i = 0; i < 6; ++i) {
            auto a = feed(s, t, 20.0, face(i % 2 == 0 ? Emotion::Sad : Emotion::Neutral));
            all.insert(all.end(), a.begin(), a.end());
        }
        double last = 2.0;
        int switches = 0;
        for (const auto& a : all)
            if (a.kind == Kind::Switch) {
                CHECK(a.time - last >= std::max(min_play, o.recheck_after_s) - 0.01);
                last = a.time;
                ++switches;
            }
        CHECK(switches >= (min_play > 0.0 ? 2 : 5));
    }
}

TEST_CASE("no face: said once after a while, nothing counted, and the return is noticed") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    auto gone = feed(s, t, 5.0, std::nullopt);
    REQUIRE(kinds(gone) == std::vector{Kind::NoFace});
    CHECK(gone.front().time >= 3.0);
    CHECK(s.state() == LiveSession::State::Watching);
    auto back = feed(s, t, 3.1, face(Emotion::Neutral));
    CHECK(kinds(back) == std::vector{Kind::FaceBack, Kind::Play});
}

TEST_CASE("a finished song is followed by the next of the current mood; no songs for a mood says so") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Surprise));
    auto next = s.on_song_finished(t);
    REQUIRE(kinds(next) == std::vector{Kind::Play});
    CHECK(next.front().song->title == "surprise 2");

    LiveSession empty({}, box.picker());
    double t2 = 0.0;
    auto none = feed(empty, t2, 3.1, face(Emotion::Disgust));
    CHECK(kinds(none).front() == Kind::NoSong);
    CHECK(empty.state() == LiveSession::State::Watching);
}

TEST_CASE("match: the music follows a new clear mood once the song has played min_play_s") {
    Jukebox box;
    LiveSessionOptions o;
    o.policy = MoodPolicy::Match;
    LiveSession s(o, box.picker());
    double t = 0.0;
    CHECK(kinds(feed(s, t, 3.1, face(Emotion::Neutral))) == std::vector{Kind::Play});
    CHECK(kinds(feed(s, t, 30.0, face(Emotion::Neutral))).empty());  // no rechecks: same mood
    auto changed = feed(s, t, 3.0, face(Emotion::Happy));
    REQUIRE(kinds(changed) == std::vector{Kind::Switch});
    CHECK(changed.back().song->title == "happy 1");
}

TEST_CASE("match: a song is never cut before min_play_s, however often the face changes") {
    Jukebox box;
    LiveSessionOptions o;
    o.policy = MoodPolicy::Match;
    LiveSession s(o, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Neutral));
    std::vector<LiveAction> all;
    const Emotion faces[] = {Emotion::Happy, Emotion::Sad, Emotion::Angry, Emotion::Surprise};
    for (int i = 0; i < 24; ++i) {  // a clear new face every 5 s for two minutes
        auto a = feed(s, t, 5.0, face(faces[i % 4]));
        all.insert(all.end(), a.begin(), a.end());
    }
    const auto k = kinds(all);
    const auto switches = std::count(k.begin(), k.end(), Kind::Switch);
    CHECK(switches >= 3);
    CHECK(switches <= 4);  // at most two a minute
    double last = 2.0;
    for (const auto& a : all)
        if (a.kind == Kind::Switch) {
            CHECK(a.time - last >= 30.0);
            last = a.time;
        }
}

TEST_CASE("lift: an unclear mood at the recheck changes nothing until a mood is clear") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    REQUIRE(kinds(feed(s, t, 3.1, face(Emotion::Sad))) == std::vector{Kind::Play});
    // Frames split evenly between sad and fear: no clear mood, so neither the recheck at 12 s nor min_play_s at 32 s moves on.
    EmotionScores split = face(Emotion::Sad);
    split.probabilities.fill(0.3f / 5);
    split.probabilities[static_cast<std::size_t>(Emotion::Sad)] = 0.35f;
    split.probabilities[static_cast<std::size_t>(Emotion::Fear)] = 0.35f;
    auto waiting = feed(s, t, 35.0, split);  // past the recheck and min_play_s (32 s)
    CHECK(kinds(waiting).empty());
    CHECK_FALSE(s.mood().clear);
    auto clear = feed(s, t, 2.0, face(Emotion::Angry));
    CHECK(kinds(clear) == std::vector{Kind::Switch});
}

TEST_CASE("the first song waits for a clear mood; a face still unreadable a recheck later gets neutral's") {
    Jukebox box;
    LiveSession s({}, box.picker());
    double t = 0.0;
    // A near tie between happy and sad (the leader by noise): no music chosen by it.
    EmotionScores tie = face(Emotion::Happy);
    tie.probabilities.fill(0.3f / 5);
    tie.probabilities[static_cast<std::size_t>(Emotion::Happy)] = 0.36f;
    tie.probabilities[static_cast<std::size_t>(Emotion::Sad)] = 0.34f;
    auto unclear = feed(s, t, 11.0, tie);
    CHECK(kinds(unclear).empty());
    CHECK(s.state() == LiveSession::State::Watching);
    auto later = feed(s, t, 2.0, tie);  // 10 s after the first full window (at 2 s)
    REQUIRE(kinds(later) == std::vector{Kind::Play});
    CHECK(later.back().emotion == Emotion::Neutral);
    CHECK(later.back().time == doctest::Approx(12.0).epsilon(0.01));
    // The songs after it stay neutral's while the face stays unreadable: it chose the next by noise.
    for (int i = 0; i < 3; ++i) {
        feed(s, t, 20.0, tie);
        const auto next = s.on_song_finished(t);
        REQUIRE(kinds(next) == std::vector{Kind::Play});
        CHECK(next.back().emotion == Emotion::Neutral);
    }
    // A clear face starts its own music at once, as before.
    LiveSession clear({}, box.picker());
    double t2 = 0.0;
    auto first = feed(clear, t2, 2.1, face(Emotion::Sad));
    REQUIRE(kinds(first) == std::vector{Kind::Play});
    CHECK(first.back().emotion == Emotion::Sad);
}

TEST_CASE("policy names round-trip") {
    for (auto p : {MoodPolicy::Lift, MoodPolicy::Match}) CHECK(parse_mood_policy(to_string(p)) == p);
    CHECK_FALSE(parse_mood_policy("follow").has_value());
    CHECK(mood_policy_names() == std::vector<std::string>{"lift", "match"});
}

TEST_CASE("bad options are refused") {
    Jukebox box;
    LiveSessionOptions o;
    o.recheck_after_s = 0.0;
    CHECK_THROWS_AS(LiveSession(o, box.picker()), InputError);
    CHECK_THROWS_AS(LiveSession({}, nullptr), InputError);
}

TEST_CASE("a new person is read afresh: the old mood's frames do not carry over") {
    Jukebox box;
    LiveSessionOptions o;
    o.policy = MoodPolicy::Match;
    LiveSession s(o, box.picker());
    double t = 0.0;
    feed(s, t, 3.1, face(Emotion::Happy));
    REQUIRE(s.mood().emotion == Emotion::Happy);
    s.on_new_person();
    CHECK_FALSE(s.mood().emotion.has_value());
    // The new person's mood is reported after min_face_s of their own, not after a window's worth.
    std::vector<LiveAction> actions;
    for (int i = 0; i <= 35; ++i, t += 1.0 / kFps) {
        auto a = s.on_frame(t, face(Emotion::Sad));
        actions.insert(actions.end(), a.begin(), a.end());
    }
    REQUIRE(!actions.empty());
    CHECK(actions.front().kind == Kind::MoodChanged);
    CHECK(actions.front().emotion == Emotion::Sad);
    CHECK(s.state() == LiveSession::State::Playing);  // the music played on
}

TEST_CASE("nothing to play: NoSong once per recheck interval, not on every frame, in every state") {
    Jukebox box;  // it has no disgust songs
    SUBCASE("watching: the first song") {
        LiveSession s({}, box.picker());
        double t = 0.0;
        auto actions = kinds(feed(s, t, 12.0, face(Emotion::Disgust)));  // first try at 2 s
        CHECK(std::count(actions.begin(), actions.end(), Kind::NoSong) == 1);
        actions = kinds(feed(s, t, 2.0, face(Emotion::Disgust)));  // 14 s: the 10 s interval (until 12 s) has passed
        CHECK(std::count(actions.begin(), actions.end(), Kind::NoSong) == 1);
    }
    SUBCASE("lift: a non-happy recheck finds nothing; the song plays on and the count grows per recheck") {
        LiveSession s({}, box.picker());
        double t = 0.0;
        REQUIRE(kinds(feed(s, t, 3.1, face(Emotion::Neutral))) == std::vector{Kind::Play});
        auto actions = kinds(feed(s, t, 31.0, face(Emotion::Disgust)));  // the song has played min_play_s at 32 s
        CHECK(std::count(actions.begin(), actions.end(), Kind::NoSong) == 1);
        CHECK(s.songs_without_smile() == 1);
        CHECK(s.state() == LiveSession::State::Playing);
    }
    SUBCASE("match: a clear mood without songs") {
        LiveSessionOptions o;
        o.policy = MoodPolicy::Match;
        o.min_play_s = 0.0;
        LiveSession s(o, box.picker());
        double t = 0.0;
        REQUIRE(kinds(feed(s, t, 3.1, face(Emotion::Neutral))) == std::vector{Kind::Play});
        auto actions = kinds(feed(s, t, 5.0, face(Emotion::Disgust)));
        CHECK(std::count(actions.begin(), actions.end(), Kind::NoSong) == 1);
        CHECK(kinds(feed(s, t, 3.0, face(Emotion::Happy))) == std::vector{Kind::Switch});  // other moods still switch
    }
}
