#pragma once
// Shared by the trainer's tests: small real FER2013 CSVs, tiny configs, and comparisons of networks
// with each other and with their ONNX export on cv::dnn.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

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

// Max |p_torch - p_cvdnn| over a batch of real faces (and one random input).
inline float onnx_disagreement(training::EmotionNet& net, const std::filesystem::path& onnx) {
    net.eval();
    torch::NoGradGuard no_grad;
    auto faces = training::to_face_set(load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest), 24);
    auto x = training::centre_batch(faces, 0, faces.size(), net.input_side()).contiguous();
    x = torch::cat({x, torch::randn({1, 1, net.input_side(), net.input_side()})});
    auto expected = torch::softmax(net.forward(x), 1).contiguous();

    cv::dnn::Net dnn = cv::dnn::readNetFromONNX(onnx.string());
    cv::Mat blob(std::vector<int>{static_cast<int>(x.size(0)), 1, net.input_side(), net.input_side()}, CV_32F,
                 x.data_ptr<float>());
    dnn.setInput(blob);
    cv::Mat got = dnn.forward();
    REQUIRE(got.total() == static_cast<std::size_t>(expected.numel()));
    float worst = 0.0f;
    const float* e = expected.data_ptr<float>();
    for (std::size_t i = 0; i < got.total(); ++i) worst = std::max(worst, std::abs(got.ptr<float>()[i] - e[i]));
    return worst;
}

}  // namespace dangpli::test
