#include "dangpli/evaluation.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"

namespace dangpli {
namespace {

// State the workers and the calling thread share; everything below `mutex` is guarded by it.
struct Shared {
    std::atomic<std::size_t> next_batch{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t done = 0;
    int running = 0;
    ConfusionMatrix matrix;
    std::exception_ptr error;
};

cv::Mat to_face_size(const Fer2013Sample& sample, int side) {
    const cv::Mat& image = sample.image;
    if (image.empty()) throw InputError(fmt::format("{}: empty image", sample.origin));
    if (image.rows == side && image.cols == side) return image;
    cv::Mat out;
    const bool shrink = image.rows > side || image.cols > side;
    cv::resize(image, out, {side, side}, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

void classify_batches(const EmotionClassifier& classifier, std::span<const Fer2013Sample> samples,
                      const EvaluationOptions& options, Shared& shared) {
    const std::size_t batches = (samples.size() + options.batch_size - 1) / options.batch_size;
    std::vector<cv::Mat> faces;
    for (;;) {
        const std::size_t b = shared.next_batch.fetch_add(1);
        if (b >= batches || shared.stop) return;
        const auto batch = samples.subspan(b * options.batch_size,
                                           std::min(options.batch_size, samples.size() - b * options.batch_size));
        faces.clear();
        for (const auto& s : batch) faces.push_back(to_face_size(s, classifier.face_size()));
        std::vector<EmotionScores> scores;
        try {
            scores = classifier.classify(faces, options.tta);
        } catch (const InputError& e) {
            // The classifier names the index within the batch; the user needs the file and line.
            throw InputError(fmt::format("{} (batch starting at {})", e.what(), batch.front().origin));
        }
        ConfusionMatrix counted;  // counted outside the lock, merged in one step
        for (std::size_t i = 0; i < batch.size(); ++i) counted.add(batch[i].label, scores[i].emotion);
        std::lock_guard lock(shared.mutex);
        shared.matrix += counted;
        shared.done += batch.size();
        shared.changed.notify_all();
    }
}

}  // namespace

ConfusionMatrix evaluate(const EmotionClassifier& classifier, std::span<const Fer2013Sample> samples,
                         const EvaluationOptions& options_in) {
    EvaluationOptions options = options_in;
    options.batch_size = std::max<std::size_t>(1, options.batch_size);
    const std::size_t batches = (samples.size() + options.batch_size - 1) / options.batch_size;
    const auto workers = static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(options.threads, 1, std::max<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(batches))));
    if (options.progress) options.progress(0, samples.size());
    if (samples.empty()) return {};

    Shared shared;
    shared.running = static_cast<int>(workers);
    auto work = [&](const EmotionClassifier& own) {
        try {
            classify_batches(own, samples, options, shared);
        } catch (...) {
            std::lock_guard lock(shared.mutex);
            if (!shared.error) shared.error = std::current_exception();
            shared.stop = true;
        }
        std::lock_guard lock(shared.mutex);
        --shared.running;
        shared.changed.notify_all();
    };
    // Copies are made here, before any thread starts, so a copy never races a classify() call.
    std::vector<EmotionClassifier> copies(workers - 1, classifier);
    std::vector<std::jthread> threads;
    threads.emplace_back(work, std::cref(classifier));
    for (const auto& copy : copies) threads.emplace_back(work, std::cref(copy));

    // The calling thread reports progress, so callers need no locking of their own.
    std::size_t reported = 0;
    std::unique_lock lock(shared.mutex);
    while (shared.running > 0) {
        shared.changed.wait(lock, [&] { return shared.running == 0 || shared.done != reported; });
        if (shared.done == reported) continue;
        reported = shared.done;
        if (!options.progress || shared.stop) continue;
        lock.unlock();
        try {
            options.progress(reported, samples.size());
        } catch (...) {
            lock.lock();
            if (!shared.error) shared.error = std::current_exception();
            shared.stop = true;
            continue;
        }
        lock.lock();
    }
    lock.unlock();
    threads.clear();  // joins
    if (shared.error) std::rethrow_exception(shared.error);
    return shared.matrix;
}

}  // namespace dangpli
