#include "onnx_reader.hpp"

#include <cstring>
#include <optional>
#include <set>

namespace dangpli::detail {
namespace {

// Field numbers of onnx.proto (ONNX IR version 3 onwards).
constexpr uint32_t kModelGraph = 7;
constexpr uint32_t kGraphNode = 1, kGraphInitializer = 5, kGraphInput = 11, kGraphOutput = 12;
constexpr uint32_t kNodeInput = 1, kNodeOutput = 2, kNodeOpType = 4, kNodeAttribute = 5;
constexpr uint32_t kAttributeName = 1, kAttributeInt = 3, kAttributeInts = 8;
constexpr uint32_t kTensorDims = 1, kTensorDataType = 2, kTensorFloatData = 4, kTensorName = 8, kTensorRawData = 9;
constexpr uint32_t kValueInfoName = 1, kValueInfoType = 2;
constexpr uint32_t kTypeTensor = 1, kTensorTypeShape = 2, kShapeDim = 1, kDimValue = 1;
constexpr uint64_t kFloatType = 1;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// One protobuf message: a cursor over its fields.
class Message {
public:
    explicit Message(std::span<const unsigned char> bytes) : bytes_(bytes) {}

    // Moves to the next field; false at the end of the message.
    bool next() {
        if (pos_ >= bytes_.size()) return false;
        const uint64_t key = varint();
        field_ = static_cast<uint32_t>(key >> 3);
        wire_ = static_cast<uint32_t>(key & 7);
        switch (wire_) {
        case kVarint: value_ = varint(); break;
        case kFixed64: value_ = fixed(8); break;
        case kFixed32: value_ = fixed(4); break;
        case kLengthDelimited: {
            const uint64_t size = varint();
            if (size > bytes_.size() - pos_) throw OnnxFormatError("a field runs past the end of its message");
            payload_ = bytes_.subspan(pos_, size);
            pos_ += size;
            break;
        }
        default: throw OnnxFormatError("unknown protobuf wire type " + std::to_string(wire_));
        }
        return true;
    }

    uint32_t field() const { return field_; }
    uint32_t wire() const { return wire_; }
    uint64_t value() const { return value_; }
    std::span<const unsigned char> payload() const { return payload_; }
    std::string text() const { return {reinterpret_cast<const char*>(payload_.data()), payload_.size()}; }
    Message sub() const { return Message(payload_); }

    // A repeated integer field, packed or not: appends this occurrence's values to `out`.
    void append_ints(std::vector<int64_t>& out) const {
        if (wire_ == kVarint) {
            out.push_back(static_cast<int64_t>(value_));
            return;
        }
        if (wire_ != kLengthDelimited) throw OnnxFormatError("an integer list of the wrong wire type");
        Message packed(payload_);
        while (packed.pos_ < packed.bytes_.size()) out.push_back(static_cast<int64_t>(packed.varint()));
    }

private:
    uint64_t varint() {
        uint64_t result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= bytes_.size()) throw OnnxFormatError("the model ends inside a number");
            const unsigned char b = bytes_[pos_++];
            result |= static_cast<uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) return result;
        }
        throw OnnxFormatError("a number longer than 64 bits");
    }
    uint64_t fixed(std::size_t size) {
        if (size > bytes_.size() - pos_) throw OnnxFormatError("the model ends inside a number");
        uint64_t result = 0;
        std::memcpy(&result, bytes_.data() + pos_, size);  // little-endian on every target we build for
        pos_ += size;
        return result;
    }

    std::span<const unsigned char> bytes_;
    std::size_t pos_ = 0;
    uint32_t field_ = 0, wire_ = 0;
    uint64_t value_ = 0;
    std::span<const unsigned char> payload_;
};

OnnxNode read_node(Message m) {
    OnnxNode node;
    while (m.next()) {
        if (m.wire() != kLengthDelimited) continue;
        if (m.field() == kNodeInput) node.inputs.push_back(m.text());
        else if (m.field() == kNodeOutput) node.outputs.push_back(m.text());
        else if (m.field() == kNodeOpType) node.op_type = m.text();
        else if (m.field() == kNodeAttribute) {
            Message a = m.sub();
            std::string name;
            std::vector<int64_t> ints;
            bool other = false;
            while (a.next()) {
                if (a.field() == kAttributeName && a.wire() == kLengthDelimited) name = a.text();
                else if (a.field() == kAttributeInt || a.field() == kAttributeInts) a.append_ints(ints);
                else if (a.field() != 20) other = true;  // 20: the attribute's type tag
            }
            if (other) node.other_attributes.push_back(name);
            else node.ints[name] = std::move(ints);
        }
    }
    return node;
}

