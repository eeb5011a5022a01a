#include "onnx_graph.hpp"

#include <stdexcept>
#include <string>

#include "dangpli/output_file.hpp"

namespace dangpli::training {
namespace {

void set_ints(onnx::NodeProto* n, const std::string& name, std::initializer_list<int64_t> values) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto v : values) a->add_ints(v);
}

void set_int(onnx::NodeProto* n, const std::string& name, int64_t value) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

void set_shape(onnx::ValueInfoProto* v, const std::string& name, std::initializer_list<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = t->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (auto d : dims) shape->add_dim()->set_dim_value(d);
}

}  // namespace

OnnxGraph::OnnxGraph(int channels, int side) {
    model_.set_ir_version(6);
    model_.set_producer_name("dangpli-train");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(11);
    graph_ = model_.mutable_graph();
    graph_->set_name("dangpli_emotion");
    set_shape(graph_->add_input(), "input", {channels, side, side});
}

std::string OnnxGraph::fresh(const std::string& stem) { return stem + "_" + std::to_string(counter_++); }

std::string OnnxGraph::initializer(const std::string& stem, const torch::Tensor& t) {
    auto data = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    auto* init = graph_->add_initializer();
    auto name = fresh(stem);
    init->set_name(name);
    init->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : data.sizes()) init->add_dims(d);
    init->set_raw_data(std::string(static_cast<const char*>(data.data_ptr()),
                                   static_cast<std::size_t>(data.numel()) * sizeof(float)));
    return name;
}

onnx::NodeProto* OnnxGraph::node(const std::string& op, std::initializer_list<std::string> inputs,
                                 const std::string& output_stem) {
    auto* n = graph_->add_node();
    n->set_op_type(op);
    n->set_name(fresh(op));
    for (const auto& in : inputs) n->add_input(in);
    n->add_output(fresh(output_stem));
    return n;
}

std::string OnnxGraph::conv(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                            int stride, int pad) {
    auto w = initializer("W", weight);
    auto k = weight.size(2);
    onnx::NodeProto* n = bias.defined() ? node("Conv", {x, w, initializer("B", bias)}, "conv")
                                        : node("Conv", {x, w}, "conv");
    set_ints(n, "kernel_shape", {k, weight.size(3)});
    set_ints(n, "strides", {stride, stride});
    set_ints(n, "pads", {pad, pad, pad, pad});
    return n->output(0);
}

std::string OnnxGraph::conv_bn(const std::string& x, const torch::nn::Conv2d& conv,
                               const torch::nn::BatchNorm2d& bn) {
    torch::NoGradGuard no_grad;
    auto inv_std = torch::rsqrt(bn->running_var + bn->options.eps());
    auto gamma = bn->weight * inv_std;
    auto weight = conv->weight * gamma.view({-1, 1, 1, 1});
    auto conv_bias = conv->bias.defined() ? conv->bias : torch::zeros_like(bn->running_mean);
    auto bias = (conv_bias - bn->running_mean) * gamma + bn->bias;
    const auto& opts = conv->options;
    // conv_bn is used for 'same' convolutions only (3x3 pad 1, 1x1 pad 0).
    return this->conv(x, weight, bias, static_cast<int>((*opts.stride())[0]),
                      static_cast<int>(weight.size(2) / 2));
}

std::string OnnxGraph::relu(const std::string& x) { return node("Relu", {x}, "relu")->output(0); }

std::string OnnxGraph::max_pool(const std::string& x, int kernel, int stride, int pad) {
    auto* n = node("MaxPool", {x}, "maxpool");
    set_ints(n, "kernel_shape", {kernel, kernel});
    set_ints(n, "strides", {stride, stride});
    set_ints(n, "pads", {pad, pad, pad, pad});
    return n->output(0);
}

std::string OnnxGraph::avg_pool(const std::string& x, int kernel, int stride) {
    auto* n = node("AveragePool", {x}, "avgpool");
    set_ints(n, "kernel_shape", {kernel, kernel});
    set_ints(n, "strides", {stride, stride});
    return n->output(0);
}

std::string OnnxGraph::add(const std::string& a, const std::string& b) {
    return node("Add", {a, b}, "add")->output(0);
}

std::string OnnxGraph::mul(const std::string& a, const std::string& b) {
    return node("Mul", {a, b}, "mul")->output(0);
}

std::string OnnxGraph::sigmoid(const std::string& x) { return node("Sigmoid", {x}, "sigmoid")->output(0); }

std::string OnnxGraph::global_avg_pool(const std::string& x) {
    return node("GlobalAveragePool", {x}, "gap")->output(0);
}

std::string OnnxGraph::flatten(const std::string& x) {
    auto* n = node("Flatten", {x}, "flat");
    set_int(n, "axis", 1);
    return n->output(0);
}

std::string OnnxGraph::gemm(const std::string& x, const torch::nn::Linear& linear) {
    auto* n = node("Gemm", {x, initializer("W", linear->weight), initializer("B", linear->bias)}, "fc");
    set_int(n, "transB", 1);
    return n->output(0);
}

void OnnxGraph::softmax_output(const std::string& logits, int classes) {
    auto* n = graph_->add_node();
    n->set_op_type("Softmax");
    n->set_name("softmax");
    n->add_input(logits);
    n->add_output("probs");
    set_int(n, "axis", 1);
    set_shape(graph_->add_output(), "probs", {classes});
}

std::string OnnxGraph::serialize(const std::string& doc) const {
    auto copy = model_;
    copy.set_doc_string(doc);
    std::string bytes;
    if (!copy.SerializeToString(&bytes)) throw std::runtime_error("cannot serialise the ONNX model");
    return bytes;
}

void OnnxGraph::save(const std::filesystem::path& path, const std::string& doc) const {
    write_output_file(path, serialize(doc));
}

}  // namespace dangpli::training
