// The trainer on real FER2013 samples: loss goes down, a resumed run equals an uninterrupted one,
// and the ONNX we write gives the same probabilities on cv::dnn as the network in libtorch.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <thread>
#include <tuple>

#include <opencv2/dnn.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/model_card.hpp"
#include "emotion_net.hpp"
#include "model_export.hpp"
#include "onnx_import.hpp"
#include "run_lock.hpp"
#include "support.hpp"
#include "trainer.hpp"
#include "trainer_test_util.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;
using dangpli::test::TempDir;
using namespace dangpli::test;


TEST_CASE("a tiny run lowers the training loss and writes its run folder") {
    TempDir dir;
    auto csv = small_csv(dir, 384, 64);
    auto run = TrainingRun::create(dir / "run", tiny_config(csv, 3));
    std::vector<double> losses;
    TrainHooks hooks;
    hooks.on_epoch = [&losses](const EpochReport& r) { losses.push_back(r.train_loss); };
    run.train(hooks);
    REQUIRE(losses.size() == 3);
    CHECK(losses.back() < losses.front());
    CHECK(run.epochs_done() == 3);
    CHECK(std::filesystem::exists(dir / "run/config.yaml"));
    CHECK(std::filesystem::exists(dir / "run/best/model.pt"));
    auto log = test::read_file(dir / "run/log.csv");
    CHECK(std::count(log.begin(), log.end(), '\n') == 4);  // header + 3 epochs
}

TEST_CASE("a run stopped after one epoch and resumed ends exactly like an uninterrupted one") {
    TempDir dir;
    auto csv = small_csv(dir, 160, 32);
    auto config = tiny_config(csv, 2);
    config.augment.erase_probability = 0.5f;  // exercise every random draw

    auto straight = TrainingRun::create(dir / "straight", config);
    straight.train();

    auto interrupted = TrainingRun::create(dir / "interrupted", config);
    interrupted.train({}, 1);
    CHECK(interrupted.epochs_done() == 1);
    auto resumed = TrainingRun::open(dir / "interrupted");
    resumed.train();
    CHECK(resumed.epochs_done() == 2);

    auto a = straight.load_network("last");
    auto b = resumed.load_network("last");
    CHECK(max_param_difference(*a, *b) == 0.0f);
    CHECK(test::read_file(dir / "straight/log.csv").substr(0, 80) ==
          test::read_file(dir / "interrupted/log.csv").substr(0, 80));
}

TEST_CASE("a damaged checkpoint stops the resume with one line naming its file") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    auto stopped = TrainingRun::create(dir / "run", tiny_config(csv, 2));
    stopped.train({}, 1);
    const auto checkpoint = dir / "run/checkpoints/epoch-001";
    const auto model = checkpoint / "model.pt";
    const std::string whole = test::read_file(model);
    auto resume_error = [&] {
        try {
            TrainingRun::open(dir / "run").train();
        } catch (const DataError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    auto write = [](const std::filesystem::path& path, const std::string& bytes) {
        std::ofstream(path, std::ios::binary) << bytes;
    };
    write(model, whole.substr(0, whole.size() / 2));  // a half-copied file
    auto truncated = resume_error();
    CHECK(truncated.find(model.string() + ": cannot be read") != std::string::npos);
    CHECK(truncated.find('\n') == std::string::npos);  // no libtorch backtrace
    std::filesystem::remove(model);
    CHECK(resume_error().find(model.string() + ": missing") != std::string::npos);
    write(model, whole);
    write(checkpoint / "rng.txt", "");
    CHECK(resume_error().find("rng.txt: missing or unreadable") != std::string::npos);
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 1);  // nothing was trained on a damaged state

    // The best model gone or damaged: named before training, not by the export after it.
    const std::string best = test::read_file(dir / "run/best/model.pt");
    write(dir / "run/best/model.pt", best.substr(0, best.size() / 2));
    CHECK(resume_error().find((dir / "run/best/model.pt").string() + ": cannot be read") != std::string::npos);
    write(dir / "run/best/model.pt", best);
    // state.yaml gone beside a trained checkpoint: no new run over it (it started at epoch 1 again
    // and deleted the checkpoint).
    std::filesystem::remove(dir / "run/state.yaml");
    CHECK(resume_error().find("state.yaml: missing, but ") != std::string::npos);
    CHECK(std::filesystem::exists(checkpoint / "model.pt"));
}

