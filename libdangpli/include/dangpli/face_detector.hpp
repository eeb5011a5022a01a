#pragma once
/// \file
/// FaceDetector: face detection with MTCNN (Zhang, Zhang, Li and Qiao, 2016) on OpenCV's dnn module.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"
#include "dangpli/image_file.hpp"

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

/// Settings of the cascade. The defaults are the paper's / reference implementation's constants.
struct FaceDetectorOptions {
    /// Smallest face searched for, in pixels of the input image (side of a square box). Must be > 0.
    /// Smaller means more pyramid levels: slower, finds smaller faces. Default 20.
    float min_face_size = 20.0f;
    /// Ratio between consecutive pyramid scales, in (0, 1). Default 0.709 (about 1/sqrt(2)).
    float pyramid_factor = 0.709f;

    /// Face-probability thresholds in [0, 1] of the three stages (a candidate must score more).
    /// Higher: fewer false positives, fewer faces found. Defaults 0.6 / 0.7 / 0.7.
    float pnet_threshold = 0.6f;
    float rnet_threshold = 0.7f;  ///< R-Net's threshold (see pnet_threshold), default 0.7
    float onet_threshold = 0.7f;  ///< O-Net's threshold (see pnet_threshold), default 0.7

    /// Non-maximum suppression thresholds in (0, 1]: a box overlapping a better one by more is dropped.
    /// This one: within one pyramid scale, intersection-over-union (default 0.5).
    float nms_scale = 0.5f;
    float nms_pyramid = 0.7f;  ///< NMS across the pyramid's scales, intersection-over-union (default 0.7)
    /// NMS after R-Net, intersection-over-union (default 0.7; 0.5 roughly halves O-Net's work).
    float nms_refine = 0.7f;
    /// NMS after O-Net, intersection over the smaller box's area (default 0.7), which also drops a
    /// small box inside a big one.
    float nms_output = 0.7f;

    /// Largest image accepted, in pixels (width * height); it also caps the largest pyramid level,
    /// which is bigger than the image when min_face_size < 12. Default 40 megapixels.
    std::int64_t max_pixels = kDefaultMaxImagePixels;
};

/// Finds faces: a box, a confidence and five landmarks each.
///
/// Thread-safety: detect() may be called from several threads, but calls on the same object are
/// serialised by an internal mutex (the nets keep their buffers between forward passes). For
/// parallel work, give each thread its own copy: copying builds fresh nets from the model bytes the
/// detector keeps in memory (no file access, a few milliseconds), so copies share no mutable state.
/// Moving is cheap and leaves the moved-from detector unusable except for assignment/destruction.
class FaceDetector {
public:
    /// The settings type.
    using Options = FaceDetectorOptions;

    /// Loads the three nets. Throws ModelError when a file cannot be read or is not a usable
    /// MTCNN Caffe model, InputError when an option is out of its documented range. The default
    /// `paths` are looked up when the constructor is called, and throw as MtcnnModelPaths::find().
    explicit FaceDetector(const MtcnnModelPaths& paths = MtcnnModelPaths::find(), Options options = {});

    /// A copy with its own nets, parsed from the model bytes this detector holds (see above).
    FaceDetector(const FaceDetector& other);
    /// Replaces this detector's nets and options with fresh copies of `other`'s.
    FaceDetector& operator=(const FaceDetector& other);
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    FaceDetector(FaceDetector&&) noexcept;
    /// Cheap; the moved-from detector may only be assigned to or destroyed.
    FaceDetector& operator=(FaceDetector&&) noexcept;
    ~FaceDetector();

    /// Finds the faces in an 8-bit image with 1 (gray), 3 (BGR) or 4 (BGRA) channels.
    /// Returns them sorted by score, highest first. Boxes and landmarks are in the image's pixel
    /// coordinates; boxes are not clipped and may reach a few pixels past the image's edges.
    /// Throws InputError for an empty image, another depth or channel count, or more than
    /// Options::max_pixels pixels (in the image or the pyramid's largest level).
    std::vector<Face> detect(const cv::Mat& image) const;

    /// Re-finds a face near `previous`, a box found in an earlier frame of the same stream: O-Net on
    /// a square crop around it, with its box regression applied (once more on the corrected crop
    /// when the box moved by more than a few percent of its side) and its landmarks refreshed.
    /// Much cheaper than detect(): no pyramid, no P-Net, one or two 48x48 forward passes.
    /// Returns nullopt when the face is not there any more (O-Net's score not above
    /// Options::onet_threshold): the track is lost, and a caller should run detect().
    /// The image is checked as in detect(); throws InputError also when `previous` has no area or
    /// is not finite. Same thread-safety as detect().
    std::optional<Face> refine(const cv::Mat& image, const cv::Rect2f& previous) const;

    /// The settings it was made with.
    const Options& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
