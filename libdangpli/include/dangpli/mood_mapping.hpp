#pragma once
/// \file
/// From what a song sounds like to where it sits on Thayer's and Russell's two axes, arousal
/// (energy) and valence (pleasant or not), and from there to the seven emotions' playlists.
/// The mapping is fixed: its reference points are constants (README, "How songs are tagged by
/// their sound"), so a song's place depends on that song alone.

#include <array>
#include <vector>

#include "dangpli/audio_features.hpp"
#include "dangpli/emotion.hpp"

namespace dangpli {

/// A place on the two-dimensional mood plane, each axis in [-1, 1].
struct MoodPoint {
    double valence = 0;  ///< negative (sad, angry) .. positive (happy, calm)
    double arousal = 0;  ///< calm, soft, slow .. energetic, loud, fast
};

/// The features the mapping reads, each centred on its fixed reference and divided by its
/// scale, clipped to [-2.5, 2.5] (README gives the constants and why each term is there).
struct MoodTerms {
    double loudness = 0;    ///< integrated loudness against -13 LUFS, per 5 LU
    double onset_rate = 0;  ///< onsets per second against 3, per 1.5
    double tempo = 0;       ///< tempo against 110 BPM, per 30, trusted by aubio's confidence
    double brightness = 0;  ///< spectral centroid against 1,800 Hz, per 700 Hz
    double mode = 0;        ///< major minus minor key correlation, per 0.08
    double clarity = 0;     ///< key clarity against 0.55, per 0.12 (tonal, consonant)
    /// The terms in the order above, for a regression over them.
    std::array<double, 6> values() const { return {loudness, onset_rate, tempo, brightness, mode, clarity}; }
};

/// The terms of `f`.
MoodTerms mood_terms(const AudioFeatures& f);
/// Arousal and valence of `t`: tanh of a weighted sum of terms (README has the weights).
MoodPoint mood_point(const MoodTerms& t);
/// mood_point(mood_terms(f)).
MoodPoint mood_of(const AudioFeatures& f);

/// Where each emotion's music sits on the plane (Russell's circumplex, with the rule:
/// happy high/high, angry and fear negative and aroused, sad negative and calm, neutral calm and
/// positive), by label.
const std::array<MoodPoint, kEmotionCount>& emotion_prototypes();

/// How well a song at `p` fits each emotion, in (0, 1]: exp(-d^2 / (2 * 0.35^2)) of its distance
/// d to the emotion's prototype, by label.
std::array<double, kEmotionCount> emotion_affinity(MoodPoint p);

/// One emotion a song is tagged with, and the weight of that tag.
struct EmotionWeight {
    Emotion emotion = Emotion::Neutral;  ///< the emotion
    double weight = 1.0;                 ///< its affinity, > 0
};

/// The tags a song gets from its affinities: the best emotion, and the second best too when its
/// affinity is at least 0.6 of the best one's; weights are the affinities (at least 0.05).
std::vector<EmotionWeight> emotions_from_affinity(const std::array<double, kEmotionCount>& affinity);

}  // namespace dangpli
