#include "dangpli/face_aligner.hpp"

#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include "dangpli/error.hpp"

namespace dangpli {

FaceAligner::FaceAligner(int output_size) : output_size_(output_size) {
    if (output_size <= 0 || output_size > kLargestOutputSize)
        throw InputError(fmt::format("face aligner: output size must be in 1..{}, got {}", kLargestOutputSize, output_size));
}

std::array<cv::Point2f, 5> FaceAligner::landmark_template() const {
    const float k = static_cast<float>(output_size_) / 48.0f;
    std::array<cv::Point2f, 5> points;
    for (std::size_t i = 0; i < 5; ++i) points[i] = {kFer48Template[i][0] * k, kFer48Template[i][1] * k};
    return points;
}

cv::Matx23d FaceAligner::transform(const Face& face) const {
    // A landmark that is not a number gives a crop of nothing in particular, without a word.
    for (const auto& p : face.landmarks)
        if (!(std::abs(p.x) <= kLargestCoordinate && std::abs(p.y) <= kLargestCoordinate))
            throw InputError(fmt::format("face aligner: a landmark at ({}, {}) is not in a frame", p.x, p.y));
    // Least squares for x' = a x - b y + tx, y' = b x + a y + ty over the five point pairs.
    const auto dst = landmark_template();
    cv::Mat A(10, 4, CV_64F), B(10, 1, CV_64F);
    for (int i = 0; i < 5; ++i) {
        const cv::Point2d p = face.landmarks[static_cast<std::size_t>(i)];
        const cv::Point2d q = dst[static_cast<std::size_t>(i)];
        double* r0 = A.ptr<double>(2 * i);
        double* r1 = A.ptr<double>(2 * i + 1);
        r0[0] = p.x, r0[1] = -p.y, r0[2] = 1, r0[3] = 0;
        r1[0] = p.y, r1[1] = p.x, r1[2] = 0, r1[3] = 1;
        B.at<double>(2 * i) = q.x;
        B.at<double>(2 * i + 1) = q.y;
    }
    cv::Mat x;
    cv::solve(A, B, x, cv::DECOMP_SVD);
    const double a = x.at<double>(0), b = x.at<double>(1);
    return {a, -b, x.at<double>(2), b, a, x.at<double>(3)};
}

cv::Mat FaceAligner::align(const cv::Mat& frame, const Face& face) const {
    if (frame.empty() || frame.depth() != CV_8U)
        throw InputError("face aligner: expected a non-empty 8-bit image");
    cv::Mat gray;
    switch (frame.channels()) {
        case 1: gray = frame; break;
        case 3: cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY); break;
        case 4: cv::cvtColor(frame, gray, cv::COLOR_BGRA2GRAY); break;
        default: throw InputError("face aligner: expected 1, 3 or 4 channels, got " + std::to_string(frame.channels()));
    }
    cv::Matx23d m = transform(face);
    const double scale = std::hypot(m(0, 0), m(1, 0));

    // Bilinear warping aliases when shrinking a lot: shrink the face's region by area first.
    const int shrink = static_cast<int>(std::floor(0.5 / std::max(scale, 1e-9)));
    if (shrink >= 2) {
        cv::Matx23d inv;
        cv::invertAffineTransform(m, inv);
        const double s = static_cast<double>(output_size_);
        std::vector<cv::Point2f> corners;
        for (auto [u, v] : {std::pair{0.0, 0.0}, {s, 0.0}, {0.0, s}, {s, s}})
            corners.emplace_back(static_cast<float>(inv(0, 0) * u + inv(0, 1) * v + inv(0, 2)),
                                 static_cast<float>(inv(1, 0) * u + inv(1, 1) * v + inv(1, 2)));
        cv::Rect roi = cv::boundingRect(corners) & cv::Rect(0, 0, gray.cols, gray.rows);
        if (roi.width >= shrink && roi.height >= shrink) {
            cv::Mat small;
            cv::resize(gray(roi), small, {roi.width / shrink, roi.height / shrink}, 0, 0, cv::INTER_AREA);
            const double fx = static_cast<double>(roi.width) / small.cols, fy = static_cast<double>(roi.height) / small.rows;
            // Small pixel i covers frame pixels around roi.x + fx * (i + 0.5) - 0.5 (pixel centres).
            const double ox = roi.x + 0.5 * fx - 0.5, oy = roi.y + 0.5 * fy - 0.5;
            cv::Matx23d ms(m(0, 0) * fx, m(0, 1) * fy, m(0, 0) * ox + m(0, 1) * oy + m(0, 2),
                           m(1, 0) * fx, m(1, 1) * fy, m(1, 0) * ox + m(1, 1) * oy + m(1, 2));
            cv::Mat out;
            cv::warpAffine(small, out, ms, {output_size_, output_size_}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
            return out;
        }
    }
    cv::Mat out;
    cv::warpAffine(gray, out, m, {output_size_, output_size_}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

}  // namespace dangpli
