// VideoTurn::of_display_matrix() read as ffmpeg's autorotate reads a display matrix: turns and mirrors.
#include <doctest/doctest.h>

#include <cstdint>

#include <opencv2/core.hpp>

#include "dangpli/video_turn.hpp"

using dangpli::VideoTurn;

namespace {

// A display matrix a b / c d in 16.16 fixed point, as FFmpeg keeps it (w in 2.30).
VideoTurn of(int a, int b, int c, int d) {
    const std::int32_t m[9] = {a * 65536, b * 65536, 0, c * 65536, d * 65536, 0, 0, 0, 1 << 30};
    return VideoTurn::of_display_matrix(m);
}

// A 2x3 image whose pixels are 1..6 row by row: every turn and mirror gives another one.
cv::Mat numbered() { return (cv::Mat_<std::uint8_t>(2, 3) << 1, 2, 3, 4, 5, 6); }

bool same(const cv::Mat& a, const cv::Mat& b) { return a.size() == b.size() && cv::countNonZero(a != b) == 0; }

}  // namespace

TEST_CASE("a display matrix's turn and mirror, as ffmpeg shows the frames") {
    const cv::Mat frame = numbered();
    CHECK_FALSE(of(1, 0, 0, 1).turns());
    CHECK(same(of(1, 0, 0, 1).upright(frame), frame));
    // A mirror (a front camera's "mirror" setting) is a mirror: it was read as a half turn, upside down.
    CHECK(same(of(-1, 0, 0, 1).upright(frame), (cv::Mat_<std::uint8_t>(2, 3) << 3, 2, 1, 6, 5, 4)));
    CHECK(same(of(1, 0, 0, -1).upright(frame), (cv::Mat_<std::uint8_t>(2, 3) << 4, 5, 6, 1, 2, 3)));
    CHECK(same(of(-1, 0, 0, -1).upright(frame), (cv::Mat_<std::uint8_t>(2, 3) << 6, 5, 4, 3, 2, 1)));
    // Quarter turns (the matrix turns counterclockwise, the frame is turned back), with and without a mirror.
    CHECK(same(of(0, -1, 1, 0).upright(frame), (cv::Mat_<std::uint8_t>(3, 2) << 3, 6, 2, 5, 1, 4)));
    CHECK(same(of(0, 1, -1, 0).upright(frame), (cv::Mat_<std::uint8_t>(3, 2) << 4, 1, 5, 2, 6, 3)));
    CHECK(same(of(0, 1, 1, 0).upright(frame), (cv::Mat_<std::uint8_t>(3, 2) << 1, 4, 2, 5, 3, 6)));
    CHECK(same(of(0, -1, -1, 0).upright(frame), (cv::Mat_<std::uint8_t>(3, 2) << 6, 3, 5, 2, 4, 1)));
}
