#include "image_header.hpp"

#include <zlib.h>

#include <cctype>
#include <cstdlib>

#include <fmt/core.h>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "heif_image.hpp"

namespace dangpli::detail {
namespace {

// Bounds-checked little and big endian reads; callers check `has` first.
struct Bytes {
    std::string_view b;
    bool has(std::size_t at, std::size_t n) const { return at <= b.size() && n <= b.size() - at; }
    std::uint32_t u8(std::size_t at) const { return static_cast<unsigned char>(b[at]); }
    std::uint32_t be16(std::size_t at) const { return u8(at) << 8 | u8(at + 1); }
    std::uint32_t be32(std::size_t at) const { return be16(at) << 16 | be16(at + 2); }
    std::uint32_t le16(std::size_t at) const { return u8(at) | u8(at + 1) << 8; }
    std::uint32_t le24(std::size_t at) const { return le16(at) | u8(at + 2) << 16; }
    std::uint32_t le32(std::size_t at) const { return le16(at) | le16(at + 2) << 16; }
};

[[noreturn]] void damaged(std::string_view format, std::string_view why) {
    throw InputError(fmt::format("corrupt {} header: {}", format, why));
}

ImageHeader png_header(const Bytes& in) {
    if (!in.has(8, 25)) damaged("PNG", "the file ends inside it");
    if (in.b.substr(12, 4) != "IHDR") damaged("PNG", "it does not start with IHDR");
    return {"PNG", in.be32(16), in.be32(20)};
}

bool is_jpeg_frame_marker(std::uint32_t m) {  // SOF0..SOF15 but DHT, JPG and DAC
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

ImageHeader jpeg_header(const Bytes& in) {
    // Segments up to the frame header, which comes before the first scan.
    for (std::size_t i = 2; in.has(i, 4);) {
        if (in.u8(i) != 0xFF) damaged("JPEG", "garbage between its segments");
        const std::uint32_t marker = in.u8(i + 1);
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) damaged("JPEG", "no frame header before the image data");
        const std::uint32_t length = in.be16(i + 2);
        if (length < 2) damaged("JPEG", "a segment length under 2");
        if (marker == 0xF7 && in.has(i + 4, 5))  // SOF55: JPEG-LS, another codec in JPEG's markers
            return {"JPEG", in.be16(i + 7), in.be16(i + 5), "a JPEG-LS image"};
        if (is_jpeg_frame_marker(marker)) {
            if (!in.has(i + 4, 5)) break;
            const std::uint32_t height = in.be16(i + 5), width = in.be16(i + 7);
            if (height == 0) damaged("JPEG", "height 0 (a height given after the data is not supported)");
            // SOF3/7/11/15 are lossless, SOF5-7/13-15 hierarchical (differential): rare, and libjpeg lacks them.
            std::string_view variant;
            if ((marker & 0x3) == 0x3) variant = "a lossless JPEG";
            else if (marker == 0xC5 || marker == 0xC6 || marker == 0xCD || marker == 0xCE) variant = "a hierarchical JPEG";
            return {"JPEG", width, height, variant};
        }
        i += 2 + length;
    }
    damaged("JPEG", "the file ends before its frame header");
}

ImageHeader bmp_header(const Bytes& in) {
    if (!in.has(14, 12)) damaged("BMP", "the file ends inside it");
    const std::uint32_t info_size = in.le32(14);
    if (info_size == 12) return {"BMP", in.le16(18), in.le16(20)};  // OS/2 1.x: 16-bit sizes
    if (info_size < 16) damaged("BMP", "an unknown info header");
    const auto width = static_cast<std::int32_t>(in.le32(18));
    const auto height = static_cast<std::int32_t>(in.le32(22));  // negative: stored top-down
    return {"BMP", width, std::abs(static_cast<std::int64_t>(height))};
}

ImageHeader webp_header(const Bytes& in) {
    if (!in.has(12, 18)) damaged("WebP", "the file ends inside it");
    const auto chunk = in.b.substr(12, 4);
    if (chunk == "VP8X") {  // canvas size; flag bit 1 marks an animation
        return {"WebP", in.le24(24) + 1, in.le24(27) + 1, (in.u8(20) & 0x02) != 0 ? "an animated WebP" : ""};
    }
    if (chunk == "VP8L") {
        if (in.u8(20) != 0x2F) damaged("WebP", "a bad lossless signature");
        const std::uint32_t bits = in.le32(21);
        return {"WebP", (bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1};
    }
    if (chunk == "VP8 ") {
        if (in.u8(23) != 0x9D || in.u8(24) != 0x01 || in.u8(25) != 0x2A) damaged("WebP", "a bad start code");
        return {"WebP", in.le16(26) & 0x3FFF, in.le16(28) & 0x3FFF};
    }
    damaged("WebP", "an unknown first chunk");
}

ImageHeader tiff_header(const Bytes& in) {
    const bool little = in.b[0] == 'I';
    auto u16 = [&](std::size_t at) { return little ? in.le16(at) : in.be16(at); };
    auto u32 = [&](std::size_t at) { return little ? in.le32(at) : in.be32(at); };
    const std::size_t ifd = u32(4);
    if (!in.has(ifd, 2)) damaged("TIFF", "the first directory is past the end of the file");
    const std::size_t entries = u16(ifd);
    std::int64_t width = -1, height = -1;
    for (std::size_t e = 0; e < entries; ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        if (!in.has(at, 12)) damaged("TIFF", "the first directory is cut short");
        const std::uint32_t tag = u16(at), type = u16(at + 2);
        const std::int64_t value = type == 3 ? u16(at + 8) : u32(at + 8);  // SHORT or LONG
        if (tag == 256) width = value;
        if (tag == 257) height = value;
    }
    if (width < 0 || height < 0) damaged("TIFF", "no width or height");
    return {"TIFF", width, height};
}

// PBM/PGM/PPM: "P6 <width> <height> ..." in ASCII, with # comments; up to 9 digits a side.
ImageHeader pnm_header(const Bytes& in) {
    std::size_t i = 2;
    auto number = [&]() -> std::int64_t {
        for (;;) {
            while (i < in.b.size() && is_ascii_space(static_cast<char>(in.b[i]))) ++i;
            if (i < in.b.size() && in.b[i] == '#')
                while (i < in.b.size() && in.b[i] != '\n') ++i;
            else
                break;
        }
        std::int64_t value = 0;
        const std::size_t start = i;
        while (i < in.b.size() && is_ascii_digit(static_cast<char>(in.b[i])) && i - start < 9)
            value = value * 10 + (in.b[i++] - '0');
        if (i == start) damaged("PNM", "no width and height");
        // A tenth digit would have been read as the next number ("4294967295" as 429496729 and 5).
        if (i < in.b.size() && is_ascii_digit(static_cast<char>(in.b[i])))
            damaged("PNM", "a side of more than 9 digits");
        return value;
    };
    const std::int64_t width = number();
    return {"PNM", width, number()};
}

}  // namespace

namespace {

// The format a file's first bytes name, by its signature alone; the one place signatures are known.
enum class Signature { None, Png, Jpeg, Bmp, WebP, Tiff, Pnm, Heif };

Signature signature_of(std::string_view bytes) {
    const Bytes in{bytes};
    if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return Signature::Png;
    if (bytes.starts_with("\xFF\xD8\xFF")) return Signature::Jpeg;
    if (bytes.starts_with("BM")) return Signature::Bmp;
    if (bytes.starts_with("RIFF") && in.has(8, 4) && bytes.substr(8, 4) == "WEBP") return Signature::WebP;
    if (bytes.starts_with(std::string_view("II*\0", 4)) || bytes.starts_with(std::string_view("MM\0*", 4)))
        return Signature::Tiff;
    if (bytes.size() >= 3 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' &&
        is_ascii_space(static_cast<char>(bytes[2])))
        return Signature::Pnm;
    if (is_heif(bytes)) return Signature::Heif;
    return Signature::None;
}

}  // namespace

bool starts_like_image(std::string_view prefix) { return signature_of(prefix) != Signature::None; }

std::optional<std::string_view> unread_image_kind(std::string_view prefix) {
    // Images a user has (a GIF from a messaging app, a scanner's JPEG 2000) were "not an image".
    if (prefix.starts_with("GIF87a") || prefix.starts_with("GIF89a")) return "a GIF";
    if (prefix.starts_with("\xFF\x4F\xFF\x51") || prefix.starts_with(std::string_view("\0\0\0\x0CjP  \r\n\x87\n", 12)))
        return "a JPEG 2000 image";
    return std::nullopt;
}

std::optional<ImageHeader> read_image_header(std::string_view bytes) {
    const Bytes in{bytes};
    switch (signature_of(bytes)) {
        case Signature::Png: return png_header(in);
        case Signature::Jpeg: return jpeg_header(in);
        case Signature::Bmp: return bmp_header(in);
        case Signature::WebP: return webp_header(in);
        case Signature::Tiff: return tiff_header(in);
        case Signature::Pnm: return pnm_header(in);
        case Signature::Heif: return heif_header(bytes);
        case Signature::None: break;
    }
    return std::nullopt;
}

namespace {

std::string jpeg_truncation(const Bytes& in) {
    const std::size_t n = in.b.size();
    std::size_t i = 2;  // after SOI
    bool in_scan = false;
    while (i + 1 < n) {
        if (in_scan) {
            // entropy-coded data: FF 00 is a stuffed byte and FF D0..D7 a restart marker
            if (in.u8(i) != 0xFF || in.u8(i + 1) == 0x00 || (in.u8(i + 1) >= 0xD0 && in.u8(i + 1) <= 0xD7)) {
                ++i;
                continue;
            }
            in_scan = false;
        }
        if (in.u8(i) != 0xFF) return "truncated or corrupt JPEG: garbage between segments";
        const std::uint32_t marker = in.u8(i + 1);
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
        const std::size_t length = in.be16(i + 2);
        if (length < 2) return "corrupt JPEG: bad segment length";
        i += 2 + length;
        in_scan = marker == 0xDA;  // start of scan: compressed data follows the header
    }
    return "truncated JPEG: the file ends before its end-of-image marker";
}

std::string png_truncation(const Bytes& in) {
    for (std::size_t i = 8; in.has(i, 8);) {
        const std::size_t length = in.be32(i);
        const std::string_view type = in.b.substr(i + 4, 4);
        if (!in.has(i + 8, length) || !in.has(i + 8 + length, 4))
            return fmt::format("truncated PNG: the file ends inside its {} chunk", type);
        const auto* typed = reinterpret_cast<const Bytef*>(in.b.data() + i + 4);
        if (crc32(0, typed, static_cast<uInt>(4 + length)) != in.be32(i + 8 + length))
            return fmt::format("corrupt PNG: the {} chunk fails its checksum", type);
        if (type == "IEND") return "";
        i += 12 + length;
    }
    return "truncated PNG: the file ends before its IEND chunk";
}

}  // namespace

std::string image_truncation(std::string_view format, std::string_view bytes) {
    const Bytes in{bytes};
    if (format == "JPEG") return jpeg_truncation(in);
    if (format == "PNG") return png_truncation(in);
    // BMP and WebP (RIFF) headers give the file's size.
    if (format == "BMP" && in.has(2, 4) && in.le32(2) > bytes.size())
        return "truncated BMP: the file is shorter than its header says";
    if (format == "WebP" && in.has(4, 4) && std::uint64_t{in.le32(4)} + 8 > bytes.size())
        return "truncated WebP: the file is shorter than its header says";
    return "";
}

}  // namespace dangpli::detail
