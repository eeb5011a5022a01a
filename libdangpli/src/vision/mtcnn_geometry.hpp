#pragma once
// MTCNN's box arithmetic (private): candidates from P-Net maps, NMS, box regression, squaring,
// pyramid scales. Kept apart from the nets so that tests can check each step on its own.

#include <array>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace dangpli::mtcnn {

/// P-Net's cell: the face side it finds at scale 1 (the pyramid maps min_face_size onto it).
inline constexpr int kPnetCell = 12;
/// P-Net's stride: its output cells lie this many input pixels apart.
inline constexpr int kPnetStride = 2;
/// The square crops R-Net and O-Net take, in pixels a side.
inline constexpr int kRnetSide = 24;
inline constexpr int kOnetSide = 48;

/// A candidate face: the box [x1, x2) x [y1, y2) in continuous input-image pixels.
struct Candidate {
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    float score = 0;
    std::array<float, 4> reg{};  ///< a net's offsets of x1, y1, x2, y2 as fractions of width/height
    std::array<cv::Point2f, 5> landmarks{};

    float width() const { return x2 - x1; }
    float height() const { return y2 - y1; }
    float area() const;
};

enum class Overlap {
    Union,  ///< intersection / union (IoU)
    Min,    ///< intersection / the smaller area: also removes a small box inside a big one
};

float overlap(const Candidate& a, const Candidate& b, Overlap mode);

/// Greedy non-maximum suppression: best score first; drops every candidate that overlaps an
/// already kept one by more than `threshold`. The result is sorted by score, highest first.
std::vector<Candidate> nms(std::vector<Candidate> boxes, float threshold, Overlap mode);

/// Moves each corner by its `reg` offset (fractions of the box's width/height), then zeroes `reg`.
void apply_regression(std::vector<Candidate>& boxes);

/// Grows each box to a square around the same centre (side = the longer side), as the next
/// stage's nets expect square crops.
void make_square(std::vector<Candidate>& boxes);

/// Snaps a (square) box to whole pixels, updates the candidate to match and returns the rect that
/// the next stage crops. Width and height are at least 1.
cv::Rect snap_to_pixels(Candidate& box);

/// The pyramid scales for an image of `width` x `height`: the first maps `min_face` pixels onto
/// P-Net's 12-pixel cell, each next one is `factor` times the previous, down to a 12-pixel side.
std::vector<double> pyramid_scales(int width, int height, double min_face, double factor);

/// Size of the image at `scale` (ceil of each side), as the reference implementation rounds it.
cv::Size scaled_size(int width, int height, double scale);

/// Candidates from one P-Net forward at `scale`. `prob` is 1x2xAxB (channel 1 = face) and `reg`
/// 1x4xAxB, both transposed: element [i][j] is the cell at x = i, y = j (stride 2, 12-pixel cell).
std::vector<Candidate> pnet_candidates(const cv::Mat& prob, const cv::Mat& reg, double scale, float threshold);

/// Sets the five landmarks from O-Net's ten outputs (x1..x5, y1..y5 as fractions of the box).
void set_landmarks(Candidate& box, const float* ten);

}  // namespace dangpli::mtcnn
