// Finds the faces in one image and prints the emotion of each with all seven probabilities.
//   analyze_image photo.jpg
#include <cstdio>
#include <exception>

#include <dangpli/dangpli.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s IMAGE\n", argv[0]);
        return 2;
    }
    try {
        // The library's reader: one line saying why a file is refused ("no such file", "cut short"),
        // turned upright by its EXIF orientation; OpenCV's own warnings hidden.
        dangpli::set_third_party_logs(false);
        const cv::Mat image = dangpli::read_image_file(argv[1]);
        // The bundled MTCNN detector and emotion model, found in the installation's data folder
        // (or $DANGPLI_MODEL_DIR). Loading takes a few milliseconds: keep the analyzer for many images.
        // dangpli::make_face_detector("yunet") would use YuNet instead.
        const dangpli::FaceAnalyzer analyzer(std::make_unique<dangpli::MtcnnDetector>(),
                                             dangpli::EmotionClassifier::load_default());

        const auto faces = analyzer.analyze(image);
        std::printf("%zu face(s) in %s\n", faces.size(), argv[1]);
        for (const auto& [face, scores] : faces) {
            std::printf("face at (%.0f, %.0f) %.0fx%.0f px: %s (%.0f%%)\n", face.box.x, face.box.y,
                        face.box.width, face.box.height, std::string(dangpli::to_string(scores.emotion)).c_str(),
                        100.0 * scores.confidence);
            for (auto emotion : dangpli::kAllEmotions)
                std::printf("  %-8s %.3f\n", std::string(dangpli::to_string(emotion)).c_str(), scores[emotion]);
        }
        return 0;
    } catch (const dangpli::InputError& e) {  // an image that cannot be read: one line says why
        std::fprintf(stderr, "error: %s\n", e.what());
        return 3;
    } catch (const dangpli::Error& e) {  // a missing model: one line says which
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
