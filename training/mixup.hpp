#pragma once
// Mixup (Zhang et al. 2018): a batch blended with a shuffled copy of itself, and its targets alike,
// so that the network learns to answer in proportion between faces rather than all or nothing.

#include <cstddef>
#include <random>

#include <torch/torch.h>

namespace dangpli::training {

/// How one batch is blended: `share` of each view is its own, the rest its partner's.
struct Blend {
    double share = 1.0;
    torch::Tensor partner;  ///< the index of each view's partner, [B]; undefined when not blended
    bool blended() const { return partner.defined(); }
    /// share * t + (1 - share) * t[partner] along the first dimension; `t` itself when not blended.
    torch::Tensor apply(const torch::Tensor& t) const;
};

/// A blend for a batch of `views`: share max(l, 1 - l) for l ~ Beta(alpha, alpha) and a random
/// pairing, drawn from `rng` (three draws and a shuffle, so runs stay reproducible and resume exactly).
/// No blend (and no draw) for alpha 0 or a batch of one.
Blend draw_blend(double alpha, std::size_t views, std::mt19937_64& rng);

}  // namespace dangpli::training
