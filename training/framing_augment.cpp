#include "framing_augment.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"

namespace dangpli::training {

void validate(const FramingAugment& o) {
    auto probability = [](float p) { return p >= 0.0f && p <= 1.0f; };
    if (!probability(o.blur_probability) || !probability(o.jpeg_probability))
        throw InputError("blur and JPEG probabilities must be in [0, 1]");
    if (!(o.blur_sigma_min > 0.0f && o.blur_sigma_min <= o.blur_sigma_max && o.blur_sigma_max <= 5.0f))
        throw InputError(fmt::format("--blur-sigma {} {}: give 0 < MIN <= MAX <= 5", o.blur_sigma_min, o.blur_sigma_max));
    if (!(o.gamma_min > 0.0f && o.gamma_min <= o.gamma_max && o.gamma_max <= 5.0f))
        throw InputError(fmt::format("--gamma {} {}: give 0 < MIN <= MAX <= 5", o.gamma_min, o.gamma_max));
    if (!(o.jpeg_quality_min >= 1 && o.jpeg_quality_min <= o.jpeg_quality_max && o.jpeg_quality_max <= 100))
        throw InputError(fmt::format("--jpeg-quality {} {}: give 1 <= MIN <= MAX <= 100", o.jpeg_quality_min,
                                     o.jpeg_quality_max));
}

void apply_framing(cv::Mat& view, const FramingAugment& o, std::mt19937_64& rng) {
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    if (o.blur_probability > 0.0f && unit(rng) < o.blur_probability) {
        const float sigma = o.blur_sigma_min + (o.blur_sigma_max - o.blur_sigma_min) * unit(rng);
        cv::GaussianBlur(view, view, {0, 0}, sigma, sigma, cv::BORDER_REFLECT_101);
    }
    if (o.gamma_min != 1.0f || o.gamma_max != 1.0f) {
        const float lo = std::log(o.gamma_min), hi = std::log(o.gamma_max);
        const double gamma = std::exp(lo + (hi - lo) * unit(rng));
        cv::Mat lut(1, 256, CV_8U);
        for (int i = 0; i < 256; ++i)
            lut.at<uchar>(i) = cv::saturate_cast<uchar>(255.0 * std::pow(i / 255.0, gamma));
        cv::LUT(view, lut, view);
    }
    if (o.jpeg_probability > 0.0f && unit(rng) < o.jpeg_probability) {
        const int span = o.jpeg_quality_max - o.jpeg_quality_min + 1;
        const int quality = o.jpeg_quality_min + std::min(span - 1, static_cast<int>(unit(rng) * static_cast<float>(span)));
        std::vector<uchar> bytes;
        cv::imencode(".jpg", view, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
        view = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
    }
}

}  // namespace dangpli::training
