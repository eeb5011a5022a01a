#pragma once
// Writing a trained network as ONNX plus the model card (YAML) that EmotionClassifier reads.

#include <filesystem>
#include <string>

#include "trainer.hpp"

namespace dangpli::training {

/// `net` (eval mode) as the bytes of an ONNX graph with a Softmax output `probs` [N, 7].
std::string onnx_bytes(EmotionNet& net, const std::string& doc = {});
/// Writes onnx_bytes(net, doc) to `path`, whole or not at all.
void write_onnx(EmotionNet& net, const std::filesystem::path& path, const std::string& doc = {});

/// Exports the run's best network to `onnx_path` and writes the card beside it (same stem, .yaml)
/// with labels, input, normalisation, architecture, size, training facts and validation accuracy
/// (single view and mirror TTA) with the confusion matrix. Returns the card's path. Everything is
/// computed before either file is written, so a failure (the run's data moved, say) writes neither.
std::filesystem::path export_model(const TrainingRun& run, const std::filesystem::path& onnx_path,
                                   std::string name = {});

}  // namespace dangpli::training
