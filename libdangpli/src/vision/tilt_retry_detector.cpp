#include "dangpli/tilt_retry_detector.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"

namespace dangpli {

namespace {

// The rotation by `angle_degrees` about the image's centre onto a canvas that holds all of it.
cv::Mat turning(cv::Size image, float angle_degrees, cv::Size& canvas) {
    const cv::Point2d centre(image.width / 2.0, image.height / 2.0);
    cv::Mat m = cv::getRotationMatrix2D(centre, static_cast<double>(angle_degrees), 1.0);
    const double c = std::abs(m.at<double>(0, 0)), s = std::abs(m.at<double>(0, 1));
    canvas = cv::Size(static_cast<int>(std::ceil(image.width * c + image.height * s)),
                      static_cast<int>(std::ceil(image.width * s + image.height * c)));
    m.at<double>(0, 2) += canvas.width / 2.0 - centre.x;
    m.at<double>(1, 2) += canvas.height / 2.0 - centre.y;
    return m;
}

// How far from level a face found on the turned image may hold its eyes. On an image turned the
// wrong way the detectors sometimes return a sideways face with its landmarks in the wrong places,
// which would align the crop wrongly; a limit as small as the turn itself (30 degrees) threw away
// good faces too (bench_framing: 12 fewer right of 1,795).
constexpr double kMaxRollDegrees = 45.0;

// Eyes level within kMaxRollDegrees, the mouth below them.
bool upright(const Face& face) {
    const auto at = [&face](Landmark l) { return face.landmarks[static_cast<std::size_t>(l)]; };
    const cv::Point2f eyes = at(Landmark::RightEye) - at(Landmark::LeftEye);
    const double roll = std::atan2(static_cast<double>(eyes.y), static_cast<double>(eyes.x)) * 180.0 / CV_PI;
    const float eye_y = (at(Landmark::LeftEye).y + at(Landmark::RightEye).y) / 2;
    const float mouth_y = (at(Landmark::MouthLeft).y + at(Landmark::MouthRight).y) / 2;
    return std::abs(roll) <= kMaxRollDegrees && mouth_y > eye_y;
}

}  // namespace

TiltRetryDetector::TiltRetryDetector(std::unique_ptr<FaceDetector> inner, float angle_degrees, int retry_every)
    : TiltRetryDetector(std::move(inner), nullptr, angle_degrees, retry_every) {}

TiltRetryDetector::TiltRetryDetector(std::unique_ptr<FaceDetector> inner, std::unique_ptr<FaceDetector> turned,
                                     float angle_degrees, int retry_every)
    : inner_(std::move(inner)), turned_(std::move(turned)), angle_(angle_degrees), retry_every_(retry_every) {
    if (!inner_) throw InputError("tilt retry: no face detector given");
    if (!(angle_degrees > 0.0f && angle_degrees < 90.0f))
        throw InputError(fmt::format("tilt retry: the angle must be in (0, 90) degrees, got {}", angle_degrees));
    if (retry_every < 1) throw InputError(fmt::format("tilt retry: retry_every must be >= 1, got {}", retry_every));
}

std::vector<Face> TiltRetryDetector::detect(const cv::Mat& image) const {
    auto faces = inner_->detect(image);
    if (!faces.empty() || misses_++ % retry_every_ != 0) return faces;
    return detect_turned_both_ways(image);
}

std::vector<Face> TiltRetryDetector::detect_turned_both_ways(const cv::Mat& image) const {
    // On a large image only faces from smallest_face_searched() up are looked for: both turns run on
    // a copy shrunk until those are min_face_size, not on a canvas larger than the photo.
    const double shrink =
        static_cast<double>(options().min_face_size / smallest_face_searched(options(), image.cols, image.rows));
    cv::Mat small = image;
    if (shrink < 1.0)
        cv::resize(image, small,
                   cv::Size(std::max(1, static_cast<int>(std::lround(image.cols * shrink))),
                            std::max(1, static_cast<int>(std::lround(image.rows * shrink)))),
                   0, 0, cv::INTER_AREA);
    // Both ways, since a face turned the wrong way may still be "found"; the better face wins.
    auto anticlockwise = detect_turned(small, angle_), clockwise = detect_turned(small, -angle_);
    auto& faces =
        anticlockwise.empty() || (!clockwise.empty() && clockwise.front().score > anticlockwise.front().score)
            ? clockwise
            : anticlockwise;
    const float sx = static_cast<float>(image.cols) / static_cast<float>(small.cols);
    const float sy = static_cast<float>(image.rows) / static_cast<float>(small.rows);
    if (small.size() != image.size())
        for (Face& face : faces) {
            face.box = cv::Rect2f(face.box.x * sx, face.box.y * sy, face.box.width * sx, face.box.height * sy);
            for (cv::Point2f& p : face.landmarks) p = cv::Point2f(p.x * sx, p.y * sy);
        }
    return std::move(faces);
}

std::vector<Face> TiltRetryDetector::detect_turned(const cv::Mat& image, float angle_degrees) const {
    cv::Size canvas;
    const cv::Mat m = turning(image.size(), angle_degrees, canvas);
    if (static_cast<std::int64_t>(canvas.width) * canvas.height > options().max_pixels) return {};
    cv::Mat turned;
    // Replicated edges, not a black frame: a hard edge across the canvas draws false faces.
    cv::warpAffine(image, turned, m, canvas, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::Mat back;
    cv::invertAffineTransform(m, back);
    auto faces = (turned_ ? *turned_ : *inner_).detect(turned);
    std::erase_if(faces, [](const Face& face) { return !upright(face); });
    for (Face& face : faces) {
        std::vector<cv::Point2f> points(face.landmarks.begin(), face.landmarks.end());
        points.emplace_back(face.box.x + face.box.width / 2, face.box.y + face.box.height / 2);
        cv::transform(points, points, back);
        std::copy_n(points.begin(), face.landmarks.size(), face.landmarks.begin());
        face.box.x = points.back().x - face.box.width / 2, face.box.y = points.back().y - face.box.height / 2;
    }
    // A face centred off the image was found in the replicated edges around it, not in the image.
    const cv::Rect2f frame(0, 0, static_cast<float>(image.cols), static_cast<float>(image.rows));
    std::erase_if(faces, [&](const Face& face) {
        return !frame.contains({face.box.x + face.box.width / 2, face.box.y + face.box.height / 2});
    });
    return faces;
}

std::optional<Face> TiltRetryDetector::refine(const cv::Mat& image, const cv::Rect2f& previous) const {
    if (auto face = inner_->refine(image, previous)) return face;
    // The inner refine() has already searched upright; only the turned look is left to try.
    return search_near(image, previous, [this](const cv::Mat& window) { return detect_turned_both_ways(window); });
}

std::unique_ptr<FaceDetector> TiltRetryDetector::clone() const {
    return std::make_unique<TiltRetryDetector>(inner_->clone(), turned_ ? turned_->clone() : nullptr, angle_,
                                               retry_every_);
}

}  // namespace dangpli