TEST_CASE("an export reads the best weights with the state that names them; a bad log row is named") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    auto run = TrainingRun::create(dir / "run", tiny_config(csv, 2));
    run.train({}, 1);
    const auto state_path = dir / "run/state.yaml";
    const std::string after_epoch_1 = test::read_file(state_path);
    CHECK(run.load_best().state.best_epoch == 1);
    const auto load_best_error = [&](double wait_seconds) {
        return message_of<DataError>([&] { run.load_best(wait_seconds); });
    };
    // As a trainer beside the export leaves the run between writing best/model.pt and state.yaml:
    // the state still names the best before (here: none). The export waits for the state...
    test::write_file(state_path, "epochs_done: 0\nbest_accuracy: 0\nbest_epoch: 0\nseconds_trained: 0\n");
    CHECK(load_best_error(0.2).find("holds epoch 1's weights, but state.yaml still names epoch 0") != std::string::npos);
    std::thread trainer_ends_epoch([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        test::write_file(state_path, after_epoch_1);
    });
    const auto best = run.load_best(30);
    trainer_ends_epoch.join();
    CHECK(best.state.best_epoch == 1);
    CHECK(best.state.epochs_done == 1);
    // ... and never pairs weights with a state that names a later best.
    test::write_file(state_path, "epochs_done: 2\nbest_accuracy: 0.5\nbest_epoch: 2\nseconds_trained: 1\n");
    CHECK(load_best_error(30).find("holds epoch 1's weights, but state.yaml names epoch 2") != std::string::npos);
    test::write_file(state_path, after_epoch_1);

    // A resume reads log.csv's epochs: a row that does not start with one is named, not read as another.
    std::ofstream(dir / "run/log.csv", std::ios::app) << "junk,row\n";
    const auto message = message_of<DataError>([&] { TrainingRun::open(dir / "run").train(); });
    CHECK(message == (dir / "run/log.csv").string() + ":3: not an epoch's row ('junk,row'): mend or remove the line "
                                                      "to resume");
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 1);
}

TEST_CASE("a diverging run stops naming its epoch; a resume on other faces than the run began on is refused") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    auto diverging_config = tiny_config(csv, 2);
    diverging_config.learning_rate = 1e30;
    auto diverging = TrainingRun::create(dir / "diverged", diverging_config);
    CHECK_THROWS_WITH_AS(diverging.train(), doctest::Contains("the training loss is no longer a number"), Error);
    CHECK(TrainingRun::open(dir / "diverged").epochs_done() == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "diverged/best/model.pt"));

    auto run = TrainingRun::create(dir / "run", tiny_config(csv, 3));
    run.train({}, 1);
    const auto fingerprints = dir / "run/data-fingerprints.yaml";
    REQUIRE(std::filesystem::exists(fingerprints));
    const std::string original = test::read_file(csv);
    // The data file made anew under its name, on other faces (here: the same ones mirrored).
    std::filesystem::copy_file(small_csv(dir, 96, 32, true), csv, std::filesystem::copy_options::overwrite_existing);
    const auto message = message_of<DataError>([&] { TrainingRun::open(dir / "run").train({}, 2); });
    CHECK(message.starts_with(csv.string() + ": not the faces this run trained on (the training data: fingerprint "));
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 1);
    test::write_file(csv, original);
    TrainingRun::open(dir / "run").train({}, 2);
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 2);
    // A run from before fingerprints were kept gets them at its next resume.
    const std::string kept = test::read_file(fingerprints);
    std::filesystem::remove(fingerprints);
    TrainingRun::open(dir / "run").train();
    CHECK(test::read_file(fingerprints) == kept);
}

