// EmotionAggregator on the frames' clock: windows, hold times and clarity in seconds, so that the
// same face gives the same mood at any frame rate.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

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

// Seconds of `to` needed, after 10 s of `from` at `fps`, before the mood changes (-1: never within 20 s).
double seconds_to_follow(EmotionAggregatorOptions options, double fps, Emotion from, Emotion to) {
    EmotionAggregator a(options);
    double t = 0.0;
    for (; t < 10.0; t += 1.0 / fps) a.push(t, scores_for(from));
    for (const double start = t; t < start + 20.0; t += 1.0 / fps)
        if (a.push(t, scores_for(to)).emotion == to) return t - start;
    return -1.0;
}

}  // namespace

TEST_CASE("no mood before min_face_s of face; frames without a face do not count") {
    EmotionAggregator a;  // min_face_s 1
    double t = 0.0;
    for (; t < 0.95; t += 0.1) CHECK_FALSE(a.push(t, scores_for(Emotion::Happy)).emotion.has_value());
    CHECK_FALSE(a.push_no_face().emotion.has_value());
    const Mood& m = a.push(1.0, scores_for(Emotion::Happy));
    REQUIRE(m.emotion == Emotion::Happy);
    CHECK(m.seconds == doctest::Approx(1.0));
    CHECK(m.clear);
    a.reset();
    CHECK_FALSE(a.mood().emotion.has_value());
}

TEST_CASE("the same face gives the same delay at 10, 30 and 60 fps: the window is in seconds") {
    for (auto strategy : {AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema}) {
        CAPTURE(to_string(strategy));
        const double at10 = seconds_to_follow(with(strategy), 10.0, Emotion::Happy, Emotion::Sad);
        const double at30 = seconds_to_follow(with(strategy), 30.0, Emotion::Happy, Emotion::Sad);
        const double at60 = seconds_to_follow(with(strategy), 60.0, Emotion::Happy, Emotion::Sad);
        CHECK(at30 > 1.0);   // never before the hold time
        CHECK(at30 < 3.0);   // within the window
        CHECK(at10 == doctest::Approx(at30).epsilon(0.1));
        CHECK(at60 == doctest::Approx(at30).epsilon(0.1));
    }
}

TEST_CASE("majority is the seed's rule: the most frequent arg-max over the window") {
    EmotionAggregator a(with(AggregationStrategy::Majority));
    double t = 0.0;
    for (int i = 0; i < 12; ++i, t += 0.1) a.push(t, scores_for(Emotion::Sad, 0.4f));
    for (int i = 0; i < 8; ++i, t += 0.1) a.push(t, scores_for(Emotion::Happy, 0.99f));
    CHECK(a.mood().emotion == Emotion::Sad);
    CHECK(a.mood().confidence == doctest::Approx(12.0 / 20));
    // The mean sees the same frames differently: confident happy frames outweigh weak sad ones.
    EmotionAggregator mean(with(AggregationStrategy::Mean));
    t = 0.0;
    for (int i = 0; i < 12; ++i, t += 0.1) mean.push(t, scores_for(Emotion::Sad, 0.4f));
    for (int i = 0; i < 8; ++i, t += 0.1) mean.push(t, scores_for(Emotion::Happy, 0.99f));
    CHECK(mean.mood().support[static_cast<std::size_t>(Emotion::Happy)] >
          mean.mood().support[static_cast<std::size_t>(Emotion::Sad)]);
}

TEST_CASE("a talking face's bursts shorter than the hold time do not switch the mood") {
    for (auto strategy : {AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema}) {
        CAPTURE(to_string(strategy));
        EmotionAggregator a(with(strategy));
        double t = 0.0;
        for (; t < 5.0; t += 1.0 / 30) a.push(t, scores_for(Emotion::Neutral, 0.6f));
        // Half-second bursts of surprise (an open mouth), every 2 s, for a minute.
        int changes = 0;
        for (const double end = t + 60.0; t < end; t += 1.0 / 30) {
            const bool burst = std::fmod(t, 2.0) < 0.5;
            const auto before = a.mood().emotion;
            a.push(t, scores_for(burst ? Emotion::Surprise : Emotion::Neutral, 0.6f));
            changes += a.mood().emotion != before;
        }
        CHECK(changes == 0);
        CHECK(a.mood().emotion == Emotion::Neutral);
    }
}

