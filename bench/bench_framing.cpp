// How much accuracy the detect -> align -> classify path loses against classifying FER2013's own
// crops: PublicTest faces are scaled up and pasted onto larger frames, then found and re-cropped.
// Usage: bench_framing [PUBLICTEST_DIR_OR_CSV] [STEP] [SCALE] [DETECTOR] [TTA] [TILT]
//        (every STEP-th face, upscaled SCALE x, found by DETECTOR: one of face_detector_names(); both
//        kinds of crop read with TTA: single, as eval does by default, or mirror, as analyze does;
//        TILT: FaceDetectorOptions::tilt_retry_degrees; default 0, no turned look, so that every
//        figure measured before it existed reproduces; 30 is what analyze and live run)
#include <cstdio>
#include <string>

#include <fmt/core.h>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fer2013.hpp"
#include "framing_gap.hpp"

int main(int argc, char** argv) {
    const std::string data = argc > 1 ? argv[1] : DANGPLI_SHARED_DIR "/data/fer2013/publictest";
    const std::size_t step = argc > 2 ? std::stoul(argv[2]) : 4;
    const double scale = argc > 3 ? std::stod(argv[3]) : 4.0;
    const std::string detector_name = argc > 4 ? argv[4] : dangpli::face_detector_names().front();
    const auto tta = dangpli::parse_test_time_augmentation(argc > 5 ? argv[5] : "single");
    if (!tta) {
        fmt::print(stderr, "bench_framing: unknown TTA '{}' (expected single, mirror or ten-crop)\n", argv[5]);
        return 2;
    }
    const auto samples = dangpli::load_fer2013(data, dangpli::Fer2013Split::PublicTest);
    dangpli::FaceDetectorOptions detector_options;
    detector_options.tilt_retry_degrees = argc > 6 ? std::stof(argv[6]) : 0.0f;
    const auto detector = dangpli::make_face_detector(detector_name, detector_options);
    const auto classifier = dangpli::EmotionClassifier::load_default();

    const auto c = dangpli::bench::measure_framing(*detector, classifier, samples, step, scale, *tta);
    const auto pct = dangpli::bench::FramingCounts::pct;
    fmt::print("PublicTest faces: {} (every {}th, upscaled {}x onto 640x480 frames), detector {}, tilt retry {} deg, tta {}\n",
               c.faces, step, scale, detector->name(), detector_options.tilt_retry_degrees, dangpli::to_string(*tta));
    fmt::print("detector missed:  {} ({:.1f}%)\n", c.missed, pct(c.missed, c.faces));
    fmt::print("| | accuracy |\n|---|---:|\n");
    fmt::print("| original 48x48 crops, all faces | {:.2f}% |\n", pct(c.right_original, c.faces));
    fmt::print("| original crops, faces the detector found | {:.2f}% |\n", pct(c.right_original_when_found, c.found()));
    fmt::print("| detect -> align -> classify, faces found | {:.2f}% |\n", pct(c.right_pipeline, c.found()));
    fmt::print("gap on found faces: {:.2f} points\n", c.gap());
    // What a user of `analyze` gets: a face that is not found has no emotion.
    fmt::print("end to end, all faces (a miss is wrong): {:.2f}%\n", pct(c.right_pipeline, c.faces));
    return 0;
}
