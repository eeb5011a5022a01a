// How much accuracy the detect -> align -> classify path loses against classifying FER2013's own
// crops: PublicTest faces are scaled up and pasted onto larger frames, then found and re-cropped.
// Usage: bench_framing [PUBLICTEST_DIR_OR_CSV] [STEP] [SCALE]   (every STEP-th face, upscaled SCALE x)
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include <fmt/core.h>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector.hpp"
#include "dangpli/fer2013.hpp"
#include "fer_on_frame.hpp"

int main(int argc, char** argv) {
    const std::string data = argc > 1 ? argv[1] : DANGPLI_SHARED_DIR "/data/fer2013/publictest";
    const std::size_t step = argc > 2 ? std::stoul(argv[2]) : 4;
    const double scale = argc > 3 ? std::stod(argv[3]) : 4.0;
    const auto samples = dangpli::load_fer2013(data, dangpli::Fer2013Split::PublicTest);
    const dangpli::FaceDetector detector;
    const auto classifier = dangpli::EmotionClassifier::load_default();
    const dangpli::FaceAligner aligner(classifier.face_size());

    std::mt19937 rng(42);
    std::size_t n = 0, missed = 0, right_original = 0, right_pipeline = 0, right_original_when_found = 0;
    for (std::size_t i = 0; i < samples.size(); i += step, ++n) {
        const auto& s = samples[i];
        const cv::Mat frame = dangpli::tools::fer_face_on_frame(s.image, scale, {640, 480}, rng);

        const bool original_right = classifier.classify(s.image).emotion == s.label;
        right_original += original_right;
        auto faces = detector.detect(frame);
        if (faces.empty()) {
            ++missed;
            continue;
        }
        right_original_when_found += original_right;
        right_pipeline += classifier.classify(aligner.align(frame, faces.front())).emotion == s.label;
    }
    auto pct = [](std::size_t a, std::size_t b) { return 100.0 * static_cast<double>(a) / static_cast<double>(b); };
    const std::size_t found = n - missed;
    fmt::print("PublicTest faces: {} (every {}th, upscaled {}x onto 640x480 frames)\n", n, step, scale);
    fmt::print("detector missed:  {} ({:.1f}%)\n", missed, pct(missed, n));
    fmt::print("| | accuracy |\n|---|---:|\n");
    fmt::print("| original 48x48 crops, all faces | {:.2f}% |\n", pct(right_original, n));
    fmt::print("| original crops, faces the detector found | {:.2f}% |\n", pct(right_original_when_found, found));
    fmt::print("| detect -> align -> classify, faces found | {:.2f}% |\n", pct(right_pipeline, found));
    fmt::print("gap on found faces: {:.2f} points\n", pct(right_original_when_found, found) - pct(right_pipeline, found));
    return 0;
}
