#pragma once
// The model card that sits beside an emotion model (<name>.yaml next to <name>.onnx): what the
// classifier needs to feed the network and read its output, so other FER models can be dropped in.

#include <filesystem>
#include <string>
#include <vector>

#include "dangpli/emotion.hpp"

namespace dangpli {

struct ModelCard {
    std::string name;
    std::filesystem::path model_file;  ///< the ONNX file (absolute or relative to the card)
    std::vector<Emotion> labels;       ///< output index -> emotion (any order, each at most once)
    int input_width = 0, input_height = 0;
    int input_channels = 1;            ///< 1 (gray) or 3 (BGR)
    int face_size = 0;                 ///< aligned face side before the centre input crop (>= input)
    double mean = 0.0;                 ///< network input = (pixel - mean) * scale
    double scale = 1.0;
    std::string architecture;          ///< informational
    double reported_accuracy = -1.0;   ///< evaluation.single_view.accuracy, when the card has one

    /// Reads and checks a card. Throws ModelError naming the file and the missing or wrong field
    /// (an unknown or repeated label, a non-positive size, a face size below the input size, ...).
    static ModelCard load(const std::filesystem::path& card_path);

    /// The card path for a model: same folder and stem, extension .yaml.
    static std::filesystem::path card_path_for(const std::filesystem::path& model_path);
};

}  // namespace dangpli
