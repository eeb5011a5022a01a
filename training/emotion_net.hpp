#pragma once
// The trainable emotion networks. Each one trains in libtorch and writes itself as an ONNX graph.
//   seed         the seed service's Keras CNN (5 conv, 2 dense of 1024, dropout 0.2), 48x48 input
//   resnet       ResNet with 3 stages of 2 basic blocks, 32/64/128 channels, 44x44 input
//   resnet-wide  the same with 48/96/192 channels

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "onnx_graph.hpp"

namespace dangpli::training {

class EmotionNet : public torch::nn::Module {
public:
    /// Logits [N, 7] for gray inputs [N, 1, side, side], normalised as in normalize_pixel().
    virtual torch::Tensor forward(torch::Tensor x) = 0;
    /// Writes the eval-mode network (logits, before softmax) into the graph; returns the logits name.
    virtual std::string to_onnx(OnnxGraph& graph, const std::string& input) const = 0;
    /// Side of the square input the network expects (crops of the 48x48 FER face).
    virtual int input_side() const = 0;
    virtual std::string architecture() const = 0;
};

/// Architecture names accepted by make_emotion_net().
std::vector<std::string> emotion_net_architectures();

/// Builds a freshly initialised network; throws std::invalid_argument for an unknown name.
std::shared_ptr<EmotionNet> make_emotion_net(const std::string& architecture);

int64_t count_parameters(const EmotionNet& net);

/// Stores the module's 4-D weights channels-last, the layout the trainer's batches use (faster
/// convolutions on the CPU).
void to_channels_last(torch::nn::Module& m);

}  // namespace dangpli::training
