#pragma once
// state.yaml: how far a training run has come. Written last after each epoch, it is what makes a
// checkpoint count; read on every resume and by the run's accessors.

#include <cstdint>
#include <filesystem>

namespace dangpli::training {

/// What state.yaml records.
struct RunState {
    int epochs_done = 0;          ///< epochs trained and checkpointed
    double best_accuracy = 0.0;   ///< the best validation accuracy so far, 0 to 1
    int best_epoch = 0;           ///< the epoch that read it (0 before the first)
    double seconds_trained = 0.0; ///< wall time spent training, over every resume
    int64_t averaged = 0;         ///< snapshots in the last checkpoint's average.pt
};

/// The state of the run in `dir`; a fresh state where it has none yet. A file edited or damaged by
/// hand is refused with DataError "state.yaml:line: key value: why" (a repeated key, a value out
/// of range), or InputError for a file that cannot be read.
RunState read_run_state(const std::filesystem::path& dir);

/// Writes `state` as `dir`/state.yaml, whole or not at all.
void write_run_state(const std::filesystem::path& dir, const RunState& state);

}  // namespace dangpli::training
