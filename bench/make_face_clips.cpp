// Short webcam-like clips of held FER2013 faces, so that bench/live_faces.sh can compare what
// `dangpli live` reads from a face held for a few seconds with what `dangpli eval` reads from the
// face's own crop. Each clip: one PublicTest face upscaled SCALE x at a random place on a textured
// 640x480 frame, drifting a few pixels and breathing in scale as a webcam's picture does, with
// sensor noise, written as MJPG (what webcams send) at 30 fps.
// Usage: make_face_clips OUT_DIR [PUBLICTEST_DIR_OR_CSV] [STEP=20] [SECONDS=6] [SCALE=4]
// Writes OUT_DIR/NNNNN.avi (every STEP-th face) and OUT_DIR/clips.csv: clip,label,crop_reading
// (the default model's single view of the 48x48 crop, as `dangpli eval` reads it; the model is
// found as the CLI finds it, so DANGPLI_MODEL_DIR swaps it for both).
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/fer2013.hpp"
#include "fer_on_frame.hpp"

namespace {

constexpr double kFps = 30.0;
const cv::Size kFrame(640, 480);

// The face's place and size at time t: a slow drift of a few pixels and a 2% breathing zoom.
cv::Mat frame_at(const cv::Mat& background, const cv::Mat& face, double scale, cv::Point2d centre, double t,
                 double phase) {
    const double zoom = scale * (1.0 + 0.02 * std::sin(2.0 * M_PI * t / 3.1 + phase));
    const cv::Point2d drift(4.0 * std::sin(2.0 * M_PI * t / 4.3 + phase), 3.0 * std::sin(2.0 * M_PI * t / 5.7 + 2 * phase));
    const cv::Point2d at = centre + drift;
    const cv::Mat m = (cv::Mat_<double>(2, 3) << zoom, 0, at.x - zoom * face.cols / 2.0, 0, zoom,
                       at.y - zoom * face.rows / 2.0);
    cv::Mat face_bgr, mask(face.size(), CV_8UC1, cv::Scalar(255)), warped, warped_mask;
    cv::cvtColor(face, face_bgr, cv::COLOR_GRAY2BGR);
    cv::warpAffine(face_bgr, warped, m, kFrame, cv::INTER_CUBIC);
    cv::warpAffine(mask, warped_mask, m, kFrame, cv::INTER_NEAREST);
    cv::Mat frame = background.clone();
    warped.copyTo(frame, warped_mask);
    cv::Mat noise(kFrame, CV_16SC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(3));  // sensor noise
    cv::Mat noisy;
    frame.convertTo(noisy, CV_16SC3);
    noisy += noise;
    noisy.convertTo(frame, CV_8UC3);
    return frame;
}

int run(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: make_face_clips OUT_DIR [PUBLICTEST_DIR_OR_CSV] [STEP=20] [SECONDS=6] [SCALE=4]\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    const std::string data = argc > 2 && *argv[2] ? argv[2] : DANGPLI_SHARED_DIR "/data/fer2013/publictest";
    const std::size_t step = argc > 3 ? std::stoul(argv[3]) : 20;
    const double seconds = argc > 4 ? std::stod(argv[4]) : 6.0;
    const double scale = argc > 5 ? std::stod(argv[5]) : 4.0;
    const auto samples = dangpli::load_fer2013(data, dangpli::Fer2013Split::PublicTest);
    const auto classifier = dangpli::EmotionClassifier::load_default();
    std::filesystem::create_directories(out);
    std::ofstream csv(out / "clips.csv");
    csv << "clip,label,crop_reading\n";
    std::mt19937 rng(7);
    const int frames = static_cast<int>(std::lround(seconds * kFps));
    for (std::size_t i = 0; i < samples.size(); i += step) {
        const auto& s = samples[i];
        const std::string name = fmt::format("{:05}.avi", i);
        cv::VideoWriter writer((out / name).string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                               kFps, kFrame);
        if (!writer.isOpened()) {
            std::fprintf(stderr, "make_face_clips: cannot write %s\n", (out / name).c_str());
            return 1;
        }
        const cv::Mat background = dangpli::tools::textured_frame(kFrame);
        const double half = scale * 24.0 + 8.0;
        std::uniform_real_distribution<double> x(half, kFrame.width - half), y(half, kFrame.height - half),
            phase(0.0, 2.0 * M_PI);
        const cv::Point2d centre(x(rng), y(rng));
        const double p = phase(rng);
        for (int f = 0; f < frames; ++f) writer.write(frame_at(background, s.image, scale, centre, f / kFps, p));
        writer.release();  // VideoWriter reports no failed write: an empty file is the sign of one
        std::error_code size_error;
        if (std::filesystem::file_size(out / name, size_error) == 0 || size_error) {
            std::fprintf(stderr, "make_face_clips: could not write %s\n", (out / name).c_str());
            return 1;
        }
        csv << name << ',' << dangpli::to_string(s.label) << ','
            << dangpli::to_string(classifier.classify(s.image).emotion) << '\n';
    }
    csv.flush();
    if (!csv) {
        std::fprintf(stderr, "make_face_clips: cannot write %s\n", (out / "clips.csv").c_str());
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {  // a bad number, an unwritable folder, unreadable data: one line
        std::fprintf(stderr, "make_face_clips: %s\n", e.what());
        return 1;
    }
}
