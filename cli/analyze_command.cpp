// `dangpli analyze`: find the faces in image files and print them (table, JSON, JSON Lines, CSV).
#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <unistd.h>

#include <fmt/core.h>

#include "analyze_annotate.hpp"
#include "analyze_inputs.hpp"
#include "analyze_output.hpp"
#include "balance_option.hpp"
#include "commands.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/image_analysis.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/media_content.hpp"
#include "dangpli/parallel_in_order.hpp"
#include "detector_option.hpp"
#include "exit_codes.hpp"
#include "usable_cpus.hpp"
#include "number_checks.hpp"
#include "output_paths.hpp"
#include "stop_signals.hpp"
#include "progress_bar.hpp"
#include "path_option.hpp"
#include "tta_option.hpp"
#include "stderr_line.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

namespace {

struct AnalyzeArgs {
    std::vector<std::string> inputs;
    std::string format_name = "table";
    std::string annotate_dir;
    std::string detector = default_detector_name();
    std::optional<float> min_face;  ///< unset: FaceDetectorOptions' defaults (min_face_fraction on)
    float tilt_retry = FaceDetectorOptions{}.tilt_retry_degrees;
    std::vector<float> thresholds;
    std::int64_t max_pixels = FaceDetectorOptions{}.max_pixels;
    int jobs = usable_cpus();
    std::string model;  ///< emotion model (.onnx); empty: the bundled one
    std::string tta{to_string(kDefaultAnalyzerTta)};
    std::optional<float> balance;  ///< unset: kDefaultAnalyzerBalance
};

// A finished path: its row, and whether its annotated copy (an output, not the input) failed.
struct Outcome {
    ImageAnalysis analysis;
    bool output_failed = false;
    bool passed_over = false;  // not analysed: the run was interrupted first
};

// For a file that is no image: what it is, where it is a video or a song, and the command that
// takes it (a user who gives analyze a clip means to read its faces). Empty for anything else.
std::string not_an_image_said_better(const std::string& path) {
    // A FIFO or a device is never opened (FFmpeg would block on it): its own message says what it is.
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || starts_like_image_file(path)) return {};
    switch (media_content_of(path)) {
        case MediaContent::Video:
            return path + ": a video, not an image (analyze reads photos; 'dangpli live --source FILE' watches a video)";
        case MediaContent::CoverPicture:
        case MediaContent::SoundOnly:
            return path + ": a sound file, not an image (songs go in with 'dangpli playlist add' or 'scan')";
        case MediaContent::Unknown:
            break;
    }
    return {};
}

std::atomic<bool> g_analyze_stop{false};
extern "C" void on_analyze_interrupt(int) { g_analyze_stop.store(true); }

Outcome analyze_one(const FaceAnalyzer& analyzer, const InputPath& input, std::int64_t max_pixels,
                    const fs::path* annotate_to) {
    if (!input.is_file()) return {ImageAnalysis{input.path, 0, 0, {}, input.problem}};
    cv::Mat image;
    Outcome o{analyze_image_file(analyzer, input.path, max_pixels, annotate_to != nullptr ? &image : nullptr)};
    if (!o.analysis.ok())
        if (auto better = not_an_image_said_better(input.path); !better.empty()) o.analysis.error = std::move(better);
    // The library's refusal does not know the flag that lifts it (live's folders and eval have none).
    if (!o.analysis.ok() && o.analysis.error.ends_with(fmt::format("pixels, more than the limit of {}", max_pixels)))
        o.analysis.error += " (--max-pixels N reads it)";
    if (annotate_to == nullptr || !o.analysis.ok()) return o;
    // The faces were read, but the user asked for the drawn copy too: without it the path failed.
    try {
        write_annotated_image(*annotate_to, draw_faces(image, o.analysis.faces));
    } catch (const WriteError& e) {
        return {ImageAnalysis{input.path, 0, 0, {}, e.what()}, true};  // names the output file
    } catch (const std::exception& e) {
        return {ImageAnalysis{input.path, 0, 0, {}, input.path + ": " + e.what()}};
    }
    return o;
}

