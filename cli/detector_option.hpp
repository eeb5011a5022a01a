#pragma once
// `--detector NAME` and `--tilt-retry DEGREES`, for every command that finds faces; the names are
// the library's (face_detector_names()), never spelled here.

#include <string>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// The detector a command uses unless told otherwise: the library's kDefaultFaceDetector.
std::string default_detector_name();

/// Adds `--detector` to `sub`, writing into `name`, accepting face_detector_names() only.
CLI::Option* add_detector_option(CLI::App& sub, std::string& name);

/// Adds `--tilt-retry DEGREES` to `sub` (FaceDetectorOptions::tilt_retry_degrees, 0 = off),
/// writing into `degrees`, which holds the default.
CLI::Option* add_tilt_retry_option(CLI::App& sub, float& degrees);

}  // namespace dangpli::cli
