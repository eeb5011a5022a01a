// The library's detectors (MTCNN, YuNet) and OpenCV's Haar cascade side by side: median time per
// 640x480 frame and accuracy on dlib's annotated photos at min face 20, 40 and 80, then each
// library detector's framing gap through the aligner (as bench_framing measures it). Prints
// Markdown tables.
//   usage: bench_detect [--reps N] [--fer PUBLICTEST_DIR_OR_CSV] [--fer-step S]
//   (N timed runs per frame and detector, default 5; every S-th PublicTest face, default 4;
//    --fer-step 0 skips the framing gap)
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "../tests/detector/face_eval.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fer2013.hpp"
#include "framing_gap.hpp"
#include "letterbox.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kDlibDir = DANGPLI_DLIB_FACES_DIR;
const fs::path kFacesDir = fs::path(DANGPLI_SHARED_DIR) / "data/faces";
const char* kHaarPath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";

using dangpli::bench::letterbox;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Detector {
    virtual ~Detector() = default;
    virtual std::vector<cv::Rect2f> detect(const cv::Mat& bgr) = 0;
};

// One of the library's detectors, by name, with its default options but the min face.
struct Library : Detector {
    std::unique_ptr<dangpli::FaceDetector> d;
    Library(const std::string& name, float min_face) : d(dangpli::make_face_detector(name, options(min_face))) {}
    static dangpli::FaceDetectorOptions options(float min_face) {
        dangpli::FaceDetectorOptions o;
        o.min_face_size = min_face;
        return o;
    }
    std::vector<cv::Rect2f> detect(const cv::Mat& bgr) override { return dangpli::eval::boxes_of(d->detect(bgr)); }
};

struct Haar : Detector {
    cv::CascadeClassifier c;
    int min_face;
    explicit Haar(int min) : c(kHaarPath), min_face(min) {
        if (c.empty()) throw std::runtime_error(std::string("cannot load ") + kHaarPath);
    }
    std::vector<cv::Rect2f> detect(const cv::Mat& bgr) override {
        cv::Mat gray;
        cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);  // no equalizeHist: the setup of DETECTOR-NOTES.md
        std::vector<cv::Rect> found;
        c.detectMultiScale(gray, found, 1.1, 3, 0, cv::Size(min_face, min_face));
        return {found.begin(), found.end()};
    }
};

struct Row {
    std::string name;
    int min_face;
    double median_ms;
    dangpli::eval::MatchCounts counts;
};

Row measure(const std::string& name, int min_face, Detector& det, const std::vector<cv::Mat>& frames,
            const std::vector<dangpli::eval::AnnotatedImage>& truth, const std::vector<cv::Mat>& photos, int reps) {
    Row row{name, min_face, 0, {}};
    for (const auto& f : frames) (void)det.detect(f);  // warm-up: first-call allocations
    std::vector<double> times;
    for (int r = 0; r < reps; ++r)
        for (const auto& f : frames) {
            const auto t0 = Clock::now();
            (void)det.detect(f);
            times.push_back(ms_since(t0));
        }
    row.median_ms = median(times);
    for (std::size_t i = 0; i < photos.size(); ++i) row.counts += dangpli::eval::match(truth[i].faces, det.detect(photos[i]));
    return row;
}

void print_framing(const std::string& fer, std::size_t step) {
    const auto samples = dangpli::load_fer2013(fer, dangpli::Fer2013Split::PublicTest);
    const auto classifier = dangpli::EmotionClassifier::load_default();
    fmt::print("\nFraming gap: every {}th PublicTest face ({}), upscaled 4x onto a 640x480 frame, detected, aligned "
               "and classified, against its own 48x48 crop:\n\n",
               step, fer);
    fmt::print("| detector | faces | missed | accuracy, own crops of found faces | through the detector + aligner | gap (points) |\n");
    fmt::print("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    using Counts = dangpli::bench::FramingCounts;
    for (const auto& name : dangpli::face_detector_names()) {
        const auto detector = dangpli::make_face_detector(name);
        const auto c = dangpli::bench::measure_framing(*detector, classifier, samples, step, 4.0);
        fmt::print("| {} | {} | {} ({:.1f}%) | {:.2f}% | {:.2f}% | {:.2f} |\n", name, c.faces, c.missed,
                   Counts::pct(c.missed, c.faces), Counts::pct(c.right_original_when_found, c.found()),
                   Counts::pct(c.right_pipeline, c.found()), c.gap());
    }
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 5;
    std::string fer = DANGPLI_SHARED_DIR "/data/fer2013/publictest";
    std::size_t fer_step = 4;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--reps") == 0) reps = std::max(1, std::atoi(argv[i + 1]));
        if (std::strcmp(argv[i], "--fer") == 0) fer = argv[i + 1];
        if (std::strcmp(argv[i], "--fer-step") == 0) fer_step = static_cast<std::size_t>(std::atoi(argv[i + 1]));
    }

    const auto truth = dangpli::eval::read_dlib_faces(kDlibDir);
    std::vector<cv::Mat> photos, frames;
    for (const auto& t : truth) photos.push_back(cv::imread(t.path.string()));
    for (const auto& p : photos) frames.push_back(letterbox(p));
    for (const char* name : {"angry.jpg", "happy-baby.jpeg", "neutral.jpeg", "sad-baby.jpeg", "surprised.jpeg", "group.jpeg"})
        frames.push_back(letterbox(cv::imread((kFacesDir / name).string())));

    std::vector<std::string> costs;  // loading and cloning each library detector
    for (const auto& name : dangpli::face_detector_names()) {
        auto t0 = Clock::now();
        const auto loaded = dangpli::make_face_detector(name);
        const double load_ms = ms_since(t0);
        t0 = Clock::now();
        const auto copy = loaded->clone();
        costs.push_back(fmt::format("{}: loading {:.1f} ms, clone() {:.1f} ms", name, load_ms, ms_since(t0)));
    }

    std::vector<Row> rows;
    for (int min_face : {20, 40, 80}) {
        for (const auto& name : dangpli::face_detector_names()) {
            Library d(name, static_cast<float>(min_face));
            rows.push_back(measure(name, min_face, d, frames, truth, photos, reps));
        }
        Haar h(min_face);
        rows.push_back(measure("Haar frontalface_alt2, minNeighbors 3", min_face, h, frames, truth, photos, reps));
    }

    fmt::print("{} frames of 640x480 ({} dlib photos + {} shared face photos, letterboxed), {} timed runs each, "
               "OpenCV {} with {} threads\n\n",
               frames.size(), photos.size(), frames.size() - photos.size(), reps, CV_VERSION, cv::getNumThreads());
    fmt::print("| detector | min face (px) | median ms / frame | dlib recall (IoU >= 0.4) | false positives |\n");
    fmt::print("| --- | ---: | ---: | ---: | ---: |\n");
    for (const auto& r : rows)
        fmt::print("| {} | {} | {:.1f} | {}/{} ({:.2f}) | {} |\n", r.name, r.min_face, r.median_ms, r.counts.found,
                   r.counts.truth, static_cast<double>(r.counts.found) / r.counts.truth, r.counts.false_positives);
    fmt::print("\nAccuracy is measured on the {} original dlib photos (not letterboxed).\n", photos.size());
    for (const auto& cost : costs) fmt::print("{}.\n", cost);
    if (fer_step > 0) print_framing(fer, fer_step);
    fmt::print("\nReproduce: ninja -C build bench_detect && build/bench/bench_detect --reps {} --fer-step {}\n", reps,
               fer_step);
    return 0;
}
