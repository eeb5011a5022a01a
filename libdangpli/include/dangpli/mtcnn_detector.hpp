#pragma once
/// \file
/// MtcnnDetector: face detection with MTCNN (Zhang, Zhang, Li and Qiao, 2016) on OpenCV's dnn
/// module, the library's default FaceDetector.

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "dangpli/face_detector.hpp"

namespace dangpli {

/// The six Caffe files of the MTCNN cascade (det1 = P-Net, det2 = R-Net, det3 = O-Net).
struct MtcnnModelPaths {
    /// The network definition (.prototxt) and the weights (.caffemodel) of one stage.
    ///@{
    std::filesystem::path pnet_prototxt, pnet_caffemodel;
    std::filesystem::path rnet_prototxt, rnet_caffemodel;
    std::filesystem::path onet_prototxt, onet_caffemodel;
    ///@}

    /// Locates "mtcnn/det{1,2,3}.{prototxt,caffemodel}" with find_model_file().
    /// Throws ModelError naming the missing file and the folders searched.
    static MtcnnModelPaths find();

    /// The six files inside `dir` (which holds det1.prototxt ... det3.caffemodel). Does not check them.
    static MtcnnModelPaths in_dir(const std::filesystem::path& dir);
};

/// The MTCNN cascade: P-Net on an image pyramid, R-Net and O-Net on the candidates. Its landmarks
/// are the ones FaceAligner's template was calibrated on.
///
/// Thread-safety as FaceDetector. Copying (and clone()) builds fresh nets from the model bytes the
/// detector keeps in memory (no file access, a few milliseconds), so copies share no mutable
/// state. Moving is cheap and leaves the moved-from detector unusable except for assignment and
/// destruction.
class MtcnnDetector final : public FaceDetector {
public:
    /// The name make_face_detector() takes for it.
    static constexpr std::string_view kName = "mtcnn";

    /// Loads the three nets. Throws ModelError when a file cannot be read or is not a usable
    /// MTCNN Caffe model, InputError when an option is out of its documented range. The default
    /// `paths` are looked up when the constructor is called, and throw as MtcnnModelPaths::find().
    explicit MtcnnDetector(const MtcnnModelPaths& paths = MtcnnModelPaths::find(), FaceDetectorOptions options = {});

    /// A copy with its own nets, parsed from the model bytes this detector holds (see above).
    MtcnnDetector(const MtcnnDetector& other);
    /// Replaces this detector's nets and options with fresh copies of `other`'s.
    MtcnnDetector& operator=(const MtcnnDetector& other);
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    MtcnnDetector(MtcnnDetector&&) noexcept;
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    MtcnnDetector& operator=(MtcnnDetector&&) noexcept;
    ~MtcnnDetector() override;

    /// "mtcnn".
    std::string_view name() const override { return kName; }

    /// See FaceDetector::detect(). Also throws InputError when the pyramid's largest level (bigger
    /// than the image when min_face_size < 12) has more than max_pixels pixels.
    std::vector<Face> detect(const cv::Mat& image) const override;

    /// O-Net on a square crop around `previous`, with its box regression applied (once more on the
    /// corrected crop when the box moved by more than a few percent of its side) and its landmarks
    /// refreshed. Much cheaper than detect(): no pyramid, no P-Net, one or two 48x48 forward passes.
    /// Returns nullopt when O-Net's score is not above MtcnnOptions::onet_threshold.
    /// Checks and throws as FaceDetector::refine().
    std::optional<Face> refine(const cv::Mat& image, const cv::Rect2f& previous) const override;

    /// A copy (see the copy constructor).
    std::unique_ptr<FaceDetector> clone() const override;

    /// The settings it was made with.
    const FaceDetectorOptions& options() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
