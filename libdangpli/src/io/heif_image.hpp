#pragma once
// HEIF and AVIF photos, read with libheif (OpenCV reads neither): what phones save, iPhones HEIC
// since iOS 11. The primary image is read, with the rotation and mirroring its file asks for.

#include <string_view>

#include <opencv2/core.hpp>

#include "image_header.hpp"

namespace dangpli::detail {

/// Whether `bytes` start like an ISO BMFF file of a brand libheif reads (heic, heix, mif1, avif...).
bool is_heif(std::string_view bytes);

/// The primary image's format ("HEIF" or "AVIF") and its size as shown (after rotation), read from
/// the file's boxes without decoding. Throws InputError (the reason alone) when they are damaged.
ImageHeader heif_header(std::string_view bytes);

/// The primary image, BGR or gray. Throws InputError (the reason alone) when it cannot be decoded,
/// e.g. its data is cut short.
cv::Mat decode_heif(std::string_view bytes, bool gray);

}  // namespace dangpli::detail
