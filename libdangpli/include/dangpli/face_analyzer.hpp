#pragma once
// One frame in, every face with its emotion out: FaceDetector -> FaceAligner -> EmotionClassifier.

#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/emotion_scores.hpp"
#include "dangpli/face.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector.hpp"

namespace dangpli {

struct AnalyzedFace {
    Face face;
    EmotionScores emotion;
};

/// Thread-safety: like its parts, analyze() may be called from several threads but calls on one
/// object take turns; give each thread its own copy (copies share no mutable state).
class FaceAnalyzer {
public:
    FaceAnalyzer(FaceDetector detector, EmotionClassifier classifier,
                 TestTimeAugmentation tta = TestTimeAugmentation::Single);

    /// The faces in `frame` (8-bit gray, BGR or BGRA), highest detector score first, each classified
    /// in one batch. Throws InputError for an unusable frame (see FaceDetector::detect).
    std::vector<AnalyzedFace> analyze(const cv::Mat& frame) const;

    const FaceDetector& detector() const { return detector_; }
    const EmotionClassifier& classifier() const { return classifier_; }

private:
    FaceDetector detector_;
    EmotionClassifier classifier_;
    FaceAligner aligner_;
    TestTimeAugmentation tta_;
};

}  // namespace dangpli
