#pragma once
// numpy arrays as cv::Mat images, without copying where the array allows it.

#include <string_view>

#include <opencv2/core/mat.hpp>
#include <pybind11/numpy.h>

namespace dangpli::python {

/// An image array made C-contiguous (copied only when it is not), and a cv::Mat over its pixels.
/// The Mat is valid while this object lives; it may be used with the GIL released.
struct NumpyImage {
    pybind11::array array;
    cv::Mat mat;
};

/// A uint8 array of shape (h, w) (gray), (h, w, 1), (h, w, 3) (BGR) or (h, w, 4) (BGRA), as
/// OpenCV's Python bindings give them. Throws dangpli::InputError naming `what`, the dtype and
/// the shape otherwise.
NumpyImage image_from_numpy(const pybind11::handle& object, std::string_view what);

/// A copy of an 8-bit image as a uint8 array of shape (h, w) (one channel) or (h, w, channels).
pybind11::array numpy_from_image(const cv::Mat& image);

}  // namespace dangpli::python
