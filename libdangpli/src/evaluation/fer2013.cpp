#include "dangpli/fer2013.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

#include <opencv2/imgproc.hpp>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/text_lines.hpp"

namespace dangpli {
namespace {

constexpr std::array<std::string_view, 3> kSplitNames{"Training", "PublicTest", "PrivateTest"};


std::vector<Fer2013Sample> load_csv(const std::filesystem::path& path, std::optional<Fer2013Split> split) {
    TextLineReader reader(path);
    const std::string name = path.string();
    std::string line;
    if (!reader.next(line)) throw DataError(name + ":1: empty file, expected header emotion,pixels,Usage");
    std::string_view header = trim_line(line);
    if (header.starts_with("\xEF\xBB\xBF")) header.remove_prefix(3);
    if (header != "emotion,pixels,Usage")
        throw DataError(name + ":1: wrong header '" + std::string(header) + "', expected emotion,pixels,Usage");

    std::vector<Fer2013Sample> samples;
    constexpr int kPixels = kFer2013Side * kFer2013Side;
    for (std::size_t line_no = 2; reader.next(line); ++line_no) {
        std::string_view row = trim_line(line);
        if (row.empty()) continue;
        const auto where = name + ":" + std::to_string(line_no) + ": ";
        auto c1 = row.find(','), c2 = row.rfind(',');
        // Pixels are separated by spaces: a valid row has exactly two commas.
        if (const auto commas = std::count(row.begin(), row.end(), ','); commas != 2)
            throw DataError(where + "expected 3 fields emotion,pixels,Usage, found " + std::to_string(commas + 1));
        auto usage_field = trim_line(row.substr(c2 + 1));
        auto usage = parse_fer2013_split(usage_field);
        if (!usage) throw DataError(where + "unknown Usage '" + std::string(usage_field) + "'");
        if (split && *usage != *split) continue;

        int label = -1;
        auto label_field = trim_line(row.substr(0, c1));
        auto [lp, lec] = std::from_chars(label_field.data(), label_field.data() + label_field.size(), label);
        if (lec != std::errc{} || lp != label_field.data() + label_field.size() || label < 0 ||
            label >= static_cast<int>(kEmotionCount))
            throw DataError(where + "emotion label '" + std::string(label_field) + "' is not in 0..6");

        auto pixels = trim_line(row.substr(c1 + 1, c2 - c1 - 1));
        if (pixels.size() >= 2 && pixels.front() == '"' && pixels.back() == '"')
            pixels = pixels.substr(1, pixels.size() - 2);
        cv::Mat image(kFer2013Side, kFer2013Side, CV_8UC1);
        int count = 0;
        const char* p = pixels.data();
        const char* end = p + pixels.size();
        while (p < end) {
            while (p < end && *p == ' ') ++p;
            if (p == end) break;
            int v = 0;
            auto [next, ec] = std::from_chars(p, end, v);
            if (ec != std::errc{} || v < 0 || v > 255 || (next < end && *next != ' ')) {
                const std::string_view rest(p, static_cast<std::size_t>(end - p));
                const auto value = rest.substr(0, std::min<std::size_t>(rest.find(' '), 20));
                throw DataError(where + "pixel " + std::to_string(count + 1) + " ('" + std::string(value) +
                                "') is not an integer in 0..255");
            }
            if (count < kPixels) image.data[count] = static_cast<uchar>(v);
            ++count;
            p = next;
        }
        if (count != kPixels)
            throw DataError(where + "has " + std::to_string(count) + " pixels, expected " + std::to_string(kPixels));
        samples.push_back({image, static_cast<Emotion>(label), name + ":" + std::to_string(line_no)});
    }
    return samples;
}

std::optional<Fer2013Split> split_from_file_name(const std::string& file_name) {
    for (std::size_t i = 0; i < kSplitNames.size(); ++i)
        if (file_name.starts_with(std::string(kSplitNames[i]) + "_")) return static_cast<Fer2013Split>(i);
    return std::nullopt;
}

// Image kinds people keep faces in that read_image_file() does not read.
bool is_unread_image_kind(const std::filesystem::path& path) {
    std::string ext = ascii_lower(path.extension().string());
    for (const char* kind : {".gif", ".jxl", ".jp2", ".svg", ".ico", ".tga", ".psd", ".raw", ".dng", ".cr2", ".nef"})
        if (ext == kind) return true;
    return false;
}

std::vector<Fer2013Sample> load_tree(const std::filesystem::path& root, std::optional<Fer2013Split> split) {
    // Hidden folders and files (.git, .ipynb_checkpoints) belong to tools; anything else that would not
    // be read is named: an image beside the class folders, a folder inside one (no label is guessed).
    const auto hidden = [](const std::filesystem::path& p) { return p.filename().string().starts_with('.'); };
    std::vector<std::filesystem::path> class_dirs;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        if (hidden(entry.path())) continue;
        if (entry.is_directory()) class_dirs.push_back(entry.path());
        else if (has_image_extension(entry.path()))
            throw DataError(entry.path().string() + ": an image outside the class folders (put it in angry, disgust, "
                                                    "fear, happy, sad, surprise or neutral)");
    }
    std::sort(class_dirs.begin(), class_dirs.end());

