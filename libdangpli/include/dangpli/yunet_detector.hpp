#pragma once
/// \file
/// YunetDetector: face detection with YuNet (Wu, Peng and Yu, 2023) through OpenCV's
/// cv::FaceDetectorYN, the model face_detection_yunet_2022mar.onnx (MIT; the 2023 model needs
/// OpenCV >= 4.8).

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "dangpli/face_detector.hpp"

namespace dangpli {

/// YuNet: one small network on the whole frame (its input size set to each frame's size), a
/// box, five landmarks and a score per face. Its landmarks are put in Landmark order: the model
/// lists them as the subject's right eye, left eye, nose, right and left mouth corner, which are
/// the image's left eye first, as in Landmark. Faces smaller than smallest_face_searched() are
/// dropped.
/// tracking uses FaceDetector's default refine() (YuNet on a window around the last box).
///
/// Thread-safety as FaceDetector. cv::FaceDetectorYN loads only from a file, so a copy (and
/// clone()) loads the model file again (about a millisecond; throws ModelError if it is gone).
class YunetDetector final : public FaceDetector {
public:
    /// The name make_face_detector() takes for it.
    static constexpr std::string_view kName = "yunet";
    /// The model's path among the models (models/manifest.txt), for find_model_file().
    static constexpr std::string_view kModelFile = "yunet/face_detection_yunet_2022mar.onnx";

    /// Locates kModelFile with find_model_file(); throws ModelError naming the folders searched.
    static std::filesystem::path find_model();

    /// Loads the model and checks that it runs as YuNet. Throws ModelError when the file cannot be
    /// read or is not a YuNet model OpenCV can run, InputError when an option is out of its range.
    explicit YunetDetector(const std::filesystem::path& model = find_model(), FaceDetectorOptions options = {});

    /// A copy with its own network, loaded again from the same file (see above).
    YunetDetector(const YunetDetector& other);
    /// Replaces this detector's network and options with a fresh copy of `other`'s.
    YunetDetector& operator=(const YunetDetector& other);
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    YunetDetector(YunetDetector&&) noexcept;
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    YunetDetector& operator=(YunetDetector&&) noexcept;
    ~YunetDetector() override;

    /// "yunet".
    std::string_view name() const override { return kName; }

    /// See FaceDetector::detect(). Scores are YuNet's, clamped to [0, 1].
    std::vector<Face> detect(const cv::Mat& image) const override;

    /// A copy (see the copy constructor).
    std::unique_ptr<FaceDetector> clone() const override;

    /// The settings it was made with.
    const FaceDetectorOptions& options() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
