// End-to-end: the built `dangpli eval` on a CSV and a class-folder tree written by the test, with
// labels chosen against the bundled model's own answers so the expected matrix is exact.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "../eval/public_faces.hpp"
#include "dangpli/confusion_matrix.hpp"
#include "dangpli/evaluation.hpp"
#include "support.hpp"

using namespace dangpli;
using test::run_cli;
using test::shell_quote;
using test::TempDir;

namespace {

// 28 real faces; even ones labelled with the model's answer, odd ones with another emotion, so the
// matrix has both a diagonal and off-diagonal cells.
struct Known {
    EmotionClassifier classifier = EmotionClassifier::load_default();
    std::vector<Fer2013Sample> samples = test::public_test_faces(4);
    ConfusionMatrix expected;
    std::vector<Emotion> predicted = test::predictions(classifier, samples);
    Known() {
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const int shift = i % 2 == 0 ? 0 : 1 + static_cast<int>(i % 5);
            samples[i].label = static_cast<Emotion>((label_of(predicted[i]) + shift) % 7);
            expected.add(samples[i].label, predicted[i]);
        }
    }
};

std::string pixels(const cv::Mat& image) {
    std::string out;
    for (int i = 0; i < image.rows * image.cols; ++i) out += (i ? " " : "") + std::to_string(image.data[i]);
    return out;
}

std::string csv_text(const std::vector<Fer2013Sample>& samples) {
    // A Training row first: the default split (PublicTest) must skip it.
    std::string out = "emotion,pixels,Usage\n0," + pixels(samples[0].image) + ",Training\n";
    for (const auto& s : samples) out += fmt::format("{},{},PublicTest\n", label_of(s.label), pixels(s.image));
    return out;
}

std::filesystem::path write_tree(const TempDir& tmp, const std::vector<Fer2013Sample>& samples) {
    const auto root = tmp / "tree";
    for (Emotion e : kAllEmotions) std::filesystem::create_directories(root / std::string(to_string(e)));
    for (std::size_t i = 0; i < samples.size(); ++i)
        cv::imwrite((root / std::string(to_string(samples[i].label)) / fmt::format("PublicTest_{}.png", i)).string(),
                    samples[i].image);
    // Another split's file: skipped for PublicTest, the only one for Training.
    cv::imwrite((root / "happy/Training_1.png").string(), samples[0].image);
    return root;
}

std::string quoted(const std::filesystem::path& p) { return shell_quote(p.string()); }

}  // namespace

TEST_CASE("CSV input - JSON and the CSV matrix and the heatmap hold the exact expected matrix") {
    Known k;
    TempDir tmp;
    test::write_file(tmp / "fer2013.csv", csv_text(k.samples));
    auto r = run_cli("eval --dataset " + quoted(tmp / "fer2013.csv") + " --format json --csv " +
                     quoted(tmp / "m.csv") + " --plot " + quoted(tmp / "m.png") + " --predictions " +
                     quoted(tmp / "faces.csv"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["model"] == k.classifier.card().name);
    CHECK(j["split"] == "PublicTest");
    CHECK(j["n"] == k.samples.size());
    CHECK(j["labels"] == nlohmann::json({"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"}));
    CHECK(j["confusion"] == nlohmann::json(k.expected.counts()));
    CHECK(j["accuracy"].get<double>() == doctest::Approx(k.expected.accuracy()));
    CHECK(j["macro_f1"].get<double>() == doctest::Approx(k.expected.macro_f1()));
    for (Emotion e : kAllEmotions) {
        const auto& c = j["per_class"][std::string(to_string(e))];
        CHECK(c["f1"].get<double>() == doctest::Approx(k.expected.metrics(e).f1));
        CHECK(c["support"] == k.expected.row_total(e));
    }

    std::istringstream csv(test::read_file(tmp / "m.csv"));
    std::string line;
    std::getline(csv, line);
    CHECK(line == "true\\predicted,angry,disgust,fear,happy,sad,surprise,neutral");
    for (Emotion t : kAllEmotions) {
        std::getline(csv, line);
        std::string want(to_string(t));
        for (Emotion p : kAllEmotions) want += "," + std::to_string(k.expected.count(t, p));
        CHECK(line == want);
    }
    const cv::Mat plot = cv::imread((tmp / "m.png").string());
    CHECK(plot.cols > 600);
    CHECK(plot.rows > 600);

    // Each face's reading, in the file's order, named by its line (the Training row on line 2 is skipped).
    std::istringstream faces(test::read_file(tmp / "faces.csv"));
    std::getline(faces, line);
    CHECK(line == "origin,label,predicted,confidence,angry,disgust,fear,happy,sad,surprise,neutral");
    for (std::size_t i = 0; i < k.samples.size(); ++i) {
        REQUIRE(std::getline(faces, line));
        const std::string head = fmt::format("{}:{},{},{},", (tmp / "fer2013.csv").string(), i + 3,
                                             to_string(k.samples[i].label), to_string(k.predicted[i]));
        CHECK(line.rfind(head, 0) == 0);
        CHECK(std::count(line.begin(), line.end(), ',') == 10);
    }
    CHECK_FALSE(std::getline(faces, line));
}

TEST_CASE("folder tree - the human table shows the exact matrix and accuracy and metrics") {
    Known k;
    TempDir tmp;
    const auto root = write_tree(tmp, k.samples);
    auto r = run_cli("eval --dataset " + quoted(root) + " -j 2");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find(k.classifier.card().name) != std::string::npos);
    CHECK(r.out.find(fmt::format("accuracy  {:.2f}%", 100.0 * k.expected.accuracy())) != std::string::npos);
    CHECK(r.out.find(fmt::format("macro F1   {:.3f}", k.expected.macro_f1())) != std::string::npos);
    CHECK(r.out.find("precision") != std::string::npos);
    for (Emotion t : kAllEmotions) {
        // The first line starting with the class name is its matrix row: 7 counts and the total.
        const auto at = r.out.find("\n" + std::string(to_string(t)) + " ");
        REQUIRE(at != std::string::npos);
        std::istringstream row(r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1));
        std::string name;
        row >> name;
        for (Emotion p : kAllEmotions) {
            std::uint64_t v = 0;
            row >> v;
            CHECK(v == k.expected.count(t, p));
        }
    }
    // Stderr is not a terminal here: no progress bar, only the one timing line.
    CHECK(r.err.find('\r') == std::string::npos);

    r = run_cli("eval --dataset " + quoted(root) + " --split training --format json -o " + quoted(tmp / "t.json"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.empty());
    const auto j = nlohmann::json::parse(test::read_file(tmp / "t.json"));
    CHECK(j["n"] == 1);
    CHECK(j["split"] == "Training");
}

