#pragma once
/// \file
/// FaceDetector: what every face detector does (find faces, follow one, copy itself per thread),
/// and the landmark convention every detector keeps. MtcnnDetector and YunetDetector implement
/// it; make_face_detector() (face_detector_factory.hpp) makes one by name.

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"
#include "dangpli/face_detector_options.hpp"

namespace dangpli {

/// Finds faces: a box, a confidence and five landmarks each.
///
/// **Landmarks.** Every detector gives the five landmarks in the library's Landmark order (left
/// eye, right eye, nose, mouth left, mouth right; left and right as seen in the image), whatever
/// order its model uses. FaceAligner's template (FaceAligner::kFer48Template) was calibrated on
/// MTCNN's landmarks, so another detector's points should fall where MTCNN's do on the same face:
/// a test checks YuNet's against MTCNN's on real photos.
///
/// **Scores** are in [0, 1]; detect() returns faces sorted by score, highest first.
///
/// Thread-safety: detect() and refine() may be called from several threads, but calls on one
/// object take turns (an internal mutex: the nets keep buffers between forward passes). For
/// parallel work give each thread its own clone().
class FaceDetector {
public:
    virtual ~FaceDetector() = default;

    /// The detector's name, as make_face_detector() takes it ("mtcnn", "yunet").
    virtual std::string_view name() const = 0;

    /// Finds the faces in an 8-bit image with 1 (gray), 3 (BGR) or 4 (BGRA) channels.
    /// Returns them sorted by score, highest first. Boxes and landmarks are in the image's pixel
    /// coordinates; boxes are not clipped and may reach a few pixels past the image's edges.
    /// Throws InputError for an empty image, another depth or channel count, or more than
    /// FaceDetectorOptions::max_pixels pixels.
    virtual std::vector<Face> detect(const cv::Mat& image) const = 0;

    /// Re-finds a face near `previous`, a box found in an earlier frame of the same stream, for a
    /// tracker (FaceTracker). Returns nullopt when the face is not there any more: the track is
    /// lost, and a caller should run detect().
    /// This default runs detect() on a window twice the box's side around it (clipped to the
    /// image) and returns the face found there that overlaps `previous` most; a detector with a
    /// cheaper way overrides it (MTCNN: O-Net alone on the box).
    /// The image is checked as in detect(); throws InputError also when `previous` has no area or
    /// is not finite. Same thread-safety as detect().
    virtual std::optional<Face> refine(const cv::Mat& image, const cv::Rect2f& previous) const;

    /// A copy for another thread: same model and options, no shared mutable state.
    virtual std::unique_ptr<FaceDetector> clone() const = 0;

    /// The settings it was made with.
    virtual const FaceDetectorOptions& options() const = 0;

protected:
    /// What the default refine() does, with `find` in place of detect(): runs it on the window
    /// around `previous` and returns the face that overlaps `previous` most (checks as refine()).
    std::optional<Face> search_near(const cv::Mat& image, const cv::Rect2f& previous,
                                    const std::function<std::vector<Face>(const cv::Mat&)>& find) const;

    /// Only an implementation makes one (the interface holds no state).
    FaceDetector() = default;
    /// For an implementation's own copy constructor.
    FaceDetector(const FaceDetector&) = default;
    /// For an implementation's own copy assignment.
    FaceDetector& operator=(const FaceDetector&) = default;
    /// For an implementation's own move constructor.
    FaceDetector(FaceDetector&&) noexcept = default;
    /// For an implementation's own move assignment.
    FaceDetector& operator=(FaceDetector&&) noexcept = default;
};

}  // namespace dangpli
