#pragma once
/// \file
/// A decoded song's analysis: its features and mood, and its structural segments (found by the
/// Queen Mary DSP library's ClusterMeltSegmenter), each with its own features and mood. The time
/// spent is bounded: the song is measured on an excerpt, each segment on an excerpt of its own.

#include <vector>

#include "dangpli/audio_decoder.hpp"
#include "dangpli/audio_features.hpp"
#include "dangpli/mood_mapping.hpp"

namespace dangpli {

/// One structural segment of a song (e.g. verse, chorus).
struct SegmentAnalysis {
    double start_seconds = 0;  ///< where it starts in the song
    double end_seconds = 0;    ///< where it ends
    int type = 0;              ///< segments of one type sound alike (ClusterMeltSegmenter's cluster)
    AudioFeatures features;    ///< measured on (an excerpt of) the segment
    MoodPoint mood;            ///< mood_of(features)
};

/// A song's analysis.
struct SongAnalysis {
    double seconds = 0;                     ///< the song's length
    AudioFeatures features;                 ///< measured on the song's excerpt
    MoodPoint mood;                         ///< mood_of(features)
    std::vector<SegmentAnalysis> segments;  ///< in time order; analysed ones only (see options)
};

/// How much of a song is analysed.
struct SongAnalysisOptions {
    double song_excerpt_seconds = 90;     ///< the song is measured on this much from its middle
    double segment_excerpt_seconds = 20;  ///< each segment on this much from its middle
    double min_segment_seconds = 6;       ///< shorter segments are merged into the one before
    int max_segments = 6;                 ///< the longest ones are analysed, the rest left out
    bool segments = true;                 ///< false: the song alone, no segmentation
};

/// Analyses `audio`. Throws DataError when it is silent (loudness under -60 LUFS) or shorter
/// than 3 s: there is nothing to place then. The message does not name the file (the caller does).
/// Throws InputError for options out of range: excerpts of 3 s to a day, min_segment_seconds of
/// 0 s to a day, max_segments of 0 or more (NaN refused).
SongAnalysis analyse_song(const DecodedAudio& audio, const SongAnalysisOptions& options = {});

}  // namespace dangpli