    std::vector<Fer2013Sample> samples;
    for (const auto& dir : class_dirs) {
        auto label = parse_emotion(dir.filename().string());
        if (!label)
            throw DataError(dir.string() + ": unknown class folder '" + dir.filename().string() +
                            "' (expected angry, disgust, fear, happy, sad, surprise or neutral)");
        std::vector<std::filesystem::path> files;
        // Anything named like an image but a folder is read, so a FIFO or device is refused, not skipped.
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (hidden(entry.path())) continue;
            if (entry.is_directory())
                throw DataError(entry.path().string() + ": a folder inside class folder '" + dir.filename().string() +
                                "' (its images must sit in the class folder itself)");
            if (has_image_extension(entry.path())) files.push_back(entry.path());
            else if (is_unread_image_kind(entry.path()))  // a labelled face that would not count, without a word
                throw DataError(entry.path().string() + ": an image of a kind dangpli does not read (convert it to PNG, "
                                                        "or move it out of the class folder)");
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            if (split) {
                auto from_name = split_from_file_name(file.filename().string());
                if (from_name && *from_name != *split) continue;
            }
            cv::Mat image;
            try {
                image = read_image_file(file, kDefaultMaxImagePixels, /*gray=*/true);
            } catch (const InputError& e) {  // unreadable, cut short, too large: a broken dataset
                throw DataError(e.what());
            }
            if (image.rows != kFer2013Side || image.cols != kFer2013Side)
                cv::resize(image, image, {kFer2013Side, kFer2013Side}, 0, 0, cv::INTER_AREA);
            samples.push_back({image, *label, file.string()});
        }
    }
    return samples;
}

}  // namespace

std::optional<Fer2013Split> parse_fer2013_split(std::string_view name) {
    auto lower = ascii_lower(trim_line(name));
    for (std::size_t i = 0; i < kSplitNames.size(); ++i)
        if (ascii_lower(kSplitNames[i]) == lower) return static_cast<Fer2013Split>(i);
    return std::nullopt;
}

std::string_view to_string(Fer2013Split split) { return kSplitNames[static_cast<std::size_t>(split)]; }

std::vector<Fer2013Sample> load_fer2013(const std::filesystem::path& path, std::optional<Fer2013Split> split) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw DataError(path.string() + ": no such file or directory");
    std::vector<Fer2013Sample> samples;
    try {
        samples = std::filesystem::is_directory(path, ec) ? load_tree(path, split) : load_csv(path, split);
    } catch (const std::filesystem::filesystem_error& e) {  // an unreadable folder inside the tree
        throw DataError(e.path1().string() + ": cannot be read (" + e.code().message() + ")");
    }
    if (samples.empty())
        throw DataError(path.string() + ": no samples" +
                        (split ? " of split " + std::string(to_string(*split)) : std::string{}));
    return samples;
}

}  // namespace dangpli
