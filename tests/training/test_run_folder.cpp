// A run folder as users meet it: a config.yaml edited or damaged by hand, a folder of their own
// files named as a new run, flags that cannot be a run's (an empty name, a seed that wraps, training
// flags beside --export). Each is refused in one line before anything is trained or written.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <sstream>
#include <string>

#include "dangpli/error.hpp"
#include "dangpli/model_card.hpp"
#include "support.hpp"
#include "trainer.hpp"
#include "trainer_test_util.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;
using namespace dangpli::test;

namespace {

// `text` with the line that starts with "key:" replaced by "key: value" (and `extra` lines after it).
std::string with_line(std::string text, const std::string& key, const std::string& value, const std::string& extra = "") {
    const auto at = text.find("\n" + key + ":");
    REQUIRE(at != std::string::npos);
    const auto end = text.find('\n', at + 1);
    text.replace(at + 1, end - at - 1, key + ": " + value + extra);
    return text;
}

}  // namespace

TEST_CASE("a config.yaml edited or damaged by hand is refused in one line naming the file and the key") {
    TempDir dir;
    const auto csv = small_csv(dir, 32, 8);
    (void)TrainingRun::create(dir / "run", tiny_config(csv, 2));  // config.yaml as the trainer writes it
    const auto path = dir / "run/config.yaml";
    const std::string written = "\n" + test::read_file(path);  // "\n": every key, the first too, starts a line
    auto open_error = [&](const std::string& text) -> std::string {
        test::write_file(path, text.starts_with("\n") ? text.substr(1) : text);
        try {
            (void)TrainingRun::open(dir / "run");
        } catch (const DataError& e) {
            return e.what();
        }
        return "no error";
    };
    const std::string file = path.string() + ": ";
    // "PATH:LINE: ", LINE the key's in `written` (which starts with an extra "\n").
    const auto at = [&](const std::string& key) {
        const auto end = written.find("\n" + key + ":") + 1;
        return path.string() + ":" + std::to_string(std::count(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(end), '\n')) + ": ";
    };
    // Before: a zero batch crashed (SIGFPE), 100,000 threads ran away, NaN and 0 threads were libtorch
    // backtraces, a negative batch "trained" empty epochs.
    CHECK(open_error(with_line(written, "batch_size", "0")) == at("batch_size") + "batch_size 0: give at least 1 (as --batch)");
    CHECK(open_error(with_line(written, "batch_size", "-4")) == at("batch_size") + "batch_size -4: give at least 1 (as --batch)");
    CHECK(open_error(with_line(written, "threads", "100000")) == at("threads") + "threads 100000: give 1 to 1024 (as --threads)");
    CHECK(open_error(with_line(written, "threads", "0")) == at("threads") + "threads 0: give 1 to 1024 (as --threads)");
    CHECK(open_error(with_line(written, "learning_rate", ".nan")) == at("learning_rate") + "learning_rate nan: give at least 0 (as --lr)");
    CHECK(open_error(with_line(written, "momentum", "1.5")) == at("momentum") + "momentum 1.5: give 0 to 0.999");
    CHECK(open_error(with_line(written, "  max_rotation_deg", "200")) ==
          at("  max_rotation_deg") + "augment.max_rotation_deg 200: give 0 to 180 (as --rotation)");
    CHECK(open_error(with_line(written, "architecture", "transformer"))
              .starts_with(at("architecture") + "architecture transformer: not an architecture of this build (resnet"));
    // Keys it does not know, and files that are no run's config, are not read as defaults.
    const auto bogus = with_line(written, "seed", "1", "\nbogus_key: 7");
    const auto line = std::count(bogus.begin(), bogus.begin() + static_cast<std::ptrdiff_t>(bogus.find("bogus")), '\n');
    CHECK(open_error(bogus) == path.string() + ":" + std::to_string(line) +
                                   ": unknown key 'bogus_key' (not a key of a dangpli training run)");
    // A key given twice (yaml-cpp kept one value in silence), and an empty value named on its own line.
    const auto twice = with_line(written, "seed", "1", "\nseed: 2");
    const auto second = std::count(twice.begin(), twice.begin() + static_cast<std::ptrdiff_t>(twice.find("seed: 2")), '\n');
    CHECK(open_error(twice) == path.string() + ":" + std::to_string(second) + ": 'seed' again (first at line " +
                                   std::to_string(second - 1) + ")");
    const auto empty = with_line(written, "limit", "");
    const auto limit_line = std::count(empty.begin(), empty.begin() + static_cast<std::ptrdiff_t>(empty.find("\nlimit:") + 1), '\n');
    CHECK(open_error(empty).starts_with(path.string() + ":" + std::to_string(limit_line) + ": bad value for 'limit'"));
    const std::string not_a_run = file + "not a dangpli training run's config (it needs architecture, epochs and train_data)";
    CHECK(open_error("") == not_a_run);
    CHECK(open_error("\x80\x81 garbage") == not_a_run);
    CHECK(open_error("\xff\xfe garbage") == path.string() + ":1: UTF-16 text (as some Windows programs save it): save it as UTF-8");
    CHECK(open_error("version: \"3\"\nservices:\n  web: {image: nginx}\n") == not_a_run);
    // yaml-cpp's LoadFile read a ',' where the document starts as an empty file, and its document
    // walk looped on it for ever; a second document was dropped in silence.
    CHECK(open_error("," + written).starts_with(path.string() + ":1: "));
    const auto lines = std::count(written.begin(), written.end(), '\n');
    CHECK(open_error(written + "---\nseed: 3\n") == path.string() + ":" + std::to_string(lines + 1) +
                                                         ": a second YAML document (a training run's config is one)");
    CHECK(open_error(written) == "no error");
    // state.yaml, edited by hand: a repeated key was read as its first value, NaN and -3 were taken.
    const auto state = dir / "run/state.yaml";
    const auto state_error = [&](const std::string& text) -> std::string {
        test::write_file(state, text);
        try {
            (void)TrainingRun::open(dir / "run").epochs_done();
        } catch (const DataError& e) {
            return e.what();
        }
        return "no error";
    };
    const std::string fine = "epochs_done: 1\nbest_accuracy: 0.5\nbest_epoch: 1\nseconds_trained: 3\n";
    CHECK(state_error(fine) == "no error");
    CHECK(state_error(", " + fine).starts_with(state.string() + ":1: "));
    CHECK(state_error("epochs_done: 0\n" + fine) == state.string() + ":2: 'epochs_done' again (first at line 1)");
    CHECK(state_error("epochs_done: -3\nbest_accuracy: 0.5\nbest_epoch: 0\nseconds_trained: 3\n") ==
          state.string() + ":1: epochs_done -3: give 0 or more");
    CHECK(state_error("epochs_done: 1\nbest_accuracy: .nan\nbest_epoch: 1\nseconds_trained: 3\n") ==
          state.string() + ":2: best_accuracy nan: give 0 to 1");
    CHECK(state_error("epochs_done: 99999999999999999999\nbest_accuracy: 0.5\nbest_epoch: 1\nseconds_trained: 3\n") ==
          state.string() + ":1: epochs_done '99999999999999999999': give 0 or more");
    CHECK(state_error("") == state.string() + ": not a training run's state (a map of epochs_done, best_accuracy, "
                                              "best_epoch, seconds_trained)");
}

