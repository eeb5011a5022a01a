#pragma once
// Reads the emotion on aligned face crops with a CNN in ONNX format, run on OpenCV's dnn module.

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/emotion_scores.hpp"
#include "dangpli/model_card.hpp"

namespace dangpli {

/// Views averaged per face. Single is the default (and what `live` uses: frames do the averaging).
enum class TestTimeAugmentation {
    Single,   ///< the centre crop
    Mirror,   ///< centre crop and its mirror image (2 forward passes per face)
    TenCrop,  ///< centre and four corner crops, each also mirrored (10 per face)
};

/// Thread-safety: classify() may be called from several threads; calls on one object are
/// serialised by an internal mutex. For parallel work give each thread a copy: a copy builds a fresh
/// network from the model bytes held in memory, so copies share no mutable state.
class EmotionClassifier {
public:
    /// Loads `model` (an .onnx file) and its card (same stem, .yaml). A path to the card works too.
    /// Throws ModelError naming the file when the model or card is missing, unreadable, corrupt, or
    /// when they disagree (the network's output size differs from the card's label count, or it
    /// fails on an input of the card's size).
    explicit EmotionClassifier(const std::filesystem::path& model);
    /// The bundled model (emotion/<kDefaultModelName>.onnx), found with find_model_file().
    static EmotionClassifier load_default();
    static constexpr const char* kDefaultModelName = "fer-resnet";

    EmotionClassifier(const EmotionClassifier& other);
    EmotionClassifier& operator=(const EmotionClassifier& other);
    EmotionClassifier(EmotionClassifier&&) noexcept;
    EmotionClassifier& operator=(EmotionClassifier&&) noexcept;
    ~EmotionClassifier();

    /// Scores for each face, in order. Each face is an 8-bit gray or BGR crop of
    /// face_size() x face_size() pixels with FER2013 framing (see FaceAligner). An empty batch gives
    /// an empty result. Throws InputError naming the index and size of a crop that is empty, of
    /// another size, depth or channel count.
    std::vector<EmotionScores> classify(std::span<const cv::Mat> faces,
                                        TestTimeAugmentation tta = TestTimeAugmentation::Single) const;
    EmotionScores classify(const cv::Mat& face, TestTimeAugmentation tta = TestTimeAugmentation::Single) const;

    const ModelCard& card() const;
    /// Side of the square aligned face the model expects (the card's preprocess.face_size).
    int face_size() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
