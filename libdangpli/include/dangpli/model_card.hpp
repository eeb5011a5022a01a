#pragma once
/// \file
/// ModelCard: the model card that sits beside an emotion model (`<name>.yaml` next to
/// `<name>.onnx`): what the classifier needs to feed the network and read its output, so other FER
/// models can be dropped in.
///
/// The card's fields: `name`, `model` (the ONNX file), `labels` (emotion names in output order),
/// `input: {width, height, channels}`, `preprocess: {face_size, mean, scale}` (face_size optional,
/// default the larger input side), and optionally `architecture`, `evaluation: {single_view:
/// {accuracy}}` and `output: {kind, training_prior}` (see below). Other fields (the training
/// recipe, the confusion matrix, ...) are for people and are ignored here.
///
/// An ensemble's card gives `name` and `members` (a list of member models, .onnx files each with
/// its own card, relative to the ensemble card's folder) instead of `model`, `labels`, `input`,
/// `preprocess` and `output`: EmotionClassifier averages the members' probabilities.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dangpli/class_balance.hpp"
#include "dangpli/emotion.hpp"

namespace dangpli {

/// A model card as read and checked by load(). A plain value; sizes are pixels.
struct ModelCard {
    std::string name;                  ///< the model's name, as reports show it
    std::filesystem::path model_file;  ///< the ONNX file; a relative `model` is taken from the card's folder
    std::vector<Emotion> labels;       ///< output index -> emotion (any order, each at most once)
    /// Size of the network's input in pixels: the crop taken from the aligned face.
    ///@{
    int input_width = 0, input_height = 0;
    ///@}
    int input_channels = 1;            ///< 1 (gray) or 3 (BGR)
    int face_size = 0;                 ///< aligned face side before the centre input crop (>= input)
    double mean = 0.0;                 ///< network input = (pixel - mean) * scale
    double scale = 1.0;                ///< see mean
    std::string architecture;          ///< informational
    double reported_accuracy = -1.0;   ///< evaluation.single_view.accuracy, when the card has one
    /// output.kind: "probabilities" (the model ends in a softmax; the default) or "logits"
    /// (EmotionClassifier applies the softmax itself).
    bool output_logits = false;
    /// output.training_prior: each label's share of the training targets, in `labels` order (any
    /// positive numbers; normalised here); what rebalanced() divides by. Absent: the model's prior
    /// is unknown and its scores are read as they are.
    std::optional<ClassPrior> training_prior;
    /// An ensemble card's members (their .onnx files; empty for a single model's card). Such a card
    /// as load() returns it has only name, members, architecture and reported_accuracy filled in;
    /// EmotionClassifier fills in the rest from the members' cards.
    std::vector<std::filesystem::path> members;

    /// Reads and checks a card. Throws ModelError naming the file and the missing or wrong field
    /// (an unknown or repeated label, a size outside 1..4096, a face size below the input size, a
    /// mean or scale that is no number or a zero scale, a field of the wrong type, an unknown
    /// output.kind, ...).
    /// Thread-safe (no shared state).
    static ModelCard load(const std::filesystem::path& card_path);

    /// The card path for a model: same folder and stem, extension .yaml.
    static std::filesystem::path card_path_for(const std::filesystem::path& model_path);
};

}  // namespace dangpli