TEST_CASE("a new run's folder is locked before its first file: a second trainer stops and removes nothing") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    std::filesystem::create_directories(dir / "run");
    {
        const RunLock first(dir / "run");  // another dangpli train, between making the folder and its config
        CHECK(new_run_folder_problem(dir / "run").empty());  // a lone train.lock is no user's file
        CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "run", tiny_config(csv, 1)),
                             doctest::Contains("another dangpli train"), InputError);
        CHECK(std::filesystem::exists(dir / "run/train.lock"));
        CHECK_FALSE(std::filesystem::exists(dir / "run/config.yaml"));
    }
    // The creator holds the lock until its training ends: one that fails to start removes its own files.
    auto failed = TrainingRun::create(dir / "run", tiny_config(csv, 1));
    CHECK_THROWS_AS(TrainingRun::open(dir / "run").train(), InputError);  // locked by `failed`
    std::filesystem::remove(csv);
    CHECK_THROWS_AS(failed.train(), DataError);
    failed.discard_if_unstarted();
    CHECK_FALSE(std::filesystem::exists(dir / "run"));
}

TEST_CASE("a second trainer on a run that is training is refused, naming the process, and trains nothing") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    auto run = TrainingRun::create(dir / "run", tiny_config(csv, 2));
    run.train({}, 1);
    const auto log_before = test::read_file(dir / "run/log.csv");
    {
        const RunLock first(dir / "run");  // as the trainer holds it: its own open file, as another process's
        std::string message = "no error";
        try {
            TrainingRun::open(dir / "run").train();
        } catch (const InputError& e) {
            message = e.what();
        }
        CHECK(message == (dir / "run").string() + ": another dangpli train (process " + std::to_string(::getpid()) +
                             ") is training this run; wait for it to end or stop it");
        CHECK(TrainingRun::open(dir / "run").epochs_done() == 1);
        CHECK(test::read_file(dir / "run/log.csv") == log_before);
    }
    // Released with its holder: the run resumes.
    TrainingRun::open(dir / "run").train();
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 2);
    // A finished run has nothing to train, so it asks for no lock (it may lie on read-only media).
    const RunLock other(dir / "run");
    CHECK_NOTHROW(TrainingRun::open(dir / "run").train());
}

TEST_CASE("the ONNX graph on cv::dnn and on XNNPACK matches libtorch for fresh and trained networks") {
    TempDir dir;
    for (const auto& arch : emotion_net_architectures()) {
        CAPTURE(arch);
        torch::manual_seed(7);
        auto fresh = make_emotion_net(arch);
        // Fresh batch-norm statistics are trivial; give them values so that folding is tested.
        for (auto& item : fresh->named_buffers())
            if (item.key().find("running_var") != std::string::npos) item.value().uniform_(0.5, 2.0);
            else if (item.key().find("running_mean") != std::string::npos) item.value().uniform_(-0.5, 0.5);
        write_onnx(*fresh, dir / (arch + ".onnx"));
        CHECK(onnx_disagreement(*fresh, dir / (arch + ".onnx"), arch != "resnet-wide-se") < 1e-4f);
        CHECK(xnnpack_disagreement(*fresh, dir / (arch + ".onnx")) < 1e-4f);
    }

    auto csv = small_csv(dir, 256, 64);
    auto run = TrainingRun::create(dir / "run", tiny_config(csv, 2));
    run.train();
    auto card = export_model(run, dir / "trained.onnx");
    auto trained = run.load_network("best");
    CHECK(onnx_disagreement(*trained, dir / "trained.onnx") < 1e-4f);
    CHECK(xnnpack_disagreement(*trained, dir / "trained.onnx") < 1e-4f);
    CHECK(std::filesystem::exists(card));
    // The card gives each label's share of the training rows: the prior class balance divides by.
    std::array<double, kEmotionCount> counts{};
    const auto rows = load_fer2013(csv, Fer2013Split::Training);
    for (const auto& s : rows) counts[static_cast<std::size_t>(label_of(s.label))] += 1.0;
    const auto prior = ModelCard::load(card).training_prior;
    REQUIRE(std::find(counts.begin(), counts.end(), 0.0) == counts.end());  // small_csv spreads the classes
    REQUIRE(prior);
    for (std::size_t k = 0; k < kEmotionCount; ++k)
        CHECK((*prior)[k] == doctest::Approx(counts[k] / static_cast<double>(rows.size())).epsilon(1e-3));
}

