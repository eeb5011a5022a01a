#include "dangpli/face_tracker.hpp"

#include <utility>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli {

FaceTracker::FaceTracker(std::unique_ptr<FaceDetector> detector, FaceTrackerOptions options)
    : detector_(std::move(detector)), options_(options), selection_(options.selection) {
    if (!detector_) throw InputError("face tracker: no face detector given");
    if (options_.redetect_every < 1)
        throw InputError(fmt::format("face tracker: redetect_every must be >= 1 frame, got {}", options_.redetect_every));
    if (options_.search_every < 1)
        throw InputError(fmt::format("face tracker: search_every must be >= 1 frame, got {}", options_.search_every));
    if (options_.away_search_every < 1)
        throw InputError(fmt::format("face tracker: away_search_every must be >= 1 frame, got {}", options_.away_search_every));
    if (!(options_.away_after_s >= 0.0))
        throw InputError(fmt::format("face tracker: away_after_s must be >= 0 seconds, got {}", options_.away_after_s));
}

TrackedFrame FaceTracker::next(const cv::Mat& frame, double time) {
    if (!last_face_time_) last_face_time_ = time;
    if (main_box_ && tracked_frames_left_ > 0) {
        --tracked_frames_left_;
        const auto face = detector_->refine(frame, *main_box_);
        // a face that moved too far for the selection to call it the same one is a lost track
        if (face && intersection_over_union(*main_box_, face->box) >= options_.selection.min_iou) {
            TrackedFrame found;
            found.faces = {*face};
            // the selection sees every frame: its last box stays current, and a new face is
            // confirmed on a tracked frame too
            apply_selection(found, selection_.select(found.faces, time, /*every_face=*/false), time);
            return found;
        }
    }
    if (idle_frames_left_ > 0) {
        --idle_frames_left_;
        (void)selection_.select({}, time);  // the selection times how long its main face is missed
        return {};
    }
    return detect_all(frame, time);
}

TrackedFrame FaceTracker::detect_all(const cv::Mat& frame, double time) {
    TrackedFrame found;
    found.faces = detector_->detect(frame);
    found.full_detection = true;
    main_box_.reset();
    apply_selection(found, selection_.select(found.faces, time), time);
    tracked_frames_left_ = options_.redetect_every - 1;
    const bool away = time - *last_face_time_ >= options_.away_after_s;
    idle_frames_left_ = found.faces.empty() ? (away ? options_.away_search_every : options_.search_every) - 1 : 0;
    return found;
}

void FaceTracker::apply_selection(TrackedFrame& found, const MainFaceTracker::Selection& selected, double time) {
    found.main = selected.index;
    found.new_person = selected.new_person;
    found.confirmed = selected.confirmed;
    if (selected.index) main_box_ = found.faces[*selected.index].box;
    // a "face" seen for a moment in a busy background must not keep an empty room's search fast
    if (selected.confirmed) last_face_time_ = time;
}

void FaceTracker::reset() {
    selection_.reset();
    main_box_.reset();
    tracked_frames_left_ = 0;
    idle_frames_left_ = 0;
    last_face_time_.reset();
}

const FaceDetector& FaceTracker::detector() const { return *detector_; }

}  // namespace dangpli
