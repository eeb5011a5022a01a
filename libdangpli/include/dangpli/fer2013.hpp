#pragma once
// Reading FER2013 in the two forms users have: the Kaggle CSV (emotion,pixels,Usage), plain or
// gzipped, and class-folder trees (<root>/<class>/<image>), as used by the trainer and `eval`.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "dangpli/emotion.hpp"

namespace dangpli {

enum class Fer2013Split { Training, PublicTest, PrivateTest };

/// "Training", "PublicTest", "PrivateTest" (case-insensitive); nullopt if unknown.
std::optional<Fer2013Split> parse_fer2013_split(std::string_view name);
std::string_view to_string(Fer2013Split split);

inline constexpr int kFer2013Side = 48;

struct Fer2013Sample {
    cv::Mat image;       ///< 48x48 CV_8UC1
    Emotion label{};
    std::string origin;  ///< "file.csv:line" or the image path, for error messages and reports
};

/// Loads the samples of one split.
/// - CSV (".csv" or ".csv.gz"): header `emotion,pixels,Usage`; rows of `split` are kept.
///   Without a split every row is kept.
/// - Folder tree: every `<class>/<image>` where class is an emotion name; when `split` is given,
///   images whose file name starts with another split's prefix ("Training_", ...) are skipped.
///   Images that are not 48x48 gray are converted and resized.
/// Throws DataError ("file:line: what is wrong") for a wrong header, a row with a bad label or pixel
/// count, an unknown class folder, an unreadable image, or when nothing is left (empty split).
std::vector<Fer2013Sample> load_fer2013(const std::filesystem::path& path,
                                        std::optional<Fer2013Split> split);

}  // namespace dangpli
