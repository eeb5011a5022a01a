#include "analyze_inputs.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include <opencv2/imgcodecs.hpp>

#include "dangpli/error.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

bool has_image_extension(const fs::path& p) {
    static constexpr std::array<std::string_view, 7> kExtensions{".jpg", ".jpeg", ".png", ".bmp",
                                                                  ".webp", ".tif", ".tiff"};
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

namespace {

void add_path(const std::string& arg, CollectedInputs& out) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
        out.files.push_back(arg);
        return;
    }
    std::vector<std::string> found;
    auto it = fs::recursive_directory_iterator(arg, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && has_image_extension(it->path())) found.push_back(it->path().string());
    if (ec) out.problems.push_back(arg + ": cannot read the directory: " + ec.message());
    else if (found.empty())
        out.problems.push_back(arg + ": no image files (jpg, jpeg, png, bmp, webp, tif, tiff) in this directory");
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
}

}  // namespace

CollectedInputs collect_inputs(const std::vector<std::string>& args, std::istream& stdin_lines) {
    CollectedInputs out;
    for (const auto& arg : args) {
        if (arg != "-") {
            add_path(arg, out);
            continue;
        }
        for (std::string line; std::getline(stdin_lines, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!line.empty()) add_path(line, out);
        }
    }
    return out;
}

std::string jpeg_truncation(const std::vector<unsigned char>& b) {
    const std::size_t n = b.size();
    std::size_t i = 2;  // after SOI
    bool in_scan = false;
    while (i + 1 < n) {
        if (in_scan) {
            // entropy-coded data: FF 00 is a stuffed byte and FF D0..D7 a restart marker
            if (b[i] != 0xFF || b[i + 1] == 0x00 || (b[i + 1] >= 0xD0 && b[i + 1] <= 0xD7)) {
                ++i;
                continue;
            }
            in_scan = false;
        }
        if (b[i] != 0xFF) return "truncated or corrupt JPEG: garbage between segments";
        const unsigned char marker = b[i + 1];
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        if (marker == 0xD9) return "";  // end of image
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            i += 2;
            continue;
        }
        if (i + 3 >= n) break;
        const std::size_t length = static_cast<std::size_t>(b[i + 2]) << 8 | b[i + 3];
        if (length < 2) return "corrupt JPEG: bad segment length";
        i += 2 + length;
        in_scan = marker == 0xDA;  // start of scan: compressed data follows the header
    }
    return "truncated JPEG: the file ends before its end-of-image marker";
}

cv::Mat read_image(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) throw InputError("no such file");
    if (fs::is_directory(status)) throw InputError("is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open the file (permission denied?)");
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) throw InputError("empty file, not an image");
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
        if (auto why = jpeg_truncation(bytes); !why.empty()) throw InputError(why);
    }
    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        throw InputError(std::string("cannot decode the image: ") + e.what());
    }
    if (image.empty()) throw InputError("not an image OpenCV can decode (unknown format or corrupt file)");
    return image;
}

}  // namespace dangpli::cli
