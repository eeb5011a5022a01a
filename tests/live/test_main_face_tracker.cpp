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
    auto first = tracker.select({at(0, 0, 50), at(200, 0, 80)});
    REQUIRE(first.index == 1u);
    CHECK(first.new_person);
    // The user moves a little; a larger face walks in at the left.
    auto next = tracker.select({at(0, 0, 120), at(205, 3, 80)});
    CHECK(next.index == 1u);
    CHECK_FALSE(next.new_person);
}

TEST_CASE("a briefly hidden user is kept; one gone for long is replaced by the largest face") {
    MainFaceTracker tracker({0.3f, 3});
    tracker.select({at(100, 100, 60)});
    CHECK_FALSE(tracker.select({}).index.has_value());
    CHECK_FALSE(tracker.select({at(400, 0, 90)}).index.has_value());  // someone else, for a moment
    auto back = tracker.select({at(400, 0, 90), at(102, 100, 60)});
    CHECK(back.index == 1u);
    CHECK_FALSE(back.new_person);
    for (int i = 0; i < 4; ++i) tracker.select({});
    auto replaced = tracker.select({at(400, 0, 90)});
    CHECK(replaced.index == 0u);
    CHECK(replaced.new_person);
}
