#pragma once
/// \file
/// ImageAnalysis: the faces of one image file, or why it could not be analysed. It is one row of
/// `dangpli analyze --format json|jsonl` and what the Python module returns; its JSON form lives
/// here so that both spell every field, and round every number, the same way.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/face_analyzer.hpp"
#include "dangpli/image_file.hpp"

namespace dangpli {

/// One image file analysed, or the reason it was not.
struct ImageAnalysis {
    std::string path;                 ///< as given or as found while walking a folder
    int width = 0;                    ///< pixels; 0 when it failed
    int height = 0;                   ///< pixels; 0 when it failed
    std::vector<AnalyzedFace> faces;  ///< highest detector score first
    std::string error;                ///< empty, or one line that names the file and says why
    /// Whether it was analysed (no error).
    bool ok() const { return error.empty(); }
};

/// Reads `path` with read_image_file(path, max_pixels) and runs `analyzer` on it. A problem with
/// this one image does not throw: a file that cannot be read gives read_image_file()'s message
/// ("PATH: truncated JPEG: ..."), a failed analysis "PATH: why". `decoded`, when given, receives
/// the decoded image (empty when it could not be read), e.g. to draw on it. Thread-safe as
/// FaceAnalyzer::analyze() is.
ImageAnalysis analyze_image_file(const FaceAnalyzer& analyzer, const std::string& path,
                                 std::int64_t max_pixels = kDefaultMaxImagePixels, cv::Mat* decoded = nullptr);

/// A pixel coordinate as the rows give it: to 1/100 pixel (further digits are the regression's noise).
double rounded_pixels(float v);
/// A score or probability as the rows give it: to 1/10000.
double rounded_score(float v);

/// {"box":[x,y,w,h],"score":s,"landmarks":[[x,y] x5],"emotion":"happy","confidence":c,
/// "scores":{"angry":p, ...all seven}}: one line of JSON, pixels of the frame, landmarks in
/// Landmark order.
std::string to_json(const AnalyzedFace& face);

/// {"path":...,"width":...,"height":...,"faces":[to_json(face)...]}, or for a failed image
/// {"path":...,"error":...}: one line of JSON without its newline, keys in this order. Invalid
/// UTF-8 in the path or message is replaced by U+FFFD.
std::string to_json(const ImageAnalysis& image);

}  // namespace dangpli
