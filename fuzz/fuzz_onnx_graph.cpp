// libFuzzer target: the ONNX reader and the XNNPACK lowering (libdangpli/src/vision/onnx_reader.hpp,
// xnnpack_network.hpp) on untrusted model bytes. A model is read or refused with OnnxFormatError; a
// graph read is lowered or refused with a reason; a lowered network runs on a zero input.

#include "fuzz_support.hpp"

#include "../libdangpli/src/vision/onnx_reader.hpp"
#include "../libdangpli/src/vision/xnnpack_network.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dangpli::detail;
    OnnxGraph graph;
    try {
        graph = read_onnx_graph({data, size});
    } catch (const OnnxFormatError&) {
        return 0;
    }
    std::string why;
    const auto net = XnnpackNetwork::lower(graph, 1, 8, 8, why);
    if (!net) {
        if (why.empty()) std::abort();  // a refusal always says why
        return 0;
    }
    std::vector<float> in(64, 0.f), out(net->output_size());
    net->run(in.data(), out.data());
    return 0;
}
