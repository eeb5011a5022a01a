#include "dangpli/fallback_detector.hpp"

#include <algorithm>
#include <cstdint>

#include "dangpli/error.hpp"
#include "dangpli/main_face_tracker.hpp"

namespace dangpli {

namespace {

// Boxes of one face by two detectors overlap loosely (YuNet's are taller than MTCNN's squares).
constexpr float kSameFaceIou = 0.3f;
// A pixel whose channels differ by more than this is colour; JPEG and video coding leave gray
// pixels a step or two apart.
constexpr int kGraySpread = 8;

// A gray image, or a colour one that holds gray pixels: at most 1 pixel in 100 has colour (so that
// a caption or a coloured border does not count). Stops at the first 1% of colour pixels.
bool looks_gray(const cv::Mat& image) {
    if (image.channels() == 1) return true;
    const std::size_t allowed = image.total() / 100;
    std::size_t coloured = 0;
    const int step = image.channels();
    for (int y = 0; y < image.rows; ++y) {
        const std::uint8_t* p = image.ptr<std::uint8_t>(y);
        for (int x = 0; x < image.cols; ++x, p += step) {
            const int lo = std::min({p[0], p[1], p[2]}), hi = std::max({p[0], p[1], p[2]});
            if (hi - lo > kGraySpread && ++coloured > allowed) return false;
        }
    }
    return true;
}

}  // namespace

FallbackDetector::FallbackDetector(std::unique_ptr<FaceDetector> first, std::unique_ptr<FaceDetector> second)
    : first_(std::move(first)), second_(std::move(second)) {
    if (!first_ || !second_) throw InputError("fallback detector: both detectors are needed");
    name_ = std::string(first_->name()) + "+" + std::string(second_->name());
}

std::vector<Face> FallbackDetector::detect(const cv::Mat& image) const {
    auto faces = first_->detect(image);
    if (faces.empty()) return second_->detect(image);
    if (!looks_gray(image)) return faces;
    // MTCNN finds fewer faces in gray photos (dlib's 9 in gray: 38 of 43 faces, YuNet 43) and a
    // photo where it finds one is not a photo without faces: add the second's that it missed.
    const std::size_t first_count = faces.size();
    for (Face& other : second_->detect(image)) {
        const auto same = [&](const Face& f) { return intersection_over_union(f.box, other.box) > kSameFaceIou; };
        if (std::none_of(faces.begin(), faces.begin() + static_cast<std::ptrdiff_t>(first_count), same))
            faces.push_back(other);
    }
    std::stable_sort(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.score > b.score; });
    return faces;
}

std::optional<Face> FallbackDetector::refine(const cv::Mat& image, const cv::Rect2f& previous) const {
    // A face the first detector rejects (YuNet found it in the first place) is followed by the
    // second rather than lost: a lost track costs a full detection and may lose the mood's face.
    if (auto face = first_->refine(image, previous)) return face;
    return second_->refine(image, previous);
}

std::unique_ptr<FaceDetector> FallbackDetector::clone() const {
    return std::make_unique<FallbackDetector>(first_->clone(), second_->clone());
}

}  // namespace dangpli
