#pragma once
// `dangpli analyze --annotate DIR`: each image with its faces drawn, written whole.

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/face_analyzer.hpp"

namespace dangpli::cli {

/// One output file per input name (InputPath::name: a file's name, or its path below a folder given),
/// in input order: `dir` / the name, with the input's extension if OpenCV can write it, else .png
/// (.ppm for .pgm and .pbm, which hold no colour), and "-2", "-3"... where two inputs share a name or
/// where the name in `dir` is held by something that is not a file (a FIFO, a device); an empty path
/// for an empty name.
std::vector<std::filesystem::path> annotation_names(const std::vector<std::filesystem::path>& names,
                                                    const std::filesystem::path& dir);

/// Boxes, the five landmarks and each face's emotion and confidence drawn on a copy of `image`.
cv::Mat draw_faces(const cv::Mat& image, const std::vector<AnalyzedFace>& faces);

/// Encodes `image` by the extension of `path` and writes it with write_output_file(): whole or not
/// at all, making the folders it needs below the output folder. Throws dangpli::Error when it cannot be encoded, WriteError when it cannot be written.
void write_annotated_image(const std::filesystem::path& path, const cv::Mat& image);

}  // namespace dangpli::cli
