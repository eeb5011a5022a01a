#include "dangpli/main_face_tracker.hpp"

#include <algorithm>

namespace dangpli {

float intersection_over_union(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0.0f ? inter / uni : 0.0f;
}

MainFaceTracker::Selection MainFaceTracker::select(const std::vector<Face>& faces, double time) {
    if (last_ && time - last_seen_ > options_.forget_after_s) last_.reset();
    if (!last_) return follow_largest(faces, time);

    std::size_t best = 0;
    float best_iou = -1.0f;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const float iou = intersection_over_union(*last_, faces[i].box);
        if (iou > best_iou) best_iou = iou, best = i;
    }
    Selection s;
    if (best_iou >= options_.min_iou) {
        s.index = best;
        last_ = faces[best].box;
        last_seen_ = std::max(last_seen_, time);
        confirmed_ = confirmed_ || last_seen_ - first_seen_ >= options_.confirm_after_s;
        s.confirmed = confirmed_;
        return s;
    }
    // Not yet confirmed and missed for longer than a moment, it gives way to whoever else is in
    // sight; alone, it is remembered like the user, since a real face that the detector finds only
    // now and then comes back where it was.
    if (!confirmed_ && time - last_seen_ > options_.confirm_after_s && !faces.empty()) return follow_largest(faces, time);
    return s;  // not found: the user may be hidden for a moment, and someone else is not them
}

MainFaceTracker::Selection MainFaceTracker::follow_largest(const std::vector<Face>& faces, double time) {
    Selection s;
    last_.reset();
    if (faces.empty()) return s;
    const auto largest = std::max_element(faces.begin(), faces.end(), [](const Face& a, const Face& b) {
        return a.box.area() < b.box.area();
    });
    s.index = static_cast<std::size_t>(largest - faces.begin());
    last_ = largest->box;
    first_seen_ = last_seen_ = time;
    s.new_person = true;
    confirmed_ = s.confirmed = options_.confirm_after_s <= 0.0;
    return s;
}

}  // namespace dangpli
