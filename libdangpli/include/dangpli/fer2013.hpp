#pragma once
/// \file
/// Reading FER2013 in the two forms users have: the Kaggle CSV (emotion,pixels,Usage), plain or
/// gzipped, and class-folder trees (`<root>/<class>/<image>`), as used by the trainer and `eval`.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/emotion.hpp"

namespace dangpli {

/// The three parts of FER2013, as named in the CSV's Usage column: Training is trained on,
/// PublicTest selects models, PrivateTest is the final test.
enum class Fer2013Split { Training, PublicTest, PrivateTest };

/// "Training", "PublicTest", "PrivateTest" (case-insensitive); nullopt if unknown.
std::optional<Fer2013Split> parse_fer2013_split(std::string_view name);
/// The split's name as in the Usage column and in file-name prefixes ("PublicTest").
std::string_view to_string(Fer2013Split split);

/// Side of a FER2013 face in pixels: the images are 48x48 gray.
inline constexpr int kFer2013Side = 48;

/// One labelled face of FER2013.
struct Fer2013Sample {
    cv::Mat image;       ///< 48x48 CV_8UC1
    Emotion label{};     ///< the true emotion
    std::string origin;  ///< "file.csv:line" or the image path, for error messages and reports
};

/// Loads the samples of one split.
/// - CSV: any path that is not a folder (".csv" or ".csv.gz"; gzip is recognised by content):
///   header `emotion,pixels,Usage`; rows of `split` are kept. Without a split every row is kept.
/// - Folder tree: every `<class>/<image>` where class is an emotion name; when `split` is given,
///   images whose file name starts with another split's prefix ("Training_", ...) are skipped.
///   Images (has_image_extension(): jpg, png, webp, pgm, ...) are read as gray and resized to 48x48 if they
///   are not; other files are ignored. Images are read with read_image_file(), so one that is cut
///   short, too large or not a regular file stops the load.
///
/// Throws DataError ("file:line: what is wrong", or "file: ..." where no line is to blame) for a
/// missing path, a CSV that cannot be opened, a wrong header, a row with a bad label, Usage or
/// pixel count, an unknown class folder, an unreadable folder or image, a CSV that is no regular
/// file or over its limits (see TextLineReader), or when nothing is left
/// (empty split).
/// Thread-safe (no shared state). The whole split is read into memory: all of FER2013, 35,887
/// faces, is over 80 MB.
std::vector<Fer2013Sample> load_fer2013(const std::filesystem::path& path,
                                        std::optional<Fer2013Split> split);

}  // namespace dangpli
