#pragma once
// The part of an ONNX model that a plain feed-forward network needs (nodes, their integer
// attributes, float initializers), decoded from protobuf's wire format without libprotobuf, so
// that libdangpli can hand such a network to an inference engine other than cv::dnn.

#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace dangpli::detail {

struct OnnxNode {
    std::string op_type;
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<std::string, std::vector<int64_t>> ints;  // INT and INTS attributes
    std::vector<std::string> other_attributes;         // names of attributes of any other type
};

struct OnnxTensor {
    std::vector<int64_t> dims;
    std::vector<float> values;  // FLOAT tensors only
};

struct OnnxGraph {
    std::vector<OnnxNode> nodes;
    std::map<std::string, OnnxTensor> initializers;
    std::vector<std::string> non_float_initializers;
    std::vector<std::string> inputs;  // graph inputs that are not initializers
    // Their declared shapes: one entry per dimension, 0 where it is not fixed (a batch "N").
    std::map<std::string, std::vector<int64_t>> input_dims;
    std::vector<std::string> outputs;
};

/// Thrown for bytes that are not a well-formed ONNX model.
class OnnxFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Decodes `bytes` (a serialized ModelProto). Throws OnnxFormatError where the wire format is broken.
OnnxGraph read_onnx_graph(std::span<const unsigned char> bytes);

}  // namespace dangpli::detail
