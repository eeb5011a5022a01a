#include "model_export.hpp"

#include <ctime>
#include <thread>

#include <fmt/format.h>
#include <opencv2/dnn.hpp>
#include <torch/version.h>
#include <yaml-cpp/yaml.h>

#include "augment.hpp"
#include "dangpli/emotion.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/output_file.hpp"

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

}  // namespace

void write_onnx(EmotionNet& net, const std::filesystem::path& path, const std::string& doc) {
    torch::NoGradGuard no_grad;
    net.eval();
    OnnxGraph graph(1, net.input_side());
    graph.softmax_output(net.to_onnx(graph, "input"), static_cast<int>(kEmotionCount));
    graph.save(path, doc);
}

std::filesystem::path export_model(const TrainingRun& run, const std::filesystem::path& onnx_path,
                                   std::string name) {
    const auto& c = run.config();
    if (name.empty()) name = onnx_path.stem().string();
    auto net = run.load_network("best");
    if (onnx_path.has_parent_path()) std::filesystem::create_directories(onnx_path.parent_path());
    write_onnx(*net, onnx_path, "dangpli emotion model " + name + " (" + c.architecture + ")");

    auto val = to_face_set(load_fer2013(c.val_data, parse_fer2013_split(c.val_split)),
                           static_cast<std::size_t>(c.limit));
    const auto single = evaluate(*net, val, false);
    const auto mirrored = evaluate(*net, val, true);

    const int side = net->input_side();
    cv::dnn::Net dnn = cv::dnn::readNetFromONNX(onnx_path.string());
    const auto flops = dnn.getFLOPS(cv::dnn::MatShape{1, 1, side, side});

    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << name;
    out << YAML::Key << "model" << YAML::Value << onnx_path.filename().string();
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
        << YAML::Key << "kind" << YAML::Value << "probabilities" << YAML::EndMap;
    out << YAML::Key << "architecture" << YAML::Value << c.architecture;
    out << YAML::Key << "parameters" << YAML::Value << count_parameters(*net);
    out << YAML::Key << "macs" << YAML::Value << flops / 2;
    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "command" << YAML::Value
        << train_command(c);
    double hours = run.seconds_trained() / 3600.0;
    if (c.init_from_onnx()) {
        // An exported model, copied into init/ with its card when this run was created.
        out << YAML::Key << "warm_start" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "from" << YAML::Value << c.init_from;
        const auto card_path = run.dir() / "init" / "model.yaml";
        if (std::filesystem::exists(card_path)) {
            const auto card = YAML::LoadFile(card_path.string());
            if (auto t = card["training"]) {
                if (t["command"]) out << YAML::Key << "command" << YAML::Value << t["command"].as<std::string>();
                if (t["hours"]) {
                    out << YAML::Key << "hours" << YAML::Value << t["hours"].as<std::string>();
                    hours += t["hours"].as<double>();
                }
            }
            if (auto e = card["evaluation"]["single_view"]["accuracy"])
                out << YAML::Key << "accuracy" << YAML::Value << e.as<std::string>();
        }
        out << YAML::EndMap;
    } else if (!c.init_from.empty()) {
        // The run it started from, as copied into init/ when this run was created.
        const auto parent = TrainingRun::open(run.dir() / "init");
        const auto& pc = parent.config();
        out << YAML::Key << "warm_start" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "from" << YAML::Value << c.init_from;
        out << YAML::Key << "command" << YAML::Value << train_command(pc);
        out << YAML::Key << "epochs" << YAML::Value << parent.epochs_done();
        out << YAML::Key << "best_epoch" << YAML::Value << parent.best_epoch();
        out << YAML::Key << "best_accuracy" << YAML::Value << fmt::format("{:.4f}", parent.best_accuracy());
        out << YAML::Key << "hours" << YAML::Value << fmt::format("{:.2f}", parent.seconds_trained() / 3600.0);
        out << YAML::EndMap;
        hours += parent.seconds_trained() / 3600.0;
    }
    out << YAML::Key << "data" << YAML::Value << c.train_data + " (" + c.train_split + ")";
    out << YAML::Key << "epochs" << YAML::Value << c.epochs;
    out << YAML::Key << "epochs_done" << YAML::Value << run.epochs_done();
    out << YAML::Key << "best_epoch" << YAML::Value << run.best_epoch();
    out << YAML::Key << "hours" << YAML::Value << fmt::format("{:.2f}", hours);  // warm start included
    // Torch threads are chosen per call (a resumed run may use others), so only the machine is stated.
    out << YAML::Key << "machine" << YAML::Value
        << fmt::format("CPU only, {} hardware threads; libtorch {}", std::thread::hardware_concurrency(), TORCH_VERSION);
    out << YAML::Key << "recipe" << YAML::Value
        << fmt::format("SGD Nesterov momentum {}, weight decay {}, batch {}, warm-up {} epochs to lr {} then cosine "
                       "to 0, label smoothing {}; augmentation: rotation +-{} deg, scale +-{}, shift +-{} px, "
                       "flip, brightness +-{}, contrast +-{}, erasing p={}",
                       c.momentum, c.weight_decay, c.batch_size, c.warmup_epochs, c.learning_rate,
                       c.label_smoothing, c.augment.max_rotation_deg, c.augment.max_scale_change,
                       c.augment.max_shift_px, c.augment.max_brightness, c.augment.max_contrast_change,
                       c.augment.erase_probability) +
               (c.augment.framing.blur_probability > 0
                    ? fmt::format(", Gaussian blur p={} sigma {}-{}", c.augment.framing.blur_probability,
                                  c.augment.framing.blur_sigma_min, c.augment.framing.blur_sigma_max)
                    : std::string{}) +
               (c.augment.framing.gamma_min != 1.0f || c.augment.framing.gamma_max != 1.0f
                    ? fmt::format(", gamma {}-{}", c.augment.framing.gamma_min, c.augment.framing.gamma_max)
                    : std::string{}) +
               (c.augment.framing.jpeg_probability > 0
                    ? fmt::format(", JPEG re-encoding p={} quality {}-{}", c.augment.framing.jpeg_probability,
                                  c.augment.framing.jpeg_quality_min, c.augment.framing.jpeg_quality_max)
                    : std::string{}) +
               (c.uses_votes() ? fmt::format("; soft targets: the FER2013 one-hot label mixed with the FER+ crowd's "
                                             "vote distribution ({1}) at weight {0}",
                                             c.ferplus_mix, c.ferplus_votes)
                               : std::string{}) +
               (c.swa_epochs > 0 ? fmt::format("; the last {} epochs at constant lr {} with their end-of-epoch weights "
                                               "averaged (SWA), batch-norm statistics recomputed on the training "
                                               "faces' centre views",
                                               c.swa_epochs, c.swa_lr)
                                 : std::string{});
    out << YAML::Key << "exported" << YAML::Value << today();
    out << YAML::EndMap;
    out << YAML::Key << "evaluation" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "data" << YAML::Value << c.val_data + " (" + c.val_split + ")";
    out << YAML::Key << "samples" << YAML::Value << val.size();
    emit_evaluation(out, "single_view", single);
    emit_evaluation(out, "mirror_tta", mirrored);
    out << YAML::EndMap << YAML::EndMap;

    auto card = onnx_path;
    card.replace_extension(".yaml");
    write_output_file(card, std::string(out.c_str()) + "\n");
    return card;
}

}  // namespace dangpli::training