void read_tensor(Message m, OnnxGraph& graph) {
    OnnxTensor tensor;
    std::string name;
    uint64_t type = 0;
    std::span<const unsigned char> raw;
    std::vector<float> listed;
    while (m.next()) {
        if (m.field() == kTensorDims) m.append_ints(tensor.dims);
        else if (m.field() == kTensorDataType && m.wire() == kVarint) type = m.value();
        else if (m.field() == kTensorName && m.wire() == kLengthDelimited) name = m.text();
        else if (m.field() == kTensorRawData && m.wire() == kLengthDelimited) raw = m.payload();
        else if (m.field() == kTensorFloatData && m.wire() == kLengthDelimited) {
            if (m.payload().size() % 4) throw OnnxFormatError("tensor " + name + ": a float list of odd length");
            if (m.payload().empty()) continue;
            const auto old = listed.size();
            listed.resize(old + m.payload().size() / 4);
            std::memcpy(listed.data() + old, m.payload().data(), m.payload().size());
        } else if (m.field() == kTensorFloatData && m.wire() == kFixed32) {
            float v = 0;
            const auto bits = static_cast<uint32_t>(m.value());
            std::memcpy(&v, &bits, 4);
            listed.push_back(v);
        }
    }
    if (type != kFloatType) {
        graph.non_float_initializers.push_back(name);
        return;
    }
    uint64_t count = 1;
    for (const int64_t d : tensor.dims) {
        if (d < 0 || d > (int64_t{1} << 31)) throw OnnxFormatError("tensor " + name + ": a dimension out of range");
        count *= static_cast<uint64_t>(d);
        if (count > (uint64_t{1} << 31)) throw OnnxFormatError("tensor " + name + ": too many values");
    }
    if (!raw.empty()) {
        if (raw.size() != count * 4) throw OnnxFormatError("tensor " + name + ": its data does not fit its shape");
        tensor.values.resize(count);
        std::memcpy(tensor.values.data(), raw.data(), raw.size());
    } else {
        if (listed.size() != count) throw OnnxFormatError("tensor " + name + ": its data does not fit its shape");
        tensor.values = std::move(listed);
    }
    graph.initializers[name] = std::move(tensor);
}

// The first field numbered `field` of message `m` with a message in it; nullopt where there is none.
std::optional<Message> sub_message(Message m, uint32_t field) {
    while (m.next())
        if (m.field() == field && m.wire() == kLengthDelimited) return m.sub();
    return std::nullopt;
}

std::string value_info_name(Message m) {
    while (m.next())
        if (m.field() == kValueInfoName && m.wire() == kLengthDelimited) return m.text();
    return {};
}

// ValueInfoProto.type.tensor_type.shape: one entry per dimension, 0 where it is not a fixed number
// (a name such as "N", or nothing); empty where no shape is declared.
std::vector<int64_t> value_info_dims(const Message& value_info) {
    std::vector<int64_t> dims;
    const auto type = sub_message(value_info, kValueInfoType);
    const auto tensor = type ? sub_message(*type, kTypeTensor) : std::nullopt;
    const auto shape = tensor ? sub_message(*tensor, kTensorTypeShape) : std::nullopt;
    if (!shape) return dims;
    for (Message s = *shape; s.next();) {
        if (s.field() != kShapeDim || s.wire() != kLengthDelimited) continue;
        int64_t value = 0;
        for (Message d = s.sub(); d.next();)
            if (d.field() == kDimValue && d.wire() == kVarint) value = static_cast<int64_t>(d.value());
        dims.push_back(value > 0 ? value : 0);
    }
    return dims;
}

}  // namespace

OnnxGraph read_onnx_graph(std::span<const unsigned char> bytes) {
    OnnxGraph graph;
    Message model(bytes);
    bool found = false;
    while (model.next()) {
        if (model.field() != kModelGraph || model.wire() != kLengthDelimited) continue;
        found = true;
        Message g = model.sub();
        std::vector<std::string> declared_inputs;
        while (g.next()) {
            if (g.wire() != kLengthDelimited) continue;
            if (g.field() == kGraphNode) graph.nodes.push_back(read_node(g.sub()));
            else if (g.field() == kGraphInitializer) read_tensor(g.sub(), graph);
            else if (g.field() == kGraphInput) {
                declared_inputs.push_back(value_info_name(g.sub()));
                graph.input_dims[declared_inputs.back()] = value_info_dims(g.sub());
            }
            else if (g.field() == kGraphOutput) graph.outputs.push_back(value_info_name(g.sub()));
        }
        const std::set<std::string> constant(graph.non_float_initializers.begin(), graph.non_float_initializers.end());
        for (auto& name : declared_inputs) {
            if (!graph.initializers.contains(name) && !constant.contains(name)) graph.inputs.push_back(std::move(name));
            else graph.input_dims.erase(name);
        }
    }
    if (!found) throw OnnxFormatError("no graph in the model");
    return graph;
}

}  // namespace dangpli::detail
