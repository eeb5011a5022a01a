#pragma once
/// \file
/// TiltRetryDetector: where a detector finds no face, look again in the image turned both ways.

#include <atomic>
#include <memory>
#include <string>

#include "dangpli/face_detector.hpp"

namespace dangpli {

/// Runs `inner` on an image and, when it finds no face, on the image rotated by +angle and by
/// -angle degrees, keeps the faces that look upright there (eyes within 45 degrees of level,
/// mouth below them), and maps the better rotation's faces back into the image. MTCNN and YuNet are
/// trained on upright faces and miss many heads tilted past about 30 degrees, as when a person
/// rests their head on a hand (bench_framing on FER2013: the turned look finds about 70% of the
/// faces mtcnn+yunet misses). Where the inner detector finds a face the result is exactly its own,
/// so the wrapper only adds faces. A face found turned keeps its landmarks on the face, so
/// FaceAligner turns it upright; its box is the turned box's centre and size.
///
/// Costs nothing while a face is found; two more detections, on a canvas that holds the turned
/// image (skipped where it would exceed options().max_pixels), on an image without one. A large
/// image is shrunk first, until smallest_face_searched() is min_face_size: the faces looked for
/// are those of the upright search, at a fraction of the cost. For a
/// stream whose frames are mostly empty, `retry_every` = n looks turned on every n-th image without
/// a face only (a stateful count, shared by the threads that call one object); refine() always
/// looks turned, on the small window around the tracked face.
class TiltRetryDetector final : public FaceDetector {
public:
    /// Named as `inner`. Throws InputError if `inner` is null, `angle_degrees` is not in (0, 90)
    /// or `retry_every` < 1.
    TiltRetryDetector(std::unique_ptr<FaceDetector> inner, float angle_degrees, int retry_every = 1);
    /// As above, with `turned` (when not null) searching the turned canvas. The canvas is larger
    /// than the image: an inner detector with a min_face_fraction would look there for larger faces
    /// than in the image (up to 1.4 times), so make_face_detector() gives the retry the same kind
    /// of detector with min_face_fraction 0 (the retry shrinks a large image itself, see detect()).
    TiltRetryDetector(std::unique_ptr<FaceDetector> inner, std::unique_ptr<FaceDetector> turned, float angle_degrees,
                      int retry_every = 1);

    /// The inner detector's name: the retry is a way of running it, not another model.
    std::string_view name() const override { return inner_->name(); }
    /// The inner detector's faces, or (on every retry_every-th image without one) those it finds
    /// in the image turned by +-angle.
    std::vector<Face> detect(const cv::Mat& image) const override;
    /// The inner detector's refine(), or where it loses the face, the turned look on the window
    /// around `previous` (as FaceDetector::refine searches it), whatever retry_every says.
    std::optional<Face> refine(const cv::Mat& image, const cv::Rect2f& previous) const override;
    /// A clone of the inner (and turned) detector, same angle and cadence (its count starts afresh).
    std::unique_ptr<FaceDetector> clone() const override;
    /// The inner detector's settings.
    const FaceDetectorOptions& options() const override { return inner_->options(); }

private:
    std::vector<Face> detect_turned_both_ways(const cv::Mat& image) const;
    std::vector<Face> detect_turned(const cv::Mat& image, float angle_degrees) const;

    std::unique_ptr<FaceDetector> inner_;
    std::unique_ptr<FaceDetector> turned_;  // searches the turned canvas; none: inner_ does
    float angle_;
    int retry_every_;
    mutable std::atomic<long long> misses_{0};  // images without a face so far, for retry_every
};

}  // namespace dangpli
