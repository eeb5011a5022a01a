#include "augment.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace dangpli::training {
namespace {

void write_normalised(const cv::Mat& view, float* out, float gain = 1.0f, float offset = 0.0f) {
    const int n = view.rows * view.cols;
    const uchar* p = view.ptr<uchar>();
    for (int i = 0; i < n; ++i) {
        float v = std::clamp((static_cast<float>(p[i]) - 128.0f) * gain + 128.0f + offset, 0.0f, 255.0f);
        out[i] = (v - kPixelMean) * kPixelScale;
    }
}

}  // namespace

void random_view(const cv::Mat& face, int side, const AugmentOptions& o, std::mt19937_64& rng, float* out) {
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    const float angle = o.max_rotation_deg * unit(rng);
    const float scale = 1.0f + o.max_scale_change * unit(rng);
    const float dx = o.max_shift_px * unit(rng), dy = o.max_shift_px * unit(rng);
    const bool flip = o.horizontal_flip && (rng() & 1U) != 0;
    const float gain = 1.0f + o.max_contrast_change * unit(rng);
    const float offset = 255.0f * o.max_brightness * unit(rng);

    // Rotate and zoom about the (shifted) face centre, and put that centre at the view's centre.
    const float c = static_cast<float>(face.cols) / 2.0f;
    cv::Point2f source_centre(c + dx, c + dy);
    cv::Mat m = cv::getRotationMatrix2D(source_centre, angle, scale);
    m.at<double>(0, 2) += side / 2.0 - source_centre.x;
    m.at<double>(1, 2) += side / 2.0 - source_centre.y;
    cv::Mat view;
    cv::warpAffine(face, view, m, {side, side}, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
    if (flip) cv::flip(view, view, 1);
    apply_framing(view, o.framing, rng);  // draws nothing when every framing effect is off

    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    if (o.erase_probability > 0.0f && uniform(rng) < o.erase_probability) {
        const float area = (0.02f + 0.13f * uniform(rng)) * static_cast<float>(side * side);
        const float aspect = 0.5f + 1.5f * uniform(rng);
        int w = std::clamp(static_cast<int>(std::sqrt(area * aspect)), 1, side);
        int h = std::clamp(static_cast<int>(std::sqrt(area / aspect)), 1, side);
        int x = static_cast<int>(uniform(rng) * static_cast<float>(side - w));
        int y = static_cast<int>(uniform(rng) * static_cast<float>(side - h));
        // Noise from our own generator, not cv::theRNG(), so that a resumed run repeats it exactly.
        for (int r = y; r < y + h; ++r)
            for (int col = x; col < x + w; ++col) view.at<uchar>(r, col) = static_cast<uchar>(rng() & 0xFFU);
    }
    write_normalised(view, out, gain, offset);
}

void centre_view(const cv::Mat& face, int side, float* out, bool mirrored) {
    const int margin = (face.cols - side) / 2;
    cv::Mat view = face(cv::Rect(margin, margin, side, side)).clone();
    if (mirrored) cv::flip(view, view, 1);
    write_normalised(view, out);
}

}  // namespace dangpli::training
