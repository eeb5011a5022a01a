#include "dangpli/main_face_tracker.hpp"

#include <algorithm>

namespace dangpli {

float intersection_over_union(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0.0f ? inter / uni : 0.0f;
}

MainFaceTracker::Selection MainFaceTracker::select(const std::vector<Face>& faces, double time) {
    Selection s;
    if (last_ && forgotten(time)) last_.reset();
    if (last_) {
        std::size_t best = 0;
        float best_iou = -1.0f;
        for (std::size_t i = 0; i < faces.size(); ++i) {
            const float iou = intersection_over_union(*last_, faces[i].box);
            if (iou > best_iou) best_iou = iou, best = i;
        }
        if (best_iou >= options_.min_iou) {
            s.index = best;
            last_ = faces[best].box;
            last_seen_ = std::max(last_seen_, time);
        }
        return s;  // not found: the user may be hidden for a moment, and someone else is not them
    }
    if (faces.empty()) return s;
    const auto largest = std::max_element(faces.begin(), faces.end(), [](const Face& a, const Face& b) {
        return a.box.area() < b.box.area();
    });
    s.index = static_cast<std::size_t>(largest - faces.begin());
    s.new_person = true;
    last_ = largest->box;
    last_seen_ = time;
    return s;
}

}  // namespace dangpli
