#include <doctest/doctest.h>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/error.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::scores_for;

namespace {

EmotionAggregatorOptions with(AggregationStrategy strategy) {
    EmotionAggregatorOptions o;
    o.strategy = strategy;
    return o;
}

// Frames of `to` needed, after a full window of `from`, before the mood changes (0: never within 100).
std::size_t frames_to_follow(AggregationStrategy strategy, Emotion from, Emotion to) {
    EmotionAggregator a(with(strategy));
    for (int i = 0; i < 40; ++i) a.push(scores_for(from));
    for (std::size_t n = 1; n <= 100; ++n)
        if (a.push(scores_for(to)).emotion == to) return n;
    return 0;
}

}  // namespace

TEST_CASE("no mood before min_frames faces; frames without a face do not count") {
    EmotionAggregator a;
    for (int i = 0; i < 4; ++i) CHECK_FALSE(a.push(scores_for(Emotion::Happy)).emotion.has_value());
    for (int i = 0; i < 10; ++i) CHECK_FALSE(a.push_no_face().emotion.has_value());
    const Mood& m = a.push(scores_for(Emotion::Happy));
    REQUIRE(m.emotion == Emotion::Happy);
    CHECK(m.frames == 5);
    CHECK_FALSE(m.stable);  // the window is not full yet
    a.reset();
    CHECK_FALSE(a.mood().emotion.has_value());
}

TEST_CASE("majority is the seed's rule: the most frequent arg-max over the window") {
    EmotionAggregator a(with(AggregationStrategy::Majority));
    for (int i = 0; i < 12; ++i) a.push(scores_for(Emotion::Sad, 0.4f));
    for (int i = 0; i < 8; ++i) a.push(scores_for(Emotion::Happy, 0.99f));
    CHECK(a.mood().emotion == Emotion::Sad);
    CHECK(a.mood().confidence == doctest::Approx(12.0 / 20));
    CHECK(a.mood().stable);
    // The mean sees the same frames differently: confident happy frames outweigh weak sad ones.
    EmotionAggregator mean(with(AggregationStrategy::Mean));
    for (int i = 0; i < 12; ++i) mean.push(scores_for(Emotion::Sad, 0.4f));
    for (int i = 0; i < 8; ++i) mean.push(scores_for(Emotion::Happy, 0.99f));
    CHECK(mean.mood().support[static_cast<std::size_t>(Emotion::Happy)] >
          mean.mood().support[static_cast<std::size_t>(Emotion::Sad)]);
}

TEST_CASE("a few noisy frames cannot switch an established mood, in any strategy") {
    for (auto strategy : {AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema}) {
        CAPTURE(static_cast<int>(strategy));
        EmotionAggregator a(with(strategy));
        for (int i = 0; i < 30; ++i) a.push(scores_for(Emotion::Happy));
        for (int round = 0; round < 5; ++round) {
            a.push(scores_for(Emotion::Angry, 0.95f));  // one outlier in every four frames
            for (int i = 0; i < 3; ++i) CHECK(a.push(scores_for(Emotion::Happy)).emotion == Emotion::Happy);
        }
        CHECK(a.mood().stable);
    }
}

TEST_CASE("a lasting change is followed within the window, later with hysteresis than without") {
    for (auto strategy : {AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema}) {
        CAPTURE(static_cast<int>(strategy));
        const auto delay = frames_to_follow(strategy, Emotion::Happy, Emotion::Sad);
        CHECK(delay >= 2);   // never on the first contrary frame
        CHECK(delay <= 20);  // within one window
    }
    // Without a margin, the majority switches as soon as the new emotion has more votes (a tie keeps the mood).
    EmotionAggregatorOptions no_margin = with(AggregationStrategy::Majority);
    no_margin.switch_margin = 0.0f;
    EmotionAggregator a(no_margin);
    for (int i = 0; i < 20; ++i) a.push(scores_for(Emotion::Happy));
    std::size_t n = 0;
    while (a.push(scores_for(Emotion::Sad)).emotion != Emotion::Sad) ++n;
    CHECK(n + 1 == 11);  // 11 sad against 9 happy
}

TEST_CASE("options out of range are refused") {
    auto bad = [](auto edit) {
        EmotionAggregatorOptions o;
        edit(o);
        return o;
    };
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.window = 0; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.ema_alpha = 0.0f; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.switch_margin = 1.0f; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.min_frames = 21; })), InputError);
}
