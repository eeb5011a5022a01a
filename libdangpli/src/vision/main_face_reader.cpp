#include "dangpli/main_face_reader.hpp"

#include <algorithm>

#include "dangpli/error.hpp"

namespace dangpli {

MainFaceReader::MainFaceReader(std::unique_ptr<FaceDetector> detector, EmotionClassifier classifier, MainFaceReaderOptions options)
    : tracker_(std::move(detector), options.tracking),
      classifier_(std::move(classifier)),
      aligner_(classifier_.face_size()),
      options_(options) {
    if (options_.classify_every < 1) throw InputError("main face reader: classify_every must be at least 1");
}

TraceFrame MainFaceReader::read(const cv::Mat& frame, double time) {
    last_ = tracker_.next(frame, time);
    TraceFrame out;
    out.time = time;
    // Between full detections only the main face is followed: the others found by the last one are
    // still counted, or a room of two read "faces: 1" on 29 frames of 30.
    if (last_.full_detection) faces_in_sight_ = last_.faces.size();
    out.faces = last_.faces.empty() ? 0 : std::max(last_.faces.size(), faces_in_sight_);
    out.new_person = last_.new_person;
    out.confirmed = last_.confirmed;
    if (!last_.main) {
        last_scores_.reset();
        return out;
    }
    const Face& face = last_.faces[*last_.main];
    out.main_face = face;
    const bool stale = !last_scores_ || last_.new_person || ++frames_since_classified_ >= options_.classify_every;
    if (stale) {
        last_scores_ = classifier_.classify(aligner_.align(frame, face), options_.tta);
        frames_since_classified_ = 0;
    }
    out.scores = last_scores_;
    return out;
}

}  // namespace dangpli
