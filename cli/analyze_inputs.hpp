#pragma once
// The inputs of `dangpli analyze`: expanding arguments into image files, and reading one image
// with an error message a user can act on.

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace dangpli::cli {

/// jpg, jpeg, png, bmp, webp, tif, tiff (any case): the files taken when walking a directory.
bool has_image_extension(const std::filesystem::path& p);

struct CollectedInputs {
    std::vector<std::string> files;     ///< in argument order; each directory's files sorted
    std::vector<std::string> problems;  ///< "PATH: why" for arguments that gave nothing
};

/// Expands the arguments: "-" reads one path per line from `stdin_lines` (each expanded in turn),
/// a directory adds its image files recursively, anything else is taken as a file as given
/// (a missing one fails later, when it is read, with the other per-file errors).
CollectedInputs collect_inputs(const std::vector<std::string>& args, std::istream& stdin_lines);

/// Decodes an image as 8-bit BGR. Throws dangpli::InputError with the reason alone ("no such
/// file", "not an image OpenCV can decode", "truncated JPEG: ..."), for the caller to prefix.
cv::Mat read_image(const std::filesystem::path& path);

/// Why an in-memory JPEG is incomplete (it stops before its end-of-image marker), or "" if it is
/// whole. libjpeg decodes a cut file with a grey bottom and only a warning, so we check ourselves.
std::string jpeg_truncation(const std::vector<unsigned char>& bytes);

}  // namespace dangpli::cli
