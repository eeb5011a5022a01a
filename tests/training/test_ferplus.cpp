// FER+ vote soft targets: the votes file lines up with the FER2013 CSV, the target follows the
// formula, a bad votes file is refused in one line naming file:line, and a small run with votes and
// framing augmentations trains and resumes exactly (API and CLI).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>

#include <zlib.h>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "ferplus_votes.hpp"
#include "soft_target.hpp"
#include "support.hpp"
#include "train_config.hpp"
#include "trainer.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;
using dangpli::test::TempDir;

namespace {

const auto kCsv = test::kSharedDir / "data/fer2013/fer2013_train_publictest.csv.gz";
const auto kVotes = test::kSharedDir / "data/fer2013/ferplus_votes_train_publictest.csv.gz";
constexpr std::size_t kTrainingRows = 28709, kRows = 32298;

// The data lines (header excluded) [first, first + count) of a plain or gzipped file.
std::vector<std::string> lines_of(const std::filesystem::path& path, std::size_t first, std::size_t count) {
    std::unique_ptr<gzFile_s, decltype(&gzclose)> f(gzopen(path.c_str(), "rb"), &gzclose);
    REQUIRE(f);
    std::vector<std::string> out;
    std::string line;
    char buf[16384];
    for (std::size_t n = 0; out.size() < count && gzgets(f.get(), buf, sizeof buf) != nullptr;) {
        line += buf;
        if (line.back() != '\n') continue;
        if (n >= first + 1 && n < first + 1 + count) out.push_back(line);  // line 0 is the header
        line.clear();
        ++n;
    }
    return out;
}

// Real rows of both files, still aligned: Training rows [0, train) and PublicTest rows [0, val).
struct SmallPair {
    std::filesystem::path csv, votes;
};
SmallPair small_pair(const TempDir& dir, std::size_t train, std::size_t val) {
    SmallPair p{dir / "small.csv", dir / "small_votes.csv"};
    std::ofstream csv(p.csv), votes(p.votes);
    csv << "emotion,pixels,Usage\n";
    votes << "Usage,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n";
    for (const auto& l : lines_of(kCsv, 0, train)) csv << l;
    for (const auto& l : lines_of(kCsv, kTrainingRows, val)) csv << l;
    for (const auto& l : lines_of(kVotes, 0, train)) votes << l;
    for (const auto& l : lines_of(kVotes, kTrainingRows, val)) votes << l;
    return p;
}

std::string vote_line(const char* usage, const char* counts) { return std::string(usage) + "," + counts + "\n"; }
const std::string kHeader = "Usage,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n";

}  // namespace

TEST_CASE("the shared FER+ votes parse and line up with the shared FER2013 CSV row for row") {
    auto votes = load_ferplus_votes(kVotes);
    REQUIRE(votes.size() == kRows);
    CHECK(std::count(votes.usage.begin(), votes.usage.end(), Fer2013Split::Training) == kTrainingRows);
    CHECK(votes.usage[kTrainingRows] == Fer2013Split::PublicTest);
    // Row 0: neutral 4, happiness 0, surprise 0, sadness 1, anger 3, disgust 2, fear 0 (ours: a d f h s su n).
    const VoteDistribution row0{0.3f, 0.2f, 0.0f, 0.0f, 0.1f, 0.0f, 0.4f};
    for (std::size_t k = 0; k < 7; ++k) CHECK(votes.distribution[0][k] == doctest::Approx(row0[k]));
    CHECK(votes_for({}, votes, kCsv).empty());  // counts and every row's Usage agree
}

TEST_CASE("each sample gets the votes of its own CSV row") {
    TempDir dir;
    auto pair = small_pair(dir, 6, 3);
    auto votes = load_ferplus_votes(pair.votes);
    auto full = load_ferplus_votes(kVotes);
    auto val = load_fer2013(pair.csv, Fer2013Split::PublicTest);
    auto got = votes_for(val, votes, pair.csv);
    REQUIRE(got.size() == 3);
    CHECK(got[2] == full.distribution[kTrainingRows + 2]);
    auto train = load_fer2013(pair.csv, Fer2013Split::Training);
    CHECK(votes_for(train, votes, pair.csv)[5] == full.distribution[5]);
}

