// The live pipeline's per-frame cost on a 640x480 stream with one face (a real photo moving a few
// pixels per frame): full detection on every frame beside FaceTracker (full detection every
// N frames, FaceDetector::refine() in between), each with align + classify, with OpenCV's default
// thread pool and with one thread. CPU time (getrusage: user + system of the whole process), not
// wall time, is what a laptop feels as fan noise; the share of one core at 30 fps is
// CPU-ms per frame x 30 / 1000. Video decoding is measured apart (MJPG as webcams send it, H.264
// as video files hold it), to be added to a row for the whole loop.
// Usage: bench_live_pipeline [FRAMES=300] [MIN_FACE=40] [DETECTOR=mtcnn (one of face_detector_names())]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/face_tracker.hpp"
#include "dangpli/main_face_tracker.hpp"

using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Precise CPU time of the whole process (all threads), for the split between the stages.
double process_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// A webcam-like stream: the portrait scaled so the face is about 200 px, moving slightly
// (the positions repeat every 45 frames, so 45 frames are made once).
std::vector<cv::Mat> make_frames() {
    const cv::Mat photo = cv::imread(DANGPLI_SHARED_DIR "/data/faces/happy-baby.jpeg");
    if (photo.empty()) throw std::runtime_error("cannot read " DANGPLI_SHARED_DIR "/data/faces/happy-baby.jpeg");
    cv::Mat scaled;
    cv::resize(photo, scaled, {}, 0.6, 0.6, cv::INTER_AREA);
    std::vector<cv::Mat> frames;
    for (int i = 0; i < 45; ++i)
        frames.push_back(scaled(cv::Rect((scaled.cols - 640) / 2 + (i % 9) - 4, (scaled.rows - 480) / 2 + (i % 5) - 2,
                                         640, 480)).clone());
    return frames;
}

struct Mode {
    std::string name;
    int redetect_every;  // 1 = full detection every frame
    int threads;         // OpenCV threads; -1 = its default
};

struct Result {
    double cpu_ms = 0, wall_ms = 0;  // per frame
    double find_cpu_ms = 0, read_cpu_ms = 0;  // per frame: detect or track; align + classify
    int with_face = 0, full_detections = 0;
    std::vector<std::optional<cv::Rect2f>> main_boxes;  // per frame
};

Result run(const Mode& mode, const dangpli::FaceDetector& detector, const dangpli::FaceAligner& aligner,
           const dangpli::EmotionClassifier& classifier, const std::vector<cv::Mat>& frames, int count) {
    cv::setNumThreads(mode.threads);
    dangpli::FaceTracker tracker(detector.clone(), {mode.redetect_every, {}});
    auto one_frame = [&](const cv::Mat& frame, double time, Result* r) {
        const double t0 = process_cpu_ms();
        const auto found = tracker.next(frame, time);
        const double t1 = process_cpu_ms();
        if (r) r->find_cpu_ms += t1 - t0;
        if (r && found.full_detection) ++r->full_detections;
        if (!found.main) {
            if (r) r->main_boxes.emplace_back();
            return;
        }
        const dangpli::Face& face = found.faces[*found.main];
        const auto scores = classifier.classify(aligner.align(frame, face));
        (void)scores;
        if (r) ++r->with_face, r->main_boxes.emplace_back(face.box), r->read_cpu_ms += process_cpu_ms() - t1;
    };
    const auto at = [](int i) { return i / 30.0; };  // a 30 fps stream
    for (int i = 0; i < 10; ++i) one_frame(frames[static_cast<std::size_t>(i) % frames.size()], at(i), nullptr);  // warm up
    tracker.reset();
    Result r;
    const double cpu0 = cpu_seconds();
    const auto wall0 = Clock::now();
    for (int i = 0; i < count; ++i) one_frame(frames[static_cast<std::size_t>(i) % frames.size()], at(i), &r);
    r.cpu_ms = (cpu_seconds() - cpu0) * 1000.0 / count;
    r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - wall0).count() / count;
    r.find_cpu_ms /= count;
    r.read_cpu_ms /= count;
    return r;
}

