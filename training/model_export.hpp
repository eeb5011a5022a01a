#pragma once
// Writing a trained network as ONNX plus the model card (YAML) that EmotionClassifier reads.

#include <filesystem>
#include <string>

#include "trainer.hpp"

namespace dangpli::training {

/// Writes `net` (eval mode) as an ONNX graph with a Softmax output `probs` [N, 7].
void write_onnx(EmotionNet& net, const std::filesystem::path& path, const std::string& doc = {});

/// Exports the run's best network to `onnx_path` and writes the card beside it (same stem, .yaml)
/// with labels, input, normalisation, architecture, size, training facts and validation accuracy
/// (single view and mirror TTA) with the confusion matrix. Returns the card's path.
std::filesystem::path export_model(const TrainingRun& run, const std::filesystem::path& onnx_path,
                                   std::string name = {});

}  // namespace dangpli::training
