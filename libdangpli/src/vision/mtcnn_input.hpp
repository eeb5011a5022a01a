#pragma once
// MTCNN's input side (private): converts the caller's image once to the nets' layout (RGB,
// transposed) and fills input blobs from pyramid levels and box crops.

#include <opencv2/core/mat.hpp>

namespace dangpli::mtcnn {

/// The image as 8-bit RGB, transposed (rows = image columns): the nets were trained in
/// column-major MATLAB, so every blob they see is N x C x W x H. Call detection::check_image() first.
cv::Mat to_rgb_transposed(const cv::Mat& image);

/// A float blob N x 3 x rows x cols for `n` images of `rows` x `cols`.
cv::Mat make_blob(int n, int rows, int cols);

/// Writes an 8-bit RGB image of the blob's size into blob image `n`, normalised as the nets
/// expect: (v - 127.5) / 128.
void fill_blob(const cv::Mat& rgb, cv::Mat& blob, int n);

/// Crops `box` (x, y, w, h in image pixels) out of the transposed image, zero-padded where it
/// leaves the image, resizes it to the blob's side and writes it into blob image `n`.
void fill_blob_with_crop(const cv::Mat& rgb_t, const cv::Rect& box, cv::Mat& blob, int n);

}  // namespace dangpli::mtcnn
