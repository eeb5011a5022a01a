#include "dangpli/face_analyzer.hpp"

#include "dangpli/error.hpp"

namespace dangpli {

FaceAnalyzer::FaceAnalyzer(std::unique_ptr<FaceDetector> detector, EmotionClassifier classifier,
                           TestTimeAugmentation tta, float balance)
    : detector_(std::move(detector)),
      classifier_(std::move(classifier)),
      aligner_(classifier_.face_size()),
      tta_(tta),
      balance_(balance) {
    if (!detector_) throw InputError("face analyzer: no face detector given");
    check_class_balance(balance);
}

EmotionClassifier load_analyzer_classifier(const std::filesystem::path& model) {
    return EmotionClassifier(model.empty() ? EmotionClassifier::bundled_model_file(kDefaultAnalyzerModel) : model);
}

FaceAnalyzer::FaceAnalyzer(const FaceAnalyzer& other)
    : detector_(other.detector_->clone()),
      classifier_(other.classifier_),
      aligner_(other.aligner_),
      tta_(other.tta_),
      balance_(other.balance_) {}

FaceAnalyzer& FaceAnalyzer::operator=(const FaceAnalyzer& other) {
    if (this != &other) *this = FaceAnalyzer(other);
    return *this;
}

std::vector<AnalyzedFace> FaceAnalyzer::analyze(const cv::Mat& frame) const {
    const auto faces = detector_->detect(frame);
    std::vector<cv::Mat> crops;
    crops.reserve(faces.size());
    for (const auto& face : faces) crops.push_back(aligner_.align(frame, face));
    auto scores = classifier_.classify(crops, tta_);
    rebalance(scores, classifier_.card().training_prior, balance_);
    std::vector<AnalyzedFace> result;
    result.reserve(faces.size());
    for (std::size_t i = 0; i < faces.size(); ++i) result.push_back({faces[i], scores[i]});
    return result;
}

}  // namespace dangpli