TEST_CASE("no clear leader: the mood is held, marked unclear, and not switched") {
    EmotionAggregator a;
    double t = 0.0;
    for (; t < 3.0; t += 1.0 / 30) a.push(t, scores_for(Emotion::Sad, 0.8f));
    REQUIRE(a.mood().emotion == Emotion::Sad);
    // Then frames that split evenly between sad and fear: neither leads by the margins.
    std::mt19937 rng(3);
    for (const double end = t + 10.0; t < end; t += 1.0 / 30) {
        EmotionScores s{};
        s.probabilities[static_cast<std::size_t>(Emotion::Sad)] = 0.34f;
        s.probabilities[static_cast<std::size_t>(Emotion::Fear)] = 0.33f + 0.02f * static_cast<float>(rng() % 2);
        s.probabilities[static_cast<std::size_t>(Emotion::Neutral)] = 1.0f - s.probabilities[2] - s.probabilities[4];
        s.emotion = Emotion::Sad;
        s.confidence = 0.34f;
        a.push(t, s);
    }
    CHECK(a.mood().emotion == Emotion::Sad);
    CHECK_FALSE(a.mood().clear);
}

TEST_CASE("a provisional mood does not flip on a near tie") {
    // A face between sad and neutral (real faces often are): the leader of the frames so far swaps
    // every few frames by a hair. The provisional mood flipped with it, each flip a change on the screen.
    EmotionAggregator a;  // window 2 s, min_face 1 s, clear margin 0.05
    std::mt19937 rng(5);
    std::vector<Emotion> shown;
    for (double t = 0.0; t < 1.99; t += 1.0 / 30) {
        EmotionScores s{};
        const bool sad = rng() % 2 == 0;
        s.probabilities.fill(0.05f);
        s.probabilities[static_cast<std::size_t>(Emotion::Sad)] = sad ? 0.39f : 0.36f;
        s.probabilities[static_cast<std::size_t>(Emotion::Neutral)] = sad ? 0.36f : 0.39f;
        s.emotion = sad ? Emotion::Sad : Emotion::Neutral;
        s.confidence = 0.39f;
        const auto& mood = a.push(t, s);
        if (mood.emotion && (shown.empty() || shown.back() != *mood.emotion)) shown.push_back(*mood.emotion);
    }
    CHECK(shown.size() == 1);
}

TEST_CASE("a first pick on a near tie gives way to the window's leader once the window is full") {
    // The surprised photo read fear 0.271 against surprise 0.267 at 1 s, then surprise led by a few
    // points, under the switch margin: the mood stayed fear, its bar shorter than surprise's, for good.
    EmotionAggregator a;  // window 2 s, min_face 1 s
    const auto reading = [](float fear, float surprise) {
        EmotionScores s{};
        s.probabilities.fill(0.08f);
        s.probabilities[static_cast<std::size_t>(Emotion::Fear)] = fear;
        s.probabilities[static_cast<std::size_t>(Emotion::Surprise)] = surprise;
        s.emotion = fear > surprise ? Emotion::Fear : Emotion::Surprise;
        s.confidence = std::max(fear, surprise);
        return s;
    };
    std::vector<Emotion> shown;
    for (double t = 0.0; t < 6.0; t += 1.0 / 30) {
        const auto& mood = a.push(t, t < 1.0 ? reading(0.30f, 0.29f) : reading(0.27f, 0.31f));
        if (mood.emotion && (shown.empty() || shown.back() != *mood.emotion)) shown.push_back(*mood.emotion);
    }
    CHECK(shown == std::vector<Emotion>{Emotion::Fear, Emotion::Surprise});
    CHECK(a.mood().emotion == Emotion::Surprise);
}

TEST_CASE("a mood read from less than a full window follows the leader; after the window it is held") {
    // A still face whose reading swings between two close emotions (small faces do): disgust leads
    // its first 0.6 s, angry every frame after, by 0.08 (less than the switch margin).
    const auto two_way = [](Emotion first, Emotion second) {
        EmotionScores s{};
        s.probabilities.fill(0.04f);
        s.probabilities[static_cast<std::size_t>(first)] = 0.42f;
        s.probabilities[static_cast<std::size_t>(second)] = 0.34f;
        s.emotion = first;
        s.confidence = 0.42f;
        return s;
    };
    EmotionAggregator a;  // window 2 s, min_face 1 s, switch margin 0.1
    double t = 0.0;
    for (; t < 0.6; t += 1.0 / 30) a.push(t, two_way(Emotion::Disgust, Emotion::Angry));
    for (; t < 1.05; t += 1.0 / 30) a.push(t, two_way(Emotion::Angry, Emotion::Disgust));
    REQUIRE(a.mood().emotion == Emotion::Disgust);  // the first second's mean
    for (; t < 1.9; t += 1.0 / 30) a.push(t, two_way(Emotion::Angry, Emotion::Disgust));
    CHECK(a.mood().emotion == Emotion::Angry);  // still provisional: the leader of the window so far
    // Once established, a lead under the switch margin does not move it.
    for (int i = 0; i < 90; ++i, t += 1.0 / 30) a.push(t, two_way(Emotion::Angry, Emotion::Disgust));
    for (const double end = t + 10.0; t < end; t += 1.0 / 30) a.push(t, two_way(Emotion::Disgust, Emotion::Angry));
    CHECK(a.mood().emotion == Emotion::Angry);
    CHECK_FALSE(a.mood().clear);
}

