// XNNPACK runs our exported networks; cv::dnn stays for graphs it does not cover. Both must read
// every real face the same way, and a graph XNNPACK cannot take must still load and run.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

#include <opencv2/dnn.hpp>

#include "../../libdangpli/src/vision/onnx_reader.hpp"
#include "../../libdangpli/src/vision/xnnpack_network.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/model_files.hpp"
#include "dangpli/yunet_detector.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::detail::OnnxGraph;
using dangpli::detail::OnnxNode;
using dangpli::detail::XnnpackNetwork;

namespace {

std::vector<cv::Mat> public_faces(std::size_t step) {
    const auto samples = load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    std::vector<cv::Mat> faces;
    for (std::size_t i = 0; i < samples.size(); i += step) faces.push_back(samples[i].image);
    return faces;
}

// Sets DANGPLI_INFERENCE=opencv while it lives.
struct OpenCvOnly {
    OpenCvOnly() { ::setenv("DANGPLI_INFERENCE", "opencv", 1); }
    ~OpenCvOnly() { ::unsetenv("DANGPLI_INFERENCE"); }
};

OnnxGraph read_graph(const std::filesystem::path& file) {
    const auto bytes = test::read_file(file);
    return detail::read_onnx_graph({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

}  // namespace

TEST_CASE("DANGPLI_INFERENCE names an engine, or the model is refused in one line naming the value") {
    const auto model = test::kSourceDir / "models/emotion/w6-resnet-wide.onnx";
    ::setenv("DANGPLI_INFERENCE", "xnnpack", 1);
    CHECK(EmotionClassifier(model).engine() == "xnnpack");
    ::setenv("DANGPLI_INFERENCE", "openvc", 1);
    CHECK_THROWS_WITH_AS(EmotionClassifier{model},
                         "DANGPLI_INFERENCE=openvc: not an inference engine (xnnpack, the default, or opencv)", ModelError);
    ::setenv("DANGPLI_INFERENCE", "gpu", 1);
    const auto r = test::run_cli("eval --model " + model.string() + " --dataset " +
                                 (test::kSharedDir / "data/fer2013/publictest").string());
    ::unsetenv("DANGPLI_INFERENCE");
    CHECK(r.exit_code == 4);
    CHECK(r.err == "dangpli: model error: DANGPLI_INFERENCE=gpu: not an inference engine (xnnpack, the default, or opencv)\n");
}

TEST_CASE("every committed emotion model runs on XNNPACK and reads real faces as cv::dnn does") {
    const auto faces = public_faces(37);  // 97 faces of all seven classes
    REQUIRE(faces.size() > 90);
    std::vector<std::filesystem::path> models;
    for (const char* dir : {"models/emotion", "models/ensemble"})
        for (const auto& entry : std::filesystem::directory_iterator(test::kSourceDir / dir))
            if (entry.path().extension() == ".onnx") models.push_back(entry.path());
    REQUIRE(models.size() >= 7);
    for (const auto& model : models) {
        CAPTURE(model);
        const EmotionClassifier fast(model);
        CHECK(fast.engine() == "xnnpack");
        std::optional<EmotionClassifier> reference;
        {
            OpenCvOnly only;
            reference.emplace(model);
        }
        CHECK(reference->engine() == "opencv");
        // Ten-crop views (crops and resizes the classifier makes before either engine) on a tenth of
        // the faces: ten networks' worth of each face cost most of a minute under ASan.
        const std::vector<cv::Mat> some_faces(faces.begin(), faces.begin() + 10);
        for (const auto& [tta, read] : {std::pair{TestTimeAugmentation::Single, &faces},
                                        std::pair{TestTimeAugmentation::TenCrop, &some_faces}}) {
            const auto a = fast.classify(*read, tta), b = reference->classify(*read, tta);
            float worst = 0.f;
            std::size_t same_top = 0;
            for (std::size_t i = 0; i < read->size(); ++i) {
                for (Emotion e : kAllEmotions) worst = std::max(worst, std::abs(a[i][e] - b[i][e]));
                same_top += a[i].emotion == b[i].emotion;
            }
            CHECK(worst < 1e-4f);
            CHECK(same_top == read->size());
        }
        // One face at a time (live's way) reads as the batch does.
        const auto batch = fast.classify(faces);
        for (std::size_t i = 0; i < 5; ++i)
            CHECK(fast.classify(faces[i])[Emotion::Happy] == doctest::Approx(static_cast<double>(batch[i][Emotion::Happy])).epsilon(1e-6));
        // A copy builds its own network on XNNPACK too.
        const EmotionClassifier copy(fast);
        CHECK(copy.engine() == "xnnpack");
        CHECK(copy.classify(faces[0])[Emotion::Neutral] == doctest::Approx(static_cast<double>(batch[0][Emotion::Neutral])).epsilon(1e-6));
    }
}

TEST_CASE("an ensemble's engine names what runs its members") {
    const auto ensemble = test::kSourceDir / "models/emotion/fer-ensemble.yaml";
    CHECK(EmotionClassifier(ensemble).engine() == "xnnpack");
    CHECK(EmotionClassifier(ensemble).why_not_xnnpack().empty());
    OpenCvOnly only;
    const EmotionClassifier slow(ensemble);
    CHECK(slow.engine() == "opencv");
    CHECK(slow.why_not_xnnpack().find("fer-resnet-wide.onnx: DANGPLI_INFERENCE=opencv; ") == 0);
}

TEST_CASE("a model with an operator XNNPACK does not cover loads, reads faces on cv::dnn and says why") {
    // fer-resnet with its first Relu turned Tanh (op_type is field 4: tag 0x22, length 4): a graph
    // cv::dnn runs and the lowering does not cover, as a user's own export might be.
    const auto source = test::kSourceDir / "models/emotion/fer-resnet.onnx";
    auto bytes = test::read_file(source);
    const auto at = bytes.find(std::string("\x22\x04Relu", 6));
    REQUIRE(at != std::string::npos);
    bytes.replace(at + 2, 4, "Tanh");
    test::TempDir dir;
    test::write_file(dir / "fer-resnet.onnx", bytes);
    test::write_file(dir / "fer-resnet.yaml", test::read_file(source.parent_path() / "fer-resnet.yaml"));

    const EmotionClassifier changed(dir / "fer-resnet.onnx");
    CHECK(changed.engine() == "opencv");
    CAPTURE(changed.why_not_xnnpack());
    CHECK(changed.why_not_xnnpack().find("fer-resnet.onnx: ") == 0);
    CHECK(changed.why_not_xnnpack().find("Tanh") != std::string::npos);
    const auto faces = public_faces(200);
    REQUIRE(faces.size() > 10);
    // It ran the changed graph: probabilities as ever, not the original's.
    const auto read = changed.classify(faces), original = EmotionClassifier(source).classify(faces);
    float moved = 0.f;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        float sum = 0.f;
        for (Emotion e : kAllEmotions) {
            sum += read[i][e];
            moved = std::max(moved, std::abs(read[i][e] - original[i][e]));
        }
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
    }
    CHECK(moved > 1e-3f);
}

TEST_CASE("a graph with an operator XNNPACK does not cover is refused with the reason, and stays on cv::dnn") {
    // YuNet (a third-party detector) holds Concat, Reshape, Sigmoid...: read, then refused by name.
    auto yunet = read_graph(find_model_file(std::string(YunetDetector::kModelFile)));
    std::string why;
    CHECK(XnnpackNetwork::lower(yunet, 3, 120, 160, why) == nullptr);
    CHECK(why == "the graph has 1 inputs and 3 outputs, not one of each");
    yunet.outputs.resize(1);
    CHECK(XnnpackNetwork::lower(yunet, 3, 120, 160, why) == nullptr);
    CAPTURE(why);
    CHECK(why.find("is not covered") != std::string::npos);

    // Our own graph with one node changed: a Relu turned into a Tanh.
    auto graph = read_graph(test::kSourceDir / "models/emotion/fer-resnet.onnx");
    REQUIRE(XnnpackNetwork::lower(graph, 1, 44, 44, why) != nullptr);
    for (auto& node : graph.nodes)
        if (node.op_type == "Relu") {
            node.op_type = "Tanh";
            break;
        }
    CHECK(XnnpackNetwork::lower(graph, 1, 44, 44, why) == nullptr);
    CHECK(why == "Tanh: the operator is not covered");

    // Padding in an average pool divides by a count the two engines may disagree on: refused.
    OnnxGraph pool;
    pool.inputs = {"x"};
    pool.outputs = {"y"};
    pool.nodes.push_back(OnnxNode{"AveragePool", {"x"}, {"y"}, {{"kernel_shape", {3, 3}}, {"pads", {1, 1, 1, 1}}}, {}});
    CHECK(XnnpackNetwork::lower(pool, 1, 8, 8, why) == nullptr);
    CHECK(why == "AveragePool: padding is not covered");
    pool.nodes.back().ints.erase("pads");
    auto unpadded = XnnpackNetwork::lower(pool, 1, 8, 8, why);
    REQUIRE(unpadded != nullptr);
    CHECK(unpadded->output_size() == 36u);  // 6 x 6
    std::vector<float> in(64), out(36);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i);
    unpadded->run(in.data(), out.data());
    CHECK(out[0] == doctest::Approx((0 + 1 + 2 + 8 + 9 + 10 + 16 + 17 + 18) / 9.0));

    // A value used before any node computes it.
    pool.nodes.back().inputs = {"z"};
    CHECK(XnnpackNetwork::lower(pool, 1, 8, 8, why) == nullptr);
    CHECK(why.find("value z") != std::string::npos);
}

TEST_CASE("a graph XNNPACK would abort on is refused or trimmed: values assigned twice, dead nodes, no node's output") {
    // fuzz_onnx_graph found these in CI: XNNPACK (Debian's, assertions on) aborts the process on a
    // value with two producers and on a node whose result nothing reads.
    const auto relu = [](std::string in, std::string out) { return OnnxNode{"Relu", {std::move(in)}, {std::move(out)}, {}, {}}; };
    OnnxGraph graph;
    graph.inputs = {"x"};
    graph.outputs = {"y"};
    std::string why;

    graph.nodes = {relu("x", "y"), relu("x", "y")};
    CHECK(XnnpackNetwork::lower(graph, 1, 8, 8, why) == nullptr);
    CHECK(why == "Relu: a second assignment of value y is not covered");
    graph.nodes = {relu("x", "x"), relu("x", "y")};  // the input written over
    CHECK(XnnpackNetwork::lower(graph, 1, 8, 8, why) == nullptr);
    CHECK(why == "Relu: a second assignment of value x is not covered");

    graph.outputs = {"x"};  // the input handed back untouched
    graph.nodes = {relu("x", "y")};
    CHECK(XnnpackNetwork::lower(graph, 1, 8, 8, why) == nullptr);
    CHECK(why == "the graph's output x is no node's result");

    // Dead nodes (before the output, and after it reading it) are left out; the rest runs.
    graph.outputs = {"y"};
    graph.nodes = {relu("x", "dead"), relu("x", "y"), relu("y", "after"),
                   OnnxNode{"Add", {"y", "after"}, {"sum"}, {}, {}}};
    const auto net = XnnpackNetwork::lower(graph, 1, 8, 8, why);
    CAPTURE(why);
    REQUIRE(net != nullptr);
    std::vector<float> in(64), out(net->output_size());
    REQUIRE(out.size() == 64u);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i) - 32.f;
    net->run(in.data(), out.data());
    CHECK(out[0] == 0.f);
    CHECK(out[63] == 31.f);
}

