#include "dangpli/evaluation.hpp"

#include <algorithm>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>

#include "dangpli/class_balance.hpp"
#include "dangpli/error.hpp"
#include "dangpli/parallel_in_order.hpp"

namespace dangpli {
namespace {

cv::Mat to_face_size(const Fer2013Sample& sample, int side) {
    const cv::Mat& image = sample.image;
    if (image.empty()) throw InputError(fmt::format("{}: empty image", sample.origin));
    if (image.rows == side && image.cols == side) return image;
    cv::Mat out;
    const bool shrink = image.rows > side || image.cols > side;
    cv::resize(image, out, {side, side}, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

// One batch's counts and scores, made by one worker with its own classifier.
struct BatchResult {
    ConfusionMatrix counted;
    std::vector<EmotionScores> scores;
};

BatchResult classify_batch(const EmotionClassifier& classifier, std::span<const Fer2013Sample> batch,
                           const EvaluationOptions& options) {
    std::vector<cv::Mat> faces;
    faces.reserve(batch.size());
    for (const auto& s : batch) faces.push_back(to_face_size(s, classifier.face_size()));
    BatchResult result;
    try {
        result.scores = classifier.classify(faces, options.tta);
    } catch (const InputError& e) {
        // The classifier names the index within the batch; the user needs the file and line.
        throw InputError(fmt::format("{} (batch starting at {})", e.what(), batch.front().origin));
    }
    rebalance(result.scores, classifier.card().training_prior, options.balance);
    for (std::size_t i = 0; i < batch.size(); ++i) result.counted.add(batch[i].label, result.scores[i].emotion);
    return result;
}

}  // namespace

ConfusionMatrix evaluate(const EmotionClassifier& classifier, std::span<const Fer2013Sample> samples,
                         const EvaluationOptions& options) {
    const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
    const std::size_t batches = (samples.size() + batch_size - 1) / batch_size;
    if (options.progress) options.progress(0, samples.size());

    ConfusionMatrix matrix;
    std::size_t done = 0;
    const auto batch_of = [&](std::size_t b) {
        return samples.subspan(b * batch_size, std::min(batch_size, samples.size() - b * batch_size));
    };
    parallel_in_order(
        classifier, batches, options.threads,
        [&](const EmotionClassifier& own, std::size_t b) { return classify_batch(own, batch_of(b), options); },
        [&](std::size_t b, const BatchResult& batch) {
            matrix += batch.counted;
            if (options.on_face)
                for (std::size_t i = 0; i < batch.scores.size(); ++i) options.on_face(b * batch_size + i, batch.scores[i]);
            done += batch_of(b).size();
            if (options.progress) options.progress(done, samples.size());
        });
    return matrix;
}

}  // namespace dangpli
