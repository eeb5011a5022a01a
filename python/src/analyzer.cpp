// dangpli.Analyzer and dangpli.Classifier: the per-frame pipeline and the classifier alone. Rows
// come from the library's to_json() (image_analysis.hpp), so that their fields, names and rounding
// are those of `dangpli analyze --format json`. Inference runs with the GIL released.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>  // str, bytes or os.PathLike (pathlib.Path), as open() takes

#include "bindings.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/image_analysis.hpp"
#include "numpy_image.hpp"

namespace py = pybind11;

namespace dangpli::python {

namespace {

// The names are the library's, as `dangpli analyze --tta` takes them.
TestTimeAugmentation parse_tta(const std::string& name) {
    if (const auto tta = parse_test_time_augmentation(name)) return *tta;
    throw InputError(fmt::format("tta: unknown test-time augmentation '{}' (expected {})", name,
                                 fmt::join(test_time_augmentation_names(), ", ")));
}

// The Classifier reads crops as `dangpli eval` does (the bundled default); the Analyzer reads photos
// as `dangpli analyze` does (load_analyzer_classifier()).
// None is the bundled model; "" is a mistake (an unset variable), as `--model ''` is for the command.
// str, bytes or os.PathLike, as the module's other paths (pybind11's path caster).
const std::optional<std::filesystem::path>& model_argument(const std::optional<std::filesystem::path>& model) {
    if (model && model->empty()) throw InputError("model: an empty path (None for the bundled model)");
    return model;
}

EmotionClassifier load_classifier(const std::optional<std::filesystem::path>& model) {
    return model_argument(model) ? EmotionClassifier(*model) : EmotionClassifier::load_default();
}

py::object parse_json(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

// The analyzer with the settings it was made with, so that the row for a file can apply the
// same max_pixels as `analyze --max-pixels`.
struct Analyzer {
    FaceAnalyzer analyzer;
    std::int64_t max_pixels;
};

Analyzer make_analyzer(const std::string& detector, const std::optional<std::filesystem::path>& model, const std::string& tta,
                       const std::optional<float>& min_face, std::int64_t max_pixels, const std::optional<std::vector<float>>& thresholds,
                       const std::optional<float>& balance, float tilt_retry) {
    FaceDetectorOptions options;
    if (min_face) {  // as `analyze --min-face`: a size given is searched for as is
        options.min_face_size = *min_face;
        options.min_face_fraction = 0.0f;
    }
    options.max_pixels = max_pixels;
    options.tilt_retry_degrees = tilt_retry;
    if (thresholds) {
        if (!uses_mtcnn_thresholds(detector))
            throw InputError(fmt::format("thresholds set MTCNN's stages; they do not apply to detector '{}'", detector));
        if (thresholds->size() != 3)
            throw InputError(fmt::format("thresholds: expected 3 values (P-Net, R-Net, O-Net), got {}", thresholds->size()));
        options.mtcnn.pnet_threshold = (*thresholds)[0];
        options.mtcnn.rnet_threshold = (*thresholds)[1];
        options.mtcnn.onet_threshold = (*thresholds)[2];
    }
    // Every setting is checked before the ensemble loads (ten networks, a second), as the command checks its options.
    const auto augmentation = parse_tta(tta);
    if (balance) check_class_balance(*balance);
    auto face_detector = make_face_detector(detector, options);
    auto classifier = load_analyzer_classifier(model_argument(model).value_or(std::filesystem::path()));
    // As `analyze --balance`: a balance asked for a model whose card has no prior would do nothing.
    if (balance && *balance > 0.0f && !classifier.card().training_prior)
        throw InputError(fmt::format("balance: the model card of {} gives no output.training_prior to balance by",
                                     classifier.card().model_file.string()));
    return {FaceAnalyzer(std::move(face_detector), std::move(classifier), augmentation,
                         balance.value_or(kDefaultAnalyzerBalance)),
            max_pixels};
}

std::string faces_json(const std::vector<AnalyzedFace>& faces) {
    std::string text = "[";
    for (std::size_t i = 0; i < faces.size(); ++i) {
        if (i > 0) text += ',';
        text += to_json(faces[i]);
    }
    text += ']';
    return text;
}

py::dict scores_dict(const EmotionScores& s) {
    py::dict scores;
    for (Emotion e : kAllEmotions) scores[py::str(std::string(to_string(e)))] = rounded_score(s[e]);
    py::dict d;
    d["emotion"] = std::string(to_string(s.emotion));
    d["confidence"] = rounded_score(s.confidence);
    d["scores"] = scores;
    return d;
}

}  // namespace

void bind_analyzer(py::module_& m) {
    py::class_<Analyzer>(m, "Analyzer", R"(Finds faces and reads their emotion: detector, aligner, classifier.

One object serves one thread at a time (calls on it take turns); give each thread its own
copy() for parallel work. The GIL is released while it runs.)")
        .def(py::init(&make_analyzer), py::arg("detector") = std::string(kDefaultFaceDetector), py::arg("model") = py::none(),
             py::arg("tta") = std::string(to_string(kDefaultAnalyzerTta)), py::arg("min_face") = py::none(), py::arg("max_pixels") = kDefaultMaxImagePixels,
             py::arg("thresholds") = py::none(), py::arg("balance") = py::none(),
             py::arg("tilt_retry") = FaceDetectorOptions{}.tilt_retry_degrees,
             "detector: 'mtcnn+yunet' (YuNet where MTCNN finds no face, and YuNet's extra faces on a gray image), 'mtcnn' or 'yunet'; model: an emotion .onnx with its .yaml card (None: the bundled ensemble fer-ensemble, as `dangpli analyze`); "
             "tta: 'single', 'mirror' or 'ten-crop'; min_face in pixels (None: 20, or 1/64 of an image's shorter side where that is more, as `analyze`); max_pixels: the largest image (width x height) "
             "analyze and analyze_file take; thresholds: MTCNN's three stage thresholds; balance: 0 to 1 (None: DEFAULT_BALANCE), how far "
             "scores move from the model's training class mix towards all seven emotions being equally likely; "
             "tilt_retry: degrees, 0 to 89 (0 = off), where no face is found look again with the image turned "
             "this much each way (`analyze --tilt-retry`)")
        .def(
            "analyze",
            [](const Analyzer& self, const py::handle& image) {
                const NumpyImage input = image_from_numpy(image, "image");
                std::string text;
                {
                    py::gil_scoped_release release;
                    text = faces_json(self.analyzer.analyze(input.mat));
                }
                return parse_json(text);
            },
            py::arg("image"),
            "The faces in a BGR, BGRA or gray uint8 image, highest detector score first: a list of dicts "
            "{box, score, landmarks, emotion, confidence, scores} as `dangpli analyze --format json` gives them.")
        .def(
            "analyze_file",
            [](const Analyzer& self, const std::filesystem::path& path) {
                std::string text;
                {
                    py::gil_scoped_release release;
                    text = to_json(analyze_image_file(self.analyzer, path.string(), self.max_pixels));
                }
                return parse_json(text);
            },
            py::arg("path"),
            "One image file's row, exactly as a line of `dangpli analyze --format jsonl`: {path, width, height, "
            "faces}, or {path, error} when it cannot be read (never raises for a bad image).")
        .def(
            "analyze_file_json",
            [](const Analyzer& self, const std::filesystem::path& path) {
                py::gil_scoped_release release;
                return to_json(analyze_image_file(self.analyzer, path.string(), self.max_pixels));
            },
            py::arg("path"), "analyze_file's row as its line of JSON text (without the newline).")
        .def("copy", [](const Analyzer& self) { return Analyzer(self); },
             "An independent copy (the detector cloned, the model shared read-only): one per thread.")
        .def("__copy__", [](const Analyzer& self) { return Analyzer(self); })
        .def_property_readonly("detector", [](const Analyzer& self) { return std::string(self.analyzer.detector().name()); })
        .def_property_readonly("model", [](const Analyzer& self) { return self.analyzer.classifier().card().name; });

    m.def(
        "error_row_json",
        [](const std::string& path, const std::string& message) { return to_json(ImageAnalysis{path, 0, 0, {}, message}); },
        py::arg("path"), py::arg("message"), "The line of `dangpli analyze --format jsonl` for a path that failed.");
    m.def(
        "read_image",
        [](const std::filesystem::path& path, std::int64_t max_pixels, bool gray) {
            cv::Mat image;
            {
                py::gil_scoped_release release;
                image = read_image_file(path, max_pixels, gray);
            }
            return numpy_from_image(image);
        },
        py::arg("path"), py::arg("max_pixels") = kDefaultMaxImagePixels, py::arg("gray") = false,
        "An image file as a uint8 array, BGR (h, w, 3) or gray (h, w), with the checks of `dangpli analyze` "
        "(a regular file, at most max_pixels, not cut short); InputError naming the file otherwise.");
    m.attr("DETECTORS") = py::tuple(py::cast(face_detector_names()));
    m.attr("DEFAULT_DETECTOR") = std::string(kDefaultFaceDetector);  // Analyzer's, and the CLI's
    m.attr("TTAS") = py::tuple(py::cast(test_time_augmentation_names()));
    m.attr("DEFAULT_TTA") = std::string(to_string(kDefaultAnalyzerTta));  // Analyzer's, and `dangpli analyze`'s
    m.attr("DEFAULT_BALANCE") = kDefaultAnalyzerBalance;                   // the same
    m.attr("DRAWINGS_MARKER") = kDrawingsMarker;  // image_files passes such folders over, as analyze does
    m.def("has_image_extension", [](const std::string& name) { return has_image_extension(name); }, py::arg("name"),
          "Whether a file name is one `dangpli analyze DIR` takes from a folder (jpg, jpeg, png, ...; any case).");
    m.def("set_threads", [](int n) { cv::setNumThreads(n); }, py::arg("n"),
          "Threads OpenCV may use inside one call, for this process (cv::setNumThreads); 1 where processes or "
          "threads already fill the cores, e.g. in each Dask worker.");

    py::class_<EmotionClassifier>(m, "Classifier", R"(An emotion model (ONNX with its card) for aligned face crops.

One object serves one thread at a time; copy() one per thread. The GIL is released while it runs.)")
        .def(py::init(&load_classifier), py::arg("model") = py::none(),
             "model: an .onnx file with its .yaml card beside it; None: the bundled model")
        .def(
            "classify",
            [](const EmotionClassifier& self, const py::sequence& crops, const std::string& tta) {
                std::vector<NumpyImage> inputs;
                std::vector<cv::Mat> mats;
                const int side = self.card().face_size;
                for (std::size_t i = 0; i < crops.size(); ++i) {
                    const auto name = fmt::format("crops[{}]", i);
                    inputs.push_back(image_from_numpy(crops[i], name));
                    cv::Mat mat = inputs.back().mat;
                    // Named as the caller named it; a BGRA crop (which image_from_numpy takes) read as analyze reads one.
                    if (mat.rows != side || mat.cols != side)
                        throw InputError(fmt::format("{}: expected a {}x{} crop (the model's face_size), got {}x{}", name,
                                                     side, side, mat.cols, mat.rows));
                    if (mat.channels() == 4) cv::cvtColor(mat, mat, cv::COLOR_BGRA2BGR);
                    mats.push_back(mat);
                }
                const auto augmentation = parse_tta(tta);
                std::vector<EmotionScores> scores;
                {
                    py::gil_scoped_release release;
                    scores = self.classify(mats, augmentation);
                }
                py::list out;
                for (const auto& s : scores) out.append(scores_dict(s));
                return out;
            },
            py::arg("crops"), py::arg("tta") = "single",
            "Scores for aligned face crops (uint8 gray, BGR or BGRA, face_size x face_size, FER2013 framing): a list of "
            "dicts {emotion, confidence, scores}, in order, one forward pass for all.")
        .def("copy", [](const EmotionClassifier& self) { return EmotionClassifier(self); })
        .def("__copy__", [](const EmotionClassifier& self) { return EmotionClassifier(self); })
        .def_property_readonly("face_size", &EmotionClassifier::face_size)
        .def_property_readonly("name", [](const EmotionClassifier& self) { return self.card().name; });
}

}  // namespace dangpli::python
