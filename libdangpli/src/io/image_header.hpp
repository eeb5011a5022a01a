#pragma once
// What an image file's header declares, read from its bytes without decoding: the format and the
// dimensions (to refuse a decompression bomb before a decoder allocates for it), and whether the
// file reaches the end its format marks (a cut JPEG or PNG decodes "fine" with a grey bottom).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dangpli::detail {

struct ImageHeader {
    std::string_view format;  ///< "JPEG", "PNG", "BMP", "WebP", "TIFF", "PNM", "HEIF", "AVIF"
    std::int64_t width = 0;
    std::int64_t height = 0;
    /// A variant that decoders often lack ("an animated WebP", "a lossless JPEG"), named when the
    /// decoder fails, so that a valid file is not called corrupt; empty for the common kinds.
    std::string_view variant = {};
};

/// The header of a JPEG, PNG, BMP, WebP, TIFF, PNM (PBM/PGM/PPM), HEIF or AVIF image; nullopt when the bytes
/// start like none of them. Throws InputError (the reason alone, no path) when they start like
/// one but its header is damaged or cut short.
std::optional<ImageHeader> read_image_header(std::string_view bytes);

/// Whether `prefix` (a file's first bytes; 64 are enough) starts like one of those formats: by the
/// signature alone, nothing parsed.
bool starts_like_image(std::string_view prefix);

/// For bytes that start like none of those formats but like an image dangpli does not read, what
/// it is, for a message ("a GIF", "a JPEG 2000 image"); nullopt otherwise. By the signature alone.
std::optional<std::string_view> unread_image_kind(std::string_view prefix);

/// Why `bytes` of an image in `format` stop before the end the format marks ("truncated JPEG:
/// ..."), or "" when the file is whole: JPEG up to its end-of-image marker, PNG chunk by chunk
/// (each checksum checked) up to IEND, BMP and WebP up to the size their header gives.
std::string image_truncation(std::string_view format, std::string_view bytes);

}  // namespace dangpli::detail
