#include "model_export.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <numeric>
#include <thread>

#include <fmt/format.h>
#include <opencv2/dnn.hpp>
#include <torch/version.h>
#include <yaml-cpp/yaml.h>

#include "augment.hpp"
#include "dangpli/emotion.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/output_file.hpp"
#include "run_yaml.hpp"

namespace dangpli::training {
namespace {

void emit_evaluation(YAML::Emitter& out, const std::string& key, const Evaluation& e) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "accuracy" << YAML::Value << fmt::format("{:.4f}", e.accuracy());
    out << YAML::Key << "confusion" << YAML::Value << YAML::BeginSeq;
    for (const auto& row : e.confusion.counts()) {
        out << YAML::Flow << YAML::BeginSeq;
        for (auto v : row) out << v;
        out << YAML::EndSeq;
    }
    out << YAML::EndSeq << YAML::EndMap;
}

// The command line that makes a run with this config (the schedule's flags, not the speed ones).
std::string train_command(const TrainConfig& c) {
    const AugmentOptions defaults;
    const auto& a = c.augment;
    const auto& f = a.framing;
    std::string framing;
    if (a.max_rotation_deg != defaults.max_rotation_deg) framing += fmt::format(" --rotation {}", a.max_rotation_deg);
    if (a.max_scale_change != defaults.max_scale_change) framing += fmt::format(" --scale {}", a.max_scale_change);
    if (a.max_shift_px != defaults.max_shift_px) framing += fmt::format(" --shift {}", a.max_shift_px);
    if (f.blur_probability > 0)
        framing += fmt::format(" --blur {} --blur-sigma {} {}", f.blur_probability, f.blur_sigma_min, f.blur_sigma_max);
    if (f.gamma_min != 1.0f || f.gamma_max != 1.0f) framing += fmt::format(" --gamma {} {}", f.gamma_min, f.gamma_max);
    if (f.jpeg_probability > 0)
        framing += fmt::format(" --jpeg {} --jpeg-quality {} {}", f.jpeg_probability, f.jpeg_quality_min,
                               f.jpeg_quality_max);
    if (!c.ferplus_votes.empty())
        framing += fmt::format(" --ferplus-votes {} --ferplus-mix {}", c.ferplus_votes, c.ferplus_mix);
    if (!c.aligned_data.empty())
        framing += fmt::format(" --aligned-data {} --aligned-mix {}", c.aligned_data, c.aligned_mix);
    for (const auto& teacher : c.teachers) framing += " --teacher " + teacher;
    if (!c.teachers.empty()) framing += fmt::format(" --teacher-mix {}", c.teacher_mix);
    if (c.mixup_alpha > 0) framing += fmt::format(" --mixup {}", c.mixup_alpha);
    if (c.limit > 0) framing += fmt::format(" --limit {}", c.limit);  // a smoke run's card must not read as a full one
    return fmt::format("dangpli train RUN --data {} --arch {} --epochs {} --batch {} --lr {} --warmup {} --seed {}{}{}{}{}",
                       c.train_data, c.architecture, c.epochs, c.batch_size, c.learning_rate, c.warmup_epochs,
                       c.seed, a.erase_probability > 0 ? fmt::format(" --erase {}", a.erase_probability) : "", framing,
                       c.swa_epochs > 0 ? fmt::format(" --swa-epochs {} --swa-lr {}", c.swa_epochs, c.swa_lr) : "",
                       c.init_from.empty() ? "" : " --init-from " + c.init_from);
}

std::string today() {
    std::time_t t = std::time(nullptr);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
    return buf;
}

// labels, input, preprocess and output: what a program needs to feed the network and read it.
void emit_interface(YAML::Emitter& out, int side, const std::array<std::size_t, kEmotionCount>& label_counts) {
    out << YAML::Key << "labels" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (auto e : kAllEmotions) out << std::string(to_string(e));
    out << YAML::EndSeq;
    out << YAML::Key << "input" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "input"
        << YAML::Key << "width" << YAML::Value << side << YAML::Key << "height" << YAML::Value << side
        << YAML::Key << "channels" << YAML::Value << 1 << YAML::EndMap;
    out << YAML::Comment("the aligned gray face is resized to face_size, its centre input-size crop taken, "
                         "then (pixel - mean) * scale");
    out << YAML::Key << "preprocess" << YAML::Value << YAML::BeginMap << YAML::Key << "face_size" << YAML::Value
        << kFer2013Side << YAML::Key << "mean" << YAML::Value << kPixelMean << YAML::Key << "scale" << YAML::Value
        << kPixelScale << YAML::EndMap;
    out << YAML::Key << "output" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "probs"
        << YAML::Key << "kind" << YAML::Value << "probabilities";
    // Each label's share of the training split: the prior the network learned (class_balance.hpp).
    const double total = static_cast<double>(std::accumulate(label_counts.begin(), label_counts.end(), std::size_t{0}));
    if (std::all_of(label_counts.begin(), label_counts.end(), [](std::size_t n) { return n > 0; })) {
        out << YAML::Key << "training_prior" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (auto n : label_counts) out << std::round(1e5 * static_cast<double>(n) / total) / 1e5;
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
}

// The `warm_start` map of a run that started from an exported model or another run; returns the
// hours spent on that start (0 when unknown).
double emit_warm_start(YAML::Emitter& out, const TrainingRun& run) {
    const auto& c = run.config();
    double hours = 0.0;
    out << YAML::Key << "warm_start" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "from" << YAML::Value << c.init_from;
    if (c.init_from_onnx()) {
        // An exported model, copied into init/ with its card when this run was created.
        const auto card_path = run.dir() / "init" / "model.yaml";
        if (std::filesystem::exists(card_path)) {
            const auto card = load_run_yaml(card_path, "the model card of a run's start");
            if (auto t = card["training"]) {
                if (t["command"]) out << YAML::Key << "command" << YAML::Value << t["command"].as<std::string>();
                if (t["hours"]) {
                    out << YAML::Key << "hours" << YAML::Value << t["hours"].as<std::string>();
                    hours = t["hours"].as<double>();
                }
            }
            if (auto e = card["evaluation"]["single_view"]["accuracy"])
                out << YAML::Key << "accuracy" << YAML::Value << e.as<std::string>();
        }
    } else {
        // The run it started from, as copied into init/ when this run was created.
        const auto parent = TrainingRun::open(run.dir() / "init");
        out << YAML::Key << "command" << YAML::Value << train_command(parent.config());
        out << YAML::Key << "epochs" << YAML::Value << parent.epochs_done();
        out << YAML::Key << "best_epoch" << YAML::Value << parent.best_epoch();
        out << YAML::Key << "best_accuracy" << YAML::Value << fmt::format("{:.4f}", parent.best_accuracy());
        out << YAML::Key << "hours" << YAML::Value << fmt::format("{:.2f}", parent.seconds_trained() / 3600.0);
        hours = parent.seconds_trained() / 3600.0;
    }
    out << YAML::EndMap;
    return hours;
}

// The recipe in words: optimiser, schedule and every augmentation the run used.
std::string recipe_text(const TrainConfig& c) {
    const auto& a = c.augment;
    const auto& f = a.framing;
    // A run that averages every epoch never warms up or decays: its schedule is the constant SWA rate.
    const std::string schedule =
        c.swa_epochs >= c.epochs
            ? fmt::format("constant lr {} (every epoch averaged)", c.swa_lr)
            : fmt::format("warm-up {} epochs to lr {} then cosine to 0", c.warmup_epochs, c.learning_rate);
    std::string text = fmt::format(
        "SGD Nesterov momentum {}, weight decay {}, batch {}, {}, label "
        "smoothing {}; augmentation: rotation +-{} deg, scale +-{}, shift +-{} px, flip, brightness +-{}, contrast "
        "+-{}, erasing p={}",
        c.momentum, c.weight_decay, c.batch_size, schedule, c.label_smoothing,
        a.max_rotation_deg, a.max_scale_change, a.max_shift_px, a.max_brightness, a.max_contrast_change,
        a.erase_probability);
    if (f.blur_probability > 0)
        text += fmt::format(", Gaussian blur p={} sigma {}-{}", f.blur_probability, f.blur_sigma_min, f.blur_sigma_max);
    if (f.gamma_min != 1.0f || f.gamma_max != 1.0f) text += fmt::format(", gamma {}-{}", f.gamma_min, f.gamma_max);
    if (f.jpeg_probability > 0)
        text += fmt::format(", JPEG re-encoding p={} quality {}-{}", f.jpeg_probability, f.jpeg_quality_min,
                            f.jpeg_quality_max);
    if (c.uses_votes())
        text += fmt::format("; soft targets: the FER2013 one-hot label mixed with the FER+ crowd's vote distribution "
                            "({1}) at weight {0}",
                            c.ferplus_mix, c.ferplus_votes);
    if (c.uses_teachers())
        text += fmt::format("; online distillation: each view's target mixes in, at weight {}, the mean probabilities "
                            "of {} teacher model(s) reading that very view ({})",
                            c.teacher_mix, c.teachers.size(), fmt::join(c.teachers, ", "));
    if (c.mixup_alpha > 0)
        text += fmt::format("; mixup: each batch blended with a shuffled copy of itself, targets too, the larger "
                            "share of Beta({0}, {0}) the view's own",
                            c.mixup_alpha);
    if (c.swa_epochs > 0)
        text += fmt::format("; the last {} epochs at constant lr {} with their end-of-epoch weights averaged (SWA), "
                            "batch-norm statistics recomputed on the training faces' centre views",
                            c.swa_epochs, c.swa_lr);
    return text;
}

// The `training` map: how the model was made, and how long it took (warm start included).
void emit_training(YAML::Emitter& out, const TrainingRun& run, const RunState& state) {
    const auto& c = run.config();
    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "command" << YAML::Value << train_command(c);
    double hours = state.seconds_trained / 3600.0;
    if (!c.init_from.empty()) hours += emit_warm_start(out, run);
    out << YAML::Key << "data" << YAML::Value << c.train_data + " (" + c.train_split + ")";
    out << YAML::Key << "epochs" << YAML::Value << c.epochs;
    out << YAML::Key << "epochs_done" << YAML::Value << state.epochs_done;
    out << YAML::Key << "best_epoch" << YAML::Value << state.best_epoch;
    out << YAML::Key << "hours" << YAML::Value << fmt::format("{:.2f}", hours);
    // Torch threads are chosen per call (a resumed run may use others), so only the machine is stated.
    out << YAML::Key << "machine" << YAML::Value
        << fmt::format("CPU only, {} hardware threads; libtorch {}", std::thread::hardware_concurrency(), TORCH_VERSION);
    out << YAML::Key << "recipe" << YAML::Value << recipe_text(c);
    out << YAML::Key << "exported" << YAML::Value << today();
    out << YAML::EndMap;
}

}  // namespace

std::string onnx_bytes(EmotionNet& net, const std::string& doc) {
    torch::NoGradGuard no_grad;
    net.eval();
    OnnxGraph graph(1, net.input_side());
    graph.softmax_output(net.to_onnx(graph, "input"), static_cast<int>(kEmotionCount));
    return graph.serialize(doc);
}

void write_onnx(EmotionNet& net, const std::filesystem::path& path, const std::string& doc) {
    write_output_file(path, onnx_bytes(net, doc));
}

std::filesystem::path export_model(const TrainingRun& run, const std::filesystem::path& onnx_path,
                                   std::string name) {
    const auto& c = run.config();
    if (name.empty()) name = onnx_path.stem().string();
    check_run_data(c, RunData::kSaved);  // before the network is converted: the card's figures need the data
    torch::set_num_threads(c.threads);     // the evaluation's, as the run trains
    // The weights and the state that names them as one snapshot: a trainer may be ending an epoch beside us.
    const auto best = run.load_best();
    const auto& net = best.net;
    const auto bytes = onnx_bytes(*net, "dangpli emotion model " + name + " (" + c.architecture + ")");

    auto val = to_face_set(load_fer2013(c.val_data, parse_fer2013_split(c.val_split)),
                           static_cast<std::size_t>(c.limit));
    const auto single = evaluate(*net, val, false);
    const auto mirrored = evaluate(*net, val, true);

    // The prior of the rows trained on: a --limit run's, not the whole split's.
    std::array<std::size_t, kEmotionCount> label_counts{};
    const auto training_rows = to_face_set(load_fer2013(c.train_data, parse_fer2013_split(c.train_split)),
                                           static_cast<std::size_t>(c.limit));
    for (const auto label : training_rows.labels) ++label_counts[static_cast<std::size_t>(label)];

    const int side = net->input_side();
    cv::dnn::Net dnn = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    const auto flops = dnn.getFLOPS(cv::dnn::MatShape{1, 1, side, side});

    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << name;
    out << YAML::Key << "model" << YAML::Value << onnx_path.filename().string();
    emit_interface(out, side, label_counts);
    out << YAML::Key << "architecture" << YAML::Value << c.architecture;
    out << YAML::Key << "parameters" << YAML::Value << count_parameters(*net);
    out << YAML::Key << "macs" << YAML::Value << flops / 2;
    emit_training(out, run, best.state);
    out << YAML::Key << "evaluation" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "data" << YAML::Value << c.val_data + " (" + c.val_split + ")";
    out << YAML::Key << "samples" << YAML::Value << val.size();
    emit_evaluation(out, "single_view", single);
    emit_evaluation(out, "mirror_tta", mirrored);
    out << YAML::EndMap << YAML::EndMap;

    const auto card = ModelCard::card_path_for(onnx_path);
    const std::string card_text = std::string(out.c_str()) + "\n";
    const std::array<OutputFileContent, 2> files{{{onnx_path, bytes}, {card, card_text}}};
    write_output_files(files);  // both or neither: a model without its card cannot be loaded
    return card;
}

}  // namespace dangpli::training
