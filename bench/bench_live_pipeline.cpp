// The live pipeline on a 640x480 stream with one face: milliseconds per stage (detect, align,
// classify, aggregate), end-to-end frames per second, and CPU use (CPU seconds per wall second).
// Usage: bench_live_pipeline [FRAMES=200] [MIN_FACE=40]
#include <sys/resource.h>

#include <algorithm>
#include <thread>
#include <chrono>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector.hpp"

using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::stoi(argv[1]) : 200;
    dangpli::FaceDetector::Options options;
    options.min_face_size = argc > 2 ? std::stof(argv[2]) : 40.0f;
    const dangpli::FaceDetector detector(dangpli::MtcnnModelPaths::find(), options);
    const auto classifier = dangpli::EmotionClassifier::load_default();
    const dangpli::FaceAligner aligner(classifier.face_size());
    dangpli::EmotionAggregator aggregator;

    // A webcam-like frame: the example portrait scaled so the face is about 200 px, moving slightly.
    cv::Mat photo = cv::imread(DANGPLI_SHARED_DIR "/data/faces/happy-baby.jpeg");
    cv::Mat scaled;
    cv::resize(photo, scaled, {}, 0.6, 0.6, cv::INTER_AREA);
    std::vector<double> detect_ms, align_ms, classify_ms, aggregate_ms, total_ms;
    int found = 0;
    const double cpu0 = cpu_seconds();
    const auto wall0 = Clock::now();
    for (int i = 0; i < frames; ++i) {
        const cv::Rect roi((scaled.cols - 640) / 2 + (i % 9) - 4, (scaled.rows - 480) / 2 + (i % 5) - 2, 640, 480);
        const cv::Mat frame = scaled(roi).clone();
        const auto t0 = Clock::now();
        const auto faces = detector.detect(frame);
        detect_ms.push_back(ms_since(t0));
        if (faces.empty()) continue;
        ++found;
        auto t = Clock::now();
        const cv::Mat crop = aligner.align(frame, faces.front());
        align_ms.push_back(ms_since(t));
        t = Clock::now();
        const auto scores = classifier.classify(crop);
        classify_ms.push_back(ms_since(t));
        t = Clock::now();
        aggregator.push(scores);
        aggregate_ms.push_back(ms_since(t));
        total_ms.push_back(ms_since(t0));
    }
    const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
    const double cpu = cpu_seconds() - cpu0;
    fmt::print("640x480 frames: {}, face found in {}; min face {} px; OpenCV threads: default\n\n", frames, found,
               options.min_face_size);
    fmt::print("| stage | median ms |\n|---|---:|\n");
    fmt::print("| detect (MTCNN) | {:.2f} |\n| align | {:.3f} |\n| classify | {:.2f} |\n| aggregate | {:.4f} |\n",
               median(detect_ms), median(align_ms), median(classify_ms), median(aggregate_ms));
    fmt::print("| whole frame | {:.2f} |\n\n", median(total_ms));
    fmt::print("end to end: {:.1f} frames/s; CPU use {:.2f} CPU-seconds per second ({} cores)\n",
               frames / wall, cpu / wall, std::thread::hardware_concurrency());
    fmt::print("reproduce: build/bench/bench_live_pipeline {} {}\n", frames, options.min_face_size);
    return 0;
}
