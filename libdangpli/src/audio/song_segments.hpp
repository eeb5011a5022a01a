#pragma once
// Private: structural segments of a song through qm-dsp's ClusterMeltSegmenter.

#include <span>
#include <vector>

namespace dangpli::detail {

/// A stretch of a song, in samples, with its segment type.
struct SampleSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
    int type = 0;
};

/// The segments of `samples` (mono, at `sample_rate`), covering it in time order, none shorter
/// than `min_samples` (short ones are merged into the one before). One span for a short song.
std::vector<SampleSpan> find_segments(std::span<const float> samples, int sample_rate, std::size_t min_samples);

}  // namespace dangpli::detail
