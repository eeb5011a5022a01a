#pragma once
// A small ONNX graph writer (opset 11) for inference graphs that OpenCV 4.6's cv::dnn loads:
// Conv, Relu, Sigmoid, MaxPool, AveragePool, Add, Mul, GlobalAveragePool, Flatten, Gemm, Softmax.
// libtorch has no C++ exporter, so each network describes itself to this builder.
// Never emits Identity nodes (cv::dnn 4.6 rejects them).

#include <filesystem>
#include <string>

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

namespace dangpli::training {

class OnnxGraph {
public:
    /// Declares the graph input `input` of shape [N, channels, side, side] (N dynamic).
    OnnxGraph(int channels, int side);

    /// Conv with optional bias; weight [out, in, k, k]. Returns the output tensor name.
    std::string conv(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                     int stride, int pad);
    /// Conv followed by eval-mode BatchNorm, folded into one Conv.
    std::string conv_bn(const std::string& x, const torch::nn::Conv2d& conv,
                        const torch::nn::BatchNorm2d& bn);
    std::string relu(const std::string& x);
    std::string max_pool(const std::string& x, int kernel, int stride, int pad = 0);
    std::string avg_pool(const std::string& x, int kernel, int stride);
    std::string add(const std::string& a, const std::string& b);
    /// Element-wise product; `b` may be [N, C, 1, 1] against `a`'s [N, C, H, W] (a channel gate).
    std::string mul(const std::string& a, const std::string& b);
    std::string sigmoid(const std::string& x);
    std::string global_avg_pool(const std::string& x);
    std::string flatten(const std::string& x);
    /// y = x W^T + b, with W [out, in] as in torch::nn::Linear.
    std::string gemm(const std::string& x, const torch::nn::Linear& linear);
    /// Softmax over classes, declared as the graph output `probs` [N, classes].
    void softmax_output(const std::string& logits, int classes);

    /// The model's protobuf bytes, with `doc` as its doc string. Throws std::runtime_error on failure.
    std::string serialize(const std::string& doc) const;
    /// Writes serialize(doc) atomically (temp file + rename). Throws on failure.
    void save(const std::filesystem::path& path, const std::string& doc) const;

private:
    std::string fresh(const std::string& stem);
    std::string initializer(const std::string& stem, const torch::Tensor& t);
    onnx::NodeProto* node(const std::string& op, std::initializer_list<std::string> inputs,
                          const std::string& output_stem);

    onnx::ModelProto model_;
    onnx::GraphProto* graph_;
    int counter_ = 0;
};

}  // namespace dangpli::training
