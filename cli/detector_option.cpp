#include "detector_option.hpp"

#include <fmt/format.h>

#include "dangpli/face_detector_factory.hpp"

namespace dangpli::cli {

// MTCNN's framing and landmarks where it finds a face, YuNet where it finds none: MTCNN alone
// misses many gray, small or blurry faces (bench_framing; bench/live_faces.sh for live).
std::string default_detector_name() { return std::string(kMtcnnThenYunet); }

CLI::Option* add_detector_option(CLI::App& sub, std::string& name) {
    const auto names = face_detector_names();
    return sub.add_option("--detector", name, fmt::format("Face detector: {}", fmt::join(names, ", ")))
        ->check(CLI::IsMember(names))
        ->capture_default_str();
}

}  // namespace dangpli::cli