int run_analyze(const AnalyzeArgs& args) {
    FaceDetectorOptions options;
    if (args.min_face) {
        // a size asked for is searched for, however large the photo
        options.min_face_size = *args.min_face;
        options.min_face_fraction = 0.0f;
    }
    options.max_pixels = args.max_pixels;
    options.tilt_retry_degrees = args.tilt_retry;
    if (!args.thresholds.empty()) {
        // MTCNN's three stages; another detector has no such thresholds to set
        if (!uses_mtcnn_thresholds(args.detector))
            throw UsageError(fmt::format("--thresholds sets MTCNN's stages; it does not apply to --detector {}",
                                         args.detector));
        options.mtcnn.pnet_threshold = args.thresholds.at(0);
        options.mtcnn.rnet_threshold = args.thresholds.at(1);
        options.mtcnn.onet_threshold = args.thresholds.at(2);
    }
    std::vector<InputPath> inputs = collect_inputs(args.inputs, std::cin);
    if (const auto left_out = leave_out_drawings(inputs, args.annotate_dir); left_out > 0)
        tell("dangpli: passed over {} file(s) in folders of drawings an earlier `analyze --annotate` made (name such a "
             "folder itself to read them)\n", left_out);
    const std::map<std::string, RecordFormat> formats{{"table", RecordFormat::Table},
                                                      {"json", RecordFormat::Json},
                                                      {"jsonl", RecordFormat::Jsonl},
                                                      {"csv", RecordFormat::Csv}};
    if (std::none_of(inputs.begin(), inputs.end(), [](const InputPath& p) { return p.is_file(); })) {
        for (const auto& input : inputs) tell("dangpli: {}\n", input.problem);
        // A mapper given one folder without images gets its error row all the same (json, jsonl).
        if (!inputs.empty() && (args.format_name == "json" || args.format_name == "jsonl")) {
            RecordWriter rows(formats.at(args.format_name), stdout);
            rows.begin();
            for (const auto& input : inputs) rows.write(ImageAnalysis{input.path, 0, 0, {}, input.problem});
            rows.end();
        }
        throw InputError(fmt::format("analyze: no images to analyze (give image files, directories holding {} files, "
                                     "or - to read paths from stdin)", image_extensions_text()));
    }

    std::vector<fs::path> annotate_to;
    if (!args.annotate_dir.empty()) {
        // Checked before the folder is made: a refused run leaves nothing behind.
        std::vector<std::string> paths;
        std::vector<fs::path> names;
        for (const auto& input : inputs) paths.push_back(input.path), names.push_back(input.is_file() ? input.name : fs::path{});
        annotate_to = annotation_names(names, args.annotate_dir);
        refuse_outputs_over_inputs("--annotate " + args.annotate_dir, annotate_to, paths);
        // Which copy is whose, where two photos' names met (a/x.jpeg, b/x.jpeg): said, as no row holds it.
        for (std::size_t i = 0; i < names.size(); ++i)
            if (!names[i].empty() && annotate_to[i] != annotation_names({names[i]}, args.annotate_dir).front())
                tell("dangpli: {} is drawn as {} (its name was another photo's)\n", paths[i], annotate_to[i].string());
        // The folder itself is made, not a missing tree above it: a typo (~/Picturs/out) made a tree
        // of its own, where every other output refuses a missing folder.
        std::error_code ec;
        fs::path folder(args.annotate_dir);
        if (!folder.has_filename()) folder = folder.parent_path();  // "out/"
        const fs::path parent = folder.parent_path();
        if (!parent.empty() && !fs::is_directory(parent, ec))
            throw WriteError(fmt::format("--annotate {}: its folder {} does not exist", args.annotate_dir, parent.string()));
        const bool made = fs::create_directory(args.annotate_dir, ec);
        if (ec || !fs::is_directory(args.annotate_dir))
            throw WriteError(fmt::format("--annotate {}: cannot create the folder: {}", args.annotate_dir,
                                         ec ? ec.message() : "not a directory"));
        // Only a folder of our own is marked: `--annotate .` in a photo folder would hide the user's
        // own photos from every later walk.
        if (made) mark_as_drawings(args.annotate_dir);
    }

    // Ctrl-C or SIGTERM: the images in hand are finished, the output ended whole (a JSON array
    // closed), and the line says how far it got; the rest are passed over, not analysed. From before
    // the models load (a second or two), after stdin's paths are read (a Ctrl-C there ends the reading).
    catch_stop_signals({SIGINT, SIGTERM, SIGHUP}, on_analyze_interrupt);
    auto classifier = load_analyzer_classifier(args.model);
    const float balance = balance_to_use(args.balance, kDefaultAnalyzerBalance, classifier);
    const FaceAnalyzer analyzer(make_face_detector(args.detector, options), std::move(classifier),
                                parse_test_time_augmentation(args.tta).value(),  // checked by --tta
                                balance);

    RecordWriter writer(formats.at(args.format_name), stdout);
    writer.begin();
    std::size_t failed = 0, written = 0;
    bool output_failed = false;
    // Analysed on --jobs threads (one analyzer copy each), printed here in input order.
    const auto analyze_item = [&](const FaceAnalyzer& own, std::size_t i) {
        if (g_analyze_stop.load()) return Outcome{{}, false, true};
        return analyze_one(own, inputs[i], args.max_pixels, annotate_to.empty() ? nullptr : &annotate_to[i]);
    };
    // Rows going to a file or pipe show nothing on the terminal for minutes: a bar there says how far
    // it got, cleared before any line of ours and at the end (rows on the terminal show it themselves).
    ProgressBar progress("analyze", inputs.size() > 1 && ::isatty(STDOUT_FILENO) == 0);
    parallel_in_order(analyzer, inputs.size(), args.jobs, analyze_item, [&](std::size_t, const Outcome& o) {
        if (o.passed_over) return;
        ++written;
        progress.update(written, inputs.size());
        // Every path gets its row (a failed one an error row in JSON), and its line on stderr.
        if (!o.analysis.ok()) {
            progress.finish();
            tell("dangpli: {}\n", o.analysis.error);
            ++failed;
            output_failed = output_failed || o.output_failed;
        }
        writer.write(o.analysis);
    });
    writer.end();
    progress.finish();
    if (g_analyze_stop.load()) {
        tell("dangpli analyze: interrupted: {} of {} paths written, the output ended whole\n", written, inputs.size());
        return kInterrupted;
    }
    // A lost output outranks a bad input: the results the user asked for are not all there.
    if (output_failed) return kWriteError;
    return failed == 0 ? kOk : kSomeInputsFailed;
}

}  // namespace

