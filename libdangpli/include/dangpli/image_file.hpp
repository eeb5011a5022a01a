#pragma once
/// \file
/// read_image_file(): an image file decoded only once it is known to be safe and whole: a regular
/// file of bounded size, a format whose header declares no more pixels than allowed (a small file
/// can declare 32000x32000, gigabytes once decoded), and a file that reaches its format's end.

#include <cstdint>
#include <filesystem>
#include <string>

#include <opencv2/core/mat.hpp>

namespace dangpli {

/// The default limit on an image's size, in pixels (width * height): 120 megapixels, which reads
/// the 108-megapixel photos of phones (12000x9000; analyze took 7.7 s and 1.3 GB on one). It guards
/// against a small file that declares gigabytes of pixels.
inline constexpr std::int64_t kDefaultMaxImagePixels = 120'000'000;

/// Whether `path` is named like a file read_image_file() reads (any case): jpg, jpeg, png, bmp,
/// webp, tif, tiff, pbm, pgm, ppm, heic, heif, avif. The files taken from a folder of images.
bool has_image_extension(const std::filesystem::path& path);

/// Those extensions, for messages and help: "jpg, jpeg, png, ..., avif".
std::string image_extensions_text();

/// The file `dangpli analyze --annotate DIR` leaves in a DIR it makes: a walk of a folder holding DIR
/// (the command's, the Python module's image_files) passes DIR over, so that drawings are never read
/// as photos; DIR named itself is read.
inline constexpr const char* kDrawingsMarker = ".dangpli-drawings";

/// Decodes an image file as 8-bit BGR (`gray`: 8-bit gray), turned by its EXIF orientation.
///
/// Formats: JPEG, PNG, BMP, WebP, TIFF, PBM/PGM/PPM, recognised by their content, not their name.
/// Before anything is decoded: the file must be a regular file of at most
/// input_limits::kImage bytes, its header must declare at most `max_pixels` pixels, and a JPEG
/// must reach its end-of-image marker, a PNG its IEND chunk (every chunk's checksum checked), a
/// BMP or WebP the size its header gives: a file cut short is refused, never decoded in part.
/// A whole JPEG whose data libjpeg finds damaged is refused too only where libjpeg's message hook
/// is installed, as the `dangpli` program and the Python module install it (detail below); in a
/// program of one's own it decodes as OpenCV decodes it, libjpeg's warning on stderr.
///
/// Throws InputError with one line that starts with the path: "PATH: no such file", "PATH: not
/// a regular file (a FIFO) ...", "PATH: not an image (JPEG, PNG, ...)", "PATH: the image has
/// 32000x32000 = 1024000000 pixels, more than the limit of 120000000", "PATH: truncated JPEG: ...",
/// "PATH: corrupt PNG: ..."; a `max_pixels` below 1 is refused before the file is opened ("max_pixels
/// must be at least 1, got 0"). Thread-safe.
cv::Mat read_image_file(const std::filesystem::path& path, std::int64_t max_pixels = kDefaultMaxImagePixels,
                        bool gray = false);

/// Whether the file at `path` starts like an image read_image_file() reads, by its content, not its
/// name (a photo named .mp4, a video named .heic). False when it cannot be read.
bool starts_like_image_file(const std::filesystem::path& path);

namespace detail {
/// For a decoder's warning hook (dangpli's program installs one into libjpeg): the image being decoded
/// on this thread ran out of data before its last pixel (a file cut short, its end marker appended),
/// so read_image_file() refuses it as cut short rather than return it half gray.
void report_image_data_cut_short();
/// As report_image_data_cut_short(), for image data the decoder found damaged (a bad code, a lost
/// restart marker, bytes it had to skip): read_image_file() refuses the image as corrupt rather than
/// return it with part of the picture garbage.
void report_image_data_damaged();
}  // namespace detail

}  // namespace dangpli
