#pragma once
// Camera-sized frames made from photos, for the benchmarks that time a 640x480 frame.

#include <algorithm>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace dangpli::bench {

/// `img` scaled to fit 640x480 and centred on black, as a camera-sized frame.
inline cv::Mat letterbox(const cv::Mat& img) {
    const double s = std::min(640.0 / img.cols, 480.0 / img.rows);
    cv::Mat resized, frame(480, 640, CV_8UC3, cv::Scalar::all(0));
    cv::resize(img, resized, cv::Size(), s, s, cv::INTER_AREA);
    resized.copyTo(frame(cv::Rect((640 - resized.cols) / 2, (480 - resized.rows) / 2, resized.cols, resized.rows)));
    return frame;
}

}  // namespace dangpli::bench
