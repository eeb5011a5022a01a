#include "heif_image.hpp"

#include <libheif/heif.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"

namespace dangpli::detail {
namespace {

struct ContextFree {
    void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleRelease {
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageRelease {
    void operator()(heif_image* i) const { heif_image_release(i); }
};

std::string_view format_of(std::string_view bytes) {
    const std::string_view brand = bytes.substr(8, 4);
    return brand == "avif" || brand == "avis" ? "AVIF" : "HEIF";
}

[[noreturn]] void damaged(std::string_view bytes, std::string_view what, const heif_error& e) {
    std::string_view why = e.message ? e.message : "unknown error";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.remove_suffix(1);  // libheif ends some with a newline
    throw InputError(fmt::format("{} {}: {}", what, format_of(bytes), why));
}

// The file's context and primary image handle. `bytes` must outlive both (read without a copy).
struct Primary {
    std::unique_ptr<heif_context, ContextFree> context;
    std::unique_ptr<heif_image_handle, HandleRelease> handle;
};

Primary open_primary(std::string_view bytes) {
    static std::once_flag initialised;
    std::call_once(initialised, [] { heif_init(nullptr); });  // loads the decoder plugins once
    Primary p{std::unique_ptr<heif_context, ContextFree>(heif_context_alloc()), nullptr};
    // libheif's own limit (32768 a side) would call a large photo corrupt: read_image_file's pixel
    // limit, applied to the size read here, is the one that refuses it, by name.
    heif_context_set_maximum_image_size_limit(p.context.get(), 1 << 30);
    if (auto e = heif_context_read_from_memory_without_copy(p.context.get(), bytes.data(), bytes.size(), nullptr);
        e.code != heif_error_Ok)
        damaged(bytes, "corrupt or truncated", e);
    heif_image_handle* handle = nullptr;
    if (auto e = heif_context_get_primary_image_handle(p.context.get(), &handle); e.code != heif_error_Ok)
        damaged(bytes, "corrupt", e);
    p.handle.reset(handle);
    return p;
}

}  // namespace

bool is_heif(std::string_view bytes) {
    if (bytes.size() < 12 || bytes.substr(4, 4) != "ftyp") return false;
    const auto length = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20));  // its boxes come first
    const auto kind = heif_check_filetype(reinterpret_cast<const std::uint8_t*>(bytes.data()), length);
    return kind == heif_filetype_yes_supported || kind == heif_filetype_yes_unsupported;
}

ImageHeader heif_header(std::string_view bytes) {
    const Primary p = open_primary(bytes);
    return {format_of(bytes), heif_image_handle_get_width(p.handle.get()), heif_image_handle_get_height(p.handle.get())};
}

cv::Mat decode_heif(std::string_view bytes, bool gray) {
    const Primary p = open_primary(bytes);
    heif_image* raw = nullptr;
    if (auto e = heif_decode_image(p.handle.get(), &raw, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr);
        e.code != heif_error_Ok)
        damaged(bytes, "truncated or corrupt", e);
    const std::unique_ptr<heif_image, ImageRelease> image(raw);
    int stride = 0;
    const std::uint8_t* pixels = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
    const int width = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int height = heif_image_get_height(image.get(), heif_channel_interleaved);
    if (!pixels || width <= 0 || height <= 0) throw InputError(fmt::format("corrupt {}: no image data", format_of(bytes)));
    const cv::Mat rgb(height, width, CV_8UC3, const_cast<std::uint8_t*>(pixels), static_cast<std::size_t>(stride));
    cv::Mat out;
    cv::cvtColor(rgb, out, gray ? cv::COLOR_RGB2GRAY : cv::COLOR_RGB2BGR);  // a copy: the image is released
    return out;
}

}  // namespace dangpli::detail
