// The fixed mapping from features to the mood plane; README ("How songs are tagged by their
// sound") explains each constant.
#include "dangpli/mood_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dangpli {
namespace {

// Reference points and scales: a song at the reference scores 0 on that term.
constexpr double kLoudnessRef = -13.0, kLoudnessScale = 5.0;        // LUFS, LU
constexpr double kOnsetRef = 3.0, kOnsetScale = 1.5;                // onsets per second
constexpr double kTempoRef = 110.0, kTempoScale = 30.0;             // BPM
constexpr double kConfidentBeat = 1.0;                              // aubio confidence trusted fully
constexpr double kCentroidRef = 1800.0, kCentroidScale = 700.0;     // Hz
constexpr double kModeScale = 0.08;                                 // correlation difference
constexpr double kClarityRef = 0.55, kClarityScale = 0.12;          // correlation
constexpr double kTermLimit = 2.5;
// How steep tanh is: an ordinary song stays inside (-0.9, 0.9).
constexpr double kGain = 1.2;
constexpr double kAffinityWidth = 0.35;
constexpr double kSecondTagRatio = 0.6;
constexpr double kMinWeight = 0.05;

double term(double value, double ref, double scale) { return std::clamp((value - ref) / scale, -kTermLimit, kTermLimit); }

}  // namespace

MoodTerms mood_terms(const AudioFeatures& f) {
    MoodTerms t;
    t.loudness = term(f.loudness_lufs, kLoudnessRef, kLoudnessScale);
    t.onset_rate = term(f.onset_rate, kOnsetRef, kOnsetScale);
    // No beat found: no evidence either way. An unsure beat counts in proportion.
    const double trust = f.tempo_bpm > 0 ? std::min(1.0, f.beat_confidence / kConfidentBeat) : 0.0;
    t.tempo = trust * term(f.tempo_bpm, kTempoRef, kTempoScale);
    t.brightness = term(f.centroid_hz, kCentroidRef, kCentroidScale);
    t.mode = term(f.mode_strength, 0.0, kModeScale);
    t.clarity = term(f.key_clarity, kClarityRef, kClarityScale);
    return t;
}

MoodPoint mood_point(const MoodTerms& t) {
    MoodPoint p;
    p.arousal = std::tanh(kGain * (0.35 * t.loudness + 0.30 * t.onset_rate + 0.15 * t.tempo + 0.20 * t.brightness));
    p.valence = std::tanh(kGain * (0.60 * t.mode + 0.15 * t.clarity + 0.15 * t.tempo + 0.10 * t.brightness));
    return p;
}

MoodPoint mood_of(const AudioFeatures& f) { return mood_point(mood_terms(f)); }

const std::array<MoodPoint, kEmotionCount>& emotion_prototypes() {
    // {valence, arousal}, by label: angry, disgust, fear, happy, sad, surprise, neutral.
    static const std::array<MoodPoint, kEmotionCount> kPrototypes{{
        {-0.6, 0.7}, {-0.7, 0.0}, {-0.6, 0.35}, {0.7, 0.5}, {-0.6, -0.6}, {0.3, 0.85}, {0.5, -0.5},
    }};
    return kPrototypes;
}

std::array<double, kEmotionCount> emotion_affinity(MoodPoint p) {
    std::array<double, kEmotionCount> affinity{};
    const auto& prototypes = emotion_prototypes();
    for (std::size_t i = 0; i < kEmotionCount; ++i) {
        const double dv = p.valence - prototypes[i].valence, da = p.arousal - prototypes[i].arousal;
        affinity[i] = std::exp(-(dv * dv + da * da) / (2 * kAffinityWidth * kAffinityWidth));
    }
    return affinity;
}

std::vector<EmotionWeight> emotions_from_affinity(const std::array<double, kEmotionCount>& affinity) {
    std::array<std::size_t, kEmotionCount> order{};
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return affinity[a] > affinity[b]; });
    std::vector<EmotionWeight> tags;
    const double best = affinity[order[0]];
    for (std::size_t rank = 0; rank < 2; ++rank) {
        const std::size_t i = order[rank];
        if (rank > 0 && affinity[i] < kSecondTagRatio * best) break;
        tags.push_back({kAllEmotions[i], std::max(kMinWeight, affinity[i])});
    }
    return tags;
}

}  // namespace dangpli
