#pragma once
/// \file
/// MainFaceTracker: which face in a frame is "the user": the largest one at first, then the one
/// that overlaps the previous main face most, so that a bigger face walking by does not take over
/// the mood (one that stays in front, nearer the camera, does after a while). A new face is confirmed only once it has been followed for a moment, so that a
/// "face" the detector sees for a frame or two in a busy background is not announced as someone.

#include <optional>
#include <vector>

#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"

namespace dangpli {

/// Intersection over union of two boxes, in [0, 1]; 0 when both are empty.
float intersection_over_union(const cv::Rect2f& a, const cv::Rect2f& b);

/// Settings of a MainFaceTracker.
struct MainFaceTrackerOptions {
    float min_iou = 0.3f;  ///< overlap with the last main face to count as the same person
    /// Seconds without the main face before it is forgotten. A face the detector finds only now and
    /// then (small, dim, turned) comes and goes for fractions of a second; each return must not be
    /// a new person whose mood is read afresh. As long as LiveSession's no-face notice (3 s).
    double forget_after_s = 3.0;
    /// Seconds a new person must be followed (found again this long after it was first found)
    /// before it is confirmed; 0 = at once. A busy background shows the detectors a "face" now and
    /// then, each time somewhere else and for a frame or a few (docs/ARCHITECTURE.md, "False
    /// faces": 11 arrivals in a textured empty 60 s clip, each followed for at most 0.27 s). Its
    /// mood is read from the first frame (LiveSession), but only a confirmed face is announced
    /// as someone arriving and stops the away clock (FaceTracker).
    double confirm_after_s = 0.4;
    /// Seconds a face of about the main face's size (half to twice its area) must be followed, while
    /// the main face is missed, before it is taken as the user moved faster than the tracker follows
    /// (a bumped laptop, a jump in a video): it was "no face in sight" for forget_after_s with the
    /// face in plain view. Longer than someone takes to pass in front of the user. A face of another
    /// size (a photo on the wall once the user has left) waits for forget_after_s, then is a new person.
    double take_over_after_s = 1.0;
};

/// Follows the main face from frame to frame by overlap. While there is none, the largest face
/// becomes the main face, a new person; it is confirmed once found again confirm_after_s or more
/// after it came. When the main face is not found (no face overlaps it by min_iou), no face is
/// main for up to forget_after_s seconds on the frames' clock, since the user may be hidden for a
/// moment; after that it is forgotten. A main face not yet confirmed and missed for longer than
/// confirm_after_s gives way at once to the largest face of a frame that has one (it was most
/// likely the detector's mistake); a confirmed one gives way to a face of its size followed for
/// take_over_after_s while it is missed (the user moved). A face twice as wide as the main face or
/// more, followed for forget_after_s beside it, takes over as a new person: the user back in front
/// of a photo on the wall that was taken for them while they were away (someone passing in front
/// is gone sooner).
/// Not thread-safe: one tracker per stream of frames. Nothing throws.
class MainFaceTracker {
public:
    /// Any options are accepted (not checked).
    explicit MainFaceTracker(MainFaceTrackerOptions options = {}) : options_(options) {}

    /// The main face of one frame.
    struct Selection {
        /// Into the frame's faces; none when there is no face, or while the main face is missed
        /// (see the class).
        std::optional<std::size_t> index;
        bool new_person = false;  ///< the main face is not the one followed before
        bool confirmed = false;   ///< the main face has been followed for confirm_after_s
    };

    /// Picks the main face among the faces of the frame at `time` seconds (a clock that steps
    /// back counts as standing still). The very first face is a new person too. `every_face`
    /// false: `faces` is only the main face followed between full detections, which says nothing
    /// of the other faces in sight.
    Selection select(const std::vector<Face>& faces, double time, bool every_face = true);
    /// Forgets the main face: the next face chosen is a new person.
    void reset() {
        last_.reset();
        challenger_.reset();
        nearer_.reset();
    }

private:
    Selection follow_largest(const std::vector<Face>& faces, double time);
    std::optional<Selection> take_over(const std::vector<Face>& faces, double time);
    std::optional<Selection> take_over_nearer(const std::vector<Face>& faces, std::size_t main, double time);

    // Another face, followed while the main face is missed (challenger_) or beside it (nearer_).
    struct Challenger {
        cv::Rect2f box;
        double since = 0.0;
        double last_seen = 0.0;
    };

    MainFaceTrackerOptions options_;
    std::optional<cv::Rect2f> last_;  // the main face's last box
    double first_seen_ = 0.0;  // when the main face was first found
    double last_seen_ = 0.0;   // when it was last found
    bool confirmed_ = false;   // it was found again confirm_after_s after that
    std::optional<Challenger> challenger_;
    std::optional<Challenger> nearer_;  // twice the main face's width or more, followed while it is found
};

}  // namespace dangpli
