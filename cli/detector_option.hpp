#pragma once
// `--detector NAME`, for every command that finds faces; the names are the library's
// (face_detector_names()), never spelled here.

#include <string>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// The detector a command uses unless told otherwise: the library's kDefaultFaceDetector.
std::string default_detector_name();

/// Adds `--detector` to `sub`, writing into `name`, accepting face_detector_names() only.
CLI::Option* add_detector_option(CLI::App& sub, std::string& name);

}  // namespace dangpli::cli
