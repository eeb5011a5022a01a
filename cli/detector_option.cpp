#include "detector_option.hpp"

#include <fmt/format.h>

#include "dangpli/face_detector_factory.hpp"
#include "number_checks.hpp"

namespace dangpli::cli {

std::string default_detector_name() { return std::string(kDefaultFaceDetector); }

CLI::Option* add_detector_option(CLI::App& sub, std::string& name) {
    const auto names = face_detector_names();
    return sub.add_option("--detector", name, fmt::format("Face detector: {}", fmt::join(names, ", ")))
        ->transform(CLI::IsMember(names, CLI::ignore_case))
        ->capture_default_str();
}

CLI::Option* add_tilt_retry_option(CLI::App& sub, float& degrees) {
    return sub
        .add_option("--tilt-retry", degrees,
                    "Where no face is found, look again with the picture turned this many degrees each way "
                    "(finds tilted heads); 0 = off")
        ->check(in_range(kTiltRetryRange))
        ->capture_default_str();
}

}  // namespace dangpli::cli
