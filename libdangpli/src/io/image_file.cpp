#include "dangpli/image_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

#include <fmt/core.h>
#include <opencv2/imgcodecs.hpp>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "heif_image.hpp"
#include "image_header.hpp"

namespace dangpli {
namespace {

thread_local bool data_cut_short = false;
thread_local bool data_damaged = false;

// What a folder of images is searched for: the kinds read_image_file() reads.
constexpr std::array<std::string_view, 13> kExtensions{".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff",
                                                       ".pbm", ".pgm",  ".ppm", ".heic", ".heif", ".avif"};

cv::Mat decode(const std::string& bytes, bool gray, std::string_view format, std::string_view variant) {
    if (format == "HEIF" || format == "AVIF") return detail::decode_heif(bytes, gray);
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
    cv::Mat image;
    data_cut_short = false;
    data_damaged = false;
    try {
        image = cv::imdecode(buffer, gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    } catch (const cv::Exception&) {
        // OpenCV's text is an assertion in its own source: of no use to the user.
        image.release();
    }
    if (image.empty() && !variant.empty())
        throw InputError(fmt::format("{}, which this build's image decoder cannot read (convert it to a still PNG or JPEG)",
                                     variant));
    if (image.empty()) throw InputError(fmt::format("corrupt {}: the decoder cannot read it", format));
    if (data_cut_short)
        // A stray marker in damaged data reads the same to the decoder as a cut file with one appended.
        throw InputError(fmt::format("truncated or damaged {}: its image data ends before its last pixel", format));
    if (data_damaged)
        throw InputError(fmt::format("corrupt {}: its image data is damaged (part of the picture would be garbage)",
                                     format));
    return image;
}

}  // namespace

void detail::report_image_data_cut_short() { data_cut_short = true; }
void detail::report_image_data_damaged() { data_damaged = true; }

bool has_image_extension(const std::filesystem::path& path) {
    const std::string ext = ascii_lower(path.extension().string());
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool starts_like_image_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string prefix(64, '\0');
    in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
    prefix.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return detail::starts_like_image(prefix);
}

std::string image_extensions_text() {
    std::string out;
    for (std::string_view ext : kExtensions) out += fmt::format("{}{}", out.empty() ? "" : ", ", ext.substr(1));
    return out;
}

cv::Mat read_image_file(const std::filesystem::path& path, std::int64_t max_pixels, bool gray) {
    // A limit below 1 refuses every image, each with a message about its size that hides the cause.
    if (max_pixels < 1) throw InputError(fmt::format("max_pixels must be at least 1, got {}", max_pixels));
    const std::string bytes = read_input_file(path, input_limits::kImage, "an image file");
    const auto named = [&](std::string_view why) { return InputError(fmt::format("{}: {}", path.string(), why)); };
    if (bytes.empty()) throw named("empty file, not an image");
    std::optional<detail::ImageHeader> header;
    try {
        header = detail::read_image_header(bytes);
    } catch (const InputError& e) {
        throw named(e.what());
    }
    if (!header) {
        if (const auto kind = detail::unread_image_kind(bytes))
            throw named(fmt::format("{}, which dangpli does not read (convert it to {})", *kind,
                                    *kind == "a GIF" ? "PNG, or one frame of an animation" : "PNG or JPEG"));
        throw named("not an image (expected JPEG, PNG, BMP, WebP, TIFF, PBM/PGM/PPM, HEIC/HEIF or AVIF)");
    }
    if (header->width <= 0 || header->height <= 0)
        throw named(fmt::format("corrupt {} header: the image is {}x{}", header->format, header->width, header->height));
    // Checked before decoding: the decoder would allocate the whole image first.
    // Each side is under 2^32, so the product fits in 64 unsigned bits.
    const auto pixels = static_cast<std::uint64_t>(header->width) * static_cast<std::uint64_t>(header->height);
    if (pixels > static_cast<std::uint64_t>(max_pixels))
        throw named(fmt::format("the image has {}x{} = {} pixels, more than the limit of {}", header->width,
                                header->height, pixels, max_pixels));
    // A variant the decoder may lack (JPEG-LS) need not follow its format's usual structure: the
    // decoder's verdict names it.
    if (auto why = header->variant.empty() ? detail::image_truncation(header->format, bytes) : std::string();
        !why.empty())
        throw named(why);
    try {
        return decode(bytes, gray, header->format, header->variant);
    } catch (const InputError& e) {
        throw named(e.what());
    }
}

}  // namespace dangpli
