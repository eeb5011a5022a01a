#pragma once
/// \file
/// FallbackDetector: one detector first, a second where the first finds no face or the image is gray.

#include <memory>
#include <string>

#include "dangpli/face_detector.hpp"

namespace dangpli {

/// Runs `first` on an image and, when it finds no face, `second`. On a gray image (one channel, or
/// colour channels equal within a few steps on 99% of the pixels) the second also runs where the
/// first found faces, and its faces that overlap none of the first's (IoU <= 0.3) are added. Every
/// face the first finds is kept exactly (its framing, its landmarks), so the pair never does worse
/// than the first and finds faces it misses. MTCNN misses many gray faces that YuNet finds
/// (bench_framing on upscaled FER2013 faces: 13.1% against 4.9%; gray copies of dlib's 9 photos: 38
/// of 43 against 43), so make_face_detector("mtcnn+yunet") is such a pair. refine() is the first's,
/// or the second's where the first finds no face there.
class FallbackDetector final : public FaceDetector {
public:
    /// Named "<first>+<second>". Throws InputError if either is null.
    FallbackDetector(std::unique_ptr<FaceDetector> first, std::unique_ptr<FaceDetector> second);

    /// "<first>+<second>", e.g. "mtcnn+yunet".
    std::string_view name() const override { return name_; }
    /// The first detector's faces, or the second's where the first found none; on a gray image the
    /// first's and the second's it missed, sorted by score.
    std::vector<Face> detect(const cv::Mat& image) const override;
    /// The first detector's refine(), or the second's where the first finds no face.
    std::optional<Face> refine(const cv::Mat& image, const cv::Rect2f& previous) const override;
    /// Clones of both detectors.
    std::unique_ptr<FaceDetector> clone() const override;
    /// The first detector's settings.
    const FaceDetectorOptions& options() const override { return first_->options(); }

private:
    std::unique_ptr<FaceDetector> first_, second_;
    std::string name_;
};

}  // namespace dangpli
