// Measures where MTCNN's five landmarks fall in FER2013 faces: the template FaceAligner maps
// faces onto, so that aligned crops have FER2013's framing.
// Usage: calibrate_fer_framing FER_TRAIN_DIR_OR_CSV [N] [DETECTOR]   (the Training split, not PublicTest;
//        DETECTOR, default mtcnn: another detector's points show how far its framing is from the template)
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>

#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fer2013.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FER_TRAINING_DATA [N]\n", argv[0]);
        return 2;
    }
    const std::size_t n = argc > 2 ? std::stoul(argv[2]) : 2000;
    auto samples = dangpli::load_fer2013(argv[1], dangpli::Fer2013Split::Training);
    const std::string detector_name = argc > 3 ? argv[3] : "mtcnn";  // the template is MTCNN's landmarks
    dangpli::FaceDetectorOptions options;
    options.tilt_retry_degrees = 0.0f;
    const auto detector = dangpli::make_face_detector(detector_name, options);
    constexpr int kUp = 4, kPad = 64;
    std::array<std::vector<float>, 10> coords;  // x0..x4, y0..y4 in 48x48 FER pixels
    std::size_t tried = 0, found = 0;
    for (std::size_t i = 0; i < samples.size() && tried < n; i += 7, ++tried) {
        cv::Mat up, canvas;
        cv::resize(samples[i].image, up, {}, kUp, kUp, cv::INTER_CUBIC);
        cv::copyMakeBorder(up, canvas, kPad, kPad, kPad, kPad, cv::BORDER_REPLICATE);
        auto faces = detector->detect(canvas);
        if (faces.empty()) continue;
        ++found;
        for (int k = 0; k < 5; ++k) {
            coords[static_cast<std::size_t>(k)].push_back((faces[0].landmarks[static_cast<std::size_t>(k)].x - kPad) / kUp);
            coords[static_cast<std::size_t>(k + 5)].push_back((faces[0].landmarks[static_cast<std::size_t>(k)].y - kPad) / kUp);
        }
    }
    auto median = [](std::vector<float> v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    fmt::print("detector {}: faces found: {} of {}\n", detector->name(), found, tried);
    const char* names[] = {"left eye", "right eye", "nose", "mouth left", "mouth right"};
    for (int k = 0; k < 5; ++k)
        fmt::print("{:<12} x {:6.2f}  y {:6.2f}\n", names[k], median(coords[static_cast<std::size_t>(k)]),
                   median(coords[static_cast<std::size_t>(k + 5)]));
    return 0;
}
