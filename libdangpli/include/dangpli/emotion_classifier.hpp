#pragma once
/// \file
/// EmotionClassifier: reads the emotion on aligned face crops with a CNN in ONNX format, run on
/// OpenCV's dnn module, described by its model card.

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

/// "single", "mirror" or "ten-crop".
std::string_view to_string(TestTimeAugmentation tta);
/// The augmentation named `name` (as to_string gives it); nullopt for anything else.
std::optional<TestTimeAugmentation> parse_test_time_augmentation(std::string_view name);
/// Every augmentation's name, Single's first, for a program's option list.
std::vector<std::string> test_time_augmentation_names();
/// Forward passes per face: 1, 2 or 10.
int views_per_face(TestTimeAugmentation tta);

/// An emotion model and its card, ready to classify face crops.
///
/// The crops of a view are the card's input size cut from the face_size() square (centre or
/// corners), normalised as (pixel - mean) * scale, and converted to the card's channel count.
/// The network's outputs are probabilities (or, where the card's output.kind is "logits", turned
/// into probabilities with a softmax), mapped from the card's label order to label_of() order and
/// averaged over the views;
/// an emotion the card does not list scores 0. An ensemble (a card listing `members`, see ModelCard)
/// runs each member so and averages their probabilities.
///
/// Thread-safety: classify() may be called from several threads; calls on one object are
/// serialised by an internal mutex. For parallel work give each thread a copy: a copy builds a fresh
/// network from the model bytes held in memory, so copies share no mutable state.
class EmotionClassifier {
public:
    /// Loads `model` (an .onnx file) and its card (same stem, .yaml). A path to the card works too;
    /// the model is then the file its `model` field names (a path given as .onnx is used as is).
    /// Throws ModelError naming the file when the model or card is missing, unreadable, corrupt, or
    /// when they disagree (the network's output size differs from the card's label count, or it
    /// fails on an input of the card's size). An ensemble's card loads every member with its card;
    /// the members must read faces of one size with one set of labels. Its card() then gives the
    /// first member's input, the members' mean training prior, and model_file the ensemble's card.
    explicit EmotionClassifier(const std::filesystem::path& model);
    /// The bundled model (`emotion/w6-resnet-wide.onnx`, see kDefaultModelName), found with
    /// find_model_file(). Throws ModelError naming every folder searched when it is not found, or
    /// as the constructor does when it is broken.
    static EmotionClassifier load_default();
    /// Where the bundled model is: `emotion/w6-resnet-wide.onnx` found with find_model_file(). Throws
    /// ModelError naming every folder searched when it is not found.
    static std::filesystem::path default_model_file();
    /// Where a bundled model is: `emotion/NAME.onnx` found with find_model_file() (kDefaultModelName),
    /// or for an ensemble, which has no .onnx of its own, its card `emotion/NAME.yaml`
    /// (kDefaultAnalyzerModel). Either loads with the constructor. Throws ModelError naming every
    /// folder searched for the .onnx when neither is found.
    static std::filesystem::path bundled_model_file(std::string_view name);
    /// Stem of the bundled model's files: `emotion/w6-resnet-wide.onnx` and its card
    /// `w6-resnet-wide.yaml` (since session 30; fer-resnet-wide before). On XNNPACK it fits the
    /// classifier's budget (3 ms a face on one core; about 2 ms), so live and eval read it; the card
    /// says why it replaced fer-resnet-wide, its network and cost.
    static constexpr const char* kDefaultModelName = "w6-resnet-wide";

    /// A copy with its own network, built from the model bytes held in memory (no file access).
    /// Throws ModelError if OpenCV cannot build the network again (not expected: the same bytes
    /// loaded before).
    EmotionClassifier(const EmotionClassifier& other);
    /// Replaces this classifier with a copy of `other` (see the copy constructor).
    EmotionClassifier& operator=(const EmotionClassifier& other);
    /// Cheap; the moved-from classifier may only be assigned to or destroyed.
    EmotionClassifier(EmotionClassifier&&) noexcept;
    /// Cheap; the moved-from classifier may only be assigned to or destroyed.
    EmotionClassifier& operator=(EmotionClassifier&&) noexcept;
    ~EmotionClassifier();

    /// Scores for each face, in order. Each face is an 8-bit gray or BGR crop of
    /// face_size() x face_size() pixels with FER2013 framing (see FaceAligner). An empty batch gives
    /// an empty result. Throws InputError naming the index and size of a crop that is empty, of
    /// another size, depth or channel count. All faces and their views go through the network in
    /// one forward pass.
    std::vector<EmotionScores> classify(std::span<const cv::Mat> faces,
                                        TestTimeAugmentation tta = TestTimeAugmentation::Single) const;
    /// Scores for one face; the crop and the errors are as for the batch overload above.
    EmotionScores classify(const cv::Mat& face, TestTimeAugmentation tta = TestTimeAugmentation::Single) const;

    /// The model card: name, labels, input size and normalisation; `model_file` is the ONNX file
    /// actually loaded.
    const ModelCard& card() const;
    /// Side of the square aligned face the model expects (the card's preprocess.face_size).
    int face_size() const;
    /// What runs the network(s): "xnnpack" (our own exports: about twice as fast), "opencv"
    /// (cv::dnn, for graphs with operators the XNNPACK path does not cover, or everywhere when the
    /// environment sets DANGPLI_INFERENCE=opencv), or "xnnpack+opencv" for an ensemble of both kinds.
    std::string engine() const;
    /// Why the networks engine() calls "opencv" are not on XNNPACK, one "model.onnx: reason" each,
    /// joined by "; " (the first operator it does not cover, say); empty when all run on XNNPACK.
    std::string why_not_xnnpack() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