TEST_CASE("the soft target is (1-W) one-hot + W votes, then label smoothing") {
    const VoteDistribution votes{0.3f, 0.2f, 0.0f, 0.0f, 0.1f, 0.0f, 0.4f};  // row 0, FER2013 label 0 (angry)
    auto t = soft_target(0, votes, 0.5, 0.0);
    CHECK(t[0] == doctest::Approx(0.65));
    CHECK(t[1] == doctest::Approx(0.10));
    CHECK(t[6] == doctest::Approx(0.20));
    t = soft_target(0, votes, 0.5, 0.1);
    CHECK(t[0] == doctest::Approx(0.9 * 0.65 + 0.1 / 7));
    CHECK(t[2] == doctest::Approx(0.1 / 7));
    float sum = 0;
    for (float v : t) sum += v;
    CHECK(sum == doctest::Approx(1.0));
    t = soft_target(3, VoteDistribution{}, 0.5, 0.0);  // no usable vote: the one-hot
    CHECK(t[3] == 1.0f);
    // With a one-hot target the loss equals cross_entropy with smoothing.
    auto logits = torch::randn({4, 7});
    auto labels = torch::tensor(std::vector<int64_t>{0, 3, 6, 2});
    auto soft = torch::empty({4, 7});
    for (int i = 0; i < 4; ++i) {
        auto row = soft_target(labels[i].item<int64_t>(), VoteDistribution{}, 0.5, 0.1);
        std::copy(row.begin(), row.end(), soft.data_ptr<float>() + i * 7);
    }
    auto expected = torch::nn::functional::cross_entropy(
        logits, labels, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(0.1));
    CHECK(soft_cross_entropy(logits, soft).item<float>() == doctest::Approx(expected.item<float>()).epsilon(1e-5));
}

TEST_CASE("a teacher's probabilities written as votes rows read back as the same shares, row for row") {
    // How teacher_votes hands an ensemble's opinion to the trainer (distillation).
    TempDir dir;
    const std::vector<VoteDistribution> shares{{0.05f, 0.0f, 0.1f, 0.6f, 0.05f, 0.1f, 0.1f},
                                               {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f},
                                               {0.1234f, 0.2f, 0.0766f, 0.1f, 0.3f, 0.1f, 0.1f}};
    const std::vector<Fer2013Split> usage{Fer2013Split::Training, Fer2013Split::Training, Fer2013Split::PublicTest};
    {
        std::ofstream out(dir / "teacher.csv");
        out << kFerPlusHeader << '\n';
        for (std::size_t i = 0; i < shares.size(); ++i) out << format_votes_row(usage[i], shares[i]) << '\n';
    }
    CHECK(format_votes_row(Fer2013Split::Training, shares[1]) == "Training,1000,0,0,0,0,0,0,0,0,0");
    const auto votes = load_ferplus_votes(dir / "teacher.csv");
    REQUIRE(votes.size() == shares.size());
    for (std::size_t i = 0; i < shares.size(); ++i) {
        CHECK(votes.usage[i] == usage[i]);
        for (std::size_t k = 0; k < 7; ++k) CHECK(std::abs(votes.distribution[i][k] - shares[i][k]) <= 0.0006f);  // counts of 1000
    }
}

