#include "dangpli/face_detector.hpp"

#include <algorithm>
#include <cmath>

#include "dangpli/main_face_tracker.hpp"
#include "detector_checks.hpp"

namespace dangpli {

namespace {

// The window around a tracked box that the default refine() searches: twice the box's side, so a
// face that moved by up to half its size between two frames is still inside.
constexpr float kRefineWindowScale = 2.0f;

cv::Rect window_around(const cv::Rect2f& box, const cv::Size& image) {
    const float side = kRefineWindowScale * std::max(box.width, box.height);
    const cv::Point2f centre(box.x + box.width / 2, box.y + box.height / 2);
    // Cut to the image in floats first: a box far outside it (1e30) does not fit an int.
    const auto within = [](float v, int size) { return std::clamp(v, 0.0f, static_cast<float>(size)); };
    const float x0 = within(std::floor(centre.x - side / 2), image.width), x1 = within(std::ceil(centre.x + side / 2), image.width);
    const float y0 = within(std::floor(centre.y - side / 2), image.height), y1 = within(std::ceil(centre.y + side / 2), image.height);
    return {cv::Point(static_cast<int>(x0), static_cast<int>(y0)), cv::Point(static_cast<int>(x1), static_cast<int>(y1))};
}

}  // namespace

std::optional<Face> FaceDetector::refine(const cv::Mat& image, const cv::Rect2f& previous) const {
    return search_near(image, previous, [this](const cv::Mat& window) { return detect(window); });
}

std::optional<Face> FaceDetector::search_near(const cv::Mat& image, const cv::Rect2f& previous,
                                              const std::function<std::vector<Face>(const cv::Mat&)>& find) const {
    detection::check_image(image, options().max_pixels);
    detection::check_previous_box(previous);
    const cv::Rect window = window_around(previous, image.size());
    if (window.empty()) return std::nullopt;
    std::optional<Face> best;
    float best_overlap = 0.0f;
    for (Face face : find(image(window))) {
        const cv::Point2f offset(static_cast<float>(window.x), static_cast<float>(window.y));
        face.box.x += offset.x, face.box.y += offset.y;
        for (auto& p : face.landmarks) p += offset;
        const float overlap = intersection_over_union(previous, face.box);
        if (overlap > best_overlap) best = face, best_overlap = overlap;
    }
    return best;
}

}  // namespace dangpli
