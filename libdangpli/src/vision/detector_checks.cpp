#include "detector_checks.hpp"

#include <cmath>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli::detection {

void check_image(const cv::Mat& image, std::int64_t max_pixels) {
    if (image.empty()) throw InputError("face detection: the image is empty");
    if (image.dims != 2)
        throw InputError(fmt::format("face detection: expected a 2-D image, got {} dimensions", image.dims));
    if (image.depth() != CV_8U)
        throw InputError(fmt::format("face detection: expected an 8-bit image, got depth {} (OpenCV depth code)",
                                     image.depth()));
    const int ch = image.channels();
    if (ch != 1 && ch != 3 && ch != 4)
        throw InputError(fmt::format("face detection: expected 1 (gray), 3 (BGR) or 4 (BGRA) channels, got {}", ch));
    if (image.cols >= kLongestImageSide || image.rows >= kLongestImageSide)
        throw InputError(fmt::format("face detection: the image is {}x{} pixels; a side of {} or more is not read",
                                     image.cols, image.rows, kLongestImageSide));
    const auto pixels = static_cast<std::int64_t>(image.cols) * image.rows;
    if (pixels > max_pixels)
        throw InputError(fmt::format("face detection: the image has {}x{} = {} pixels, more than the limit of {} "
                                     "(the max_pixels option)",
                                     image.cols, image.rows, pixels, max_pixels));
}

void check_previous_box(const cv::Rect2f& box) {
    const bool finite = std::isfinite(box.x) && std::isfinite(box.y) && std::isfinite(box.width) &&
                        std::isfinite(box.height);
    if (!finite || !(box.width > 0 && box.height > 0))
        throw InputError(fmt::format("face refinement: the previous box ({}, {}, {} x {}) has no area", box.x, box.y,
                                     box.width, box.height));
}

void check_common_options(const FaceDetectorOptions& o) {
    // inf passed as a number, and then no face was ever found, in silence.
    if (!(o.min_face_size > 0 && std::isfinite(o.min_face_size)))
        throw InputError(fmt::format("face detector options: min_face_size must be a finite number > 0 pixels, got {}",
                                     o.min_face_size));
    if (!(o.min_face_fraction >= 0.0f && o.min_face_fraction < 1.0f))
        throw InputError(fmt::format("face detector options: min_face_fraction must be in [0, 1), got {}",
                                     o.min_face_fraction));
    if (o.max_pixels <= 0) throw InputError("face detector options: max_pixels must be > 0");
    if (!(o.tilt_retry_degrees >= 0.0f && o.tilt_retry_degrees < 90.0f))
        throw InputError(fmt::format("face detector options: tilt_retry_degrees must be in [0, 90), got {}",
                                     o.tilt_retry_degrees));
    if (o.tilt_retry_every < 1)
        throw InputError(fmt::format("face detector options: tilt_retry_every must be >= 1, got {}", o.tilt_retry_every));
}

}  // namespace dangpli::detection
