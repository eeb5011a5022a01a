#pragma once
// A feed-forward ONNX network run by XNNPACK, one face at a time on the calling thread: about
// twice as fast as cv::dnn (OpenCV 4.6) on our emotion networks, which lets live afford a wider one
// inside its per-face budget. Covers the operators our own exporter writes (Conv, Relu, Sigmoid,
// MaxPool, AveragePool, Add, Mul, GlobalAveragePool, Flatten, Gemm, Softmax); any other graph stays
// on cv::dnn.

#include <memory>
#include <string>
#include <vector>

#include "onnx_reader.hpp"

struct xnn_runtime;

namespace dangpli::detail {

class XnnpackNetwork {
public:
    /// Builds the network for one input of channels x height x width, or returns nullptr and says
    /// why in `why_not` (an operator or attribute it does not cover, a value assigned twice, an
    /// output no node computes, or XNNPACK refusing). Nodes the output does not need are left out.
    static std::unique_ptr<XnnpackNetwork> lower(const OnnxGraph& graph, int channels, int height, int width,
                                                 std::string& why_not);
    ~XnnpackNetwork();
    XnnpackNetwork(const XnnpackNetwork&) = delete;
    XnnpackNetwork& operator=(const XnnpackNetwork&) = delete;

    /// Runs one input laid out planar (channel by channel, as cv::dnn's blobs are) and writes
    /// output_size() values to `out`. Not to be called from two threads at once.
    void run(const float* planar_input, float* out);
    std::size_t output_size() const { return output_count_; }

private:
    XnnpackNetwork() = default;

    int channels_ = 0;
    std::size_t input_count_ = 0, output_count_ = 0;
    // Every buffer XNNPACK reads has XNN_EXTRA_BYTES of slack after its values: it may read there.
    std::vector<float> input_;   // interleaved (height x width x channels)
    std::vector<float> output_;
    std::vector<std::vector<float>> weights_;  // outlive the runtime, which reads them
    xnn_runtime* runtime_ = nullptr;
};

}  // namespace dangpli::detail
