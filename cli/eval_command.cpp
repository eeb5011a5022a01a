// `dangpli eval`: an emotion model's confusion matrix and metrics on FER2013 (CSV or class folders).
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgcodecs.hpp>

#include "commands.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/evaluation.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/output_file.hpp"
#include "progress_bar.hpp"
#include "eval_plot.hpp"
#include "eval_report.hpp"
#include "exit_codes.hpp"
#include "usable_cpus.hpp"
#include "number_checks.hpp"
#include "path_option.hpp"
#include "output_paths.hpp"
#include "balance_option.hpp"
#include "tta_option.hpp"
#include "stderr_line.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

namespace {

struct EvalArgs {
    std::string dataset;
    std::string split = "PublicTest";
    std::string model;
    std::string tta{to_string(TestTimeAugmentation::Single)};
    std::optional<float> balance;  ///< unset: 0, FER2013's own class mix
    std::string format = "table";
    std::string output;
    std::string csv;
    std::string plot;
    std::string predictions;
    int jobs = usable_cpus();
};

// Every output is checked before the (long) evaluation, so a typo fails in a second, not a minute.
void check_outputs(const EvalArgs& args) {
    const std::vector<NamedPath> outputs{{"--output", args.output}, {"--csv", args.csv}, {"--plot", args.plot},
                                        {"--predictions", args.predictions}};
    auto inputs = model_files("--model", args.model.empty() ? EmotionClassifier::default_model_file()
                                                            : fs::path(args.model));
    inputs.push_back({"--dataset", args.dataset});
    refuse_outputs_over_inputs(outputs, inputs);
    refuse_outputs_inside(outputs, {"--dataset", args.dataset});
    if (!args.output.empty()) check_output_path("--output", args.output);
    if (!args.csv.empty()) check_output_path("--csv", args.csv);
    if (!args.predictions.empty()) check_output_path("--predictions", args.predictions);
    if (!args.plot.empty()) {
        check_output_path("--plot", args.plot);
        if (!cv::haveImageWriter(args.plot))
            throw UsageError(fmt::format("--plot {}: OpenCV cannot write this image type (use .png)", args.plot));
    }
}

int run_eval(const EvalArgs& args) {
    check_outputs(args);
    const auto split = parse_fer2013_split(args.split);
    if (!split) throw InputError(fmt::format("--split {}: expected PublicTest, PrivateTest or Training", args.split));

    const fs::path model_path = args.model.empty() ? EmotionClassifier::default_model_file() : fs::path(args.model);
    const EmotionClassifier classifier(model_path);
    const float balance = balance_to_use(args.balance, 0.0f, classifier);
    // Reading the whole split first: a broken row stops the command before any result exists.
    const auto read_start = std::chrono::steady_clock::now();
    const auto samples = load_fer2013(args.dataset, *split);
    const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();

    EvaluationOptions options;
    options.tta = parse_test_time_augmentation(args.tta).value();  // checked by --tta
    options.balance = balance;
    options.threads = args.jobs;
    ProgressBar bar("eval");
    options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    std::vector<EmotionScores> readings;
    if (!args.predictions.empty()) {
        readings.resize(samples.size());
        options.on_face = [&readings](std::size_t i, const EmotionScores& scores) { readings[i] = scores; };
    }
    const auto start = std::chrono::steady_clock::now();
    EvalReport report{classifier.card().name, model_path.string(), args.dataset, std::string(to_string(*split)),
                      args.tta, evaluate(classifier, samples, options), balance};
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.finish();
    // The engine matters to the time: a graph XNNPACK does not cover runs about half as fast on cv::dnn.
    const auto why_not_xnnpack = classifier.why_not_xnnpack();
    tell("dangpli: read {} faces in {:.1f} s, classified them in {:.1f} s ({:.2f} ms per face, "
         "{} thread{}, tta {}, on {}{})\n", samples.size(), read_seconds, seconds,
         1000.0 * seconds / static_cast<double>(samples.size()), args.jobs, args.jobs == 1 ? "" : "s",
         args.tta, classifier.engine(), why_not_xnnpack.empty() ? "" : ": " + why_not_xnnpack);

    // Every output is made in memory first, then written, each file whole or not at all: nothing is
    // written unless the evaluation and all the formatting succeeded.
    const std::string text = args.format == "json" ? format_json(report) : format_table(report);
    std::vector<uchar> png;
    if (!args.plot.empty() &&
        !cv::imencode(fs::path(args.plot).extension().string(), draw_confusion_heatmap(report), png))
        throw Error(fmt::format("--plot {}: cannot encode the image", args.plot));
    const std::string csv = args.csv.empty() ? "" : format_csv(report.matrix);
    const std::string predictions = args.predictions.empty() ? "" : format_predictions_csv(samples, readings);
    std::vector<OutputFileContent> files;
    if (!args.csv.empty()) files.push_back({args.csv, csv});
    if (!args.predictions.empty()) files.push_back({args.predictions, predictions});
    if (!args.plot.empty()) files.push_back({args.plot, {reinterpret_cast<const char*>(png.data()), png.size()}});
    if (!args.output.empty()) files.push_back({args.output, text});
    write_output_files(files);  // all or none: a run that failed leaves no part of its outputs
    if (args.output.empty()) fmt::print("{}", text);
    return kOk;
}

}  // namespace

void add_eval_command(CLI::App& app, CommandRunner& run) {
    auto args = std::make_shared<EvalArgs>();
    auto* sub = app.add_subcommand("eval", "Evaluate an emotion model on FER2013: confusion matrix, accuracy, "
                                           "per-class precision/recall/F1");
    sub->add_option("--dataset", args->dataset,
                    "fer2013.csv (or .csv.gz; rows chosen by the Usage column) or a class-folder tree "
                    "<root>/<emotion>/<images> (files named Training_*, PublicTest_*, PrivateTest_* are kept only "
                    "for their split)")
        ->required()
        ->check(non_empty_path());
    sub->add_option("--split", args->split, "PublicTest, PrivateTest or Training")
        ->capture_default_str()
        ->transform(CLI::IsMember({"PublicTest", "PrivateTest", "Training"}, CLI::ignore_case));
    sub->add_option("--model", args->model, "An ONNX emotion model with its card (.yaml) beside it "
                                            "(default: the bundled model)")
        ->check(non_empty_path());
    add_tta_option(*sub, args->tta);
    add_balance_option(*sub, args->balance, 0.0f);
    sub->add_option("--format", args->format, "Output: table or json")
        ->capture_default_str()
        ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
    sub->add_option("--output,-o", args->output, "Write the table or JSON to this file instead of stdout")
        ->check(non_empty_path());
    sub->add_option("--csv", args->csv, "Also write the matrix (rows true, columns predicted) to this CSV file")
        ->check(non_empty_path());
    sub->add_option("--plot", args->plot, "Also draw the row-normalised matrix as a heatmap into this PNG file")
        ->check(non_empty_path());
    sub->add_option("--predictions", args->predictions,
                    "Also write each face's reading to this CSV file (origin, label, predicted, confidence, the "
                    "seven scores), e.g. to see which faces fail or to pair two models (bench/paired_faces.py)")
        ->check(non_empty_path());
    sub->add_option("--jobs,-j", args->jobs, "Worker threads, each with its own copy of the model "
                                             "(default: the CPUs this process may run on)")
        ->capture_default_str()
        ->check(in_range(NumberRange::between(1, 256)));
    sub->callback([&run, args] { run = [args] { return run_eval(*args); }; });
}

}  // namespace dangpli::cli
