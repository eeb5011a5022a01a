#pragma once
// Camera and encoding effects applied to a training view: Gaussian blur, gamma, JPEG re-encoding.
// They widen the training distribution towards the crops the product's detector + aligner cut from
// camera frames and photos. Each effect is off by default and then draws nothing from the generator.

#include <random>

#include <opencv2/core/mat.hpp>

namespace dangpli::training {

struct FramingAugment {
    float blur_probability = 0.0f;  ///< Gaussian blur with this probability...
    float blur_sigma_min = 0.3f;    ///< ...and sigma uniform in [min, max] pixels
    float blur_sigma_max = 1.2f;
    float gamma_min = 1.0f;         ///< gamma log-uniform in [min, max]; 1,1 = off
    float gamma_max = 1.0f;
    float jpeg_probability = 0.0f;  ///< JPEG re-encoding with this probability...
    int jpeg_quality_min = 30;      ///< ...at a quality uniform in [min, max]
    int jpeg_quality_max = 90;

    bool enabled() const { return blur_probability > 0.0f || gamma_min != 1.0f || gamma_max != 1.0f ||
                                  jpeg_probability > 0.0f; }
};

/// Throws InputError when a probability is outside [0, 1] or a range is empty or out of bounds.
void validate(const FramingAugment& options);

/// Applies the enabled effects to `view` (CV_8UC1) in place: blur, then gamma, then JPEG.
void apply_framing(cv::Mat& view, const FramingAugment& options, std::mt19937_64& rng);

}  // namespace dangpli::training