TEST_CASE("a face gone for longer than the window leaves nothing behind in the window") {
    EmotionAggregator a(with(AggregationStrategy::Mean));
    double t = 0.0;
    for (; t < 3.0; t += 0.1) a.push(t, scores_for(Emotion::Happy));
    a.push(20.0, scores_for(Emotion::Angry));
    CHECK(a.mood().support[static_cast<std::size_t>(Emotion::Angry)] > 0.79f);  // the happy frames are gone
    CHECK(a.mood().emotion == Emotion::Happy);  // held until the new leader has held for hold_s
    for (t = 20.1; t < 21.2; t += 0.1) a.push(t, scores_for(Emotion::Angry));
    CHECK(a.mood().emotion == Emotion::Angry);
}

TEST_CASE("small faces weigh less than large ones") {
    EmotionAggregator a(with(AggregationStrategy::Mean));
    for (int i = 0; i < 15; ++i) {
        a.push(i * 0.1, scores_for(Emotion::Happy), 1.0f);
        a.push(i * 0.1 + 0.05, scores_for(Emotion::Sad), 0.25f);
    }
    CHECK(a.mood().emotion == Emotion::Happy);
    CHECK(a.mood().support[static_cast<std::size_t>(Emotion::Happy)] >
          2 * a.mood().support[static_cast<std::size_t>(Emotion::Sad)]);
}

TEST_CASE("strategy names round-trip; options out of range are refused") {
    for (auto s : {AggregationStrategy::Majority, AggregationStrategy::Mean, AggregationStrategy::Ema})
        CHECK(parse_aggregation_strategy(to_string(s)) == s);
    CHECK_FALSE(parse_aggregation_strategy("median").has_value());
    CHECK(aggregation_strategy_names() == std::vector<std::string>{"majority", "mean", "ema"});
    auto bad = [](auto edit) {
        EmotionAggregatorOptions o;
        edit(o);
        return o;
    };
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.window_s = 0; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.min_face_s = 5; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.switch_margin = 1.0f; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.clear_margin = -0.1f; })), InputError);
    CHECK_THROWS_AS(EmotionAggregator(bad([](auto& o) { o.hold_s = -1; })), InputError);
}

TEST_CASE("a frame that is not a number is refused and changes nothing; a huge time keeps its frame") {
    EmotionAggregator a;
    double t = 0.0;
    for (; t < 3.0; t += 0.1) a.push(t, scores_for(Emotion::Sad));
    REQUIRE(a.mood().emotion == Emotion::Sad);
    const Mood before = a.mood();
    CHECK_THROWS_AS(a.push(std::nan(""), scores_for(Emotion::Happy)), InputError);
    CHECK_THROWS_AS(a.push(HUGE_VAL, scores_for(Emotion::Happy)), InputError);
    CHECK_THROWS_AS(a.push(t, scores_for(Emotion::Happy), HUGE_VALF), InputError);
    EmotionScores nan_scores = scores_for(Emotion::Happy);
    nan_scores.probabilities[2] = std::nanf("");
    CHECK_THROWS_AS(a.push(t, nan_scores), InputError);
    EmotionScores not_a_label = scores_for(Emotion::Happy);
    not_a_label.emotion = static_cast<Emotion>(kEmotionCount);
    CHECK_THROWS_AS(EmotionAggregator(with(AggregationStrategy::Majority)).push(0.0, not_a_label), InputError);
    CHECK(a.mood().seconds == doctest::Approx(before.seconds));
    // The window was not frozen: 20 s of a happy face still take over, as without the refused frames.
    for (const double start = t; t < start + 20.0; t += 0.1) a.push(t, scores_for(Emotion::Happy));
    CHECK(a.mood().emotion == Emotion::Happy);

    // A time in nanoseconds passed as seconds: time - window_s is time itself there (it crashed).
    EmotionAggregator far;
    CHECK(far.push(1.7e18, scores_for(Emotion::Happy)).support[static_cast<std::size_t>(Emotion::Happy)] > 0.5f);
}
