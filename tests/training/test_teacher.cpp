// Online distillation (--teacher): a teacher reads views as cv::dnn reads its export, a student
// taught by it learns its opinion against the labels, the run resumes exactly from its own copy of
// the teacher, and a teacher that cannot teach is refused before any file is made.
#include <doctest/doctest.h>

#include <cmath>

#include "dangpli/error.hpp"
#include "model_export.hpp"
#include "teacher.hpp"
#include "trainer.hpp"
#include "trainer_test_util.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;
using namespace dangpli::test;

namespace {

const std::filesystem::path kNarrow = kSourceDir / "models/emotion/fer-resnet.onnx";
const std::filesystem::path kWide = kSourceDir / "models/emotion/fer-resnet-wide.onnx";

// cv::dnn's probabilities (our exports end in a softmax) for the views `x` [B, 1, s, s].
torch::Tensor dnn_probabilities(const std::filesystem::path& onnx, const torch::Tensor& x) {
    auto input = x.contiguous();
    cv::dnn::Net net = cv::dnn::readNetFromONNX(onnx.string());
    net.setInput(cv::Mat(std::vector<int>{static_cast<int>(input.size(0)), 1, static_cast<int>(input.size(2)),
                                          static_cast<int>(input.size(3))},
                         CV_32F, input.data_ptr<float>()));
    cv::Mat probabilities = net.forward().clone();
    return torch::from_blob(probabilities.ptr<float>(), {input.size(0), 7}).clone();
}

// Share of the validation faces `net` reads as `e` (centre view).
double share_read_as(EmotionNet& net, const FaceSet& faces, Emotion e) {
    torch::NoGradGuard no_grad;
    net.eval();
    const auto read = net.forward(centre_batch(faces, 0, faces.size(), net.input_side())).argmax(1);
    return read.eq(label_of(e)).to(torch::kFloat).mean().item<double>();
}

// An exported resnet (with its card) that reads every face as surprise, whatever it shows.
std::filesystem::path always_surprised_teacher(const TempDir& dir, const std::filesystem::path& csv) {
    auto run = TrainingRun::create(dir / "teacher-run", tiny_config(csv, 1));
    run.train();
    const auto model = dir / "teacher" / "surprised.onnx";
    std::filesystem::create_directories(model.parent_path());
    (void)export_model(run, model);  // the card: architecture, labels, input
    auto net = run.load_network("best");
    for (auto& p : net->named_parameters()) {
        torch::NoGradGuard no_grad;
        if (p.key() == "fc.weight") p.value().zero_();
        if (p.key() == "fc.bias") p.value().copy_(torch::tensor({0.f, 0.f, 0.f, 0.f, 0.f, 8.f, 0.f}));
    }
    write_onnx(*net, model);
    return model;
}

}  // namespace

TEST_CASE("a teacher reads each view as cv::dnn reads its exports: the mean of the members' probabilities") {
    const auto faces = to_face_set(load_fer2013(kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest), 32);
    const auto x = centre_batch(faces, 0, faces.size(), 44);
    const Teacher teacher({kNarrow, kWide}, 44);
    CHECK(teacher.size() == 2);
    const auto expected = (dnn_probabilities(kNarrow, x) + dnn_probabilities(kWide, x)) / 2.0;
    CHECK((teacher.probabilities(x) - expected).abs().max().item<float>() < 1e-4f);
}

