#include "mtcnn_input.hpp"

#include <array>

#include <opencv2/imgproc.hpp>

namespace dangpli::mtcnn {
namespace {

// MTCNN's nets were trained on (pixel - 127.5) / 128.
constexpr double kPixelCentre = 127.5;
constexpr double kPixelScale = 1.0 / 128.0;

}  // namespace

cv::Mat to_rgb_transposed(const cv::Mat& image) {
    static constexpr std::array<int, 5> kToRgb{-1, cv::COLOR_GRAY2RGB, -1, cv::COLOR_BGR2RGB, cv::COLOR_BGRA2RGB};
    cv::Mat rgb, rgb_t;
    cv::cvtColor(image, rgb, kToRgb[static_cast<std::size_t>(image.channels())]);
    cv::transpose(rgb, rgb_t);
    return rgb_t;
}

cv::Mat make_blob(int n, int rows, int cols) {
    const std::array<int, 4> shape{n, 3, rows, cols};
    return cv::Mat(4, shape.data(), CV_32F);
}

void fill_blob(const cv::Mat& rgb, cv::Mat& blob, int n) {
    CV_Assert(rgb.type() == CV_8UC3 && rgb.rows == blob.size[2] && rgb.cols == blob.size[3]);
    cv::Mat normalised;
    rgb.convertTo(normalised, CV_32F, kPixelScale, -kPixelCentre * kPixelScale);
    // planes are views into the blob: split() writes straight into it
    std::array<cv::Mat, 3> planes;
    for (int c = 0; c < 3; ++c) planes[static_cast<std::size_t>(c)] = cv::Mat(rgb.rows, rgb.cols, CV_32F, blob.ptr<float>(n, c));
    cv::split(normalised, planes.data());
}

void fill_blob_with_crop(const cv::Mat& rgb_t, const cv::Rect& box, cv::Mat& blob, int n) {
    // transposed image: image x runs down the rows, image y along the columns
    const cv::Rect want(box.y, box.x, box.height, box.width);
    const cv::Rect have = want & cv::Rect(0, 0, rgb_t.cols, rgb_t.rows);
    cv::Mat patch;
    if (have == want) {
        patch = rgb_t(want);
    } else {
        patch = cv::Mat::zeros(want.height, want.width, CV_8UC3);
        if (!have.empty()) rgb_t(have).copyTo(patch(have - want.tl()));
    }
    cv::Mat resized;
    cv::resize(patch, resized, cv::Size(blob.size[3], blob.size[2]), 0, 0, cv::INTER_LINEAR);
    fill_blob(resized, blob, n);
}

}  // namespace dangpli::mtcnn
