#pragma once
// The checks every face detector makes (private): the caller's image, a tracker's previous box,
// the options all detectors share. One home, so that every detector refuses the same inputs
// with the same messages.

#include <cstdint>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include "dangpli/face_detector_options.hpp"

namespace dangpli::detection {

/// Throws InputError unless `image` is a non-empty 2-D 8-bit image with 1, 3 (BGR) or 4 (BGRA)
/// channels, at most `max_pixels` pixels and sides under kLongestImageSide pixels.
void check_image(const cv::Mat& image, std::int64_t max_pixels);

/// Throws InputError unless `box` is finite and has an area.
void check_previous_box(const cv::Rect2f& box);

/// Throws InputError, naming the field, unless min_face_size > 0, min_face_fraction is in [0, 1),
/// max_pixels > 0 and the tilt retry's fields are in range.
void check_common_options(const FaceDetectorOptions& options);

}  // namespace dangpli::detection
