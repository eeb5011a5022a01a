#pragma once
// A training run in a folder: config.yaml, log.csv, checkpoints/ and best/. A run stopped at any
// point resumes exactly from its last epoch checkpoint (model, optimiser momentum, schedule
// position and every random state), so one fixed schedule can span several sessions.

#include <array>
#include <string_view>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "emotion_net.hpp"
#include "face_batches.hpp"
#include "run_lock.hpp"
#include "run_state.hpp"
#include "train_config.hpp"

namespace dangpli::training {

struct EpochReport {
    int epoch = 0;  ///< 1-based
    int epochs = 0;
    double learning_rate = 0.0;
    double train_loss = 0.0;
    double train_accuracy = 0.0;
    Evaluation validation;
    std::optional<Evaluation> averaged;  ///< the weight average after this epoch (SWA epochs only)
    double seconds = 0.0;
};

struct TrainProgress {
    int epoch = 0, epochs = 0;
    std::size_t batch = 0, batches = 0;
    double images_per_second = 0.0;
    double running_loss = 0.0;
    double eta_seconds = 0.0;  ///< to the end of the schedule
};

struct TrainHooks {
    /// Once the run is locked and its data read, before the first epoch: a refusal comes before it.
    std::function<void()> on_start;
    std::function<void(const TrainProgress&)> on_progress;  ///< a few times per second at most
    std::function<void(const EpochReport&)> on_epoch;
    /// A line about the data that does not stop the run (a class with no training face), before on_start.
    std::function<void(const std::string&)> on_warning;
    const std::atomic<bool>* stop = nullptr;  ///< checked between batches; a stop loses the epoch in progress
};

/// Why `dir` cannot hold a new run (a file; a folder of other files, which the run's config.yaml,
/// log.csv, ... would join or replace), or "" when it can (missing, or an empty folder).
std::string new_run_folder_problem(const std::filesystem::path& dir);

class TrainingRun {
public:
    /// The entries create() and training make in a run folder, and only those (the folder may hold
    /// the user's own files too): what discard_if_unstarted() removes, what no export may replace.
    static constexpr std::array<std::string_view, 9> kRunEntries{
        "checkpoints", "best", "init", "teachers", "log.csv", "state.yaml", "config.yaml", "train.lock",
        "data-fingerprints.yaml"};

    /// Starts a new run in `dir` (created; must not hold a run already). Where it fails part way
    /// (a file that cannot be copied, a full disk), what it wrote is removed again.
    static TrainingRun create(const std::filesystem::path& dir, const TrainConfig& config);
    /// Opens an existing run to resume it or export from it. Throws DataError if `dir` holds none.
    static TrainingRun open(const std::filesystem::path& dir);
    static bool exists(const std::filesystem::path& dir);

    const TrainConfig& config() const { return config_; }
    /// Threads for this call only; results stay reproducible for a fixed thread count.
    void set_threads(int threads) { config_.threads = threads; }
    int epochs_done() const;
    double best_accuracy() const;
    int best_epoch() const;
    double seconds_trained() const;

    /// Trains until the schedule ends, `until_epoch` is reached (when > 0), or hooks.stop is set.
    void train(const TrainHooks& hooks = {}, int until_epoch = 0);
    /// Removes what create() wrote (the folder too, once empty) if no epoch has finished; a run with
    /// an epoch done, or one this object did not create, is kept. For a new run whose data fails to
    /// load: nothing half-made stays behind.
    void discard_if_unstarted();

    /// The network as of the last checkpoint ("last") or the best validation epoch ("best").
    std::shared_ptr<EmotionNet> load_network(const std::string& which = "best") const;

    /// The best network and the state that names it, read as one: a trainer beside the reader writes
    /// best/model.pt (which records its epoch) before state.yaml, so a model newer than the state
    /// is waited for (up to `wait_seconds`), never paired with the state before it. Throws DataError
    /// where the two never agree.
    struct BestModel {
        std::shared_ptr<EmotionNet> net;
        RunState state;
    };
    BestModel load_best(double wait_seconds = 120.0) const;

    const std::filesystem::path& dir() const { return dir_; }

private:
    TrainingRun(std::filesystem::path dir, TrainConfig config);
    std::filesystem::path dir_;
    TrainConfig config_;
    // Held from create() on, before its first file: a second trainer started on the same new folder
    // stops at the lock, and never takes the first one's files for a failed start of its own.
    std::shared_ptr<RunLock> lock_;
};

/// Whose data paths check_run_data() looks at: a command line's (a new run) or a saved run's.
enum class RunData { kAsked, kSaved };
/// Throws DataError naming the first of the data files (training, validation, aligned) that is
/// missing; for a saved run's relative path, with the folder it was looked for from.
void check_run_data(const TrainConfig& config, RunData whose);

/// Learning rate at a fractional epoch: linear warm-up, cosine to zero at epochs - swa_epochs,
/// then swa_lr.
double learning_rate_at(const TrainConfig& config, double epoch);

}  // namespace dangpli::training
