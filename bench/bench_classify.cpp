// Emotion classification speed: milliseconds per face at batch 1 and batch 64, single view and
// with test-time augmentation, on one thread and on all. The engine (XNNPACK or cv::dnn) is named in
// the first line; DANGPLI_INFERENCE=opencv measures cv::dnn on the same model.
// Usage: bench_classify [MODEL.onnx|CARD.yaml]   (default: the bundled model)
#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/core.h>
#include <opencv2/core/utility.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/fer2013.hpp"

namespace {

double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// Median milliseconds per face over `rounds` calls on `batch` faces.
double ms_per_face(const dangpli::EmotionClassifier& c, const std::vector<cv::Mat>& faces, std::size_t batch,
                   dangpli::TestTimeAugmentation tta, int rounds) {
    std::vector<double> times;
    for (int r = 0; r < rounds; ++r) {
        const std::size_t first = (static_cast<std::size_t>(r) * batch) % (faces.size() - batch);
        std::span<const cv::Mat> span(faces.data() + first, batch);
        auto t0 = std::chrono::steady_clock::now();
        (void)c.classify(span, tta);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                        static_cast<double>(batch));
    }
    return median(times);
}

}  // namespace

int main(int argc, char** argv) {
    const auto classifier = argc > 1 ? dangpli::EmotionClassifier(argv[1]) : dangpli::EmotionClassifier::load_default();
    auto samples = dangpli::load_fer2013(DANGPLI_SHARED_DIR "/data/fer2013/publictest", dangpli::Fer2013Split::PublicTest);
    std::vector<cv::Mat> faces;
    for (std::size_t i = 0; i < samples.size() && faces.size() < 512; i += 7) faces.push_back(samples[i].image);

    using TTA = dangpli::TestTimeAugmentation;
    const int all_threads = cv::getNumThreads();
    fmt::print("model {} ({}) on {}, {} faces; median ms per face\n\n", classifier.card().name,
               classifier.card().architecture, classifier.engine(), faces.size());
    fmt::print("| threads | batch | single view | mirror (2 views) | ten-crop (10 views) |\n|---:|---:|---:|---:|---:|\n");
    for (int threads : {1, all_threads}) {
        cv::setNumThreads(threads);
        for (std::size_t batch : {std::size_t{1}, std::size_t{64}}) {
            const int rounds = batch == 1 ? 300 : 12;
            (void)ms_per_face(classifier, faces, batch, TTA::Single, 3);  // warm-up
            fmt::print("| {} | {} | {:.2f} | {:.2f} | {:.2f} |\n", threads, batch,
                       ms_per_face(classifier, faces, batch, TTA::Single, rounds),
                       ms_per_face(classifier, faces, batch, TTA::Mirror, rounds / 2 + 1),
                       ms_per_face(classifier, faces, batch, TTA::TenCrop, rounds / 4 + 1));
        }
    }
    fmt::print("\nreproduce: build/bench/bench_classify\n");
    return 0;
}
