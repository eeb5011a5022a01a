#pragma once
// The framing gap (bench_framing, bench_detect): how much accuracy the detect -> align -> classify
// path loses against classifying FER2013's own crops. Faces are scaled up and pasted onto 640x480
// frames (tools/fer_on_frame.hpp), then found by a detector and re-cropped by the aligner.

#include <cstddef>
#include <random>
#include <vector>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/face_detector.hpp"
#include "dangpli/fer2013.hpp"
#include "fer_on_frame.hpp"

namespace dangpli::bench {

struct FramingCounts {
    std::size_t faces = 0, missed = 0;
    std::size_t right_original = 0;             // FER's own crop classified right, all faces
    std::size_t right_original_when_found = 0;  // the same, on the faces the detector found
    std::size_t right_pipeline = 0;             // detect -> align -> classify right, faces found

    std::size_t found() const { return faces - missed; }
    static double pct(std::size_t a, std::size_t b) { return 100.0 * static_cast<double>(a) / static_cast<double>(b); }
    /// Accuracy points lost on the found faces by cutting them through the detector and aligner.
    double gap() const { return pct(right_original_when_found, found()) - pct(right_pipeline, found()); }
};

/// Every `step`-th sample, upscaled `scale` times onto a 640x480 frame (seed 42: the same frames
/// for every detector); both kinds of crop are read with `tta`.
inline FramingCounts measure_framing(const FaceDetector& detector, const EmotionClassifier& classifier,
                                     const std::vector<Fer2013Sample>& samples, std::size_t step, double scale,
                                     TestTimeAugmentation tta = TestTimeAugmentation::Single) {
    const FaceAligner aligner(classifier.face_size());
    std::mt19937 rng(42);
    FramingCounts c;
    for (std::size_t i = 0; i < samples.size(); i += step, ++c.faces) {
        const auto& s = samples[i];
        const cv::Mat frame = tools::fer_face_on_frame(s.image, scale, {640, 480}, rng);
        const bool original_right = classifier.classify(s.image, tta).emotion == s.label;
        c.right_original += original_right;
        const auto faces = detector.detect(frame);
        if (faces.empty()) {
            ++c.missed;
            continue;
        }
        c.right_original_when_found += original_right;
        c.right_pipeline += classifier.classify(aligner.align(frame, faces.front()), tta).emotion == s.label;
    }
    return c;
}

}  // namespace dangpli::bench