// CPU ms per frame to decode `count` frames of the stream written as a video with `fourcc` (read
// again from the start when it ends), or nullopt when this OpenCV cannot write that codec.
std::optional<double> decode_cpu_ms(const std::vector<cv::Mat>& frames, int count, const char* codec,
                                    const std::string& extension) {
    const auto path = std::filesystem::temp_directory_path() / ("bench_live_pipeline" + extension);
    {
        cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc(codec[0], codec[1], codec[2], codec[3]), 30,
                               frames.front().size());
        if (!writer.isOpened()) return std::nullopt;
        for (int round = 0; round < 2; ++round)
            for (const auto& f : frames) writer.write(f);
    }
    cv::VideoCapture video;
    cv::Mat frame;
    const double cpu0 = cpu_seconds();
    for (int decoded = 0; decoded < count;) {
        if (!video.isOpened() && !video.open(path.string())) return std::nullopt;
        if (video.read(frame)) ++decoded;
        else video.release();
    }
    const double cpu = cpu_seconds() - cpu0;
    std::filesystem::remove(path);
    return cpu * 1000.0 / count;
}

// Mean IoU of a run's main boxes against full detection's on the same frames (frames where both have one).
double mean_iou(const Result& r, const Result& reference) {
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < r.main_boxes.size() && i < reference.main_boxes.size(); ++i)
        if (r.main_boxes[i] && reference.main_boxes[i])
            sum += static_cast<double>(dangpli::intersection_over_union(*r.main_boxes[i], *reference.main_boxes[i])), ++n;
    return n ? sum / n : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::stoi(argv[1]) : 300;
    dangpli::FaceDetectorOptions options;
    options.min_face_size = argc > 2 ? std::stof(argv[2]) : 40.0f;
    const auto detector_ptr = dangpli::make_face_detector(argc > 3 ? argv[3] : dangpli::face_detector_names().front(), options);
    const dangpli::FaceDetector& detector = *detector_ptr;
    const auto classifier = dangpli::EmotionClassifier::load_default();
    const dangpli::FaceAligner aligner(classifier.face_size());
    const auto frames = make_frames();
    const int default_threads = cv::getNumThreads();

    std::vector<Mode> modes;
    for (int threads : {-1, 1})
        for (int every : {1, 10, 30})
            modes.push_back({every == 1 ? "full detection every frame" : fmt::format("tracker, full every {}", every),
                             every, threads});
    std::vector<Result> results;
    for (const auto& mode : modes) results.push_back(run(mode, detector, aligner, classifier, frames, count));
    cv::setNumThreads(default_threads);

    fmt::print("640x480 frames: {}, one face (happy-baby.jpeg, about 200 px, moving a few px); min face {} px; "
               "align + classify on every frame with a face; {} cores, OpenCV default threads {}\n\n",
               count, options.min_face_size, std::thread::hardware_concurrency(), default_threads);
    fmt::print("| detection | OpenCV threads | CPU ms / frame | share of one core at 30 fps | of which detect/track | "
               "of which align + classify | wall ms / frame | frames with a face | full detections | "
               "mean IoU vs full detection |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (std::size_t m = 0; m < modes.size(); ++m) {
        const auto& r = results[m];
        const auto& reference = results[m < 3 ? 0 : 3];  // full detection with the same threads
        fmt::print("| {} | {} | {:.2f} | {:.3f} | {:.2f} | {:.2f} | {:.2f} | {} | {} | {:.3f} |\n", modes[m].name,
                   modes[m].threads < 0 ? fmt::format("default ({})", default_threads) : "1", r.cpu_ms,
                   r.cpu_ms * 30 / 1000, r.find_cpu_ms, r.read_cpu_ms, r.wall_ms, r.with_face, r.full_detections,
                   mean_iou(r, reference));
    }
    fmt::print("\nVideo decoding, not in the table (CPU ms / frame, OpenCV default threads): ");
    for (const auto& [codec, extension] : {std::pair{"MJPG", ".avi"}, {"avc1", ".mp4"}}) {
        const auto ms = decode_cpu_ms(frames, count, codec, extension);
        fmt::print("{} {}; ", codec, ms ? fmt::format("{:.2f}", *ms) : std::string("(cannot write it here)"));
    }
    fmt::print("\n");
    fmt::print("\nreproduce: build/bench/bench_live_pipeline {} {}\n", count, options.min_face_size);
    return 0;
}
