#include "xnnpack_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include <xnnpack.h>

namespace dangpli::detail {
namespace {

constexpr uint32_t kInputId = 0, kOutputId = 1;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr std::size_t kSlack = (XNN_EXTRA_BYTES + sizeof(float) - 1) / sizeof(float);

bool xnnpack_ready() {
    static std::once_flag once;
    static bool ready = false;
    std::call_once(once, [] { ready = xnn_initialize(nullptr) == xnn_status_success; });
    return ready;
}

// Why a graph cannot be lowered; caught inside lower() and turned into `why_not`.
struct Unsupported {
    std::string why;
};

struct Value {
    uint32_t id;
    std::vector<size_t> dims;  // as XNNPACK holds it: NHWC, or [1, features]
};

// Turns ONNX nodes into XNNPACK subgraph nodes, in graph order (ONNX requires a topological one).
class Lowering {
public:
    Lowering(const OnnxGraph& graph, xnn_subgraph_t subgraph, std::vector<std::vector<float>>& weights)
        : graph_(graph), output_name_(graph.outputs.at(0)), subgraph_(subgraph), weights_(weights) {}

    void input(const std::string& name, size_t height, size_t width, size_t channels) {
        values_[name] = {define({1, height, width, channels}, nullptr, kInputId, XNN_VALUE_FLAG_EXTERNAL_INPUT),
                         {1, height, width, channels}};
    }

    void node(const OnnxNode& n) {
        if (!n.other_attributes.empty()) fail(n, "attribute " + n.other_attributes.front());
        if (n.outputs.empty()) fail(n, "no output");
        for (std::size_t i = 1; i < n.outputs.size(); ++i)
            if (!n.outputs[i].empty()) fail(n, "a second output");
        const auto& op = n.op_type;
        if (op == "Conv") conv(n);
        else if (op == "Relu") relu(n);
        else if (op == "Sigmoid") sigmoid(n);
        else if (op == "MaxPool" || op == "AveragePool") pool(n);
        else if (op == "Add") add(n);
        else if (op == "Mul") mul(n);
        else if (op == "GlobalAveragePool") global_average(n);
        else if (op == "Flatten") flatten(n);
        else if (op == "Gemm") gemm(n);
        else if (op == "Softmax") softmax(n);
        else fail(n, "the operator");
    }

    const Value& value(const std::string& name) const {
        const auto it = values_.find(name);
        if (it == values_.end()) throw Unsupported{"value " + name + " is not computed before it is used"};
        return it->second;
    }

private:
    [[noreturn]] static void fail(const OnnxNode& n, const std::string& what) {
        throw Unsupported{n.op_type + ": " + what + " is not covered"};
    }
    static void check(xnn_status status, const OnnxNode& n) {
        if (status != xnn_status_success) fail(n, "XNNPACK's definition (status " + std::to_string(status) + ")");
    }

    int64_t attribute(const OnnxNode& n, const std::string& name, int64_t fallback) const {
        const auto it = n.ints.find(name);
        if (it == n.ints.end()) return fallback;
        if (it->second.size() != 1) fail(n, "attribute " + name);
        return it->second.front();
    }
    std::vector<int64_t> attribute(const OnnxNode& n, const std::string& name, std::vector<int64_t> fallback) const {
        const auto it = n.ints.find(name);
        return it == n.ints.end() ? fallback : it->second;
    }
    const OnnxTensor& constant(const OnnxNode& n, std::size_t input) const {
        if (input >= n.inputs.size()) fail(n, "a missing input");
        const auto it = graph_.initializers.find(n.inputs[input]);
        if (it == graph_.initializers.end()) fail(n, "a computed weight");
        return it->second;
    }
    const Value& first_input(const OnnxNode& n) const {
        if (n.inputs.empty()) fail(n, "a missing input");
        return value(n.inputs[0]);
    }
    const Value& spatial_input(const OnnxNode& n) const {
        const Value& v = first_input(n);
        if (v.dims.size() != 4) fail(n, "a flattened input");
        return v;
    }

