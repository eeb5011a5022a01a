#include <doctest/doctest.h>

#include "dangpli/main_face_tracker.hpp"

using namespace dangpli;

namespace {
Face at(float x, float y, float side) {
    Face f;
    f.box = {x, y, side, side};
    return f;
}
}  // namespace

TEST_CASE("IoU of boxes") {
    CHECK(intersection_over_union({0, 0, 10, 10}, {0, 0, 10, 10}) == doctest::Approx(1.0));
    CHECK(intersection_over_union({0, 0, 10, 10}, {5, 0, 10, 10}) == doctest::Approx(50.0 / 150.0));
    CHECK(intersection_over_union({0, 0, 10, 10}, {20, 20, 5, 5}) == 0.0f);
}

TEST_CASE("the largest face first, then the same person even when a bigger face appears") {
    MainFaceTracker tracker;
    auto first = tracker.select({at(0, 0, 50), at(200, 0, 80)}, 0.0);
    REQUIRE(first.index == 1u);
    CHECK(first.new_person);
    // The user moves a little; a larger face walks in at the left.
    auto next = tracker.select({at(0, 0, 120), at(205, 3, 80)}, 0.033);
    CHECK(next.index == 1u);
    CHECK_FALSE(next.new_person);
}

TEST_CASE("a briefly hidden user is kept; one gone for long is replaced by the largest face") {
    MainFaceTracker tracker({0.3f, 3.0});
    tracker.select({at(100, 100, 60)}, 0.0);
    CHECK_FALSE(tracker.select({}, 0.5).index.has_value());
    CHECK_FALSE(tracker.select({at(400, 0, 90)}, 1.0).index.has_value());  // someone else, for a moment
    auto back = tracker.select({at(400, 0, 90), at(102, 100, 60)}, 2.9);
    CHECK(back.index == 1u);
    CHECK_FALSE(back.new_person);
    for (double t = 3.0; t < 5.9; t += 0.5) CHECK_FALSE(tracker.select({}, t).index.has_value());
    auto replaced = tracker.select({at(400, 0, 90)}, 6.0);
    CHECK(replaced.index == 0u);
    CHECK(replaced.new_person);
}

TEST_CASE("a face found only now and then is one person: the memory is in seconds, not frames") {
    // At 60 fps, 0.7 s of misses are 42 frames; the user is still the same person when found again.
    MainFaceTracker tracker;
    CHECK(tracker.select({at(100, 100, 60)}, 0.0).new_person);
    for (int i = 1; i <= 42; ++i) CHECK_FALSE(tracker.select({}, i / 60.0).index.has_value());
    auto back = tracker.select({at(104, 98, 62)}, 43 / 60.0);
    CHECK(back.index == 0u);
    CHECK_FALSE(back.new_person);
    // A clock that steps back counts as standing still.
    CHECK(tracker.select({at(105, 99, 62)}, 0.1).index == 0u);
    // Gone for longer than forget_after_s: whoever is seen next is a new person, even at the same place.
    auto later = tracker.select({at(104, 98, 62)}, 43 / 60.0 + 3.5);
    CHECK(later.index == 0u);
    CHECK(later.new_person);
}
