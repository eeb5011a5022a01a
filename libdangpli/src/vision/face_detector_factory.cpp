#include "dangpli/face_detector_factory.hpp"

#include <array>
#include <functional>

#include <fmt/format.h>

#include "dangpli/error.hpp"
#include "dangpli/fallback_detector.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/tilt_retry_detector.hpp"
#include "dangpli/yunet_detector.hpp"

namespace dangpli {

namespace {

struct DetectorKind {
    std::string_view name;
    std::unique_ptr<FaceDetector> (*make)(const FaceDetectorOptions&);
};

// The one list of detectors, MTCNN first; each name is its class's kName, or the pair's.
constexpr std::array<DetectorKind, 3> kKinds{{
    {MtcnnDetector::kName,
     [](const FaceDetectorOptions& o) -> std::unique_ptr<FaceDetector> {
         return std::make_unique<MtcnnDetector>(MtcnnModelPaths::find(), o);
     }},
    {YunetDetector::kName,
     [](const FaceDetectorOptions& o) -> std::unique_ptr<FaceDetector> {
         return std::make_unique<YunetDetector>(YunetDetector::find_model(), o);
     }},
    {kMtcnnThenYunet,
     [](const FaceDetectorOptions& o) -> std::unique_ptr<FaceDetector> {
         return std::make_unique<FallbackDetector>(std::make_unique<MtcnnDetector>(MtcnnModelPaths::find(), o),
                                                   std::make_unique<YunetDetector>(YunetDetector::find_model(), o));
     }},
}};

}  // namespace

std::vector<std::string> face_detector_names() {
    std::vector<std::string> names;
    for (const auto& kind : kKinds) names.emplace_back(kind.name);
    return names;
}

bool uses_mtcnn_thresholds(std::string_view name) { return name == MtcnnDetector::kName || name == kMtcnnThenYunet; }

std::unique_ptr<FaceDetector> make_face_detector(std::string_view name, const FaceDetectorOptions& options) {
    for (const auto& kind : kKinds) {
        if (kind.name != name) continue;
        auto detector = kind.make(options);
        if (options.tilt_retry_degrees == 0.0f) return detector;
        // The turned canvas is larger than the image: its detector takes no fraction of it (see TiltRetryDetector).
        FaceDetectorOptions on_canvas = options;
        on_canvas.min_face_fraction = 0.0f;
        return std::make_unique<TiltRetryDetector>(std::move(detector),
                                                   options.min_face_fraction > 0.0f ? kind.make(on_canvas) : nullptr,
                                                   options.tilt_retry_degrees, options.tilt_retry_every);
    }
    throw InputError(fmt::format("unknown face detector '{}' (expected one of: {})", name,
                                 fmt::join(face_detector_names(), ", ")));
}

}  // namespace dangpli