TEST_CASE("teacher_votes measures an ensemble and writes votes the trainer lines up with the data") {
    TempDir dir;
    auto pair = small_pair(dir, 40, 20);
    const auto model = test::kSourceDir / "models/emotion/fer-resnet.onnx";
    const auto teacher = dir / "teacher.csv";
    const std::string tool = test::shell_quote(DANGPLI_TEACHER_VOTES_PATH);
    auto r = test::run_command(tool + " " + test::shell_quote(pair.csv.string()) + " " +
                               test::shell_quote(teacher.string()) + " " + test::shell_quote(model.string()) + " " +
                               test::shell_quote(model.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("ensemble of 2") != std::string::npos);
    CHECK(r.out.find("PublicTest") != std::string::npos);

    const auto votes = load_ferplus_votes(teacher);
    const auto train = load_fer2013(pair.csv, Fer2013Split::Training);
    const auto shares = votes_for(train, votes, pair.csv);  // throws unless aligned row for row
    REQUIRE(shares.size() == 40);
    // Two copies of one model: the ensemble is that model, mirror TTA, in counts of 1000.
    const EmotionClassifier classifier(model);
    for (std::size_t i : {0u, 17u, 39u}) {
        const auto p = classifier.classify(train[i].image, TestTimeAugmentation::Mirror).probabilities;
        for (std::size_t k = 0; k < 7; ++k) CHECK(std::abs(shares[i][k] - p[k]) <= 0.005f);  // counts of 1000, rounded
    }

    // The output never replaces an input: the data itself, or a model.
    const auto before = test::read_file(pair.csv);
    r = test::run_command(tool + " " + test::shell_quote(pair.csv.string()) + " " + test::shell_quote(pair.csv.string()) +
                          " " + test::shell_quote(model.string()));
    CHECK(r.exit_code == 2);  // a usage error, before anything is read
    CHECK(r.err.find("would replace an input") != std::string::npos);
    CHECK(test::read_file(pair.csv) == before);
}

TEST_CASE("a bad votes file is refused in one line naming file:line") {
    TempDir dir;
    auto check_one_line = [](const std::string& message, const std::string& where) {
        CAPTURE(message);
        CHECK(message.find(where) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    };
    auto bad = dir / "votes.csv";
    test::write_file(bad, kHeader + vote_line("Training", "4,0,0,1,3,2,0,0,0,0") + vote_line("Training", "4,0,x,1,3,2,0,0,0,0"));
    try {
        load_ferplus_votes(bad);
        FAIL("no error");
    } catch (const DataError& e) {
        check_one_line(e.what(), bad.string() + ":3:");
    }
    test::write_file(bad, kHeader + vote_line("Training", "4,0,0,1,3,2,0,0,0"));  // 9 counts
    CHECK_THROWS_WITH_AS(load_ferplus_votes(bad), doctest::Contains(":2: expected 11 fields"), DataError);
    test::write_file(bad, "emotion,pixels,Usage\n");
    CHECK_THROWS_WITH_AS(load_ferplus_votes(bad), doctest::Contains(":1: wrong header"), DataError);

    // Row counts: 3 data rows against 2 vote rows, and 4 against 3.
    auto pair = small_pair(dir, 3, 0);
    test::write_file(bad, kHeader + vote_line("Training", "10,0,0,0,0,0,0,0,0,0") + vote_line("Training", "10,0,0,0,0,0,0,0,0,0"));
    auto samples = load_fer2013(pair.csv, Fer2013Split::Training);
    try {
        votes_for(samples, load_ferplus_votes(bad), pair.csv);
        FAIL("no error");
    } catch (const DataError& e) {
        check_one_line(e.what(), bad.string() + ":4: row count mismatch");
    }
    test::write_file(bad, kHeader + vote_line("Training", "10,0,0,0,0,0,0,0,0,0") +
                              vote_line("Training", "10,0,0,0,0,0,0,0,0,0") + vote_line("PublicTest", "10,0,0,0,0,0,0,0,0,0"));
    CHECK_THROWS_WITH_AS(votes_for(samples, load_ferplus_votes(bad), pair.csv),
                         doctest::Contains((bad.string() + ":4: Usage PublicTest").c_str()), DataError);

    // Through the CLI: exit 3 and one line on stderr.
    auto r = test::run_cli("train " + test::shell_quote((dir / "run").string()) + " --data " +
                           test::shell_quote(pair.csv.string()) + " --ferplus-votes " + test::shell_quote(bad.string()) +
                           " --epochs 1 --threads 1");
    CHECK(r.exit_code == 3);
    CAPTURE(r.err);
    CHECK(r.err.find(bad.string() + ":4:") != std::string::npos);
}

TEST_CASE("votes and framing augmentations: a small run trains and resumes exactly") {
    TempDir dir;
    auto pair = small_pair(dir, 128, 32);
    TrainConfig c;
    c.train_data = pair.csv.string();
    c.ferplus_votes = pair.votes.string();
    c.ferplus_mix = 0.5;
    c.epochs = 2;
    c.batch_size = 32;
    c.learning_rate = 0.02;
    c.warmup_epochs = 0.5;
    c.threads = 1;
    c.augment.max_rotation_deg = 15;
    c.augment.max_scale_change = 0.2f;
    c.augment.framing.blur_probability = 0.5f;
    c.augment.framing.gamma_min = 0.7f;
    c.augment.framing.gamma_max = 1.4f;
    c.augment.framing.jpeg_probability = 0.5f;

    auto straight = TrainingRun::create(dir / "straight", c);
    straight.train();
    auto interrupted = TrainingRun::create(dir / "interrupted", c);
    interrupted.train({}, 1);
    auto reopened = TrainingRun::open(dir / "interrupted");
    CHECK(reopened.config().ferplus_mix == 0.5);
    CHECK(reopened.config().augment.framing.jpeg_probability == 0.5f);
    CHECK(reopened.config().augment.framing.gamma_max == doctest::Approx(1.4f));
    reopened.train();
    auto a = straight.load_network("last"), b = reopened.load_network("last");
    float worst = 0.0f;
    for (const auto& p : a->named_parameters())
        worst = std::max(worst, (p.value() - b->named_parameters()[p.key()]).abs().max().item<float>());
    CHECK(worst == 0.0f);
    CHECK(test::read_file(dir / "straight/log.csv").substr(0, 120) ==
          test::read_file(dir / "interrupted/log.csv").substr(0, 120));

    c.ferplus_mix = 1.5;
    CHECK_THROWS_AS(TrainingRun::create(dir / "bad", c), InputError);
    c.ferplus_mix = 0.5;
    c.augment.framing.jpeg_quality_min = 0;
    CHECK_THROWS_AS(TrainingRun::create(dir / "bad", c), InputError);
}

TEST_CASE("dangpli train with --ferplus-votes and framing flags runs, stops, and resumes with the same command") {
    TempDir dir;
    auto pair = small_pair(dir, 96, 32);
    const std::string args = "train " + test::shell_quote((dir / "run").string()) + " --data " +
                             test::shell_quote(pair.csv.string()) + " --ferplus-votes " +
                             test::shell_quote(pair.votes.string()) +
                             " --epochs 2 --batch 32 --threads 1 --limit 64 --rotation 15 --scale 0.2 --shift 3"
                             " --blur 0.3 --blur-sigma 0.4 1.0 --gamma 0.8 1.25 --jpeg 0.3 --jpeg-quality 40 90";
    auto first = test::run_cli(args + " --until-epoch 1");
    CAPTURE(first.err);
    REQUIRE(first.exit_code == 0);
    auto config = test::read_file(dir / "run/config.yaml");
    CHECK(config.find("ferplus_mix: 0.5") != std::string::npos);
    CHECK(config.find("jpeg_quality_min: 40") != std::string::npos);
    CHECK(config.find("max_shift_px: 3") != std::string::npos);
    auto second = test::run_cli(args);
    CAPTURE(second.err);
    CHECK(second.exit_code == 0);
    CHECK(second.err.find("1 of 2 epochs done") != std::string::npos);
    CHECK(TrainingRun::open(dir / "run").epochs_done() == 2);

    // Resuming keeps the recipe: a changed flag is refused by name, not ignored; --threads may change.
    const auto config_before = test::read_file(dir / "run/config.yaml");
    std::string faster = args;
    faster.replace(faster.find("--threads 1"), 11, "--threads 2");
    std::string other = faster;
    other.replace(other.find("--epochs 2"), 10, "--epochs 3");
    auto changed = test::run_cli(other + " --lr 0.01");
    CAPTURE(changed.err);
    CHECK(changed.exit_code == 2);
    CHECK(std::count(changed.err.begin(), changed.err.end(), '\n') == 1);
    CHECK(changed.err.find("epochs 3 (the run's: 2)") != std::string::npos);
    CHECK(changed.err.find("learning_rate 0.01 (the run's: 0.05)") != std::string::npos);
    CHECK(test::read_file(dir / "run/config.yaml") == config_before);
    // A flag given at its default value is asked for too (60 epochs is the default; the run's is 2).
    std::string back_to_default = faster;
    back_to_default.replace(back_to_default.find("--epochs 2"), 10, "--epochs 60");
    auto to_default = test::run_cli(back_to_default);
    CAPTURE(to_default.err);
    CHECK(to_default.exit_code == 2);
    CHECK(to_default.err.find("epochs 60 (the run's: 2)") != std::string::npos);
    CHECK(test::read_file(dir / "run/config.yaml") == config_before);
    CHECK(test::run_cli(faster + " --swa-epochs 0 --seed 1").exit_code == 0);  // as the run holds them
    // A mix weight given is kept as given; left out, it is 0.5 beside --ferplus-votes (the run's).
    CHECK(test::run_cli(faster + " --ferplus-mix 0.5").exit_code == 0);
    auto other_mix = test::run_cli(faster + " --ferplus-mix 0.25");
    CHECK(other_mix.exit_code == 2);
    CHECK(other_mix.err.find("ferplus_mix 0.25 (the run's: 0.5)") != std::string::npos);
    // A new run whose data is missing, or whose architecture is unknown, leaves no folder behind.
    const std::string fresh = "train " + test::shell_quote((dir / "fresh").string());
    auto missing = test::run_cli(fresh + " --data " + test::shell_quote((dir / "none.csv").string()));
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("none.csv: no such file or directory") != std::string::npos);
    auto unknown = test::run_cli(fresh + " --data " + test::shell_quote(pair.csv.string()) + " --arch resnet-huge");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("resnet-huge") != std::string::npos);
    // A range or schedule that cannot be is named by its flag and values.
    const std::string fresh_data = fresh + " --data " + test::shell_quote(pair.csv.string());
    for (const auto& [flags, said] : {std::pair{" --blur-sigma 2 1", "--blur-sigma 2 1: give 0 < MIN <= MAX <= 5"},
                                      {" --swa-epochs 5 --epochs 3", "--swa-epochs 5: give 0 to --epochs (3)"},
                                      {" --aligned-mix 0.5", "--aligned-mix needs --aligned-data FILE"}}) {
        auto refused = test::run_cli(fresh_data + flags);
        CHECK(refused.exit_code == 2);
        CHECK(refused.err.find(said) != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "fresh"));
    // Nor does one whose data is there but malformed (read only when training starts); a folder that
    // holds the user's files is no run folder (a run would write its log.csv, config.yaml, ... there).
    {
        std::ofstream(dir / "header.csv") << "foo,bar\n1,2\n";
        std::filesystem::create_directories(dir / "mine");
        std::ofstream(dir / "mine/notes.txt") << "keep me\n";
    }
    for (const std::string folder : {"fresh", "mine"}) {
        const std::string bad = "train " + test::shell_quote((dir / folder).string()) + " --data " +
                                test::shell_quote((dir / "header.csv").string()) + " --epochs 1";
        auto malformed = test::run_cli(bad);
        CHECK(malformed.exit_code == (folder == "mine" ? 2 : 3));
        CHECK(malformed.err.find(folder == "mine" ? "a folder that holds files but no training run"
                                                  : "header.csv:1: wrong header") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "fresh"));
    CHECK(test::read_file(dir / "mine/notes.txt") == "keep me\n");
    CHECK_FALSE(std::filesystem::exists(dir / "mine/config.yaml"));
    CHECK_FALSE(std::filesystem::exists(dir / "mine/checkpoints"));

    // The export never replaces the run's own files: its card run/config.yaml would be the config.
    const std::string run = "train " + test::shell_quote((dir / "run").string()) + " --export ";
    const std::string config_now = test::read_file(dir / "run/config.yaml");
    for (const std::string bad : {"run/config.onnx", "run/best/m.onnx", "m.yaml"}) {
        CAPTURE(bad);
        const auto r = test::run_cli(run + test::shell_quote((dir / bad).string()));
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK(test::read_file(dir / "run/config.yaml") == config_now);
    // Nor the model live and eval load by default (a copy here, found through DANGPLI_MODEL_DIR as an
    // installation's would be): a typo in the path changed what every command read.
    std::filesystem::create_directories(dir / "models/emotion");
    const std::string model = dangpli::EmotionClassifier::kDefaultModelName;
    for (const char* ext : {".onnx", ".yaml"})
        std::filesystem::copy_file(test::kSourceDir / "models/emotion" / (model + ext), dir / "models/emotion" / (model + ext));
    const auto default_model = dir / "models/emotion" / (model + ".onnx");
    const std::string installed = test::read_file(default_model);
    const auto over_default = test::run_command("DANGPLI_MODEL_DIR=" + test::shell_quote((dir / "models").string()) + " " +
                                                test::shell_quote(test::kCli.string()) + " " + run +
                                                test::shell_quote(default_model.string()));
    CHECK(over_default.exit_code == 2);
    CHECK(over_default.err.find("the default model (live, eval)") != std::string::npos);
    CHECK(test::read_file(default_model) == installed);

    // config.yaml keeps a relative --data as given: from another folder the message says so.
    const auto data = std::filesystem::relative(pair.csv, dir.path()).string();
    const auto cli = test::shell_quote(test::kCli.string());
    const auto in_dir = "cd " + test::shell_quote(dir.path().string()) + " && " + cli;
    auto made = test::run_command(in_dir + " train relative --data " + test::shell_quote(data) +
                                  " --epochs 2 --until-epoch 1 --batch 32 --threads 1 --limit 64");
    CAPTURE(made.err);
    REQUIRE(made.exit_code == 0);
    std::filesystem::create_directories(dir / "elsewhere");
    for (const std::string then : {" train ../relative", " train ../relative --export ../relative.onnx"}) {
        auto away = test::run_command("cd " + test::shell_quote((dir / "elsewhere").string()) + " && " + cli + then);
        CAPTURE(away.err);
        CHECK(away.exit_code == 3);
        CHECK(away.err.find(data + ": no such file or directory from " + (dir / "elsewhere").string() +
                            " (the run's training data, a relative path") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "relative.onnx"));
    // A new run's missing relative path is just missing: the hint is for a saved run's paths.
    auto new_run = test::run_command(in_dir + " train new --data not-here.csv");
    CHECK(new_run.exit_code == 3);
    CHECK(new_run.err.find("not-here.csv: no such file or directory\n") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "new"));
    CHECK_FALSE(std::filesystem::exists(dir / "run/best/m.onnx"));
    CHECK_FALSE(std::filesystem::exists(dir / "m.yaml"));
    CHECK(test::run_cli(run + test::shell_quote((dir / "run/m.onnx").string())).exit_code == 0);
    CHECK(std::filesystem::exists(dir / "run/m.yaml"));

    // A failed export writes neither file: no model without its card.
    std::filesystem::create_directory(dir / "f.yaml");  // the card's path is taken by a folder
    auto folder = test::run_cli(run + test::shell_quote((dir / "f.onnx").string()));
    CHECK(folder.exit_code == 7);
    CHECK(folder.err.find("f.yaml") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "f.onnx"));
    // A card whose write fails only when it is made (a link into a folder that does not exist): the
    // model written before it is taken back.
    std::filesystem::create_symlink("no-such-folder/d.yaml", dir / "d.yaml");
    auto dangling = test::run_cli(run + test::shell_quote((dir / "d.onnx").string()));
    CHECK(dangling.exit_code == 7);
    CHECK(dangling.err.find("d.yaml: cannot write") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "d.onnx"));
    std::filesystem::rename(pair.csv, dir / "moved.csv");  // the run's data is needed for the card
    auto moved = test::run_cli(run + test::shell_quote((dir / "late.onnx").string()));
    CHECK(moved.exit_code == 3);
    CHECK(std::count(moved.err.begin(), moved.err.end(), '\n') == 1);
    CHECK(moved.err.find(pair.csv.filename().string()) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "late.onnx"));
    CHECK_FALSE(std::filesystem::exists(dir / "late.yaml"));
}

TEST_CASE("a config.yaml written before votes and framing options loads with them off") {
    TempDir dir;
    test::write_file(dir / "config.yaml", "architecture: resnet\nepochs: 30\ntrain_data: x.csv\naugment:\n"
                                          "  max_rotation_deg: 10\n  erase_probability: 0.25\n");
    auto c = load_train_config(dir / "config.yaml");
    CHECK(c.ferplus_votes.empty());
    CHECK(c.ferplus_mix == 0.0);
    CHECK_FALSE(c.uses_votes());
    CHECK_FALSE(c.augment.framing.enabled());
    save_train_config(c, dir / "again.yaml");
    auto text = test::read_file(dir / "again.yaml");
    CHECK(text.find("ferplus") == std::string::npos);
    CHECK(text.find("jpeg") == std::string::npos);
}
