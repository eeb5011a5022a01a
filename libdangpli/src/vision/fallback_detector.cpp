#include "dangpli/fallback_detector.hpp"

#include "dangpli/error.hpp"

namespace dangpli {

FallbackDetector::FallbackDetector(std::unique_ptr<FaceDetector> first, std::unique_ptr<FaceDetector> second)
    : first_(std::move(first)), second_(std::move(second)) {
    if (!first_ || !second_) throw InputError("fallback detector: both detectors are needed");
    name_ = std::string(first_->name()) + "+" + std::string(second_->name());
}

std::vector<Face> FallbackDetector::detect(const cv::Mat& image) const {
    auto faces = first_->detect(image);
    if (faces.empty()) faces = second_->detect(image);
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