TEST_CASE("a squeeze-and-excitation export reads faces alike on XNNPACK and on cv::dnn, and imports back") {
    TempDir dir;
    auto csv = small_csv(dir, 128, 32);
    auto config = tiny_config(csv, 1);
    config.architecture = "resnet-wide-se";
    auto run = TrainingRun::create(dir / "run", config);
    run.train();
    const auto model = dir / "se.onnx";
    export_model(run, model);

    const auto samples = load_fer2013(kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    std::vector<cv::Mat> faces;
    for (std::size_t i = 0; i < samples.size() && faces.size() < 12; i += 151) faces.push_back(samples[i].image);
    const EmotionClassifier fast(model);
    CHECK(fast.engine() == "xnnpack");
    ::setenv("DANGPLI_INFERENCE", "opencv", 1);
    const EmotionClassifier slow(model);  // cv::dnn 4.6 fails on a batch of this graph: it runs face by face
    ::unsetenv("DANGPLI_INFERENCE");
    CHECK(slow.engine() == "opencv");
    for (const auto tta : {TestTimeAugmentation::Single, TestTimeAugmentation::TenCrop}) {
        const auto a = fast.classify(faces, tta), b = slow.classify(faces, tta);
        float worst = 0.f;
        for (std::size_t i = 0; i < faces.size(); ++i)
            for (Emotion e : kAllEmotions) worst = std::max(worst, std::abs(a[i][e] - b[i][e]));
        CHECK(worst < 1e-4f);
    }

    // --init-from reads the gate's convolutions back in the order the export wrote them.
    auto imported = make_emotion_net("resnet-wide-se");
    import_onnx_weights(*imported, model);
    CHECK(xnnpack_disagreement(*imported, model) < 1e-4f);
}

TEST_CASE("bad training input is refused with a message naming it") {
    TempDir dir;
    auto config = tiny_config(dir / "missing.csv", 1);
    CHECK_THROWS_AS(TrainingRun::create(dir / "run", [&] { auto c = config; c.architecture = "vgg99"; return c; }()),
                    std::invalid_argument);
    // Missing data is refused before the run folder is made...
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "run", config), doctest::Contains("missing.csv"), DataError);
    CHECK_FALSE(std::filesystem::exists(dir / "run"));
    // ...and data that goes missing later when training reads it.
    test::write_file(dir / "missing.csv", "emotion,pixels,Usage\n");
    auto run = TrainingRun::create(dir / "run", config);
    std::filesystem::remove(dir / "missing.csv");
    CHECK_THROWS_WITH_AS(run.train(), doctest::Contains("missing.csv"), DataError);
    CHECK_THROWS_AS(TrainingRun::create(dir / "run", config), DataError);  // a run is there already
    test::write_file(dir / "run/state.yaml", "oops\n");  // damaged by hand
    CHECK_THROWS_WITH_AS(TrainingRun::open(dir / "run").epochs_done(), doctest::Contains("state.yaml"), DataError);
    test::write_file(dir / "a-file", "not a folder\n");
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "a-file", config), doctest::Contains("not a run folder"), InputError);
}

TEST_CASE("dangpli train never makes its run folder inside a class-folder dataset, nor selects on its training faces") {
    TempDir dir;
    std::filesystem::create_directories(dir / "tree/happy");
    std::filesystem::copy_file(kSharedDir / "data/faces/happy-baby.jpeg", dir / "tree/happy/a.jpeg");
    for (const std::string run : {"tree", "tree/happy/run"}) {
        CAPTURE(run);
        const auto r = run_cli("train " + shell_quote((dir / run).string()) + " --data " +
                               shell_quote((dir / "tree").string()) + " --epochs 1");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("the run folder " + (dir / run).string() + " lies inside --data") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "tree/config.yaml"));
    CHECK_FALSE(std::filesystem::exists(dir / "tree/happy/run"));
    // Files that name no split are in every split: selecting on them is selecting on the training faces.
    std::filesystem::create_directories(dir / "tree/sad");
    std::filesystem::copy_file(kSharedDir / "data/faces/sad-baby.jpeg", dir / "tree/sad/b.jpeg");
    const auto own = run_cli("train " + shell_quote((dir / "run").string()) + " --data " +
                             shell_quote((dir / "tree").string()) + " --epochs 1 --threads 1");
    CHECK(own.exit_code == 3);
    CHECK(own.err.find(", PublicTest: 2 of its 2 faces are training faces too") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "run"));
    // A copy of the training data as the validation data, its Training split named: other files, the
    // same faces (the check compared paths only, and selected on the training faces).
    const auto csv = small_csv(dir, 64, 16);
    std::filesystem::copy_file(csv, dir / "copy.csv");
    auto config = tiny_config(csv, 1);
    config.val_data = (dir / "copy.csv").string();
    config.val_split = "Training";
    auto copied = TrainingRun::create(dir / "copied", config);
    CHECK_THROWS_WITH_AS(copied.train(), doctest::Contains("64 of its 64 faces are training faces too, pixel for pixel"),
                         DataError);
}