TEST_CASE("a student taught by a teacher learns the teacher's opinion, and resumes exactly from its copy") {
    TempDir dir;
    const auto csv = small_csv(dir, 256, 64);
    const auto teacher = always_surprised_teacher(dir, csv);
    const auto val = to_face_set(load_fer2013(csv, Fer2013Split::PublicTest));

    auto labels_only = TrainingRun::create(dir / "labels-only", tiny_config(csv, 2));
    labels_only.train();
    auto c = tiny_config(csv, 2);
    c.teachers = {teacher.string()};
    c.teacher_mix = 1.0;
    auto taught = TrainingRun::create(dir / "taught", c);
    // The run reads its own copy: the original may change or go.
    std::filesystem::remove_all(teacher.parent_path());
    taught.train();
    CHECK(share_read_as(*taught.load_network("last"), val, Emotion::Surprise) > 0.9);
    CHECK(share_read_as(*labels_only.load_network("last"), val, Emotion::Surprise) < 0.5);

    auto interrupted = TrainingRun::create(dir / "interrupted", [&] {
        auto copy = c;
        copy.teachers = {(dir / "taught/teachers/0/surprised.onnx").string()};
        copy.teacher_mix = 0.5;
        return copy;
    }());
    interrupted.train({}, 1);
    auto reopened = TrainingRun::open(dir / "interrupted");
    CHECK(reopened.config().teachers.size() == 1);
    CHECK(reopened.config().teacher_mix == 0.5);
    reopened.train();
    auto straight_config = reopened.config();
    auto straight = TrainingRun::create(dir / "straight", straight_config);
    straight.train();
    CHECK(max_param_difference(*straight.load_network("last"), *reopened.load_network("last")) == 0.0f);
}

TEST_CASE("a teacher that cannot teach is refused, naming it, before the run is made") {
    TempDir dir;
    const auto csv = small_csv(dir, 32, 16);
    auto c = tiny_config(csv, 1);
    c.teachers = {kNarrow.string()};
    c.teacher_mix = 1.5;
    CHECK_THROWS_AS(TrainingRun::create(dir / "bad-mix", c), InputError);
    c.teachers.clear();
    c.teacher_mix = 0.5;
    CHECK_THROWS_AS(TrainingRun::create(dir / "no-teacher", c), InputError);

    // No card beside the model; a card whose architecture reads 48-pixel views (the seed net).
    std::filesystem::copy_file(kNarrow, dir / "bare.onnx");
    c.teachers = {(dir / "bare.onnx").string()};
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "bare", c), doctest::Contains("bare.onnx"), ModelError);
    std::filesystem::copy_file(kNarrow, dir / "seed.onnx");
    auto card = read_file(kSourceDir / "models/emotion/fer-resnet.yaml");
    card.replace(card.find("architecture: resnet"), 20, "architecture: seed");
    card.replace(card.find("model: fer-resnet.onnx"), 22, "model: seed.onnx");
    write_file(dir / "seed.yaml", card);
    c.teachers = {(dir / "seed.onnx").string()};
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "seed", c), doctest::Contains("48-pixel"), ModelError);
    CHECK_FALSE(std::filesystem::exists(dir / "bare"));
    CHECK_FALSE(std::filesystem::exists(dir / "seed"));
}

TEST_CASE("dangpli train --teacher: the card says so, and the export never replaces a teacher") {
    TempDir dir;
    const auto csv = small_csv(dir, 64, 16);
    std::filesystem::copy_file(kNarrow, dir / "t.onnx");
    std::filesystem::copy_file(kSourceDir / "models/emotion/fer-resnet.yaml", dir / "t.yaml");
    const auto run = shell_quote((dir / "run").string());
    const auto r = run_cli("train " + run + " --data " + shell_quote(csv.string()) + " --epochs 1 --batch 32 --threads 1" +
                           " --teacher " + shell_quote((dir / "t.onnx").string()));
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir / "run/config.yaml").find("teacher_mix: 0.5") != std::string::npos);
    const auto teacher_before = read_file(dir / "t.onnx");
    const auto refused = run_cli("train " + run + " --export " + shell_quote((dir / "t.onnx").string()));
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--teacher") != std::string::npos);
    CHECK(read_file(dir / "t.onnx") == teacher_before);
    // Nor the run's own copy of it, which a resume reads.
    const auto copy = dir / "run/teachers/0/t.onnx";
    REQUIRE(std::filesystem::exists(copy));
    const auto into_copy = run_cli("train " + run + " --export " + shell_quote(copy.string()));
    CHECK(into_copy.exit_code == 2);
    CHECK(into_copy.err.find("lies inside the run's") != std::string::npos);
    CHECK(read_file(copy) == teacher_before);
    REQUIRE(run_cli("train " + run + " --export " + shell_quote((dir / "m.onnx").string())).exit_code == 0);
    CHECK(read_file(dir / "m.yaml").find("online distillation") != std::string::npos);
    CHECK(read_file(dir / "m.yaml").find("--teacher ") != std::string::npos);
}
