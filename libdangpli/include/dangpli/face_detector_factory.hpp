#pragma once
/// \file
/// The face detector factory: make_face_detector() makes a FaceDetector by name ("mtcnn",
/// "yunet"); face_detector_names() lists the names, so that a program never spells them itself.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/face_detector.hpp"
#include "dangpli/face_detector_options.hpp"

namespace dangpli {

/// MTCNN, and YuNet where MTCNN finds no face or on a gray image (FallbackDetector).
inline constexpr std::string_view kMtcnnThenYunet = "mtcnn+yunet";

/// The detector programs use unless told otherwise (`analyze`, `live`, Python's Analyzer): MTCNN's
/// framing and landmarks where it finds a face, YuNet where it finds none (and on gray images, the
/// faces it missed), since MTCNN alone misses
/// many gray, small or blurry faces (bench_framing; bench/live_faces.sh for live).
inline constexpr std::string_view kDefaultFaceDetector = kMtcnnThenYunet;

/// Whether the detector called `name` runs MTCNN's cascade first, so that
/// FaceDetectorOptions::mtcnn's thresholds apply to it ("mtcnn", "mtcnn+yunet").
bool uses_mtcnn_thresholds(std::string_view name);

/// The names make_face_detector() takes, the single detectors first (MTCNN, YuNet), then the pair.
std::vector<std::string> face_detector_names();

/// A new detector called `name`, with its model files found by find_model_file() and the common
/// fields and its own section of `options`, wrapped in a TiltRetryDetector unless
/// options.tilt_retry_degrees is 0 (its name stays `name`). Throws InputError for an unknown name (the message
/// lists the known ones) or options out of range, ModelError when its model is missing or broken.
std::unique_ptr<FaceDetector> make_face_detector(std::string_view name, const FaceDetectorOptions& options = {});

}  // namespace dangpli
