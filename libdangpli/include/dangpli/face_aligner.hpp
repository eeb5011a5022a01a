#pragma once
/// \file
/// FaceAligner: cuts a face out of a frame the way FER2013 faces are framed: eyes level, the whole
/// face with little background, gray, square, at the classifier's size.

#include <array>

#include <opencv2/core/mat.hpp>

#include "dangpli/face.hpp"

namespace dangpli {

/// Makes the crops EmotionClassifier expects from a frame and a detected Face. The framing is
/// calibrated on FER2013 itself, so a model trained there sees faces framed as it learnt them.
/// Stateless and cheap to copy; align() is const and thread-safe.
class FaceAligner {
public:
    /// The largest crop side taken: any emotion network's input, far from a size that cannot be allocated.
    static constexpr int kLargestOutputSize = 4096;
    /// Landmarks further than this from the frame's origin, in pixels (or not numbers), are refused.
    static constexpr float kLargestCoordinate = 1e6f;

    /// `output_size`: side of the crop in pixels (EmotionClassifier::face_size(), 48 for FER models).
    /// Throws InputError if it is not in 1..kLargestOutputSize.
    explicit FaceAligner(int output_size = 48);

    /// The aligned 8-bit gray crop (output_size x output_size) of `face` in `frame` (8-bit gray,
    /// BGR or BGRA). Parts outside the frame repeat its border. A face much larger than the crop
    /// is shrunk by area first, so that the crop does not alias. Throws InputError for an empty or
    /// non-8-bit frame, one with another channel count, or a landmark that is not a number or lies
    /// beyond kLargestCoordinate.
    cv::Mat align(const cv::Mat& frame, const Face& face) const;

    /// The 2x3 similarity (rotation, uniform scale, shift) from frame pixels to crop pixels: the
    /// least-squares fit of the five landmarks onto landmark_template(). Eyes end up level. Throws
    /// InputError for a landmark as align() does.
    cv::Matx23d transform(const Face& face) const;

    /// Where the five landmarks sit in an aligned crop, in crop pixels (in Landmark order):
    /// kFer48Template scaled to output_size().
    std::array<cv::Point2f, 5> landmark_template() const;

    /// The template in a 48x48 FER2013 face, (x, y) in pixels: medians of MTCNN's landmarks on
    /// 1,229 upscaled Training-split faces (bench/calibrate_fer_framing), made left-right symmetric.
    static constexpr std::array<std::array<float, 2>, 5> kFer48Template{{
        {15.0f, 18.4f}, {33.0f, 18.4f}, {24.0f, 28.7f}, {16.5f, 37.7f}, {31.5f, 37.7f}}};

    /// Side of the crops in pixels.
    int output_size() const { return output_size_; }

private:
    int output_size_;
};

}  // namespace dangpli
