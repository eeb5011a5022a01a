// The glue to ClusterMeltSegmenter: constant-Q features hop by hop, then its HMM and clustering.
#include "song_segments.hpp"

#include <dsp/segmentation/ClusterMeltSegmenter.h>

#include <algorithm>
#include <iostream>
#include <mutex>
#include <sstream>

namespace dangpli::detail {
namespace {

// Fewer segment types than qm's default of 10: a pop song has a handful of parts.
constexpr int kSegmentTypes = 4;
// Below this the segmenter has too few frames to train its HMM.
constexpr double kMinSongSeconds = 20.0;

// qm-dsp reports progress on std::cerr; it is not ours to show. The swap is process-wide, so
// segmentations take turns.
std::mutex g_segmenter_mutex;

}  // namespace

std::vector<SampleSpan> find_segments(std::span<const float> samples, int sample_rate, std::size_t min_samples) {
    if (samples.size() < static_cast<std::size_t>(kMinSongSeconds * sample_rate)) return {{0, samples.size(), 0}};
    ClusterMeltSegmenterParams params;
    params.nclusters = kSegmentTypes;
    ClusterMeltSegmenter segmenter(params);
    segmenter.initialise(sample_rate);
    const auto window = static_cast<std::size_t>(segmenter.getWindowsize());
    const auto hop = static_cast<std::size_t>(segmenter.getHopsize());
    std::vector<double> frame(window);
    for (std::size_t at = 0; at + window <= samples.size(); at += hop) {
        std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(at), window, frame.begin());
        segmenter.extractFeatures(frame.data(), static_cast<int>(window));
    }
    {
        const std::lock_guard lock(g_segmenter_mutex);
        std::ostringstream quiet;
        std::streambuf* old = std::cerr.rdbuf(quiet.rdbuf());
        try {
            segmenter.segment();
        } catch (...) {
            std::cerr.rdbuf(old);
            throw;
        }
        std::cerr.rdbuf(old);
    }
    std::vector<SampleSpan> spans;
    for (const Segment& s : segmenter.getSegmentation().segments) {
        const auto begin = static_cast<std::size_t>(std::max(0, s.start));
        const auto end = std::min(samples.size(), static_cast<std::size_t>(std::max(0, s.end)));
        if (end <= begin) continue;
        if (!spans.empty() && (end - begin < min_samples || spans.back().end - spans.back().begin < min_samples ||
                               spans.back().type == s.type))
            spans.back().end = end;  // too short to stand alone, or the same part going on
        else
            spans.push_back({begin, end, s.type});
    }
    if (spans.empty()) return {{0, samples.size(), 0}};
    spans.back().end = samples.size();  // the segmenter's last hop stops short of the end
    return spans;
}

}  // namespace dangpli::detail
