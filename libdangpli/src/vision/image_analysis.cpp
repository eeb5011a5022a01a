#include "dangpli/image_analysis.hpp"

#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "dangpli/error.hpp"

namespace dangpli {

namespace {

using Json = nlohmann::ordered_json;

double round_to(float v, double per_unit) { return std::round(static_cast<double>(v) * per_unit) / per_unit; }

Json face_object(const AnalyzedFace& analyzed) {
    const auto& f = analyzed.face;
    Json landmarks = Json::array();
    for (const auto& p : f.landmarks) landmarks.push_back({rounded_pixels(p.x), rounded_pixels(p.y)});
    Json scores = Json::object();
    for (Emotion e : kAllEmotions) scores[std::string(to_string(e))] = rounded_score(analyzed.emotion[e]);
    return {{"box", {rounded_pixels(f.box.x), rounded_pixels(f.box.y), rounded_pixels(f.box.width),
                     rounded_pixels(f.box.height)}},
            {"score", rounded_score(f.score)},
            {"landmarks", std::move(landmarks)},
            {"emotion", to_string(analyzed.emotion.emotion)},
            {"confidence", rounded_score(analyzed.emotion.confidence)},
            {"scores", std::move(scores)}};
}

// A path is bytes; a file name that is not UTF-8 must not stop a batch.
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

double rounded_pixels(float v) { return round_to(v, 100); }
double rounded_score(float v) { return round_to(v, 10000); }

ImageAnalysis analyze_image_file(const FaceAnalyzer& analyzer, const std::string& path, std::int64_t max_pixels,
                                 cv::Mat* decoded) {
    ImageAnalysis result{path, 0, 0, {}, {}};
    cv::Mat image;
    try {
        image = read_image_file(path, max_pixels);
    } catch (const InputError& e) {
        result.error = e.what();  // read_image_file's messages start with the path
        return result;
    }
    try {
        result.faces = analyzer.analyze(image);
        result.width = image.cols;
        result.height = image.rows;
    } catch (const std::exception& e) {
        result.faces.clear();
        result.error = path + ": " + e.what();
    }
    if (decoded != nullptr) *decoded = std::move(image);
    return result;
}

std::string to_json(const AnalyzedFace& face) { return dump(face_object(face)); }

std::string to_json(const ImageAnalysis& image) {
    if (!image.ok()) return dump(Json{{"path", image.path}, {"error", image.error}});
    Json faces = Json::array();
    for (const auto& f : image.faces) faces.push_back(face_object(f));
    return dump(Json{{"path", image.path}, {"width", image.width}, {"height", image.height}, {"faces", std::move(faces)}});
}

}  // namespace dangpli
