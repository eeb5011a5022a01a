#pragma once
/// \file
/// Face: a face found in an image, with its box, the detector's confidence and five landmarks.

#include <array>

#include <opencv2/core/types.hpp>

namespace dangpli {

/// Indices into Face::landmarks, in MTCNN's order (left/right as seen in the image).
enum class Landmark { LeftEye = 0, RightEye, Nose, MouthLeft, MouthRight };

/// A face found by FaceDetector. All coordinates are pixels of the image it was found in.
struct Face {
    cv::Rect2f box;                          ///< pixels, in the coordinates of the input image
    float score = 0.0f;                      ///< detector confidence in [0, 1]
    std::array<cv::Point2f, 5> landmarks{};  ///< pixels; index with Landmark
};

}  // namespace dangpli
