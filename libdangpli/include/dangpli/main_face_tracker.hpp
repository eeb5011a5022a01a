#pragma once
// Which face in a frame is "the user": the largest one at first, then the one that overlaps the
// previous main face most, so that a bigger face walking by does not take over the mood.

#include <cstddef>
#include <optional>
#include <vector>

#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"

namespace dangpli {

/// Intersection over union of two boxes, in [0, 1].
float intersection_over_union(const cv::Rect2f& a, const cv::Rect2f& b);

struct MainFaceTrackerOptions {
    float min_iou = 0.3f;         ///< overlap with the last main face to count as the same person
    std::size_t max_missed = 15;  ///< frames without the main face before it is forgotten
};

/// Not thread-safe: one tracker per stream of frames.
class MainFaceTracker {
public:
    explicit MainFaceTracker(MainFaceTrackerOptions options = {}) : options_(options) {}

    struct Selection {
        std::optional<std::size_t> index;  ///< into the frame's faces; none when there is no face
        bool new_person = false;           ///< the main face is not the one followed before
    };

    /// Picks the main face among this frame's faces.
    Selection select(const std::vector<Face>& faces);
    void reset() { last_.reset(), missed_ = 0; }

private:
    MainFaceTrackerOptions options_;
    std::optional<cv::Rect2f> last_;
    std::size_t missed_ = 0;
};

}  // namespace dangpli
