#pragma once
// Stochastic weight averaging (Izmailov et al. 2018): the weights at the end of several epochs at a
// constant learning rate are averaged into one network, whose batch-norm statistics are then
// measured afresh (the averaged weights never ran, so no running statistics belong to them).

#include <cstdint>

#include "emotion_net.hpp"
#include "face_batches.hpp"

namespace dangpli::training {

/// Folds `net`'s parameters into the running average `average` that already holds `count`
/// snapshots: average += (net - average) / (count + 1). Both must be the same architecture.
void add_to_average(EmotionNet& average, const EmotionNet& net, int64_t count);

/// Recomputes every batch-norm layer's running mean and variance as the plain average over one
/// pass of `set`'s centre views (deterministic: no augmentation, no random draws).
void recompute_batch_norm(EmotionNet& net, const FaceSet& set, int batch_size = 256);

}  // namespace dangpli::training
