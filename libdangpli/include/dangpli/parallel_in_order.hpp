#pragma once
/// \file
/// parallel_in_order(): the library's one worker pool. Items are worked on by several threads
/// (each with its own copy of a tool such as a classifier or an analyzer, if asked) and handed
/// back to the calling thread in their order, so callers need no locking of their own.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace dangpli {

/// Computes `work(worker, i)` for every i in [0, count) on `threads` threads (clamped to
/// 1..count; `worker` is the thread's index, for per-thread state) and calls `done(i, result)` on
/// the calling thread in index order, each as soon as it and all before it are finished; `result`
/// is an lvalue the callback may move from. Blocks until done. The first exception thrown by
/// `work` or `done` stops the handing out of items; it is rethrown here once every thread has
/// finished its current item.
template <class Work, class Done>
void parallel_in_order(std::size_t count, std::ptrdiff_t threads, Work work, Done done) {
    using Result = std::invoke_result_t<Work&, std::size_t, std::size_t>;
    if (count == 0) return;
    std::vector<std::optional<Result>> finished(count);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0;
    std::exception_ptr error;

    auto worker = [&](std::size_t index) {
        for (;;) {
            std::size_t i;
            {
                std::lock_guard lock(mutex);
                if (error || next == count) return;
                i = next++;
            }
            try {
                Result result = work(index, i);
                std::lock_guard lock(mutex);
                finished[i] = std::move(result);
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!error) error = std::current_exception();
            }
            changed.notify_all();
        }
    };
    const auto workers = static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(threads, 1, static_cast<std::ptrdiff_t>(count)));
    {
        std::vector<std::jthread> pool;  // joined when it goes out of scope, after the loop
        for (std::size_t t = 0; t < workers; ++t) pool.emplace_back(worker, t);
        for (std::size_t i = 0; i < count; ++i) {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return finished[i].has_value() || error; });
            if (error) break;
            Result result = std::move(*finished[i]);
            finished[i].reset();
            lock.unlock();
            try {
                done(i, result);
            } catch (...) {
                lock.lock();
                if (!error) error = std::current_exception();
                break;
            }
        }
    }
    if (error) std::rethrow_exception(error);
}

/// As above, with `work(tool, i)`: each thread has its own copy of `tool`. `tool` itself serves
/// the first thread; the copies are all made before any thread starts, so that no copy races a
/// call. Other threads may use `tool` meanwhile if its calls are thread-safe.
template <class Tool, class Work, class Done>
void parallel_in_order(const Tool& tool, std::size_t count, std::ptrdiff_t threads, Work work, Done done) {
    const auto workers = std::clamp<std::ptrdiff_t>(threads, 1, std::max<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(count)));
    const std::vector<Tool> copies(static_cast<std::size_t>(workers - 1), tool);
    parallel_in_order(
        count, workers,
        [&](std::size_t worker, std::size_t i) { return work(worker == 0 ? tool : copies[worker - 1], i); }, done);
}

}  // namespace dangpli
