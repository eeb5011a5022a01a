#pragma once
// Turning 48x48 FER faces into normalised network inputs: random views for training, the centre
// view for evaluation. The normalisation is written into the model card for the classifier.

#include <random>

#include <opencv2/core/mat.hpp>

#include "framing_augment.hpp"

namespace dangpli::training {

/// Network input = (pixel - kPixelMean) * kPixelScale, i.e. gray levels mapped to [-1, 1].
inline constexpr float kPixelMean = 127.5f;
inline constexpr float kPixelScale = 1.0f / 127.5f;

struct AugmentOptions {
    float max_rotation_deg = 10.0f;  ///< uniform in [-max, max]
    float max_scale_change = 0.10f;  ///< zoom factor uniform in [1 - x, 1 + x]
    float max_shift_px = 2.0f;       ///< centre shift in source pixels, uniform per axis
    bool horizontal_flip = true;     ///< with probability 1/2
    float max_brightness = 0.10f;    ///< added offset, fraction of full scale
    float max_contrast_change = 0.20f;
    float erase_probability = 0.0f;  ///< random erasing of one rectangle (2-15% of the area)
    // Framing/camera effects, to cover what the product's detector + aligner produce. All off by
    // default; a disabled effect draws nothing from the generator, so older runs resume identically.
    FramingAugment framing;
};

/// One random view of `face` (48x48 CV_8UC1) at side x side, written normalised to `out`.
void random_view(const cv::Mat& face, int side, const AugmentOptions& options, std::mt19937_64& rng,
                 float* out);

/// The centre side x side crop of `face`, normalised, written to `out` (optionally mirrored).
void centre_view(const cv::Mat& face, int side, float* out, bool mirrored = false);

}  // namespace dangpli::training
