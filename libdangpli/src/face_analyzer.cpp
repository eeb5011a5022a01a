#include "dangpli/face_analyzer.hpp"

namespace dangpli {

FaceAnalyzer::FaceAnalyzer(FaceDetector detector, EmotionClassifier classifier, TestTimeAugmentation tta)
    : detector_(std::move(detector)),
      classifier_(std::move(classifier)),
      aligner_(classifier_.face_size()),
      tta_(tta) {}

std::vector<AnalyzedFace> FaceAnalyzer::analyze(const cv::Mat& frame) const {
    const auto faces = detector_.detect(frame);
    std::vector<cv::Mat> crops;
    crops.reserve(faces.size());
    for (const auto& face : faces) crops.push_back(aligner_.align(frame, face));
    const auto scores = classifier_.classify(crops, tta_);
    std::vector<AnalyzedFace> result;
    result.reserve(faces.size());
    for (std::size_t i = 0; i < faces.size(); ++i) result.push_back({faces[i], scores[i]});
    return result;
}

}  // namespace dangpli
