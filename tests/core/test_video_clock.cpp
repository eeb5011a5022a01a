// VideoClock: a video's frames' seconds from their stamps, over what real files do to stamps.
#include <doctest/doctest.h>

#include <vector>

#include "dangpli/video_clock.hpp"

using namespace dangpli;

namespace {
// The times of frames with these stamps, at 30 fps nominal.
std::vector<double> times_of(const std::vector<double>& stamps) {
    VideoClock clock(30.0);
    std::vector<double> times;
    for (const double s : stamps) times.push_back(clock.next(s));
    return times;
}
constexpr double kStep = 1.0 / 30;
}  // namespace

TEST_CASE("clean stamps are the clock, from the first frame's stamp, exactly (no sum of steps)") {
    std::vector<double> stamps;
    for (int i = 0; i < 90; ++i) stamps.push_back(0.5 + i * 0.04);
    CHECK(times_of(stamps) == stamps);  // a trace prints them as the file has them, not 3.8000000000000003
}

TEST_CASE("a hiccup (one stamp ahead, the next ones on it) costs its own size, not a step on every later frame") {
    // 60 s at 30 fps; frame 300's stamp is 1 s ahead and the next 30 frames share it (a muxer that clamps
    // them), then the stamps go on as before. The clock stepped 1.033 s per frame for the rest of the file:
    // a 60 s video ended at 1559 s, with a song switched every 30 s of that clock.
    for (const double hiccup : {0.2, 1.0}) {
        CAPTURE(hiccup);
        std::vector<double> stamps;
        for (int i = 0; i < 1800; ++i) stamps.push_back(i * kStep);
        for (std::size_t i = 300; i <= 330; ++i) stamps[i] = 300 * kStep + hiccup;
        const auto times = times_of(stamps);
        for (std::size_t i = 1; i < times.size(); ++i) REQUIRE(times[i] > times[i - 1]);
        CHECK(times.back() == doctest::Approx(1799 * kStep + hiccup).epsilon(0.001));
    }
}

TEST_CASE("a stamp that goes back (a damaged packet) moves on at the usual step, and the stamps are followed after") {
    std::vector<double> stamps;
    for (int i = 0; i < 100; ++i) stamps.push_back(i * kStep);
    stamps[50] = 20.0 * kStep;  // out of order
    const auto times = times_of(stamps);
    CHECK(times[50] == doctest::Approx(times[49] + kStep));
    CHECK(times.back() == doctest::Approx(99 * kStep).epsilon(0.001));  // on time once the stamps pass the clock
}

TEST_CASE("a break in the stamps (two recordings joined) is a step, not minutes without a frame") {
    std::vector<double> stamps;
    for (int i = 0; i < 60; ++i) stamps.push_back(i * kStep);
    for (int i = 0; i < 60; ++i) stamps.push_back(990.0 + i * kStep);
    const auto times = times_of(stamps);
    CHECK(times[60] == doctest::Approx(times[59] + kStep));
    CHECK(times.back() == doctest::Approx(119 * kStep).epsilon(0.001));
    VideoClock clock(30.0);
    for (const double s : stamps) clock.next(s);
    CHECK(clock.latest_stamp() == doctest::Approx(990.0 + 59 * kStep));  // what the file's length is judged by
}

TEST_CASE("frames without stamps: counted at the stamps' usual step, else at the nominal rate") {
    // x264's last frames after B-frames read as 0; a raw MJPEG stream's as garbage.
    std::vector<double> stamps;
    for (int i = 0; i < 30; ++i) stamps.push_back(i * 0.1);  // 10 fps, declared 30
    stamps.insert(stamps.end(), {0.0, 0.0, -3.7e17});
    const auto times = times_of(stamps);
    CHECK(times[30] == doctest::Approx(3.0));
    CHECK(times[32] == doctest::Approx(3.2));
    const auto unstamped = times_of({-3.7e17, -3.7e17, -3.7e17});
    CHECK(unstamped == std::vector{0.0, kStep, 2 * kStep});
    VideoClock still_picture(90000.0);  // a cover picture's declared rate is no frame rate
    still_picture.next(-1.0);
    CHECK(still_picture.next(-1.0) == doctest::Approx(kStep));
}

TEST_CASE("a variable frame rate within the longest gap is kept as it is") {
    const auto times = times_of({0.0, 0.8, 1.6, 1.633, 3.5});
    CHECK(times == std::vector{0.0, 0.8, 1.6, 1.633, 3.5});
}

TEST_CASE("after frames lost to damage, a jump of the stamps is their time, however long") {
    VideoClock clock(30.0);
    for (int i = 0; i < 30; ++i) clock.next(i * kStep);
    CHECK(clock.next(8.0, /*after_lost_frames=*/true) == doctest::Approx(8.0));  // 7 s of damage, not squeezed
    CHECK(clock.next(8.0 + kStep) == doctest::Approx(8.0 + kStep));
}