    uint32_t define(std::vector<size_t> dims, const float* data, uint32_t external = XNN_INVALID_VALUE_ID,
                    uint32_t flags = 0) {
        uint32_t id = 0;
        if (xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), data, external, flags,
                                    &id) != xnn_status_success)
            throw Unsupported{"XNNPACK refused a tensor"};
        return id;
    }
    const float* keep(std::vector<float> data) {
        data.resize(data.size() + kSlack, 0.f);
        return weights_.emplace_back(std::move(data)).data();
    }

    // Defines the node's output value; the graph's output becomes the runtime's external output.
    uint32_t result(const OnnxNode& n, std::vector<size_t> dims) {
        name_once(n);
        const bool is_output = n.outputs[0] == output_name_;
        const uint32_t id = define(dims, nullptr, is_output ? kOutputId : XNN_INVALID_VALUE_ID,
                                   is_output ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT : 0);
        values_[n.outputs[0]] = {id, std::move(dims)};
        return id;
    }

    // ONNX assigns each value once; XNNPACK asserts (aborts) on a value with two producers.
    void name_once(const OnnxNode& n) const {
        if (values_.contains(n.outputs[0])) fail(n, "a second assignment of value " + n.outputs[0]);
    }

    void relu(const OnnxNode& n) {
        const Value in = first_input(n);
        check(xnn_define_clamp(subgraph_, 0.f, kInf, in.id, result(n, in.dims), 0), n);
    }

    void sigmoid(const OnnxNode& n) {
        const Value in = first_input(n);
        check(xnn_define_sigmoid(subgraph_, in.id, result(n, in.dims), 0), n);
    }

