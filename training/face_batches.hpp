#pragma once
// FER2013 samples held in memory as 48x48 gray faces, and batches of network inputs made from them.

#include <array>
#include <random>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <torch/torch.h>

#include "augment.hpp"
#include "dangpli/confusion_matrix.hpp"
#include "dangpli/fer2013.hpp"

namespace dangpli::training {

struct FaceSet {
    std::vector<cv::Mat> faces;   ///< 48x48 CV_8UC1
    std::vector<int64_t> labels;  ///< 0..6
    /// FER+ vote distribution per face (all zero: no usable vote); empty when votes are not used.
    std::vector<std::array<float, 7>> votes;
    /// The same faces cut as the product cuts them (TrainConfig::aligned_data); empty when not used.
    std::vector<cv::Mat> aligned;
    std::size_t size() const { return faces.size(); }
};

/// The rows of `size` that a limit of `limit` keeps (all when 0 or not less than `size`), spread
/// evenly over them in order: a class-folder tree lists its classes one after another, and its
/// first 64 faces, all angry, made a smoke run read 100% on its validation faces.
std::vector<std::size_t> limited_rows(std::size_t size, std::size_t limit);

/// Keeps the samples limited_rows() names (all when `limit` is 0).
FaceSet to_face_set(std::vector<Fer2013Sample> samples, std::size_t limit = 0);

/// Random views of faces[indices] as a [B, 1, side, side] float tensor (channels-last). With
/// aligned faces in the set, a view starts from the aligned crop with probability `aligned_mix`.
torch::Tensor random_batch(const FaceSet& set, const std::vector<std::size_t>& indices, int side,
                           const AugmentOptions& options, std::mt19937_64& rng, double aligned_mix = 0.0);

/// Centre views (optionally mirrored) of faces[first, first + count).
torch::Tensor centre_batch(const FaceSet& set, std::size_t first, std::size_t count, int side,
                           bool mirrored = false);

struct Evaluation {
    double loss = 0.0;           ///< mean cross-entropy, no smoothing
    ConfusionMatrix confusion;   ///< the library's, as `dangpli eval` counts it
    double accuracy() const { return confusion.accuracy(); }
};

class EmotionNet;

/// Accuracy of the centre view (and its mirror, averaged, when `mirror_tta`) over the whole set.
Evaluation evaluate(EmotionNet& net, const FaceSet& set, bool mirror_tta = false, int batch_size = 256);

}  // namespace dangpli::training
