#pragma once
// Everything that defines a training run; saved as config.yaml in the run folder so that a
// resumed run continues the same schedule.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "augment.hpp"

namespace dangpli::training {

struct TrainConfig {
    std::string architecture = "resnet";
    int epochs = 60;             ///< fixed at the start: the schedule's length
    int batch_size = 64;
    double learning_rate = 0.05; ///< peak, after warm-up; cosine decay to zero at `epochs - swa_epochs`
    double warmup_epochs = 3.0;
    double momentum = 0.9;       ///< Nesterov
    double weight_decay = 5e-4;
    double label_smoothing = 0.1;
    uint64_t seed = 1;
    int threads = 2;
    std::string train_data;      ///< fer2013.csv(.gz) or class-folder tree
    std::string train_split = "Training";
    std::string val_data;        ///< defaults to train_data
    std::string val_split = "PublicTest";
    /// The last `swa_epochs` epochs run at the constant `swa_lr`, and the weights at the end of each
    /// are averaged (stochastic weight averaging); the average competes for best/ like any epoch.
    int swa_epochs = 0;
    double swa_lr = 0.005;
    int limit = 0;               ///< use only N training and validation samples, spread over each split (0 = all)
    /// A finished run whose best model is the starting point (a warm restart), or an exported ONNX
    /// model of the same architecture (onnx_import.hpp); empty = random init. What it names is
    /// copied into the new run's init/ so the run stands alone.
    std::string init_from;
    bool init_from_onnx() const { return init_from.ends_with(".onnx"); }
    /// FER+ crowd votes lined up with train_data's rows (ferplus_votes.hpp); with ferplus_mix > 0 the
    /// training target is (1 - mix) * one-hot(label) + mix * vote distribution (soft_target.hpp).
    /// Validation stays on the FER2013 labels.
    std::string ferplus_votes;
    double ferplus_mix = 0.0;
    bool uses_votes() const { return !ferplus_votes.empty() && ferplus_mix > 0.0; }
    /// The same rows as train_data, each face re-cut by the product's detector and aligner
    /// (tools/align_fer2013); a training view starts from that crop with probability aligned_mix,
    /// so that the network learns the framing `analyze` and `live` give it.
    std::string aligned_data;
    double aligned_mix = 0.0;
    /// Exported models (each with its card) that read every training view as the student sees it
    /// (teacher.hpp); the target becomes (1 - teacher_mix) * the label target above + teacher_mix *
    /// their mean probabilities. Copied into the run's teachers/ when it is created, read from there.
    std::vector<std::string> teachers;
    double teacher_mix = 0.0;
    bool uses_teachers() const { return !teachers.empty() && teacher_mix > 0.0; }
    /// Mixup (Zhang et al. 2018): each batch is blended with a shuffled copy of itself, weight
    /// max(l, 1 - l) for l ~ Beta(alpha, alpha), and so are the targets; 0 = off.
    double mixup_alpha = 0.0;
    AugmentOptions augment;
};

/// Where a recipe came from, for the names check_recipe() gives its values.
enum class RecipeSource { kFlags, kConfigFile };

/// Throws InputError naming the value where `config` cannot be a recipe: a count, rate or range that
/// cannot be (NaN and infinities included), an unknown architecture, or a mix weight without its
/// source. Values are named by their flag ("--batch 0: give at least 1"), or for a config file by
/// their key ("batch_size 0: give at least 1 (as --batch)"). Reads no file (TrainingRun::create
/// checks those); the command line calls it to answer such a recipe as a usage error, and
/// TrainingRun::open() to refuse a config.yaml edited or damaged by hand.
void check_recipe(const TrainConfig& config, RecipeSource source = RecipeSource::kFlags);

/// Reads a config.yaml; throws DataError naming the file and the bad key, a key it does not know, or a
/// file that is no run's config (not a map, or without architecture, epochs and train_data).
TrainConfig load_train_config(const std::filesystem::path& path);
/// The 1-based line of `key` ("batch_size", "augment.max_rotation_deg") in the config.yaml at `path`,
/// for a message about its value; 0 where the file does not give it (a default) or cannot be read.
int line_of_setting(const std::filesystem::path& path, std::string_view key);
/// Writes train_config_yaml(config) atomically.
void save_train_config(const TrainConfig& config, const std::filesystem::path& path);
/// The text of config.yaml for `config`.
std::string train_config_yaml(const TrainConfig& config);

/// The settings a command line asks for (`asked`: those it sets away from `defaults`, and the
/// config.yaml keys in `given`, whose flags it gave even at their default values) that a run being
/// resumed holds otherwise (`run`), each as "key asked (the run's: value)", or "key off (...)" where
/// the asked value turns that part off; threads, a speed setting, is never one. Empty when resuming
/// as asked changes nothing.
std::vector<std::string> settings_changed_on_resume(const TrainConfig& asked, const TrainConfig& defaults,
                                                    const TrainConfig& run, const std::set<std::string>& given);

}  // namespace dangpli::training
