// The store's side of `playlist scan`: analyses saved per song in one transaction, automatic tags
// apart from the user's, and the listener's regression moving the automatic tags.
#include <doctest/doctest.h>

#include <cmath>

#include <algorithm>

#include "dangpli/error.hpp"
#include "dangpli/listener_model.hpp"
#include "dangpli/playlist_store.hpp"
#include "support.hpp"

using namespace dangpli;
using test::TempDir;

namespace {

// Features of a song of the default mapping's "energetic major" or "calm minor" kind, with a
// little spread so that the regression sees variety.
SongAnalysis analysis(bool energetic, int variant) {
    SongAnalysis a;
    a.seconds = 30;
    AudioFeatures& f = a.features;
    f.seconds = 30;
    const double d = 0.1 * variant;
    f.tempo_bpm = energetic ? 140 + 5 * variant : 70 - 2 * variant;
    f.beat_confidence = 0.5;
    f.onset_rate = energetic ? 4.5 + d : 0.5 + d;
    f.loudness_lufs = energetic ? -7 - variant : -28 - variant;
    f.key = energetic ? 0 : 9;
    f.minor = !energetic;
    f.mode_strength = energetic ? 0.12 - d / 10 : -0.15 + d / 10;
    f.key_clarity = 0.5;
    f.centroid_hz = energetic ? 2800 : 700;
    f.rolloff_hz = energetic ? 5000 : 800;
    a.mood = mood_of(f);
    return a;
}

Song named(const std::string& title) {
    Song s;
    s.title = title;
    return s;
}

ScannedFile file(const std::string& name) { return {"/music/" + name, 1000, 42}; }

double weight_of(const Song& s, Emotion e) {
    for (const SongTag& t : s.tags)
        if (t.emotion == e) return t.weight;
    return 0.0;
}

}  // namespace

TEST_CASE("an analysis is saved with automatic tags that never replace the user's") {
    TempDir dir;
    PlaylistStore store(dir / "store.db");
    const SongAnalysis happy = analysis(true, 0);
    const auto tags = emotions_from_affinity(emotion_affinity(happy.mood));
    REQUIRE(tags.front().emotion == Emotion::Happy);

    const std::int64_t id = store.save_analysis(named("Sunny"), file("sunny.mp3"), happy, tags);
    auto song = store.song(id);
    REQUIRE(song);
    CHECK(song->uri == "/music/sunny.mp3");
    REQUIRE(!song->tags.empty());
    CHECK(song->tags.front().source == TagSource::Auto);
    REQUIRE(store.scanned_file("/music/sunny.mp3"));
    CHECK(store.scanned_file("/music/sunny.mp3")->mtime_ns == 42);
    CHECK_FALSE(store.scanned_file("/music/other.mp3"));

    // The user says it is a sad song, and untags nothing else; a rescan keeps the user's word.
    store.set_tag(id, Emotion::Sad, 2.0, TagSource::Feedback);
    store.set_tag(id, Emotion::Happy, 0.5, TagSource::Feedback);
    CHECK(store.save_analysis(named("Sunny"), file("sunny.mp3"), happy, tags) == id);
    song = store.song(id);
    CHECK(weight_of(*song, Emotion::Sad) == 2.0);
    CHECK(weight_of(*song, Emotion::Happy) == 0.5);
    for (const SongTag& t : song->tags)
        if (t.emotion == Emotion::Happy || t.emotion == Emotion::Sad) CHECK(t.source == TagSource::Feedback);

    // A new analysis replaces the automatic tags: the calm one is no longer happy by its sound.
    store.remove_tag(id, Emotion::Happy);
    const SongAnalysis calm = analysis(false, 0);
    store.save_analysis(named("Sunny"), file("sunny.mp3"), calm, emotions_from_affinity(emotion_affinity(calm.mood)));
    song = store.song(id);
    CHECK(weight_of(*song, Emotion::Happy) == 0.0);
    CHECK(weight_of(*song, Emotion::Sad) == 2.0);

    const auto all = store.analyses();
    REQUIRE(all.size() == 1);
    CHECK(all.front().analysis.features.minor);
    CHECK(all.front().analysis.mood.valence == doctest::Approx(calm.mood.valence));

    // A bad tag weight stores nothing of the song.
    const std::vector<EmotionWeight> bad{{Emotion::Happy, 0.0}};
    CHECK_THROWS_AS(store.save_analysis(named("Other"), file("other.mp3"), happy, bad), InputError);
    CHECK(store.find_songs("Other").empty());
    CHECK_FALSE(store.scanned_file("/music/other.mp3"));
}

