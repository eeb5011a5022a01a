#pragma once
/// \file
/// MainFaceTracker: which face in a frame is "the user": the largest one at first, then the one
/// that overlaps the previous main face most, so that a bigger face walking by does not take over
/// the mood.

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
};

/// Follows the main face from frame to frame by overlap. When the main face is not found (no
/// face overlaps it by min_iou), no face is main for up to forget_after_s seconds on the frames'
/// clock, since the user may be hidden for a moment; after that the largest face becomes the main
/// one, a new person. Not thread-safe: one tracker per stream of frames. Nothing throws.
class MainFaceTracker {
public:
    /// Any options are accepted (not checked).
    explicit MainFaceTracker(MainFaceTrackerOptions options = {}) : options_(options) {}

    /// The main face of one frame.
    struct Selection {
        /// Into the frame's faces; none when there is no face, or while the main face is missed
        /// (see the class).
        std::optional<std::size_t> index;
        bool new_person = false;           ///< the main face is not the one followed before
    };

    /// Picks the main face among the faces of the frame at `time` seconds (a clock that steps back
    /// counts as standing still). The very first face is a new person too.
    Selection select(const std::vector<Face>& faces, double time);
    /// Forgets the main face: the next face chosen is a new person.
    void reset() { last_.reset(); }

private:
    bool forgotten(double time) const { return time - last_seen_ > options_.forget_after_s; }

    MainFaceTrackerOptions options_;
    std::optional<cv::Rect2f> last_;
    double last_seen_ = 0.0;  // when the main face was last found
};

}  // namespace dangpli
