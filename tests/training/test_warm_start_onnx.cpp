// Starting from an exported model (--init-from model.onnx) and training on the product's framing
// (--aligned-data): the bundled models import back exactly, their batch norms are calibrated so that
// training mode computes the same function, and aligned crops reach the batches.
#include <doctest/doctest.h>

#include <numeric>

#include "dangpli/error.hpp"
#include "dangpli/model_card.hpp"
#include "model_export.hpp"
#include "onnx_import.hpp"
#include "trainer.hpp"
#include "trainer_test_util.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;
using namespace dangpli::test;

namespace {

// The bundled model of the plain resnet architecture, the one tiny_config() trains.
const std::filesystem::path kResnetModel = kSourceDir / "models/emotion/fer-resnet.onnx";

FaceSet publictest_faces(std::size_t n) {
    return to_face_set(load_fer2013(kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest), n);
}

// Mean over faces of the largest |p_a - p_b| between train-mode and eval-mode probabilities.
float train_eval_gap(EmotionNet& net, const FaceSet& faces) {
    torch::NoGradGuard no_grad;
    auto x = centre_batch(faces, 0, faces.size(), net.input_side());
    net.eval();
    auto eval_p = torch::softmax(net.forward(x), 1);
    net.train();
    auto train_p = torch::softmax(net.forward(x), 1);
    net.eval();
    return (train_p - eval_p).abs().amax(1).mean().item<float>();
}

}  // namespace

TEST_CASE("the bundled models import back into libtorch and compute what cv::dnn computes") {
    std::filesystem::path model;
    SUBCASE("fer-resnet") { model = kResnetModel; }
    SUBCASE("w6-resnet-wide (live, eval)") { model = kSourceDir / "models/emotion/w6-resnet-wide.onnx"; }
    CAPTURE(model);
    auto net = make_emotion_net(ModelCard::load(ModelCard::card_path_for(model)).architecture);
    import_onnx_weights(*net, model);
    CHECK(onnx_disagreement(*net, model) < 1e-4f);

    // Before calibration, training mode normalises every folded layer away: another function.
    auto faces = publictest_faces(64);  // one pass per batch norm: 256 faces took a minute for two models
    const float before = train_eval_gap(*net, faces);
    calibrate_folded_batch_norm(*net, faces);
    const float after = train_eval_gap(*net, faces);
    CAPTURE(before);
    CAPTURE(after);
    CHECK(before > 0.2f);
    CHECK(after < 0.05f);
    CHECK(onnx_disagreement(*net, model) < 1e-4f);  // eval mode is still exact
}

TEST_CASE("an ONNX file that does not fit the architecture is refused before a run folder is made") {
    TempDir dir;
    auto csv = small_csv(dir, 64, 16);
    auto config = tiny_config(csv, 1);
    config.architecture = "resnet-wide";
    config.init_from = kResnetModel.string();
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "wide", config), doctest::Contains("fer-resnet.onnx"), DataError);
    CHECK_FALSE(std::filesystem::exists(dir / "wide"));

    write_file(dir / "junk.onnx", "not a model");
    config.architecture = "resnet";
    config.init_from = (dir / "junk.onnx").string();
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "junk", config), doctest::Contains("junk.onnx"), DataError);
}

TEST_CASE("a run started from the committed model begins where the model is, and its card says so") {
    TempDir dir;
    auto csv = small_csv(dir, 128, 64);
    auto config = tiny_config(csv, 1);
    config.init_from = kResnetModel.string();
    config.learning_rate = 0.0;  // no step moves the weights; only batch-norm statistics drift
    config.weight_decay = 0.0;
    auto run = TrainingRun::create(dir / "run", config);
    CHECK(std::filesystem::exists(dir / "run/init/model.onnx"));
    CHECK(std::filesystem::exists(dir / "run/init/model.yaml"));
    run.train();
    auto last = run.load_network("last");
    CHECK(onnx_disagreement(*last, kResnetModel) < 0.05f);
    // A fresh network is nowhere near it: the start was the model.
    auto fresh = make_emotion_net("resnet");
    CHECK(onnx_disagreement(*fresh, kResnetModel) > 0.1f);

    auto card = read_file(export_model(run, dir / "child.onnx", "child"));
    CHECK(card.find("warm_start:") != std::string::npos);
    CHECK(card.find("fer-resnet.onnx") != std::string::npos);
}

TEST_CASE("aligned crops reach the batches at the asked rate, and must be the same rows") {
    TempDir dir;
    auto csv = small_csv(dir, 64, 16);
    auto mirrored = small_csv(dir, 64, 16, /*mirrored=*/true);
    auto faces = to_face_set(load_fer2013(csv, Fer2013Split::Training));
    auto aligned = to_face_set(load_fer2013(mirrored, Fer2013Split::Training));
    faces.aligned = aligned.faces;

    AugmentOptions still;  // no random change: a view is the centre view of the face it starts from
    still.max_rotation_deg = 0;
    still.max_scale_change = 0;
    still.max_shift_px = 0;
    still.horizontal_flip = false;
    still.max_brightness = 0;
    still.max_contrast_change = 0;
    std::vector<std::size_t> all(faces.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    std::mt19937_64 rng(3);
    const int side = 44;
    auto plain = centre_batch(faces, 0, faces.size(), side);
    FaceSet aligned_only = faces;
    aligned_only.faces = aligned.faces;
    auto cut = centre_batch(aligned_only, 0, faces.size(), side);
    CHECK(torch::equal(random_batch(faces, all, side, still, rng, 0.0), plain));
    CHECK(torch::equal(random_batch(faces, all, side, still, rng, 1.0), cut));
    auto half = random_batch(faces, all, side, still, rng, 0.5);
    int from_aligned = 0;
    for (int64_t i = 0; i < static_cast<int64_t>(all.size()); ++i)
        from_aligned += torch::equal(half[i], cut[i]) && !torch::equal(half[i], plain[i]);
    CHECK(from_aligned > 16);
    CHECK(from_aligned < 48);

    auto config = tiny_config(csv, 1);
    config.aligned_data = mirrored.string();
    config.aligned_mix = 0.5;
    auto run = TrainingRun::create(dir / "run", config);
    run.train();
    CHECK(run.epochs_done() == 1);

    auto other = small_csv(dir, 32, 16, true);  // overwrites small-mirrored.csv with fewer rows
    auto config2 = tiny_config(csv, 1);
    config2.aligned_data = other.string();
    config2.aligned_mix = 0.5;
    auto bad = TrainingRun::create(dir / "bad", config2);
    CHECK_THROWS_WITH_AS(bad.train(), doctest::Contains("not"), DataError);
}