TEST_CASE("the ONNX reader finds our exporter's graph and never reads past a cut-short file") {
    const auto bytes = test::read_file(test::kSourceDir / "models/emotion/fer-resnet.onnx");
    const std::span<const unsigned char> all(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    const auto graph = detail::read_onnx_graph(all);
    CHECK(graph.inputs.size() == 1);
    CHECK(graph.input_dims.at(graph.inputs.front()) == std::vector<int64_t>{0, 1, 44, 44});  // batch: any
    CHECK(graph.outputs == std::vector<std::string>{"probs"});
    CHECK(graph.nodes.front().op_type == "Conv");
    CHECK(graph.nodes.back().op_type == "Softmax");
    const auto& first_weight = graph.initializers.at(graph.nodes.front().inputs.at(1));
    CHECK(first_weight.dims == std::vector<int64_t>{32, 1, 3, 3});
    CHECK(first_weight.values.size() == 288u);

    // Every cut either throws OnnxFormatError or gives a graph that lowers or is refused cleanly.
    std::size_t refused = 0;
    for (std::size_t size = 0; size < all.size(); size += 1 + size / 3) {
        try {
            const auto part = detail::read_onnx_graph(all.first(size));
            std::string why;
            if (!XnnpackNetwork::lower(part, 1, 44, 44, why)) ++refused;
        } catch (const detail::OnnxFormatError&) {
            ++refused;
        }
    }
    CHECK(refused > 10);
}

TEST_CASE("the fuzzer's first seed, a tiny graph of the first covered operators, lowers and gives probabilities") {
    // fuzz/corpus/onnx_graph/tiny.onnx: Conv 3x3 pad 1 -> Relu -> MaxPool 2 -> Add(p, p) ->
    // GlobalAveragePool -> Flatten -> Gemm(transB) -> Softmax, 2 channels, 7 outputs.
    const auto graph = read_graph(test::kSourceDir / "fuzz/corpus/onnx_graph/tiny.onnx");
    REQUIRE(graph.nodes.size() == 8u);
    std::string why;
    const auto net = XnnpackNetwork::lower(graph, 1, 8, 8, why);
    CAPTURE(why);
    REQUIRE(net != nullptr);
    REQUIRE(net->output_size() == 7u);
    std::vector<float> in(64, 1.f), out(7);
    net->run(in.data(), out.data());
    double sum = 0;
    for (float p : out) sum += static_cast<double>(p);
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(out[6] > out[0]);  // W1's rows grow with the index and the features are positive
}

TEST_CASE("the fuzzer's second seed, a channel gate (Sigmoid, broadcasting Mul), reads on XNNPACK as on cv::dnn") {
    // fuzz/corpus/onnx_graph/gate.onnx, written by fuzz/make_gate_seed.py: Conv -> Relu -> r;
    // GlobalAveragePool(r) -> Conv 1x1 -> Sigmoid -> t; Mul(r, t) -> GlobalAveragePool -> Gemm -> Softmax.
    const auto file = test::kSourceDir / "fuzz/corpus/onnx_graph/gate.onnx";
    const auto graph = read_graph(file);
    REQUIRE(graph.nodes.size() == 10u);
    std::string why;
    const auto net = XnnpackNetwork::lower(graph, 1, 8, 8, why);
    CAPTURE(why);
    REQUIRE(net != nullptr);
    REQUIRE(net->output_size() == 7u);
    std::vector<float> in(64), out(7);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 11) / 5.f - 1.f;
    net->run(in.data(), out.data());
    auto reference = cv::dnn::readNetFromONNX(file.string());
    reference.setInput(cv::Mat(std::vector<int>{1, 1, 8, 8}, CV_32F, in.data()));
    const cv::Mat expected = reference.forward();
    REQUIRE(expected.total() == 7u);
    for (std::size_t k = 0; k < 7; ++k) CHECK(out[k] == doctest::Approx(expected.ptr<float>()[k]).epsilon(1e-5));
    CHECK(out[6] > out[0]);
}