TEST_CASE("bad data - one error naming file and line and exit 3 and no output files") {
    Known k;
    TempDir tmp;
    const std::string good_row = "3," + pixels(k.samples[0].image) + ",PublicTest\n";
    const std::string outputs = " --csv " + quoted(tmp / "m.csv") + " --plot " + quoted(tmp / "m.png") +
                                " -o " + quoted(tmp / "out.json");
    auto expect_error = [&](const std::filesystem::path& dataset, const std::string& message) {
        CAPTURE(message);
        auto r = run_cli("eval --dataset " + quoted(dataset) + outputs);
        CHECK(r.exit_code == 3);
        CHECK(r.out.empty());
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(tmp / "m.csv"));
        CHECK_FALSE(std::filesystem::exists(tmp / "m.png"));
        CHECK_FALSE(std::filesystem::exists(tmp / "out.json"));
    };
    test::write_file(tmp / "header.csv", "emotion,pixel,Usage\n" + good_row);
    expect_error(tmp / "header.csv", (tmp / "header.csv").string() + ":1: wrong header");
    test::write_file(tmp / "short.csv", "emotion,pixels,Usage\n" + good_row + "2,1 2 3,PublicTest\n");
    expect_error(tmp / "short.csv", (tmp / "short.csv").string() + ":3: has 3 pixels, expected 2304");
    test::write_file(tmp / "label.csv", "emotion,pixels,Usage\n7," + pixels(k.samples[0].image) + ",PublicTest\n");
    expect_error(tmp / "label.csv", (tmp / "label.csv").string() + ":2: emotion label '7' is not in 0..6");
    // The fault named as it is: a fourth field (it was "unknown Usage 'extra'"), the value out of range.
    test::write_file(tmp / "extra.csv", "emotion,pixels,Usage\n" + good_row + "3," + pixels(k.samples[0].image) +
                                            ",PublicTest,extra\n");
    expect_error(tmp / "extra.csv", (tmp / "extra.csv").string() + ":3: expected 3 fields emotion,pixels,Usage, found 4");
    test::write_file(tmp / "value.csv", "emotion,pixels,Usage\n3,1 2 300 4,PublicTest\n");
    expect_error(tmp / "value.csv", (tmp / "value.csv").string() + ":2: pixel 3 ('300') is not an integer in 0..255");
    test::write_file(tmp / "train.csv", "emotion,pixels,Usage\n3," + pixels(k.samples[0].image) + ",Training\n");
    expect_error(tmp / "train.csv", "no samples of split PublicTest");

    const auto root = write_tree(tmp, k.samples);
    std::filesystem::create_directories(root / "happiness");
    expect_error(root, "unknown class folder 'happiness'");
    std::filesystem::remove(root / "happiness");
    // Nothing of the tree is skipped in silence: a folder inside a class folder, an image beside them.
    std::filesystem::create_directories(root / "sad" / "more");
    expect_error(root, (root / "sad" / "more").string() + ": a folder inside class folder 'sad'");
    std::filesystem::remove(root / "sad" / "more");
    std::filesystem::create_directories(root / "sad" / ".thumbnails");  // a tool's: skipped
    dangpli::test::write_file(root / "sad" / "notes.txt", "not an image: skipped");
    dangpli::test::write_file(root / "sad" / "face.gif", "GIF89a");
    expect_error(root, (root / "sad" / "face.gif").string() + ": an image of a kind dangpli does not read");
    std::filesystem::remove(root / "sad" / "face.gif");
    std::filesystem::copy_file(root / "happy/Training_1.png", root / "stray.png");
    expect_error(root, (root / "stray.png").string() + ": an image outside the class folders");
    expect_error(tmp / "missing.csv", "missing.csv: no such file");
}