void add_analyze_command(CLI::App& app, CommandRunner& run) {
    auto args = std::make_shared<AnalyzeArgs>();
    auto* sub = app.add_subcommand("analyze", "Find the faces in images and read their emotions (box, score, emotion, confidence)");
    sub->add_option("IMAGE|DIR|-", args->inputs,
                    "Image files, directories (searched recursively for " + image_extensions_text() +
                        "), or - to read paths from stdin, one per line")
        ->required();
    sub->add_option("--format", args->format_name, "Output: table, json (one array), jsonl (one object per line) "
                                                   "or csv (one row per face)")
        ->capture_default_str()
        ->transform(CLI::IsMember({"table", "json", "jsonl", "csv"}, CLI::ignore_case));
    sub->add_option("--annotate", args->annotate_dir, "Write each image with its faces drawn into this folder")
        ->check(non_empty_path())
        ->check(CLI::Validator(
            [](std::string& value) {
                // Elsewhere '-' is standard output or input; images go to a folder (./- names one so called).
                return value == "-" ? std::string("a folder for the drawn images, not standard output (./- for a "
                                                  "folder named -)")
                                    : std::string();
            },
            ""));
    add_detector_option(*sub, args->detector);
    sub->add_option("--min-face", args->min_face,
                    fmt::format("Smallest face to find, in pixels (default: {:g}, or 1/{:g} of a photo's shorter side where "
                                "that is more, which keeps large photos fast; a size given is searched for as is)",
                                FaceDetectorOptions{}.min_face_size, 1.0f / FaceDetectorOptions{}.min_face_fraction))
        ->check(in_range(kMinFaceRange));
    add_tilt_retry_option(*sub, args->tilt_retry);
    sub->add_option("--thresholds", args->thresholds,
                    "MTCNN only: face-probability thresholds of the P-Net, R-Net and O-Net stages (default 0.6,0.7,0.7)")
        ->delimiter(',')
        ->expected(3)
        ->allow_extra_args(false)  // else CLI11 also takes the image paths after "P,R,O" as values
        ->check(in_range(NumberRange::between(0.0, 1.0)));
    sub->add_option("--max-pixels", args->max_pixels, "Largest image accepted (width * height)")
        ->capture_default_str()
        ->check(in_range(NumberRange::at_least(1)));
    sub->add_option("--jobs,-j", args->jobs, "Images analysed in parallel (default: the CPUs this process may run on)")
        ->capture_default_str()
        ->check(in_range(NumberRange::between(1, 256)));
    sub->add_option("--model", args->model, "Emotion model (.onnx with its .yaml card, or an ensemble's .yaml card; default: the bundled ensemble fer-ensemble)")
        ->check(non_empty_path());  // a missing model is a model error (exit 4), as in eval and live
    add_tta_option(*sub, args->tta);
    add_balance_option(*sub, args->balance, kDefaultAnalyzerBalance);
    sub->callback([&run, args] { run = [args] { return run_analyze(*args); }; });
}

}  // namespace dangpli::cli
