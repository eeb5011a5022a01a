#pragma once
// Soft training targets: the FER2013 label mixed with the FER+ crowd's vote distribution, label
// smoothing on top, and the cross entropy against such a distribution.

#include <array>
#include <cstdint>

#include <torch/torch.h>

#include "ferplus_votes.hpp"

namespace dangpli::training {

/// (1 - mix) * one-hot(label) + mix * votes, or the one-hot alone when `votes` is all zero (no usable
/// vote); then label smoothing as cross_entropy applies it: (1 - smoothing) * t + smoothing / 7.
std::array<float, 7> soft_target(int64_t label, const VoteDistribution& votes, double mix, double smoothing);

/// Mean over the batch of -sum_k target[b][k] * log_softmax(logits)[b][k]; targets [B, 7].
torch::Tensor soft_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets);

}  // namespace dangpli::training