TEST_CASE("bad model exits 4 and bad flags 2 and a missing output folder 7 before any work") {
    Known k;
    TempDir tmp;
    test::write_file(tmp / "f.csv", csv_text(k.samples));
    auto r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --model " + quoted(tmp / "none.onnx"));
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("none") != std::string::npos);
    r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --split Validation");
    CHECK(r.exit_code == 2);
    r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --tta five");
    CHECK(r.exit_code == 2);
    r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --csv -");  // not standard output, nor a file named -
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--csv -: these outputs are files") != std::string::npos);
    r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --plot " + quoted(tmp / "plot.txt"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--plot " + (tmp / "plot.txt").string() + ": OpenCV cannot write this image type") != std::string::npos);
    r = run_cli("eval --dataset " + quoted(tmp / "f.csv") + " --plot " + quoted(tmp / "no/such/dir/m.png"));
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("--plot") != std::string::npos);
    CHECK(r.err.find("classified") == std::string::npos);
}

TEST_CASE("an output never replaces the dataset or another output; a full device is exit 7") {
    Known k;
    TempDir tmp;
    const auto dataset = tmp / "f.csv";
    test::write_file(dataset, csv_text(k.samples));
    const std::string bytes = test::read_file(dataset);
    const std::string eval = "eval --dataset " + quoted(dataset);
    for (const std::string option : {"-o", "--csv", "--plot", "--predictions"}) {
        CAPTURE(option);
        const auto r = run_cli(eval + " " + option + " " + quoted(dataset));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("same file as --dataset") != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // Another spelling of the dataset's path, and a link to it, are the same file.
    std::filesystem::create_symlink(dataset, tmp / "link.csv");
    CHECK(run_cli(eval + " -o " + quoted(tmp / "." / "f.csv")).exit_code == 2);
    CHECK(run_cli(eval + " --csv " + quoted(tmp / "link.csv")).exit_code == 2);
    CHECK(test::read_file(dataset) == bytes);
    CHECK(std::filesystem::is_symlink(tmp / "link.csv"));

    auto r = run_cli(eval + " -o " + quoted(tmp / "m.txt") + " --csv " + quoted(tmp / "m.txt"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("same file as --csv") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(tmp / "m.txt"));

    // A class-folder dataset: a file written inside it would become a sample.
    const auto root = write_tree(tmp, k.samples);
    r = run_cli("eval --dataset " + quoted(root) + " --plot " + quoted(root / "happy/PublicTest_new.png"));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(root / "happy/PublicTest_new.png"));

    // The model, its card and an ensemble's members are inputs too.
    std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet.onnx", tmp / "m.onnx");
    std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet.yaml", tmp / "m.yaml");
    const std::string model_bytes = test::read_file(tmp / "m.onnx"), card_bytes = test::read_file(tmp / "m.yaml");
    r = run_cli(eval + " --model " + quoted(tmp / "m.onnx") + " -o " + quoted(tmp / "m.onnx"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("same file as --model") != std::string::npos);
    r = run_cli(eval + " --model " + quoted(tmp / "m.onnx") + " --csv " + quoted(tmp / "m.yaml"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("same file as --model's card") != std::string::npos);
    CHECK(test::read_file(tmp / "m.onnx") == model_bytes);
    CHECK(test::read_file(tmp / "m.yaml") == card_bytes);
    test::write_file(tmp / "pair.yaml", "name: pair\nmembers: [m.onnx, m.onnx]\n");
    r = run_cli(eval + " --model " + quoted(tmp / "pair.yaml") + " --plot " + quoted(tmp / "m.yaml"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("same file as --model's member's card") != std::string::npos);
    CHECK(test::read_file(tmp / "m.yaml") == card_bytes);

    r = run_cli(eval + " -o /dev/full");
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("/dev/full: cannot write (write: No space left on device)") != std::string::npos);
    // All outputs or none: the table and the matrix written before the report failed are taken back,
    // a new file removed, an existing one as it was.
    test::write_file(tmp / "old.csv", "kept\n");
    r = run_cli(eval + " --csv " + quoted(tmp / "new.csv") + " --predictions " + quoted(tmp / "old.csv") +
                " -o /dev/full");
    CHECK(r.exit_code == 7);
    CHECK_FALSE(std::filesystem::exists(tmp / "new.csv"));
    CHECK(test::read_file(tmp / "old.csv") == "kept\n");
    // A subshell: run_command's own redirection of stdout would otherwise replace ours.
    r = test::run_command("(" + shell_quote(test::kCli.string()) + " " + eval + " > /dev/full)");
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("cannot write to standard output") != std::string::npos);
}

TEST_CASE("a stderr that is closed or full loses its lines, not the run; a closed stdout is exit 7, never a file's") {
    // Each line on stderr threw there, and the line saying so threw again: std::terminate, exit 134,
    // before eval had written its outputs (its timing line comes first).
    Known k;
    TempDir tmp;
    test::write_file(tmp / "f.csv", csv_text(k.samples));
    const std::string cli = shell_quote(test::kCli.string());
    const std::string eval = cli + " eval --dataset " + quoted(tmp / "f.csv");
    for (const std::string redirect : {"2>&-", "2>/dev/full"}) {
        CAPTURE(redirect);
        const auto out = tmp / ("report-" + std::to_string(redirect.size()) + ".txt");
        auto r = test::run_command("(" + eval + " -o " + quoted(out) + " " + redirect + ")");
        CHECK(r.exit_code == 0);
        CHECK(test::read_file(out).find("accuracy") != std::string::npos);
        // A failure keeps its exit code.
        r = test::run_command("(" + eval + "-missing.csv " + redirect + ")");
        CHECK(r.exit_code == 3);
        r = test::run_command("(" + cli + " --bogus " + redirect + ")");
        CHECK(r.exit_code == 2);
    }
    // With stdout closed, the report file opened first must not take its place: the table printed to
    // "stdout" would have gone into it. Printing fails as on a full stdout instead.
    const auto r = test::run_command("(" + eval + " --csv " + quoted(tmp / "m.csv") + " >&-)");
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("cannot write to standard output") != std::string::npos);
    CHECK(test::read_file(tmp / "m.csv").find("accuracy") == std::string::npos);
}

TEST_CASE("--balance reads the faces as the library's rebalanced() does and the report says so") {
    Known k;
    TempDir tmp;
    test::write_file(tmp / "fer2013.csv", csv_text(k.samples));
    EvaluationOptions even;
    even.balance = 1.0f;
    const auto expected = evaluate(k.classifier, k.samples, even);
    auto r = run_cli("eval --dataset " + quoted(tmp / "fer2013.csv") + " --balance 1 --format json --predictions " +
                     quoted(tmp / "even.csv"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["balance"].get<double>() == 1.0);
    CHECK(j["confusion"] == nlohmann::json(expected.counts()));
    // The balance moved every face's scores (whether an answer changes depends on the model's confidence).
    REQUIRE(run_cli("eval --dataset " + quoted(tmp / "fer2013.csv") + " --predictions " + quoted(tmp / "as-trained.csv"))
                .exit_code == 0);
    const auto even_rows = test::read_file(tmp / "even.csv");
    const auto trained_rows = test::read_file(tmp / "as-trained.csv");
    CHECK(std::count(even_rows.begin(), even_rows.end(), '\n') == 29);  // header + 28 faces
    CHECK(even_rows != trained_rows);
    r = run_cli("eval --dataset " + quoted(tmp / "fer2013.csv") + " --balance 0.5");
    CHECK(r.out.find("tta single   balance 0.5   n 28") != std::string::npos);
    r = run_cli("eval --dataset " + quoted(tmp / "fer2013.csv"));
    CHECK(r.out.find("tta single   n 28") != std::string::npos);  // eval's default: the model as trained
    CHECK(run_cli("eval --dataset " + quoted(tmp / "fer2013.csv") + " --balance 2").exit_code == 2);
}
