// ConfusionMatrix counts and metrics on a matrix small enough to check by hand.
#include <doctest/doctest.h>

#include "dangpli/confusion_matrix.hpp"

using namespace dangpli;

TEST_CASE("counts and totals and accuracy and per-class metrics and macro F1 match a hand computation") {
    ConfusionMatrix m;
    m.add(Emotion::Angry, Emotion::Angry, 3);
    m.add(Emotion::Angry, Emotion::Sad);
    m.add(Emotion::Sad, Emotion::Sad, 2);
    m.add(Emotion::Happy, Emotion::Angry);
    CHECK(m.total() == 7);
    CHECK(m.correct() == 5);
    CHECK(m.row_total(Emotion::Angry) == 4);
    CHECK(m.column_total(Emotion::Angry) == 4);
    CHECK(m.count(Emotion::Happy, Emotion::Angry) == 1);
    CHECK(m.counts()[3][0] == 1);  // [true][predicted] by FER2013 label
    CHECK(m.accuracy() == doctest::Approx(5.0 / 7.0));

    const auto angry = m.metrics(Emotion::Angry);
    CHECK(angry.precision == doctest::Approx(0.75));
    CHECK(angry.recall == doctest::Approx(0.75));
    CHECK(angry.f1 == doctest::Approx(0.75));
    CHECK(angry.support == 4);
    const auto sad = m.metrics(Emotion::Sad);
    CHECK(sad.precision == doctest::Approx(2.0 / 3.0));
    CHECK(sad.recall == doctest::Approx(1.0));
    CHECK(sad.f1 == doctest::Approx(0.8));
    // Happy is never predicted: precision 0/0 is defined as 0, and so is its F1.
    const auto happy = m.metrics(Emotion::Happy);
    CHECK(happy.precision == 0.0);
    CHECK(happy.recall == 0.0);
    CHECK(happy.f1 == 0.0);
    // Disgust neither occurs nor is predicted: all zero, and left out of the macro mean.
    CHECK(m.metrics(Emotion::Disgust).support == 0);
    CHECK(m.macro_f1() == doctest::Approx((0.75 + 0.8 + 0.0) / 3.0));
}

TEST_CASE("an empty matrix has zero metrics and += merges counts") {
    ConfusionMatrix empty;
    CHECK(empty.total() == 0);
    CHECK(empty.accuracy() == 0.0);
    CHECK(empty.macro_f1() == 0.0);

    ConfusionMatrix a, b, both;
    a.add(Emotion::Fear, Emotion::Surprise, 2);
    b.add(Emotion::Fear, Emotion::Surprise);
    b.add(Emotion::Neutral, Emotion::Neutral);
    both.add(Emotion::Fear, Emotion::Surprise, 3);
    both.add(Emotion::Neutral, Emotion::Neutral);
    a += b;
    CHECK(a == both);
    CHECK_FALSE(a == empty);
}
