#include "numpy_image.hpp"

#include <cstring>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "dangpli/error.hpp"
#include "dangpli/face_detector_options.hpp"

namespace py = pybind11;

namespace dangpli::python {

namespace {

[[noreturn]] void refuse(std::string_view what, const py::array& a) {
    std::vector<py::ssize_t> shape(a.shape(), a.shape() + a.ndim());
    throw InputError(fmt::format("{}: expected a uint8 array of shape (h, w) or (h, w, 1|3|4) (gray, BGR, BGRA); "
                                 "got {} of shape ({})",
                                 what, std::string(py::str(a.dtype())), fmt::join(shape, ", ")));
}

}  // namespace

NumpyImage image_from_numpy(const py::handle& object, std::string_view what) {
    if (!py::isinstance<py::array>(object))
        throw InputError(fmt::format("{}: expected a numpy array (an image as cv2.imread gives it), got {}", what,
                                     std::string(py::str(py::type::of(object).attr("__name__")))));
    auto a = py::reinterpret_borrow<py::array>(object);
    if (!a.dtype().is(py::dtype::of<std::uint8_t>())) refuse(what, a);
    const auto channels = a.ndim() == 2 ? 1 : a.ndim() == 3 ? a.shape(2) : 0;
    if (channels != 1 && channels != 3 && channels != 4) refuse(what, a);
    if (a.shape(0) == 0 || a.shape(1) == 0) refuse(what, a);
    // Past int, a side was narrowed (2^32 + 64 read as 64: the answer for another picture): refused
    // here, before the cast, at the detectors' own limit and in their words.
    if (a.shape(0) >= kLongestImageSide || a.shape(1) >= kLongestImageSide)
        throw InputError(fmt::format("{}: the image is {}x{} pixels; a side of {} or more is not read", what,
                                     a.shape(1), a.shape(0), kLongestImageSide));
    // A strided view (a crop, a flipped array) is copied once; a contiguous array is used in place.
    a = py::array::ensure(a, py::array::c_style);
    cv::Mat mat(static_cast<int>(a.shape(0)), static_cast<int>(a.shape(1)), CV_8UC(static_cast<int>(channels)),
                const_cast<void*>(a.data()));
    return {std::move(a), mat};
}

py::array numpy_from_image(const cv::Mat& image) {
    const cv::Mat pixels = image.isContinuous() ? image : image.clone();
    std::vector<py::ssize_t> shape{pixels.rows, pixels.cols};
    if (pixels.channels() > 1) shape.push_back(pixels.channels());
    py::array_t<std::uint8_t> out(shape);
    std::memcpy(out.mutable_data(), pixels.data, pixels.total() * pixels.elemSize());
    return out;
}

}  // namespace dangpli::python
