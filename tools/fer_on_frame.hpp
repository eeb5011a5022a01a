#pragma once
// A FER2013 face as a camera would show it: scaled up and pasted at a random place on a blurred,
// textured frame, so that the product's detector and aligner can cut it out again. Shared by
// bench_framing (which measures the framing gap) and align_fer2013 (which trains on that framing).

#include <random>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace dangpli::tools {

/// A BGR frame of `frame_size` of smooth random texture, the scene behind a pasted face.
inline cv::Mat textured_frame(cv::Size frame_size) {
    cv::Mat frame(frame_size, CV_8UC3);
    cv::randu(frame, cv::Scalar::all(40), cv::Scalar::all(200));
    cv::GaussianBlur(frame, frame, {0, 0}, 9);
    return frame;
}

/// A BGR frame of `frame_size` holding `face` (48x48 gray) scaled by `scale`, at a random place.
inline cv::Mat fer_face_on_frame(const cv::Mat& face, double scale, cv::Size frame_size, std::mt19937& rng) {
    cv::Mat frame = textured_frame(frame_size);
    cv::Mat big, big_bgr;
    cv::resize(face, big, {}, scale, scale, cv::INTER_CUBIC);
    cv::cvtColor(big, big_bgr, cv::COLOR_GRAY2BGR);
    std::uniform_int_distribution<int> x(0, frame.cols - big.cols), y(0, frame.rows - big.rows);
    big_bgr.copyTo(frame(cv::Rect(x(rng), y(rng), big.cols, big.rows)));
    return frame;
}

}  // namespace dangpli::tools
