#pragma once
// Batch commands (analyze, playlist scan): items worked on by several threads, their results
// handed on in input order, each as soon as it and all before it are done.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dangpli::cli {

/// Runs `work(worker, i)` for each item i in [0, count) on `workers` threads (worker is the
/// thread's index, for per-thread state such as a model copy; at most `count` threads start),
/// and calls `emit(i, result)` on the calling thread, in order. `Result` must be movable.
template <class Result, class Work, class Emit>
void run_ordered(std::size_t count, std::size_t workers, Work work, Emit emit) {
    std::vector<std::optional<Result>> done(count);
    std::mutex mutex;
    std::condition_variable ready;
    std::size_t next = 0;
    auto worker = [&](std::size_t index) {
        for (;;) {
            std::size_t i;
            {
                std::lock_guard lock(mutex);
                if (next == count) return;
                i = next++;
            }
            Result r = work(index, i);
            std::lock_guard lock(mutex);
            done[i] = std::move(r);
            ready.notify_one();
        }
    };
    std::vector<std::jthread> threads;
    const std::size_t n = std::clamp<std::size_t>(workers, 1, std::max<std::size_t>(count, 1));
    for (std::size_t t = 0; t < n; ++t) threads.emplace_back(worker, t);
    for (std::size_t i = 0; i < count; ++i) {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return done[i].has_value(); });
        Result r = std::move(*done[i]);
        done[i].reset();
        lock.unlock();
        emit(i, r);
    }
}

}  // namespace dangpli::cli