TEST_CASE("a listener who keeps calm minor songs when happy moves the happy tags towards them") {
    TempDir dir;
    PlaylistStore store(dir / "store.db");
    ListenerModel untrained;
    std::vector<std::int64_t> energetic, calm;
    for (int i = 0; i < 4; ++i) {
        for (bool loud : {true, false}) {
            const SongAnalysis a = analysis(loud, i);
            const auto id = store.save_analysis(named((loud ? "loud " : "calm ") + std::to_string(i)),
                                                file((loud ? "loud" : "calm") + std::to_string(i) + ".mp3"), a,
                                                untrained.tags(a.features));
            (loud ? energetic : calm).push_back(id);
        }
    }
    auto happy_weight = [&](std::int64_t id) { return weight_of(*store.song(id), Emotion::Happy); };
    const double calm_before = happy_weight(calm[0]), loud_before = happy_weight(energetic[0]);
    CHECK(loud_before > 0.3);
    CHECK(calm_before == 0.0);  // the default mapping does not call a calm minor song happy

    // Too little feedback: nothing moves.
    auto t = Clock::now() - std::chrono::hours(24);
    for (int i = 0; i < 2; ++i) {
        store.record_play(calm[0], Emotion::Happy, PlayOutcome::Finished, t += std::chrono::minutes(5));
        store.record_play(energetic[0], Emotion::Happy, PlayOutcome::Skipped, t += std::chrono::minutes(5));
    }
    auto examples = listener_examples(store.history(SIZE_MAX), store.feedback(SIZE_MAX));
    CHECK(examples.size() == 4);
    ListenerModel model(store.analyses(), examples);
    CHECK_FALSE(model.fitted(Emotion::Happy));
    // A play the session's end stopped says nothing of the song.
    store.record_play(energetic[0], Emotion::Happy, PlayOutcome::Stopped, t += std::chrono::minutes(5));
    CHECK(listener_examples(store.history(SIZE_MAX), store.feedback(SIZE_MAX)).size() == 4);

    // Happy, the listener finishes the calm minor songs and skips the loud major ones.
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < 4; ++i) {
            store.record_play(calm[static_cast<std::size_t>(i)], Emotion::Happy, PlayOutcome::Finished, t += std::chrono::minutes(5));
            store.record_play(energetic[static_cast<std::size_t>(i)], Emotion::Happy, PlayOutcome::Skipped, t += std::chrono::minutes(5));
        }
    examples = listener_examples(store.history(SIZE_MAX), store.feedback(SIZE_MAX));
    model = ListenerModel(store.analyses(), examples);
    REQUIRE(model.fitted(Emotion::Happy));
    CHECK_FALSE(model.fitted(Emotion::Sad));
    // Every song's automatic tags moved (8 of them); the same tags again move none.
    CHECK(store.replace_auto_tags(auto_tags(store.analyses(), model)) == 8);
    CHECK(store.replace_auto_tags(auto_tags(store.analyses(), model)) == 0);

    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(happy_weight(calm[i]) > 0.3);           // now tagged happy
        CHECK(happy_weight(energetic[i]) < loud_before);  // less happy than before
    }
    // The moods without enough feedback keep the default mapping: calm minor songs stay sad too.
    CHECK(weight_of(*store.song(calm[0]), Emotion::Sad) > 0.0);
}

TEST_CASE("an analysis holding a number that is not one is refused by name, nothing stored") {
    TempDir dir;
    PlaylistStore store(dir / "store.db");
    SongAnalysis broken = analysis(true, 0);
    const auto tags = emotions_from_affinity(emotion_affinity(broken.mood));
    broken.features.tempo_bpm = std::nan("");
    // It failed with SQLite's "NOT NULL constraint failed: song_audio.tempo_bpm".
    CHECK_THROWS_WITH_AS(store.save_analysis(named("Sunny"), file("sunny.mp3"), broken, tags),
                         doctest::Contains("tempo_bpm is nan"), InputError);
    CHECK(store.analyses().empty());
    CHECK_FALSE(store.scanned_file("/music/sunny.mp3"));
}
