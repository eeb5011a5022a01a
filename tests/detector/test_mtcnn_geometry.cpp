// MTCNN's box arithmetic on hand-made numbers.
#include <doctest/doctest.h>

#include <array>

#include "../../libdangpli/src/vision/mtcnn_geometry.hpp"

using namespace dangpli::mtcnn;

namespace {

Candidate box(float x1, float y1, float x2, float y2, float score = 1.0f) {
    Candidate c;
    c.x1 = x1, c.y1 = y1, c.x2 = x2, c.y2 = y2, c.score = score;
    return c;
}

}  // namespace

TEST_CASE("overlap: union and min") {
    const auto a = box(0, 0, 10, 10), b = box(5, 0, 15, 10), inner = box(2, 2, 6, 6), far = box(20, 20, 30, 30);
    CHECK(overlap(a, b, Overlap::Union) == doctest::Approx(50.0 / 150.0));
    CHECK(overlap(a, b, Overlap::Min) == doctest::Approx(0.5));
    CHECK(overlap(a, inner, Overlap::Union) == doctest::Approx(16.0 / 100.0));
    CHECK(overlap(a, inner, Overlap::Min) == doctest::Approx(1.0));
    CHECK(overlap(a, far, Overlap::Union) == 0.0f);
    CHECK(overlap(a, box(10, 0, 20, 10), Overlap::Union) == 0.0f);  // touching edges share no area
}

TEST_CASE("nms (union) keeps the best of each cluster, sorted by score") {
    std::vector<Candidate> in{box(0, 0, 10, 10, 0.8f), box(1, 0, 11, 10, 0.9f),  // IoU 0.82 with each other
                              box(5, 0, 15, 10, 0.7f),                            // IoU 0.43 with the 0.9 one
                              box(50, 50, 60, 60, 0.95f)};
    auto out = nms(in, 0.5f, Overlap::Union);
    REQUIRE(out.size() == 3);
    CHECK(out[0].score == 0.95f);
    CHECK(out[1].score == 0.9f);
    CHECK(out[2].score == 0.7f);
    // a stricter threshold also drops the 0.43 overlap
    CHECK(nms(in, 0.4f, Overlap::Union).size() == 2);
    CHECK(nms({}, 0.5f, Overlap::Union).empty());
}

TEST_CASE("nms (min) removes a small box inside a bigger, better one - union does not") {
    std::vector<Candidate> in{box(0, 0, 100, 100, 0.99f), box(10, 10, 40, 40, 0.9f)};
    CHECK(nms(in, 0.7f, Overlap::Min).size() == 1);
    CHECK(nms(in, 0.7f, Overlap::Union).size() == 2);
}

TEST_CASE("box regression moves corners by fractions of width and height") {
    std::vector<Candidate> v{box(10, 20, 30, 60)};  // w 20, h 40
    v[0].reg = {0.1f, -0.25f, -0.5f, 0.5f};
    apply_regression(v);
    CHECK(v[0].x1 == doctest::Approx(12));
    CHECK(v[0].y1 == doctest::Approx(10));
    CHECK(v[0].x2 == doctest::Approx(20));
    CHECK(v[0].y2 == doctest::Approx(80));
    CHECK(v[0].reg == std::array<float, 4>{});
}

TEST_CASE("make_square grows the short side around the centre") {
    std::vector<Candidate> v{box(10, 20, 30, 60), box(0, 0, 40, 10)};
    make_square(v);
    CHECK(v[0].width() == doctest::Approx(40));
    CHECK(v[0].height() == doctest::Approx(40));
    CHECK(v[0].x1 == doctest::Approx(0));
    CHECK(v[0].y1 == doctest::Approx(20));
    CHECK(v[1].y1 == doctest::Approx(-15));
    CHECK(v[1].y2 == doctest::Approx(25));
    CHECK(v[1].x1 == doctest::Approx(0));
}

TEST_CASE("snap_to_pixels rounds the box to the rect that is cropped") {
    auto c = box(9.6f, -3.4f, 33.2f, 20.2f);
    const cv::Rect r = snap_to_pixels(c);
    CHECK(r == cv::Rect(10, -3, 24, 24));
    CHECK(c.x1 == 10.0f);
    CHECK(c.x2 == 34.0f);
    CHECK(c.y2 == 21.0f);
    auto tiny = box(5, 5, 5.2f, 5.1f);
    CHECK(snap_to_pixels(tiny).area() == 1);
}

TEST_CASE("pyramid scales start at 12/min_face and shrink by the factor to a 12-pixel side") {
    const auto s = pyramid_scales(640, 480, 20, 0.709);
    REQUIRE(!s.empty());
    CHECK(s[0] == doctest::Approx(0.6));
    for (std::size_t i = 1; i < s.size(); ++i) CHECK(s[i] == doctest::Approx(s[i - 1] * 0.709));
    CHECK(480 * s.back() >= 12.0);
    CHECK(480 * s.back() * 0.709 < 12.0);
    CHECK(s.size() == 10);  // 288, 204, 145, ..., 13.0 pixels on the short side
    CHECK(pyramid_scales(640, 480, 40, 0.709).size() == 8);
    CHECK(pyramid_scales(11, 500, 12, 0.709).empty());  // too small for one P-Net cell
    CHECK(scaled_size(641, 480, 0.5) == cv::Size(321, 240));
}

TEST_CASE("P-Net maps: transposed cells become boxes in image pixels") {
    // maps of 3 (x) by 2 (y) cells; one face cell at x index 2, y index 1
    const std::array<int, 4> pshape{1, 2, 3, 2}, rshape{1, 4, 3, 2};
    cv::Mat prob(4, pshape.data(), CV_32F, cv::Scalar(0)), reg(4, rshape.data(), CV_32F, cv::Scalar(0));
    prob.ptr<float>(0, 1)[2 * 2 + 1] = 0.9f;
    prob.ptr<float>(0, 1)[0] = 0.5f;  // under the threshold
    for (int c = 0; c < 4; ++c) reg.ptr<float>(0, c)[2 * 2 + 1] = 0.1f * static_cast<float>(c + 1);
    const auto out = pnet_candidates(prob, reg, 0.5, 0.6f);
    REQUIRE(out.size() == 1);
    CHECK(out[0].x1 == doctest::Approx(8));   // 2 * 2 / 0.5
    CHECK(out[0].y1 == doctest::Approx(4));   // 2 * 1 / 0.5
    CHECK(out[0].x2 == doctest::Approx(32));  // (4 + 12) / 0.5
    CHECK(out[0].y2 == doctest::Approx(28));
    CHECK(out[0].score == doctest::Approx(0.9));
    CHECK(out[0].reg[0] == doctest::Approx(0.1));
    CHECK(out[0].reg[3] == doctest::Approx(0.4));
}

TEST_CASE("O-Net landmarks are fractions of the box, x1..x5 then y1..y5") {
    auto c = box(100, 200, 150, 300);
    const std::array<float, 10> ten{0.2f, 0.8f, 0.5f, 0.3f, 0.7f, 0.3f, 0.3f, 0.5f, 0.8f, 0.8f};
    set_landmarks(c, ten.data());
    CHECK(c.landmarks[0].x == doctest::Approx(110));
    CHECK(c.landmarks[0].y == doctest::Approx(230));
    CHECK(c.landmarks[1].x == doctest::Approx(140));
    CHECK(c.landmarks[4].y == doctest::Approx(280));
}
