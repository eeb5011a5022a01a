#pragma once
// One trainer per run folder: two processes training the same run would interleave their
// checkpoints, state and log, and neither run would resume exactly any more.

#include <filesystem>

namespace dangpli::training {

/// Holds an exclusive advisory lock (flock) on `dir`/train.lock for its lifetime. The kernel drops
/// the lock when the process ends, however it ends, so a killed trainer never leaves the run locked.
class RunLock {
public:
    /// Throws InputError naming the folder and the process that holds it, if another holds the lock.
    explicit RunLock(const std::filesystem::path& dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace dangpli::training