    // Window, strides, pads (ONNX: top, left, bottom, right) and the output size of a 2D window op.
    struct Window {
        size_t kh, kw, sh, sw, top, left, bottom, right, out_h, out_w;
    };
    Window window(const OnnxNode& n, const Value& in, std::vector<int64_t> kernel) const {
        kernel = attribute(n, "kernel_shape", kernel);
        const auto strides = attribute(n, "strides", {1, 1});
        const auto pads = attribute(n, "pads", {0, 0, 0, 0});
        const auto dilations = attribute(n, "dilations", {1, 1});
        if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4 || dilations != std::vector<int64_t>{1, 1})
            fail(n, "a window that is not a plain 2D one");
        for (const auto v : {kernel[0], kernel[1], strides[0], strides[1]})
            if (v < 1 || v > 64) fail(n, "a window size or stride of " + std::to_string(v));
        for (const auto p : pads)
            if (p < 0 || p > 64) fail(n, "a padding of " + std::to_string(p));
        if (attribute(n, "ceil_mode", 0) != 0) fail(n, "ceil_mode");
        Window w{static_cast<size_t>(kernel[0]), static_cast<size_t>(kernel[1]), static_cast<size_t>(strides[0]),
                 static_cast<size_t>(strides[1]), static_cast<size_t>(pads[0]), static_cast<size_t>(pads[1]),
                 static_cast<size_t>(pads[2]), static_cast<size_t>(pads[3]), 0, 0};
        const size_t h = in.dims[1] + w.top + w.bottom, wd = in.dims[2] + w.left + w.right;
        if (h < w.kh || wd < w.kw) fail(n, "a window larger than its input");
        w.out_h = (h - w.kh) / w.sh + 1;
        w.out_w = (wd - w.kw) / w.sw + 1;
        return w;
    }

    void conv(const OnnxNode& n) {
        const Value in = spatial_input(n);
        const OnnxTensor& weight = constant(n, 1);
        if (weight.dims.size() != 4) fail(n, "a weight that is not 4D");
        const auto out_c = static_cast<size_t>(weight.dims[0]), in_c = static_cast<size_t>(weight.dims[1]);
        const auto kh = static_cast<size_t>(weight.dims[2]), kw = static_cast<size_t>(weight.dims[3]);
        const int64_t group = attribute(n, "group", 1);
        if (group < 1 || group > static_cast<int64_t>(in.dims[3])) fail(n, "a group count of " + std::to_string(group));
        const auto groups = static_cast<size_t>(group);
        if (in_c * groups != in.dims[3] || out_c == 0 || out_c % groups) fail(n, "its channel counts");
        const Window w = window(n, in, {weight.dims[2], weight.dims[3]});
        if (w.kh != kh || w.kw != kw) fail(n, "a kernel_shape unlike its weight");
        // ONNX [out, in, kh, kw] -> XNNPACK [out, kh, kw, in]
        std::vector<float> filter(weight.values.size());
        for (size_t o = 0; o < out_c; ++o)
            for (size_t i = 0; i < in_c; ++i)
                for (size_t y = 0; y < kh; ++y)
                    for (size_t x = 0; x < kw; ++x)
                        filter[((o * kh + y) * kw + x) * in_c + i] = weight.values[((o * in_c + i) * kh + y) * kw + x];
        std::vector<float> bias(out_c, 0.f);
        if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
            const OnnxTensor& b = constant(n, 2);
            if (b.values.size() != out_c) fail(n, "a bias unlike its output channels");
            bias = b.values;
        }
        const uint32_t filter_id = define({out_c, kh, kw, in_c}, keep(std::move(filter)));
        const uint32_t bias_id = define({out_c}, keep(std::move(bias)));
        const uint32_t out = result(n, {1, w.out_h, w.out_w, out_c});
        check(xnn_define_convolution_2d(subgraph_, static_cast<uint32_t>(w.top), static_cast<uint32_t>(w.right),
                                        static_cast<uint32_t>(w.bottom), static_cast<uint32_t>(w.left),
                                        static_cast<uint32_t>(kh), static_cast<uint32_t>(kw),
                                        static_cast<uint32_t>(w.sh), static_cast<uint32_t>(w.sw), 1, 1,
                                        static_cast<uint32_t>(groups), in_c, out_c / groups, -kInf, kInf, in.id,
                                        filter_id, bias_id, out, 0),
              n);
    }

    void pool(const OnnxNode& n) {
        const Value in = spatial_input(n);
        const bool average = n.op_type == "AveragePool";
        if (attribute(n, "storage_order", 0) != 0) fail(n, "storage_order");
        const Window w = window(n, in, {});
        // Padded windows differ in what they divide by (count_include_pad); only unpadded ones are lowered.
        if (average && (w.top || w.left || w.bottom || w.right)) fail(n, "padding");
        const uint32_t out = result(n, {1, w.out_h, w.out_w, in.dims[3]});
        const auto u = [](size_t v) { return static_cast<uint32_t>(v); };
        check(average ? xnn_define_average_pooling_2d(subgraph_, 0, 0, 0, 0, u(w.kh), u(w.kw), u(w.sh), u(w.sw), -kInf,
                                                      kInf, in.id, out, 0)
                      : xnn_define_max_pooling_2d(subgraph_, u(w.top), u(w.right), u(w.bottom), u(w.left), u(w.kh),
                                                  u(w.kw), u(w.sh), u(w.sw), 1, 1, -kInf, kInf, in.id, out, 0),
              n);
    }

    void add(const OnnxNode& n) {
        if (n.inputs.size() != 2) fail(n, "its inputs");
        const Value a = value(n.inputs[0]), b = value(n.inputs[1]);
        if (a.dims != b.dims) fail(n, "broadcasting");
        check(xnn_define_add2(subgraph_, -kInf, kInf, a.id, b.id, result(n, a.dims), 0), n);
    }

    // A product with NumPy broadcasting, as a channel gate needs ([1, C, 1, 1] against [1, C, H, W]).
    // Both values in the same layout (NHWC, or flat), so broadcasting there is broadcasting in ONNX's.
    void mul(const OnnxNode& n) {
        if (n.inputs.size() != 2) fail(n, "its inputs");
        const Value a = value(n.inputs[0]), b = value(n.inputs[1]);
        if (a.dims.size() != b.dims.size()) fail(n, "inputs of different ranks");
        std::vector<size_t> dims(a.dims.size());
        for (std::size_t d = 0; d < dims.size(); ++d) {
            if (a.dims[d] != b.dims[d] && a.dims[d] != 1 && b.dims[d] != 1) fail(n, "shapes that do not broadcast");
            dims[d] = std::max(a.dims[d], b.dims[d]);
        }
        check(xnn_define_multiply2(subgraph_, -kInf, kInf, a.id, b.id, result(n, std::move(dims)), 0), n);
    }

    void global_average(const OnnxNode& n) {
        const Value in = spatial_input(n);
        check(xnn_define_global_average_pooling_2d(subgraph_, -kInf, kInf, in.id, result(n, {1, 1, 1, in.dims[3]}), 0),
              n);
    }

    // Flattening 1x1 maps loses nothing in either layout, so the value is only renamed.
    void flatten(const OnnxNode& n) {
        const Value in = first_input(n);
        if (attribute(n, "axis", 1) != 1) fail(n, "an axis other than 1");
        if (in.dims.size() == 4 && (in.dims[1] != 1 || in.dims[2] != 1)) fail(n, "a map larger than 1x1");
        if (n.outputs[0] == output_name_) fail(n, "the graph's output");
        name_once(n);
        values_[n.outputs[0]] = {in.id, {1, in.dims.back()}};
    }

    void gemm(const OnnxNode& n) {
        const Value in = first_input(n);
        if (in.dims.size() != 2) fail(n, "an input that is not flat");
        if (attribute(n, "transA", 0) != 0) fail(n, "transA");
        const bool transposed = attribute(n, "transB", 0) == 1;  // weight [out, in], XNNPACK's own layout
        const OnnxTensor& weight = constant(n, 1);
        if (weight.dims.size() != 2) fail(n, "a weight that is not 2D");
        const auto out_f = static_cast<size_t>(transposed ? weight.dims[0] : weight.dims[1]);
        const auto in_f = static_cast<size_t>(transposed ? weight.dims[1] : weight.dims[0]);
        if (in_f != in.dims[1]) fail(n, "a weight unlike its input");
        std::vector<float> bias(out_f, 0.f);
        if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
            const OnnxTensor& b = constant(n, 2);
            if (b.values.size() != out_f) fail(n, "a bias that would broadcast");
            bias = b.values;
        }
        const uint32_t weight_id = define({static_cast<size_t>(weight.dims[0]), static_cast<size_t>(weight.dims[1])},
                                          keep(weight.values));
        const uint32_t bias_id = define({out_f}, keep(std::move(bias)));
        check(xnn_define_fully_connected(subgraph_, -kInf, kInf, in.id, weight_id, bias_id, result(n, {1, out_f}),
                                         XNN_FLAG_TENSORFLOW_RESHAPE_2D | (transposed ? 0 : XNN_FLAG_TRANSPOSE_WEIGHTS)),
              n);
    }

    void softmax(const OnnxNode& n) {
        const Value in = first_input(n);
        const auto axis = attribute(n, "axis", -1);
        if (in.dims.size() != 2 || (axis != 1 && axis != -1)) fail(n, "an axis other than the features'");
        check(xnn_define_softmax(subgraph_, in.id, result(n, in.dims), 0), n);
    }

    const OnnxGraph& graph_;
    const std::string output_name_;  // becomes the runtime's external output
    xnn_subgraph_t subgraph_;
    std::vector<std::vector<float>>& weights_;
    std::map<std::string, Value> values_;
};