TEST_CASE("dangpli train never takes over a folder of the user's files, an empty name, or a seed that wraps") {
    TempDir dir;
    const auto csv = small_csv(dir, 32, 8);
    const std::string data = " --data " + shell_quote(csv.string()) + " --epochs 1 --limit 16 --batch 8";
    std::filesystem::create_directories(dir / "project");
    test::write_file(dir / "project/log.csv", "my,precious,data\n");
    const auto mine = run_cli("train " + shell_quote((dir / "project").string()) + data);
    CHECK(mine.exit_code == 2);
    CHECK(mine.err == "dangpli: " + (dir / "project").string() +
                          ": a folder that holds files but no training run (no config.yaml): give a new or empty folder\n");
    CHECK(test::read_file(dir / "project/log.csv") == "my,precious,data\n");
    // Before: '' trained in the current folder; -1 was stored as 18446744073709551615.
    for (const std::string& flags : {std::string("train ''") + data, "train " + shell_quote((dir / "r").string()) + data +
                                                                          " --seed -1",
                                     "train " + shell_quote((dir / "r").string()) + data + " --seed 1e30"}) {
        const auto r = run_cli(flags);
        INFO(flags, ": ", r.err);
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "r"));
    // After '--' a word is the run folder: `train -- --version` printed dangpli's version.
    const auto after_dashes = run_cli("train -- --version");
    CHECK(after_dashes.exit_code == 2);
    CHECK(after_dashes.out.empty());
    CHECK(after_dashes.err == "dangpli: no training data given (--data)\n");
    // A new run records the threads it was asked for; --export takes no training flags (it ignored them).
    const auto run = run_cli("train " + shell_quote((dir / "r").string()) + data + " --threads 1");
    REQUIRE(run.exit_code == 0);
    CHECK(test::read_file(dir / "r/config.yaml").find("\nthreads: 1\n") != std::string::npos);
    CHECK(run.err.find("dangpli train: resnet in ") != std::string::npos);
    const auto exported = run_cli("train " + shell_quote((dir / "r").string()) + " --export " +
                                  shell_quote((dir / "m.onnx").string()) + " --epochs 5");
    CHECK(exported.exit_code == 2);
    CHECK(exported.err.find("--export writes the run's best model as it is") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "m.onnx"));
    // --threads is a speed setting, for the export's evaluation too.
    const auto threads = run_cli("train " + shell_quote((dir / "r").string()) + " --threads 1 --export " +
                                 shell_quote((dir / "m.onnx").string()));
    CHECK(threads.exit_code == 0);
    CHECK(std::filesystem::exists(dir / "m.onnx"));
    // The card's prior is that of the 16 rows trained on (--limit 16), not the whole split's.
    std::array<double, 7> shares{};
    std::istringstream rows(test::read_file(csv));
    std::string row;
    std::getline(rows, row);  // the header
    for (int n = 0; n < 16 && std::getline(rows, row); ++n) shares.at(static_cast<std::size_t>(row[0] - '0')) += 1.0 / 16;
    // (A class without a row there gives no prior at all: such a model's prior cannot be divided by.)
    const auto card = ModelCard::load(dir / "m.yaml");
    const bool every_class = std::all_of(shares.begin(), shares.end(), [](double share) { return share > 0; });
    CHECK(card.training_prior.has_value() == every_class);
    if (card.training_prior)
        for (std::size_t k = 0; k < shares.size(); ++k)
            CHECK((*card.training_prior)[k] == doctest::Approx(shares[k]).epsilon(1e-3));
    // --init-from names what it is missing (it said "no training run here (config.yaml missing)").
    for (const auto& [from, why] : {std::pair{dir / "nothere", "no such file or folder"},
                                    std::pair{dir / "r/best/model.pt", "give a finished run's folder or an exported"}}) {
        const auto r = run_cli("train " + shell_quote((dir / "r2").string()) + data + " --init-from " +
                               shell_quote(from.string()));
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("--init-from " + from.string() + ": " + why) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir / "r2"));
    }
    // A run folder copied in part (no state.yaml) is said before anything is made: the copy failed
    // half way and left a folder that refused the same command again.
    std::filesystem::create_directories(dir / "partial/best");
    for (const char* name : {"config.yaml", "log.csv", "best/model.pt"})
        std::filesystem::copy_file(dir / "r" / name, dir / "partial" / name);
    const auto partial = run_cli("train " + shell_quote((dir / "r3").string()) + data + " --init-from " +
                                 shell_quote((dir / "partial").string()));
    CHECK(partial.exit_code == 3);
    CHECK(partial.err.find((dir / "partial/state.yaml").string() + ": missing; --init-from takes a whole run folder") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "r3"));
    // No export replaces a file of the run: the card of RUN/data-fingerprints.onnx is the run's fingerprints.
    const std::string fingerprints = test::read_file(dir / "r/data-fingerprints.yaml");
    const auto over_run = run_cli("train " + shell_quote((dir / "r").string()) + " --export " +
                                  shell_quote((dir / "r/data-fingerprints.onnx").string()));
    CHECK(over_run.exit_code == 2);
    CHECK(test::read_file(dir / "r/data-fingerprints.yaml") == fingerprints);
    CHECK_FALSE(std::filesystem::exists(dir / "r/data-fingerprints.onnx"));
    // No folder is made for a typo in the export's (every other output refuses it too).
    const auto typo = run_cli("train " + shell_quote((dir / "r").string()) + " --export " +
                              shell_quote((dir / "modles/m.onnx").string()));
    CHECK(typo.exit_code == 7);
    CHECK(typo.err.find("does not exist (no such folder)") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "modles"));
}

TEST_CASE("a trainer whose lines go to a reader that went away trains on: the lines are lost, not the run") {
    TempDir dir;
    const auto csv = small_csv(dir, 32, 8);
    const auto run = dir / "r";
    // head takes the first byte and goes; every later line meets a closed pipe (SIGPIPE killed the run, exit 141).
    const auto r = test::run_command("(" + shell_quote(test::kCli.string()) + " train " + shell_quote(run.string()) +
                                     " --data " + shell_quote(csv.string()) + " --epochs 2 --limit 16 --batch 8 " +
                                     "--threads 1 2>&1; echo $? > " + shell_quote((dir / "rc").string()) +
                                     ") | head -c 1");
    CHECK(test::read_file(dir / "rc") == "0\n");
    CHECK(TrainingRun::open(run).epochs_done() == 2);
}
