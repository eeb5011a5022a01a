// A song's analysis: excerpts chosen here, measured by measure_audio(), placed by mood_of().
#include "dangpli/song_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "dangpli/error.hpp"
#include "song_segments.hpp"

namespace dangpli {
namespace {

constexpr double kMinSeconds = 3.0;
constexpr double kSilentLufs = -60.0;
constexpr double kLongestExcerptSeconds = 24.0 * 3600.0;  // far past any song; only bounds the arithmetic

// The middle `seconds` of [begin, end): a song's or a part's most typical stretch.
std::span<const float> middle(std::span<const float> all, std::size_t begin, std::size_t end, double seconds, int rate) {
    const auto want = static_cast<std::size_t>(seconds * rate);
    if (end - begin > want) {
        begin += (end - begin - want) / 2;
        end = begin + want;
    }
    return all.subspan(begin, end - begin);
}

}  // namespace

SongAnalysis analyse_song(const DecodedAudio& audio, const SongAnalysisOptions& options) {
    // A negative or NaN length became a huge sample count; 0 blamed the song ("no samples").
    const auto check = [](bool ok, std::string_view name, double value) {
        if (!ok) throw InputError(fmt::format("song analysis: {} must be in [{}, {}] s, got {}", name, kMinSeconds,
                                              kLongestExcerptSeconds, value));
    };
    const auto excerpt_ok = [](double s) { return s >= kMinSeconds && s <= kLongestExcerptSeconds; };
    check(excerpt_ok(options.song_excerpt_seconds), "song_excerpt_seconds", options.song_excerpt_seconds);
    check(excerpt_ok(options.segment_excerpt_seconds), "segment_excerpt_seconds", options.segment_excerpt_seconds);
    check(options.min_segment_seconds >= 0.0 && options.min_segment_seconds <= kLongestExcerptSeconds,
          "min_segment_seconds", options.min_segment_seconds);
    if (options.max_segments < 0)
        throw InputError(fmt::format("song analysis: max_segments must be 0 or more, got {}", options.max_segments));
    const std::span<const float> all(audio.samples);
    const int rate = audio.sample_rate;
    if (audio.seconds() < kMinSeconds)
        // Rounded down, so that 2.998 s does not read as "3.00 s; at least 3 s".
        throw DataError(fmt::format("too short to place ({:.2f} s; at least {:.0f} s)",
                                    std::floor(audio.seconds() * 100.0) / 100.0, kMinSeconds));
    SongAnalysis song;
    song.seconds = audio.seconds();
    song.features = measure_audio(middle(all, 0, all.size(), options.song_excerpt_seconds, rate), rate);
    if (song.features.loudness_lufs < kSilentLufs)
        throw DataError(fmt::format("silent (loudness {:.0f} LUFS)", song.features.loudness_lufs));
    song.mood = mood_of(song.features);
    if (!options.segments || options.max_segments < 1) return song;

    const auto min_samples = static_cast<std::size_t>(std::max(kMinSeconds, options.min_segment_seconds) * rate);
    std::vector<detail::SampleSpan> spans = detail::find_segments(all, rate, min_samples);
    // The time budget: the longest segments only, then back in time order.
    std::vector<std::size_t> order(spans.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return spans[a].end - spans[a].begin > spans[b].end - spans[b].begin;
    });
    order.resize(std::min(order.size(), static_cast<std::size_t>(options.max_segments)));
    std::sort(order.begin(), order.end());
    for (std::size_t i : order) {
        const detail::SampleSpan& span = spans[i];
        SegmentAnalysis segment;
        segment.start_seconds = static_cast<double>(span.begin) / rate;
        segment.end_seconds = static_cast<double>(span.end) / rate;
        segment.type = span.type;
        segment.features = measure_audio(middle(all, span.begin, span.end, options.segment_excerpt_seconds, rate), rate);
        segment.mood = mood_of(segment.features);
        song.segments.push_back(segment);
    }
    return song;
}

}  // namespace dangpli