TEST_CASE("dangpli train says which classes have no training face, and trains on") {
    TempDir dir;
    // Other photos to validate on (the same ones in both splits are training faces, pixel for pixel).
    for (const auto& [mood, photo, other] : {std::tuple{"happy", "happy-baby.jpeg", "group.jpeg"},
                                             std::tuple{"sad", "sad-baby.jpeg", "neutral.jpeg"}}) {
        std::filesystem::create_directories(dir / "tree" / mood);
        std::filesystem::copy_file(kFacesDir / photo, dir / "tree" / mood / "Training_1.jpeg");
        std::filesystem::copy_file(kFacesDir / other, dir / "tree" / mood / "PublicTest_1.jpeg");
    }
    const auto r = run_cli("train " + shell_quote((dir / "run").string()) + " --data " +
                           shell_quote((dir / "tree").string()) + " --epochs 1 --threads 1");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("dangpli train: warning: " + (dir / "tree").string() +
                     ", Training: no face labelled angry, disgust, fear, surprise, neutral; the model will hardly "
                     "ever say them\n") != std::string::npos);
    CHECK(std::filesystem::exists(dir / "run/best/model.pt"));
    // Said once, when the run starts: opening it again says nothing more.
    const auto again = run_cli("train " + shell_quote((dir / "run").string()) + " --threads 1");
    CHECK(again.exit_code == 0);
    CHECK(again.err.find("warning") == std::string::npos);
}

TEST_CASE("a warm restart starts from the parent run's best model and stands alone") {
    TempDir dir;
    auto csv = small_csv(dir, 96, 32);
    auto parent = TrainingRun::create(dir / "parent", tiny_config(csv, 1));
    parent.train();

    auto config = tiny_config(csv, 1);
    config.init_from = (dir / "parent").string();
    config.learning_rate = 0.0;  // no step moves the weights: the child ends where it started
    config.weight_decay = 0.0;
    auto child = TrainingRun::create(dir / "child", config);
    std::filesystem::remove_all(dir / "parent");  // the child holds its own copy in init/
    child.train();

    auto start = make_emotion_net("resnet");
    auto fresh = make_emotion_net("resnet");
    torch::serialize::InputArchive archive;
    archive.load_from((dir / "child/init/model.pt").string());
    start->load(archive);
    auto end = child.load_network("last");
    float moved = 0.0f, fresh_gap = 0.0f;
    for (const auto& p : start->named_parameters()) {
        moved = std::max(moved, (p.value() - end->named_parameters()[p.key()]).abs().max().item<float>());
        fresh_gap = std::max(fresh_gap, (p.value() - fresh->named_parameters()[p.key()]).abs().max().item<float>());
    }
    CHECK(moved == 0.0f);
    CHECK(fresh_gap > 0.01f);  // and that start is not a fresh initialisation

    auto card = export_model(child, dir / "child.onnx", "child");
    auto text = test::read_file(card);
    CHECK(text.find("warm_start:") != std::string::npos);
    CHECK(text.find("--init-from") != std::string::npos);

    auto seed_config = tiny_config(csv, 1);
    seed_config.architecture = "seed";
    seed_config.init_from = (dir / "child").string();
    CHECK_THROWS_AS(TrainingRun::create(dir / "mismatch", seed_config), InputError);
    CHECK_FALSE(std::filesystem::exists(dir / "mismatch"));
}

