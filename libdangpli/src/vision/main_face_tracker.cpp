#include "dangpli/main_face_tracker.hpp"

#include <algorithm>

namespace dangpli {
namespace {

std::vector<Face>::const_iterator largest_face(const std::vector<Face>& faces) {
    return std::max_element(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.box.area() < b.box.area(); });
}

// The face that overlaps `box` most, by at least min_iou; `skip` is never it.
std::optional<std::size_t> best_overlap(const cv::Rect2f& box, const std::vector<Face>& faces, float min_iou,
                                        std::optional<std::size_t> skip = std::nullopt) {
    std::optional<std::size_t> best;
    float best_iou = min_iou;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const float iou = intersection_over_union(box, faces[i].box);
        if (i != skip && iou >= best_iou) best_iou = iou, best = i;
    }
    return best;
}

// A face twice as wide as the main face (four times its area) is nearer the camera: the user come
// back in front of a photo that was taken for them while they were away. Two people at a desk, one
// a little nearer (1.45 times as wide), do not take the music from each other.
constexpr float kNearerArea = 4.0f;

}  // namespace

float intersection_over_union(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0.0f ? inter / uni : 0.0f;
}

MainFaceTracker::Selection MainFaceTracker::select(const std::vector<Face>& faces, double time, bool every_face) {
    if (last_ && time - last_seen_ > options_.forget_after_s) last_.reset();
    if (!last_) return follow_largest(faces, time);

    Selection s;
    if (const auto best = best_overlap(*last_, faces, options_.min_iou)) {
        challenger_.reset();  // nobody stands in for a main face that is found
        if (every_face)
            if (auto nearer = take_over_nearer(faces, *best, time)) return *nearer;
        s.index = best;
        last_ = faces[*best].box;
        last_seen_ = std::max(last_seen_, time);
        confirmed_ = confirmed_ || last_seen_ - first_seen_ >= options_.confirm_after_s;
        s.confirmed = confirmed_;
        return s;
    }
    // Not yet confirmed and missed for longer than a moment, it gives way to whoever else is in
    // sight; alone, it is remembered like the user, since a real face that the detector finds only
    // now and then comes back where it was.
    if (!confirmed_ && time - last_seen_ > options_.confirm_after_s && !faces.empty()) return follow_largest(faces, time);
    if (auto taken = take_over(faces, time)) return *taken;
    return s;  // not found: the user may be hidden for a moment, and someone passing is not them
}

std::optional<MainFaceTracker::Selection> MainFaceTracker::take_over(const std::vector<Face>& faces, double time) {
    const auto followed = challenger_ ? best_overlap(challenger_->box, faces, options_.min_iou) : std::nullopt;
    if (!followed) {
        // A frame or two without it (the detector misses now and then) does not restart its clock.
        if (faces.empty() && challenger_ && time - challenger_->last_seen <= options_.confirm_after_s) return std::nullopt;
        challenger_.reset();
        if (faces.empty()) return std::nullopt;
        const auto largest = largest_face(faces);
        challenger_ = Challenger{largest->box, time, time};
        return std::nullopt;
    }
    challenger_->box = faces[*followed].box;
    challenger_->last_seen = std::max(challenger_->last_seen, time);
    // Only a face of about the user's size is the user moved; another (a photo on the wall once the
    // user has left) waits until the user is forgotten, and is then a new person.
    const float area_ratio = challenger_->box.area() / std::max(last_->area(), 1.0f);
    if (area_ratio < 0.5f || area_ratio > 2.0f) return std::nullopt;
    if (challenger_->last_seen - challenger_->since < options_.take_over_after_s) return std::nullopt;
    Selection s;
    s.index = followed;
    last_ = challenger_->box;
    last_seen_ = challenger_->last_seen;
    confirmed_ = s.confirmed = challenger_->last_seen - challenger_->since >= options_.confirm_after_s;
    challenger_.reset();
    return s;
}

std::optional<MainFaceTracker::Selection> MainFaceTracker::take_over_nearer(const std::vector<Face>& faces, std::size_t main,
                                                                          double time) {
    const float nearer_than = kNearerArea * faces[main].box.area();
    auto followed = nearer_ ? best_overlap(nearer_->box, faces, options_.min_iou, main) : std::nullopt;
    if (followed && faces[*followed].box.area() < nearer_than) followed.reset();
    if (!followed) {
        if (nearer_ && time - nearer_->last_seen <= options_.confirm_after_s) return std::nullopt;  // a missed frame
        nearer_.reset();
        std::optional<std::size_t> largest;
        for (std::size_t i = 0; i < faces.size(); ++i)
            if (i != main && faces[i].box.area() >= nearer_than && (!largest || faces[i].box.area() > faces[*largest].box.area()))
                largest = i;
        if (largest) nearer_ = Challenger{faces[*largest].box, time, time};
        return std::nullopt;
    }
    nearer_->box = faces[*followed].box;
    nearer_->last_seen = std::max(nearer_->last_seen, time);
    // Longer than anyone passes in front of the user, and as long as the user may be away unforgotten.
    if (nearer_->last_seen - nearer_->since < options_.forget_after_s) return std::nullopt;
    Selection s;
    s.index = followed;
    s.new_person = s.confirmed = confirmed_ = true;
    last_ = nearer_->box;
    first_seen_ = nearer_->since;
    last_seen_ = nearer_->last_seen;
    nearer_.reset();
    return s;
}

MainFaceTracker::Selection MainFaceTracker::follow_largest(const std::vector<Face>& faces, double time) {
    Selection s;
    last_.reset();
    challenger_.reset();
    nearer_.reset();
    if (faces.empty()) return s;
    const auto largest = largest_face(faces);
    s.index = static_cast<std::size_t>(largest - faces.begin());
    last_ = largest->box;
    first_seen_ = last_seen_ = time;
    s.new_person = true;
    confirmed_ = s.confirmed = options_.confirm_after_s <= 0.0;
    return s;
}

}  // namespace dangpli
