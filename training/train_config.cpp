#include "train_config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/yaml_documents.hpp"
#include "emotion_net.hpp"
#include "run_yaml.hpp"

namespace dangpli::training {
namespace {

// The line of `key` itself: an empty value's mark is the next line's, which holds another key.
int line_of_key(const YAML::Node& map, const char* key) {
    for (const auto& item : map)
        if (item.first.Scalar() == key) return item.first.Mark().line + 1;
    return map[key].Mark().line + 1;
}

template <typename T>
void read(const YAML::Node& node, const char* key, T& value, const std::filesystem::path& path) {
    if (!node[key]) return;
    try {
        value = node[key].as<T>();
    } catch (const YAML::Exception& e) {
        throw DataError(path.string() + ":" + std::to_string(line_of_key(node, key)) + ": bad value for '" + key +
                        "': " + e.msg);
    }
}

constexpr std::array<std::string_view, 26> kKeys{
    "architecture", "epochs", "batch_size", "learning_rate", "warmup_epochs", "momentum", "weight_decay",
    "label_smoothing", "seed", "threads", "train_data", "train_split", "val_data", "val_split", "limit",
    "swa_epochs", "swa_lr", "init_from", "ferplus_votes", "ferplus_mix", "aligned_data", "aligned_mix", "teachers",
    "teacher_mix", "mixup_alpha", "augment"};
constexpr std::array<std::string_view, 15> kAugmentKeys{
    "max_rotation_deg", "max_scale_change", "max_shift_px", "horizontal_flip", "max_brightness",
    "max_contrast_change", "erase_probability", "blur_probability", "blur_sigma_min", "blur_sigma_max",
    "gamma_min", "gamma_max", "jpeg_probability", "jpeg_quality_min", "jpeg_quality_max"};

// A key this build does not know was written by hand or by another program: reading on would
// train another recipe than the file says.
template <std::size_t N>
void refuse_unknown_keys(const YAML::Node& map, const std::array<std::string_view, N>& known, const std::string& prefix,
                         const std::filesystem::path& path) {
    for (const auto& item : map) {
        const auto key = item.first.Scalar();
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw DataError(fmt::format("{}:{}: unknown key '{}{}' (not a key of a dangpli training run)", path.string(),
                                        item.first.Mark().line + 1, prefix, key));
    }
}

}  // namespace

TrainConfig load_train_config(const std::filesystem::path& path) {
    const YAML::Node root = load_run_yaml(path, "a training run's config");
    // A config.yaml of another program (or one emptied or damaged) is no recipe: yaml-cpp would
    // throw on a scalar root, and missing keys would be read as defaults in silence.
    if (!root.IsMap() || !root["architecture"] || !root["epochs"] || !root["train_data"])
        throw DataError(path.string() + ": not a dangpli training run's config (it needs architecture, epochs and "
                                        "train_data)");
    refuse_unknown_keys(root, kKeys, "", path);
    if (const auto a = root["augment"]) {
        if (!a.IsMap()) throw DataError(path.string() + ":" + std::to_string(a.Mark().line + 1) + ": augment: not a map");
        refuse_unknown_keys(a, kAugmentKeys, "augment.", path);
    }
    if (const auto repeated = repeated_yaml_key(root))  // yaml-cpp would keep one of its values in silence
        throw DataError(fmt::format("{}:{}: {}", path.string(), repeated->line, repeated->message()));
    TrainConfig c;
    read(root, "architecture", c.architecture, path);
    read(root, "epochs", c.epochs, path);
    read(root, "batch_size", c.batch_size, path);
    read(root, "learning_rate", c.learning_rate, path);
    read(root, "warmup_epochs", c.warmup_epochs, path);
    read(root, "momentum", c.momentum, path);
    read(root, "weight_decay", c.weight_decay, path);
    read(root, "label_smoothing", c.label_smoothing, path);
    read(root, "seed", c.seed, path);
    read(root, "threads", c.threads, path);
    read(root, "train_data", c.train_data, path);
    read(root, "train_split", c.train_split, path);
    read(root, "val_data", c.val_data, path);
    read(root, "val_split", c.val_split, path);
    read(root, "limit", c.limit, path);
    read(root, "swa_epochs", c.swa_epochs, path);
    read(root, "swa_lr", c.swa_lr, path);
    read(root, "init_from", c.init_from, path);
    read(root, "ferplus_votes", c.ferplus_votes, path);
    read(root, "ferplus_mix", c.ferplus_mix, path);
    read(root, "aligned_data", c.aligned_data, path);
    read(root, "aligned_mix", c.aligned_mix, path);
    read(root, "teachers", c.teachers, path);
    read(root, "teacher_mix", c.teacher_mix, path);
    read(root, "mixup_alpha", c.mixup_alpha, path);
    if (auto a = root["augment"]) {
        auto& o = c.augment;
        read(a, "max_rotation_deg", o.max_rotation_deg, path);
        read(a, "max_scale_change", o.max_scale_change, path);
        read(a, "max_shift_px", o.max_shift_px, path);
        read(a, "horizontal_flip", o.horizontal_flip, path);
        read(a, "max_brightness", o.max_brightness, path);
        read(a, "max_contrast_change", o.max_contrast_change, path);
        read(a, "erase_probability", o.erase_probability, path);
        auto& f = o.framing;
        read(a, "blur_probability", f.blur_probability, path);
        read(a, "blur_sigma_min", f.blur_sigma_min, path);
        read(a, "blur_sigma_max", f.blur_sigma_max, path);
        read(a, "gamma_min", f.gamma_min, path);
        read(a, "gamma_max", f.gamma_max, path);
        read(a, "jpeg_probability", f.jpeg_probability, path);
        read(a, "jpeg_quality_min", f.jpeg_quality_min, path);
        read(a, "jpeg_quality_max", f.jpeg_quality_max, path);
    }
    return c;
}

int line_of_setting(const std::filesystem::path& path, std::string_view key) {
    try {
        YAML::Node node = load_run_yaml(path, "a training run's config");
        std::string_view rest = key;
        for (;;) {
            const auto dot = rest.find('.');
            const std::string part(rest.substr(0, dot));
            if (!node.IsMap() || !node[part]) return 0;
            if (dot == std::string_view::npos) return line_of_key(node, part.c_str());
            node.reset(node[part]);  // reset, not =: yaml-cpp's = would rewrite the parent's node
            rest.remove_prefix(dot + 1);
        }
    } catch (const std::exception&) {  // YAML's, or the file's: no line to give
        return 0;
    }
}

void save_train_config(const TrainConfig& c, const std::filesystem::path& path) {
    write_output_file(path, train_config_yaml(c));
}

std::string train_config_yaml(const TrainConfig& c) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "architecture" << YAML::Value << c.architecture;
    out << YAML::Key << "epochs" << YAML::Value << c.epochs;
    out << YAML::Key << "batch_size" << YAML::Value << c.batch_size;
    out << YAML::Key << "learning_rate" << YAML::Value << c.learning_rate;
    out << YAML::Key << "warmup_epochs" << YAML::Value << c.warmup_epochs;
    out << YAML::Key << "momentum" << YAML::Value << c.momentum;
    out << YAML::Key << "weight_decay" << YAML::Value << c.weight_decay;
    out << YAML::Key << "label_smoothing" << YAML::Value << c.label_smoothing;
    out << YAML::Key << "seed" << YAML::Value << c.seed;
    out << YAML::Key << "threads" << YAML::Value << c.threads;
    out << YAML::Key << "train_data" << YAML::Value << c.train_data;
    out << YAML::Key << "train_split" << YAML::Value << c.train_split;
    out << YAML::Key << "val_data" << YAML::Value << c.val_data;
    out << YAML::Key << "val_split" << YAML::Value << c.val_split;
    out << YAML::Key << "limit" << YAML::Value << c.limit;
    if (c.swa_epochs > 0) {
        out << YAML::Key << "swa_epochs" << YAML::Value << c.swa_epochs;
        out << YAML::Key << "swa_lr" << YAML::Value << c.swa_lr;
    }
    if (!c.init_from.empty()) out << YAML::Key << "init_from" << YAML::Value << c.init_from;
    if (!c.ferplus_votes.empty()) {
        out << YAML::Key << "ferplus_votes" << YAML::Value << c.ferplus_votes;
        out << YAML::Key << "ferplus_mix" << YAML::Value << c.ferplus_mix;
    }
    if (!c.aligned_data.empty()) {
        out << YAML::Key << "aligned_data" << YAML::Value << c.aligned_data;
        out << YAML::Key << "aligned_mix" << YAML::Value << c.aligned_mix;
    }
    if (!c.teachers.empty()) {
        out << YAML::Key << "teachers" << YAML::Value << c.teachers;
        out << YAML::Key << "teacher_mix" << YAML::Value << c.teacher_mix;
    }
    if (c.mixup_alpha > 0) out << YAML::Key << "mixup_alpha" << YAML::Value << c.mixup_alpha;
    const auto& o = c.augment;
    out << YAML::Key << "augment" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "max_rotation_deg" << YAML::Value << o.max_rotation_deg;
    out << YAML::Key << "max_scale_change" << YAML::Value << o.max_scale_change;
    out << YAML::Key << "max_shift_px" << YAML::Value << o.max_shift_px;
    out << YAML::Key << "horizontal_flip" << YAML::Value << o.horizontal_flip;
    out << YAML::Key << "max_brightness" << YAML::Value << o.max_brightness;
    out << YAML::Key << "max_contrast_change" << YAML::Value << o.max_contrast_change;
    out << YAML::Key << "erase_probability" << YAML::Value << o.erase_probability;
    if (const auto& f = o.framing; f.enabled()) {
        out << YAML::Key << "blur_probability" << YAML::Value << f.blur_probability;
        out << YAML::Key << "blur_sigma_min" << YAML::Value << f.blur_sigma_min;
        out << YAML::Key << "blur_sigma_max" << YAML::Value << f.blur_sigma_max;
        out << YAML::Key << "gamma_min" << YAML::Value << f.gamma_min;
        out << YAML::Key << "gamma_max" << YAML::Value << f.gamma_max;
        out << YAML::Key << "jpeg_probability" << YAML::Value << f.jpeg_probability;
        out << YAML::Key << "jpeg_quality_min" << YAML::Value << f.jpeg_quality_min;
        out << YAML::Key << "jpeg_quality_max" << YAML::Value << f.jpeg_quality_max;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

namespace {

// A number the shortest way that reads back the same (0.05, not 0.050000000000000003); else as written.
std::string spelled(const std::string& value) {
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    return !value.empty() && end == value.c_str() + value.size() ? fmt::format("{}", number) : value;
}

// "key" -> the value as config.yaml spells it; nested maps as "augment.key", lists as "[a, b]".
void flatten(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out) {
    for (const auto& item : node) {
        const auto key = prefix + item.first.as<std::string>();
        if (item.second.IsMap()) {
            flatten(item.second, key + ".", out);
        } else if (item.second.IsSequence()) {
            std::string list;
            for (const auto& element : item.second) list += (list.empty() ? "" : ", ") + element.as<std::string>();
            out[key] = "[" + list + "]";
        } else {
            out[key] = spelled(item.second.as<std::string>());
        }
    }
}

std::map<std::string, std::string> settings(const TrainConfig& c) {
    std::map<std::string, std::string> out;
    flatten(YAML::Load(train_config_yaml(c)), "", out);
    return out;
}

}  // namespace

std::vector<std::string> settings_changed_on_resume(const TrainConfig& asked, const TrainConfig& defaults,
                                                    const TrainConfig& run, const std::set<std::string>& given) {
    const auto a = settings(asked), d = settings(defaults), r = settings(run);
    std::vector<std::string> changed;
    for (const auto& [key, value] : a) {
        if (key == "threads") continue;
        const auto default_value = d.find(key);
        const bool at_default = default_value != d.end() && default_value->second == value;
        if (at_default && !given.contains(key)) continue;  // not asked for
        const auto held = r.find(key);
        if (held != r.end() && held->second == value) continue;
        changed.push_back(key + " " + value + " (the run's: " + (held == r.end() ? "none" : held->second) + ")");
    }
    // A flag that turns a part off (--swa-epochs 0, --blur 0 --jpeg 0 --gamma 1 1) leaves its keys out.
    for (const auto& key : given)
        if (!a.contains(key) && r.contains(key)) changed.push_back(key + " off (the run's: " + r.at(key) + ")");
    return changed;
}

namespace {

constexpr double kNoLimit = std::numeric_limits<double>::infinity();

// One value of a recipe and the values it may take: finite, from `low` (excluded if `low_open`) to `high`.
struct Bounded {
    const char* key;   // in config.yaml
    const char* flag;  // that sets it; "" where none does
    double value;
    double low, high;
    bool low_open = false;
};

std::string range_words(const Bounded& b) {
    if (b.high == kNoLimit) return b.low_open ? fmt::format("give more than {}", b.low) : fmt::format("give at least {}", b.low);
    return fmt::format("give {} to {}", b.low, b.high);
}

}  // namespace

void check_recipe(const TrainConfig& c, RecipeSource origin) {
    if (c.train_data.empty()) throw InputError("no training data given (--data)");
    if (const auto known = emotion_net_architectures();
        std::find(known.begin(), known.end(), c.architecture) == known.end())
        throw InputError(fmt::format("{} {}: not an architecture of this build ({})",
                                     origin == RecipeSource::kFlags ? "--arch" : "architecture", c.architecture,
                                     fmt::join(known, ", ")));
    const auto& a = c.augment;
    // Seeds up to 2^53 - 1: config.yaml and the messages print them exactly.
    const Bounded values[] = {
        {"epochs", "--epochs", double(c.epochs), 1, kNoLimit},
        {"batch_size", "--batch", double(c.batch_size), 1, kNoLimit},
        {"learning_rate", "--lr", c.learning_rate, 0, kNoLimit},  // 0 (a frozen start) only through the library
        {"warmup_epochs", "--warmup", c.warmup_epochs, 0, kNoLimit},
        {"momentum", "", c.momentum, 0, 0.999},
        {"weight_decay", "--weight-decay", c.weight_decay, 0, kNoLimit},
        {"label_smoothing", "--label-smoothing", c.label_smoothing, 0, 0.9},
        {"seed", "--seed", double(c.seed), 0, 9007199254740991.0},
        {"threads", "--threads", double(c.threads), 1, 1024},
        {"limit", "--limit", double(c.limit), 0, kNoLimit},
        {"swa_epochs", "--swa-epochs", double(c.swa_epochs), 0, double(c.epochs)},
        {"swa_lr", "--swa-lr", c.swa_lr, 0, kNoLimit, true},
        {"mixup_alpha", "--mixup", c.mixup_alpha, 0, 10},
        {"augment.max_rotation_deg", "--rotation", a.max_rotation_deg, 0, 180},
        {"augment.max_scale_change", "--scale", a.max_scale_change, 0, 0.9},
        {"augment.max_shift_px", "--shift", a.max_shift_px, 0, 48},
        {"augment.max_brightness", "", a.max_brightness, 0, 1},
        {"augment.max_contrast_change", "", a.max_contrast_change, 0, 0.9},
        {"augment.erase_probability", "--erase", a.erase_probability, 0, 1},
    };
    for (const Bounded& b : values) {
        const bool fits = std::isfinite(b.value) && (b.low_open ? b.value > b.low : b.value >= b.low) &&
                          (b.high == kNoLimit || b.value <= b.high);
        if (fits) continue;
        // swa_epochs' bound is the run's length: said as such.
        const std::string words = std::string_view(b.key) == "swa_epochs"
                                      ? fmt::format("give 0 to --epochs ({})", c.epochs)
                                      : range_words(b);
        if (*b.flag == '\0') throw InputError(fmt::format("{} {}: {}", b.key, b.value, words));
        if (origin == RecipeSource::kFlags) throw InputError(fmt::format("{} {}: {}", b.flag, b.value, words));
        throw InputError(fmt::format("{} {}: {} (as {})", b.key, b.value, words, b.flag));
    }
    validate(c.augment.framing);
    // A weight is a share in [0, 1], and it needs what it mixes in.
    for (const auto& [flag, weight, source, needs] :
         {std::tuple{"--ferplus-mix", c.ferplus_mix, !c.ferplus_votes.empty(), "--ferplus-votes FILE"},
          {"--aligned-mix", c.aligned_mix, !c.aligned_data.empty(), "--aligned-data FILE"},
          {"--teacher-mix", c.teacher_mix, !c.teachers.empty(), "--teacher FILE.onnx"}}) {
        if (!(weight >= 0.0 && weight <= 1.0)) throw InputError(fmt::format("{} {}: give 0 to 1", flag, weight));
        if (weight > 0.0 && !source) throw InputError(fmt::format("{} needs {}", flag, needs));
    }
}

}  // namespace dangpli::training
