#pragma once
/// \file
/// MainFaceReader: the vision half of the live loop. Each frame in, the main face's box and its
/// seven emotion scores out (a TraceFrame, which `--trace` records), by tracking the face
/// (FaceTracker), aligning it (FaceAligner) and classifying it (EmotionClassifier).

#include <memory>
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_tracker.hpp"
#include "dangpli/live_trace.hpp"

namespace dangpli {

/// Settings of a MainFaceReader.
struct MainFaceReaderOptions {
    FaceTrackerOptions tracking;  ///< how often the full detector runs; who the main face is
    /// Classify the main face on every n-th frame and reuse its scores in between (>= 1). The
    /// scores of a new person are always read afresh. Every other frame by default: the mood is
    /// a mean over seconds of nearly alike frames, and the classifier is then the largest cost
    /// left (bench_live_pipeline).
    int classify_every = 2;
    /// Views averaged per classification: the face and its mirror image. On 180 held FER faces
    /// through `dangpli live` (bench/live_faces.sh build 20) the mood at the end is right on 135
    /// against 127 with one view (8 clips right only with the mirror, none only without) and agrees
    /// with eval's reading of the crop on 156 against 150, for 0.15 of a core against 0.13-0.15
    /// (bench/live_cpu.sh, side by side).
    TestTimeAugmentation tta = TestTimeAugmentation::Mirror;
};

/// Reads the main face of each frame of one stream. Not thread-safe: one reader per stream.
class MainFaceReader {
public:
    /// Throws InputError for a null detector or options out of range (as FaceTracker, and
    /// classify_every < 1).
    MainFaceReader(std::unique_ptr<FaceDetector> detector, EmotionClassifier classifier, MainFaceReaderOptions options = {});

    /// The main face of `frame` (8-bit gray, BGR or BGRA) at `time` seconds. Throws InputError for
    /// an unusable frame (see FaceDetector::detect).
    TraceFrame read(const cv::Mat& frame, double time);
    /// The faces known in the last frame read (all of them after a full detection, only the main
    /// face while it is tracked), e.g. to draw them.
    const std::vector<Face>& faces() const { return last_.faces; }
    /// The classifier it runs (e.g. for its model card).
    const EmotionClassifier& classifier() const { return classifier_; }

private:
    FaceTracker tracker_;
    EmotionClassifier classifier_;
    FaceAligner aligner_;
    MainFaceReaderOptions options_;
    TrackedFrame last_;
    std::size_t faces_in_sight_ = 0;  // faces the last full detection found
    std::optional<EmotionScores> last_scores_;
    int frames_since_classified_ = 0;
};

}  // namespace dangpli