TEST_CASE("weight averaging: the last epochs are averaged, logged, and resume exactly") {
    TempDir dir;
    auto csv = small_csv(dir, 128, 32);
    auto config = tiny_config(csv, 3);
    config.swa_epochs = 2;
    config.swa_lr = 0.01;
    CHECK(learning_rate_at(config, 0.5) > 0.0);
    CHECK(learning_rate_at(config, 1.0) == doctest::Approx(0.01));  // epochs 2 and 3: constant
    CHECK(learning_rate_at(config, 2.9) == doctest::Approx(0.01));

    auto straight = TrainingRun::create(dir / "straight", config);
    std::vector<bool> averaged;
    TrainHooks hooks;
    hooks.on_epoch = [&averaged](const EpochReport& r) { averaged.push_back(r.averaged.has_value()); };
    straight.train(hooks);
    CHECK((averaged == std::vector<bool>{false, true, true}));
    auto log = test::read_file(dir / "straight/log.csv");
    CHECK(log.find("averaged_val_accuracy") != std::string::npos);

    auto interrupted = TrainingRun::create(dir / "interrupted", config);
    interrupted.train({}, 2);  // stops inside the averaging
    TrainingRun::open(dir / "interrupted").train();
    auto load_average = [](const std::filesystem::path& run) {
        auto net = make_emotion_net("resnet");
        torch::serialize::InputArchive archive;
        archive.load_from((run / "checkpoints/epoch-003/average.pt").string());
        net->load(archive);
        return net;
    };
    auto a = load_average(dir / "straight");
    auto b = load_average(dir / "interrupted");
    CHECK(max_param_difference(*a, *b) == 0.0f);

    auto recipe = read_file(export_model(straight, dir / "straight.onnx", "straight"));
    CHECK(recipe.find("then cosine to 0") != std::string::npos);

    config.swa_epochs = 3;  // every epoch averaged: no cosine to speak of
    auto all_averaged = TrainingRun::create(dir / "all", config);
    all_averaged.train({}, 1);
    auto card = read_file(export_model(all_averaged, dir / "all.onnx", "all"));
    CHECK(card.find("constant lr 0.01 (every epoch averaged)") != std::string::npos);
    CHECK(card.find("cosine") == std::string::npos);

    config.swa_epochs = 4;  // longer than the schedule
    CHECK_THROWS_AS(TrainingRun::create(dir / "bad", config), InputError);
}

TEST_CASE("mixup: blended batches train, change the run, resume exactly, and the card and config say so") {
    TempDir dir;
    auto csv = small_csv(dir, 128, 32);
    auto config = tiny_config(csv, 2);
    auto plain = TrainingRun::create(dir / "plain", config);
    plain.train();
    config.mixup_alpha = 0.4;
    auto straight = TrainingRun::create(dir / "straight", config);
    straight.train();
    auto interrupted = TrainingRun::create(dir / "interrupted", config);
    interrupted.train({}, 1);
    auto reopened = TrainingRun::open(dir / "interrupted");
    CHECK(reopened.config().mixup_alpha == doctest::Approx(0.4));
    reopened.train();
    CHECK(max_param_difference(*straight.load_network("last"), *reopened.load_network("last")) == 0.0f);
    CHECK(max_param_difference(*straight.load_network("last"), *plain.load_network("last")) > 0.0f);
    CHECK(read_file(dir / "straight/config.yaml").find("mixup_alpha: 0.4") != std::string::npos);
    CHECK(read_file(dir / "plain/config.yaml").find("mixup") == std::string::npos);  // old runs' configs unchanged

    const auto card = read_file(export_model(straight, dir / "straight.onnx", "straight"));
    CHECK(card.find(" --mixup 0.4") != std::string::npos);
    CHECK(card.find("mixup: each batch blended with a shuffled copy of itself") != std::string::npos);

    config.mixup_alpha = -0.1;
    CHECK_THROWS_WITH_AS(TrainingRun::create(dir / "bad", config), "--mixup -0.1: give 0 to 10", InputError);
    const auto r = run_cli("train " + shell_quote((dir / "cli").string()) + " --data " + shell_quote(csv.string()) +
                           " --mixup 11");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--mixup") != std::string::npos);
}