// The nodes the graph's output depends on, in graph order. XNNPACK gives no memory to a value that
// nothing reads and then asserts (aborts) when its producer runs, so dead nodes are left out.
std::vector<const OnnxNode*> nodes_for_output(const OnnxGraph& graph) {
    std::set<std::string> needed{graph.outputs.at(0)};
    std::vector<const OnnxNode*> kept;
    for (auto it = graph.nodes.rbegin(); it != graph.nodes.rend(); ++it) {
        const bool used = std::any_of(it->outputs.begin(), it->outputs.end(),
                                      [&](const std::string& out) { return needed.contains(out); });
        if (!used) continue;
        kept.push_back(&*it);
        needed.insert(it->inputs.begin(), it->inputs.end());
    }
    return {kept.rbegin(), kept.rend()};
}

}  // namespace

std::unique_ptr<XnnpackNetwork> XnnpackNetwork::lower(const OnnxGraph& graph, int channels, int height, int width,
                                                      std::string& why_not) {
    if (!xnnpack_ready()) {
        why_not = "XNNPACK does not run on this processor";
        return nullptr;
    }
    if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
        why_not = "the graph has " + std::to_string(graph.inputs.size()) + " inputs and " +
                  std::to_string(graph.outputs.size()) + " outputs, not one of each";
        return nullptr;
    }
    std::unique_ptr<XnnpackNetwork> net(new XnnpackNetwork());
    xnn_subgraph_t subgraph = nullptr;
    if (xnn_create_subgraph(2, 0, &subgraph) != xnn_status_success) {
        why_not = "XNNPACK could not make a subgraph";
        return nullptr;
    }
    try {
        Lowering lowering(graph, subgraph, net->weights_);
        lowering.input(graph.inputs[0], static_cast<size_t>(height), static_cast<size_t>(width),
                       static_cast<size_t>(channels));
        for (const OnnxNode* node : nodes_for_output(graph)) lowering.node(*node);
        const Value& out = lowering.value(graph.outputs[0]);
        if (out.id != kOutputId) throw Unsupported{"the graph's output " + graph.outputs[0] + " is no node's result"};
        std::size_t size = 1;
        for (const auto d : out.dims) size *= d;
        net->output_count_ = size;
        net->output_.resize(size + kSlack);
        if (xnn_create_runtime_v2(subgraph, nullptr, 0, &net->runtime_) != xnn_status_success)
            throw Unsupported{"XNNPACK could not plan the graph"};
    } catch (const Unsupported& e) {
        xnn_delete_subgraph(subgraph);
        why_not = e.why;
        return nullptr;
    }
    xnn_delete_subgraph(subgraph);
    net->channels_ = channels;
    net->input_count_ = static_cast<std::size_t>(channels) * static_cast<std::size_t>(height) *
                        static_cast<std::size_t>(width);
    net->input_.resize(net->input_count_ + kSlack);
    const xnn_external_value io[2] = {{kInputId, net->input_.data()}, {kOutputId, net->output_.data()}};
    if (xnn_setup_runtime(net->runtime_, 2, io) != xnn_status_success) {
        why_not = "XNNPACK could not bind the input and output";
        return nullptr;
    }
    return net;
}

XnnpackNetwork::~XnnpackNetwork() {
    if (runtime_) xnn_delete_runtime(runtime_);
}

void XnnpackNetwork::run(const float* planar_input, float* out) {
    const auto c = static_cast<std::size_t>(channels_);
    const std::size_t pixels = input_count_ / c;
    if (c == 1) std::memcpy(input_.data(), planar_input, input_count_ * sizeof(float));
    else
        for (std::size_t p = 0; p < pixels; ++p)
            for (std::size_t k = 0; k < c; ++k) input_[p * c + k] = planar_input[k * pixels + p];
    if (xnn_invoke_runtime(runtime_) != xnn_status_success) throw std::runtime_error("XNNPACK failed to run");
    std::memcpy(out, output_.data(), output_count_ * sizeof(float));
}

}  // namespace dangpli::detail
