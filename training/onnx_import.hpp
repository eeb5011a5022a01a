#pragma once
// Starting a training run from an exported ONNX model (`--init-from model.onnx`): our own exports
// are the only lasting form of a model once its run folder is gone.
//
// The export folds each batch norm into the convolution before it (onnx_graph.cpp), so the import
// cannot recover the two apart. It loads the folded weights into the convolution and gives each batch
// norm the statistics of its input on real faces, with a scale and shift that undo them: the network
// computes the exported function in eval mode exactly, and in train mode (batch statistics) closely,
// so that fine-tuning starts from the model rather than from a broken copy of it.

#include <filesystem>

#include "emotion_net.hpp"
#include "face_batches.hpp"

namespace dangpli::training {

/// Loads the initializers of an ONNX model written by OnnxGraph into `net`, in the order the network
/// registered its modules (a convolution, then its folded bias; a linear layer's weight and bias).
/// Each batch norm becomes the identity plus the folded bias. Throws DataError naming the file when
/// it cannot be read or its tensors do not match the architecture's shapes one for one.
void import_onnx_weights(EmotionNet& net, const std::filesystem::path& onnx_path);

/// After import_onnx_weights(): sets every batch norm's running statistics to those of its input
/// over the centre views of `faces` (the first `max_faces`), and its scale and shift so that the
/// layer still adds only the folded bias. One pass per batch norm, in order, so that each layer is
/// measured with the layers before it already calibrated.
void calibrate_folded_batch_norm(EmotionNet& net, const FaceSet& faces, std::size_t max_faces = 2048,
                                 int batch_size = 256);

}  // namespace dangpli::training