TEST_CASE("a cut-short model is one ModelError naming the file, whichever engine would run it") {
    test::TempDir dir;
    const auto bytes = test::read_file(test::kSourceDir / "models/emotion/fer-resnet.onnx");
    test::write_file(dir / "cut.onnx", bytes.substr(0, bytes.size() / 2));
    std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet.yaml", dir / "cut.yaml");
    auto card = test::read_file(dir / "cut.yaml");
    card.replace(card.find("model: fer-resnet.onnx"), 22, "model: cut.onnx");
    test::write_file(dir / "cut.yaml", card);
    CHECK_THROWS_WITH_AS(EmotionClassifier(dir / "cut.onnx"), doctest::Contains("cut.onnx"), ModelError);
}

TEST_CASE("a model whose weights are not numbers (a diverged training's export) is refused on load") {
    test::TempDir dir;
    auto bytes = test::read_file(test::kSourceDir / "models/emotion/fer-resnet.onnx");
    const auto graph = read_graph(test::kSourceDir / "models/emotion/fer-resnet.onnx");
    const auto& weights = graph.initializers.at(graph.nodes.front().inputs.at(1)).values;
    const auto at = bytes.find(std::string(reinterpret_cast<const char*>(weights.data()), weights.size() * sizeof(float)));
    REQUIRE(at != std::string::npos);
    const float not_a_number = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t i = 0; i < weights.size(); ++i) std::memcpy(&bytes[at + i * sizeof(float)], &not_a_number, sizeof(float));
    test::write_file(dir / "nan.onnx", bytes);
    auto card = test::read_file(test::kSourceDir / "models/emotion/fer-resnet.yaml");
    card.replace(card.find("model: fer-resnet.onnx"), 22, "model: nan.onnx");
    test::write_file(dir / "nan.yaml", card);
    for (const bool opencv : {false, true}) {
        CAPTURE(opencv);
        std::optional<OpenCvOnly> engine;
        if (opencv) engine.emplace();
        CHECK_THROWS_WITH_AS(EmotionClassifier(dir / "nan.onnx"),
                             doctest::Contains("are not numbers (NaN or infinite)"), ModelError);
    }
}
