#pragma once
// Shared by the trainer's tests: small real FER2013 CSVs, tiny configs, and comparisons of networks
// with each other and with their ONNX export on cv::dnn.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "../../libdangpli/src/vision/onnx_reader.hpp"
#include "../../libdangpli/src/vision/xnnpack_network.hpp"
#include "dangpli/fer2013.hpp"
#include "emotion_net.hpp"
#include "face_batches.hpp"
#include "support.hpp"
#include "train_config.hpp"

namespace dangpli::test {

// A small FER2013 CSV made from the shared data: `train` Training rows and `val` PublicTest rows;
// `mirrored` gives the same rows with every face flipped left to right (another framing of them).
inline std::filesystem::path small_csv(const TempDir& dir, std::size_t train, std::size_t val,
                                       bool mirrored = false) {
    static const auto all_train = load_fer2013(test::kSharedDir / "data/fer2013/train", Fer2013Split::Training);
    static const auto all_val = load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    auto path = dir / (mirrored ? "small-mirrored.csv" : "small.csv");
    std::ofstream out(path);
    out << "emotion,pixels,Usage\n";
    auto write = [&out, mirrored](const Fer2013Sample& s, const char* usage) {
        cv::Mat face = s.image;
        if (mirrored) cv::flip(s.image, face, 1);
        out << label_of(s.label) << ",\"";
        for (int i = 0; i < 48 * 48; ++i) out << (i ? " " : "") << static_cast<int>(face.data[i]);
        out << "\"," << usage << "\n";
    };
    // Evenly spread over each split, so that every class appears (the folders load class by class).
    const auto spread = [](std::size_t size, std::size_t want) { return std::max<std::size_t>(1, size / std::max<std::size_t>(1, want)); };
    for (std::size_t n = 0, step = spread(all_train.size(), train); n < train; ++n)
        write(all_train[(n * step) % all_train.size()], "Training");
    for (std::size_t n = 0, step = spread(all_val.size(), val); n < val; ++n)
        write(all_val[(n * step) % all_val.size()], "PublicTest");
    return path;
}

/// What `work` throws as an `Error` (its what()), or "no error".
template <class Error, class Work>
std::string message_of(Work&& work) {
    try {
        work();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

inline training::TrainConfig tiny_config(const std::filesystem::path& csv, int epochs) {
    training::TrainConfig c;
    c.train_data = csv.string();
    c.epochs = epochs;
    c.batch_size = 32;
    c.learning_rate = 0.02;
    c.warmup_epochs = 0.5;
    c.threads = 1;
    return c;
}

inline float max_param_difference(training::EmotionNet& a, training::EmotionNet& b) {
    auto pa = a.named_parameters(), pb = b.named_parameters();
    float worst = 0.0f;
    for (const auto& item : pa) worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<float>());
    for (const auto& item : a.named_buffers())
        if (item.value().is_floating_point())
            worst = std::max(worst, (item.value() - b.named_buffers()[item.key()]).abs().max().item<float>());
    return worst;
}

// 24 real faces and one random input, as the network takes them, with its probabilities for each.
struct ProbedNetwork {
    torch::Tensor inputs, probabilities;
};
inline ProbedNetwork probe_network(training::EmotionNet& net) {
    net.eval();
    torch::NoGradGuard no_grad;
    auto faces = training::to_face_set(load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest), 24);
    auto x = training::centre_batch(faces, 0, faces.size(), net.input_side()).contiguous();
    x = torch::cat({x, torch::randn({1, 1, net.input_side(), net.input_side()})});
    return {x, torch::softmax(net.forward(x), 1).contiguous()};
}

// Max |p_torch - p_xnnpack| over probe_network's inputs, one at a time as live runs them; fails the
// test where XNNPACK cannot lower the export.
inline float xnnpack_disagreement(training::EmotionNet& net, const std::filesystem::path& onnx) {
    const auto [x, expected] = probe_network(net);
    const auto bytes = read_file(onnx);
    const auto graph = detail::read_onnx_graph({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
    std::string why_not;
    const auto lowered = detail::XnnpackNetwork::lower(graph, 1, net.input_side(), net.input_side(), why_not);
    CAPTURE(why_not);
    REQUIRE(lowered != nullptr);
    REQUIRE(lowered->output_size() == static_cast<std::size_t>(expected.size(1)));
    std::vector<float> got(lowered->output_size());
    float worst = 0.0f;
    for (int64_t i = 0; i < x.size(0); ++i) {
        lowered->run(x[i].contiguous().data_ptr<float>(), got.data());
        for (std::size_t k = 0; k < got.size(); ++k)
            worst = std::max(worst, std::abs(got[k] - expected[i][static_cast<int64_t>(k)].item<float>()));
    }
    return worst;
}

// Max |p_torch - p_cvdnn| over probe_network's inputs, all in one pass or (`batched` false: cv::dnn 4.6
// cannot batch a squeeze-and-excitation gate) one at a time.
inline float onnx_disagreement(training::EmotionNet& net, const std::filesystem::path& onnx, bool batched = true) {
    auto [x, expected] = probe_network(net);
    cv::dnn::Net dnn = cv::dnn::readNetFromONNX(onnx.string());
    const int side = net.input_side(), inputs = static_cast<int>(x.size(0)), per_pass = batched ? inputs : 1;
    float worst = 0.0f;
    for (int first = 0; first < inputs; first += per_pass) {
        cv::Mat blob(std::vector<int>{per_pass, 1, side, side}, CV_32F, x[first].data_ptr<float>());
        dnn.setInput(blob);
        cv::Mat got = dnn.forward();
        REQUIRE(got.total() == static_cast<std::size_t>(per_pass * expected.size(1)));
        const float* e = expected[first].data_ptr<float>();
        for (std::size_t i = 0; i < got.total(); ++i) worst = std::max(worst, std::abs(got.ptr<float>()[i] - e[i]));
    }
    return worst;
}

}  // namespace dangpli::test
