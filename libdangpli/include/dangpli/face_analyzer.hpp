#pragma once
/// \file
/// FaceAnalyzer: one frame in, every face with its emotion out (FaceDetector, then FaceAligner,
/// then EmotionClassifier).

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/class_balance.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/emotion_scores.hpp"
#include "dangpli/face.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector.hpp"

namespace dangpli {

/// The views a FaceAnalyzer averages per face unless told otherwise (`dangpli analyze`, the Python
/// Analyzer). On crops cut by the detector and aligner, mirror reads more than single (PublicTest
/// re-cut by tools/align_fer2013: 71.33% against 71.02% with fer-resnet-wide; 70.00% against
/// 68.82% with fer-resnet, 103 faces right only with the mirror, 59 only without), where on
/// FER2013's own crops it gains nothing; a photo's detection costs 10 to 15 times the 5 ms the
/// second view adds. `dangpli eval` stays single view; live reads the mirror too
/// (MainFaceReaderOptions::tta).
inline constexpr TestTimeAugmentation kDefaultAnalyzerTta = TestTimeAugmentation::Mirror;

/// The bundled model a FaceAnalyzer's users read photos with unless told otherwise (`dangpli
/// analyze`, the Python Analyzer): the ensemble `emotion/fer-ensemble.yaml`, the mean of the
/// networks its card lists (the card is their one list, with their figures on PublicTest as
/// analyze cuts and reads it). It reads photos better than one network (`live` and `eval` read
/// one, kDefaultModelName), at about 9 times its time per face: over live's 3 ms budget, small
/// beside a photo's 50-80 ms of detection.
inline constexpr const char* kDefaultAnalyzerModel = "fer-ensemble";

/// The classifier for reading photos: `model` (an .onnx file or its card), or the bundled
/// kDefaultAnalyzerModel when it is empty. Throws as the EmotionClassifier constructor, or
/// ModelError naming every folder searched when the bundled model is not found.
EmotionClassifier load_analyzer_classifier(const std::filesystem::path& model = {});

/// A face and the emotion read on it.
struct AnalyzedFace {
    Face face;              ///< where it is (pixels of the frame) and the detector's score
    EmotionScores emotion;  ///< the classifier's scores for its aligned crop
};

/// The whole per-frame pipeline, as `dangpli analyze` and `dangpli live` run it.
///
/// Thread-safety: like its parts, analyze() may be called from several threads but calls on one
/// object take turns; give each thread its own copy (a copy clones the detector, so copies share
/// no mutable state).
class FaceAnalyzer {
public:
    /// Takes a detector (e.g. make_face_detector("mtcnn")) and a classifier (move it in, or pass a
    /// copy) and reads every face with `tta`, its scores rebalanced() by `balance` where the
    /// classifier's card gives its training_prior (read as they are where it does not); the aligner
    /// crops at the classifier's face_size(). Throws InputError when `detector` is null or `balance`
    /// is outside [0, 1].
    FaceAnalyzer(std::unique_ptr<FaceDetector> detector, EmotionClassifier classifier,
                 TestTimeAugmentation tta = kDefaultAnalyzerTta, float balance = kDefaultAnalyzerBalance);
    /// A copy with a clone() of the detector and a copy of the classifier.
    FaceAnalyzer(const FaceAnalyzer& other);
    /// Replaces everything with copies of `other`'s (the detector cloned).
    FaceAnalyzer& operator=(const FaceAnalyzer& other);
    /// Cheap; the moved-from analyzer may only be assigned to or destroyed (not used, nor copied).
    FaceAnalyzer(FaceAnalyzer&&) noexcept = default;
    /// Cheap; the moved-from analyzer may only be assigned to or destroyed (not used, nor copied).
    FaceAnalyzer& operator=(FaceAnalyzer&&) noexcept = default;
    ~FaceAnalyzer() = default;

    /// The faces in `frame` (8-bit gray, BGR or BGRA), highest detector score first, each classified
    /// in one batch. Throws InputError for an unusable frame (see FaceDetector::detect).
    std::vector<AnalyzedFace> analyze(const cv::Mat& frame) const;

    /// The detector it runs (e.g. to read its name or options).
    const FaceDetector& detector() const { return *detector_; }
    /// The classifier it runs (e.g. to read its model card).
    const EmotionClassifier& classifier() const { return classifier_; }

private:
    std::unique_ptr<FaceDetector> detector_;
    EmotionClassifier classifier_;
    FaceAligner aligner_;
    TestTimeAugmentation tta_;
    float balance_;
};

}  // namespace dangpli
