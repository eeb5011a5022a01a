#include "onnx_import.hpp"

#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"

namespace dangpli::training {
namespace {

onnx::ModelProto read_model(const std::filesystem::path& path) {
    std::string bytes;
    try {
        bytes = read_input_file(path, input_limits::kModel, "an ONNX model");
    } catch (const InputError& e) {
        throw DataError(e.what());
    }
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes)) throw DataError(path.string() + ": not a readable ONNX model");
    return model;
}

// Copies initializer `index` into `target`, which must have the same shape.
void take(const onnx::ModelProto& model, int& index, torch::Tensor target, const std::filesystem::path& path,
          const std::string& what) {
    const auto& graph = model.graph();
    if (index >= graph.initializer_size())
        throw DataError(path.string() + ": has fewer tensors than the architecture (missing " + what + ")");
    const auto& init = graph.initializer(index++);
    std::vector<int64_t> dims(init.dims().begin(), init.dims().end());
    if (init.data_type() != onnx::TensorProto::FLOAT || dims != target.sizes().vec() ||
        init.raw_data().size() != static_cast<std::size_t>(target.numel()) * sizeof(float))
        throw DataError(path.string() + ": tensor " + init.name() + " does not fit " + what + " of the architecture");
    torch::NoGradGuard no_grad;
    auto source = torch::from_blob(const_cast<char*>(init.raw_data().data()), target.sizes(), torch::kFloat32);
    target.copy_(source);
}

}  // namespace

void import_onnx_weights(EmotionNet& net, const std::filesystem::path& onnx_path) {
    const auto model = read_model(onnx_path);
    const auto modules = net.modules(/*include_self=*/false);
    int index = 0;
    for (std::size_t m = 0; m < modules.size(); ++m) {
        if (auto* conv = modules[m]->as<torch::nn::Conv2d>()) {
            take(model, index, conv->weight, onnx_path, "a convolution's weight");
            torch::nn::BatchNorm2dImpl* bn =
                m + 1 < modules.size() ? modules[m + 1]->as<torch::nn::BatchNorm2d>() : nullptr;
            if (bn) {
                torch::NoGradGuard no_grad;
                take(model, index, bn->bias, onnx_path, "a folded batch-norm shift");
                bn->weight.fill_(1.0);
                bn->running_mean.zero_();
                bn->running_var.fill_(1.0 - bn->options.eps());  // 1 / sqrt(var + eps) == 1
                if (conv->bias.defined()) conv->bias.zero_();
            } else if (conv->bias.defined()) {
                take(model, index, conv->bias, onnx_path, "a convolution's bias");
            }
        } else if (auto* linear = modules[m]->as<torch::nn::Linear>()) {
            take(model, index, linear->weight, onnx_path, "a linear layer's weight");
            take(model, index, linear->bias, onnx_path, "a linear layer's bias");
        }
    }
    if (index != model.graph().initializer_size())
        throw DataError(onnx_path.string() + ": has more tensors than the " + net.architecture() + " architecture");
}

void calibrate_folded_batch_norm(EmotionNet& net, const FaceSet& faces, std::size_t max_faces, int batch_size) {
    torch::NoGradGuard no_grad;
    std::vector<torch::nn::BatchNorm2dImpl*> layers;
    for (const auto& module : net.modules(/*include_self=*/false))
        if (auto* bn = module->as<torch::nn::BatchNorm2d>()) layers.push_back(bn);
    const bool was_training = net.is_training();
    net.train();
    const std::size_t n = std::min(max_faces, faces.size());
    for (auto* bn : layers) {
        const auto folded_bias = bn->bias.clone();
        const auto momentum = bn->options.momentum();
        bn->reset_running_stats();
        bn->options.momentum(c10::nullopt);  // a cumulative average over the pass
        for (std::size_t first = 0; first < n; first += static_cast<std::size_t>(batch_size))
            net.forward(centre_batch(faces, first, std::min(static_cast<std::size_t>(batch_size), n - first),
                                     net.input_side()));
        bn->options.momentum(momentum);
        // (x - mean) / sqrt(var + eps) * sqrt(var + eps) + mean + bias == x + bias
        bn->weight.copy_(torch::sqrt(bn->running_var + bn->options.eps()));
        bn->bias.copy_(bn->running_mean + folded_bias);
    }
    net.train(was_training);
}

}  // namespace dangpli::training
