#pragma once
/// \file
/// The listener's own tendency (Lee, Yeo and Kim 2010's per-user regression): from the plays and
/// answers a store holds, a small ridge regression per mood from a song's mood terms
/// (mood_mapping.hpp) to whether this listener kept it in that mood. Once a mood has enough
/// feedback it shifts the automatic tags of the analysed songs towards the listener's taste.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dangpli/emotion.hpp"
#include "dangpli/mood_mapping.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// When a mood's regression is trusted, and how much.
struct ListenerModelOptions {
    /// A mood is fitted from this many examples on analysed songs (plays and answers) ...
    std::size_t min_examples = 12;
    /// ... of which at least this many were kept and this many were not.
    std::size_t min_each_outcome = 3;
    /// Ridge penalty on the term weights (the terms are of unit scale).
    double ridge = 1.0;
    /// The regression's share of a fitted mood's affinity is n / (n + this), n the examples' weight.
    double trust_half = 20.0;
};

/// What one play or answer says about a song in a mood: kept (1) or not (0), and how sure.
/// Finished: kept, weight 1. Skipped: not kept, weight 1. Switched (the mood moved on while it
/// played): not kept, weight 0.5. Failed plays, and plays stopped by the session's end, say nothing. An answer (the user asked for the
/// song while feeling the mood): kept, weight 2.
struct ListenerExample {
    std::int64_t song_id = 0;  ///< the song
    Emotion mood = Emotion::Neutral;  ///< the mood it was played in or asked for
    double kept = 1;    ///< 1 kept, 0 not
    double weight = 1;  ///< how much it counts
};

/// The examples of `plays` and `feedback` (songs without analysis are left for the caller to drop).
std::vector<ListenerExample> listener_examples(std::span<const Play> plays, std::span<const Feedback> feedback);

/// Per mood, the listener's regression where there was enough feedback.
class ListenerModel {
public:
    /// The default mapping alone: no mood fitted.
    ListenerModel() = default;
    /// Fits each mood with enough `examples` on songs of `songs` (others are passed over).
    ListenerModel(std::span<const StoredAnalysis> songs, std::span<const ListenerExample> examples,
                  const ListenerModelOptions& options = {});

    /// Whether `mood` had enough feedback to be fitted.
    bool fitted(Emotion mood) const;
    /// The weight of the examples `mood` was fitted on (0 if not fitted).
    double evidence(Emotion mood) const;
    /// The chance, by the listener's regression, that they keep a song with terms `t` in `mood`
    /// (in [0, 1]); nullopt where the mood is not fitted.
    std::optional<double> kept_chance(Emotion mood, const MoodTerms& t) const;
    /// emotion_affinity() of the song's mood, each fitted mood blended with kept_chance() by trust.
    std::array<double, kEmotionCount> affinity(const AudioFeatures& f) const;
    /// The automatic tags of a song with features `f`: emotions_from_affinity(affinity(f)).
    std::vector<EmotionWeight> tags(const AudioFeatures& f) const;

private:
    static constexpr std::size_t kTerms = 6;
    struct Fit {
        std::array<double, kTerms + 1> weights{};  // intercept first
        double evidence = 0;
    };
    std::array<std::optional<Fit>, kEmotionCount> fits_{};
    double trust_half_ = 20.0;
};

/// The automatic tags of every song in `songs` under `model`.
std::vector<AutoTags> auto_tags(std::span<const StoredAnalysis> songs, const ListenerModel& model);

}  // namespace dangpli
