#pragma once
/// \file
/// FaceTracker: follows the main face through a stream of frames with FaceDetector::refine(), and
/// runs the full detector only when it must (no main face, the track lost) or every few frames.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"
#include "dangpli/face_detector.hpp"
#include "dangpli/main_face_tracker.hpp"

namespace dangpli {

/// Settings of a FaceTracker.
struct FaceTrackerOptions {
    /// Frames between full detections while a face is tracked (>= 1; 1 = detect every frame, i.e.
    /// no tracking). A full detection also finds faces that came in, and corrects a drifting track.
    int redetect_every = 30;
    /// How the main face is chosen on full detections (see MainFaceTracker).
    MainFaceTrackerOptions selection;
    /// While no face is in sight, the full cascade runs on every search_every-th frame only (>= 1):
    /// an empty room costs little, and a face that comes in is found within search_every frames.
    int search_every = 3;
    /// Once no confirmed main face has been seen for away_after_s seconds on the frames' clock (the
    /// user is away), the search runs on every away_search_every-th frame instead (>= 1): an empty
    /// room then costs about half, and a returning face is found within a fifth of a second at 30 fps.
    double away_after_s = 10.0;
    int away_search_every = 6;  ///< see away_after_s
};

/// What FaceTracker found in one frame.
struct TrackedFrame {
    /// The faces known in this frame: all of them after a full detection (sorted by score, as
    /// FaceDetector::detect() returns them), only the main face while tracking.
    std::vector<Face> faces;
    std::optional<std::size_t> main;  ///< index of the main face in `faces`; none when no main face
    bool new_person = false;          ///< the main face is not the one followed before (as MainFaceTracker::Selection)
    bool confirmed = false;           ///< the main face has been followed for the selection's confirm_after_s
    bool full_detection = false;      ///< this frame ran the full cascade
};

/// Follows the main face: the full detector when there is no main face or every
/// redetect_every frames, FaceDetector::refine() around the main face's last box in between; falls
/// back to full detection in the same frame when the track is lost (refine() finds no face, or
/// the face it finds overlaps the last box by less than the selection's min_iou).
/// The main face is chosen by a MainFaceTracker on full detections; on tracked frames the main face
/// continues (new_person is false). Only a confirmed main face stops the away clock.
/// Not thread-safe: one tracker per stream of frames (movable, not copyable: it owns its detector).
class FaceTracker {
public:
    /// Takes the detector it runs. Throws InputError when `detector` is null,
    /// options.redetect_every, search_every or away_search_every < 1, or away_after_s is negative or NaN.
    explicit FaceTracker(std::unique_ptr<FaceDetector> detector, FaceTrackerOptions options = {});

    /// The faces of the next frame of the stream (an 8-bit gray, BGR or BGRA image; throws
    /// InputError as FaceDetector::detect() does for others), taken at `time` seconds (the
    /// selection forgets a main face missed for longer than its forget_after_s).
    TrackedFrame next(const cv::Mat& frame, double time);

    /// Forgets the main face: the next frame runs a full detection and its main face is a new person.
    void reset();

    /// The detector it runs.
    const FaceDetector& detector() const;

private:
    TrackedFrame detect_all(const cv::Mat& frame, double time);
    void apply_selection(TrackedFrame& found, const MainFaceTracker::Selection& selected, double time);

    std::unique_ptr<FaceDetector> detector_;
    FaceTrackerOptions options_;
    MainFaceTracker selection_;
    std::optional<cv::Rect2f> main_box_;  // the main face's last box while one is followed
    int tracked_frames_left_ = 0;  // tracked frames before the next full detection
    int idle_frames_left_ = 0;  // frames without a search while no face is in sight
    std::optional<double> last_face_time_;  // when a face was last seen (or the stream began)
};

}  // namespace dangpli
