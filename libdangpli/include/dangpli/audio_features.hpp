#pragma once
/// \file
/// What a stretch of music sounds like, measured by libraries made for it: aubio (tempo, beat
/// confidence, onsets, spectral centroid, rolloff and flux), libebur128 (EBU R128 loudness and
/// loudness range) and the Queen Mary DSP library (key, mode and key clarity from its chromagram).

#include <span>
#include <string_view>

namespace dangpli {

/// The measures of one excerpt of a song; the mood mapping (mood_mapping.hpp) reads them.
struct AudioFeatures {
    double seconds = 0;            ///< length analysed
    double tempo_bpm = 0;          ///< aubio's tempo estimate; 0 when it found no beat
    double beat_confidence = 0;    ///< aubio's confidence in that tempo (0: none; about 0.1+ for a clear beat)
    double onset_rate = 0;         ///< note onsets per second (aubio, "default" detection function)
    double loudness_lufs = -70;    ///< integrated loudness, EBU R128 (LUFS); -70 for silence
    double loudness_range_lu = 0;  ///< EBU R128 loudness range (LU): how much the level moves
    int key = 0;                   ///< tonic, 0 = C ... 11 = B (qm-dsp GetKeyMode)
    bool minor = false;            ///< mode of the strongest key profile
    /// Best major key profile correlation minus best minor one (qm-dsp key strengths averaged over
    /// the excerpt): > 0 sounds major, < 0 minor; about +-0.2 for a clear triad.
    double mode_strength = 0;
    double key_clarity = 0;        ///< the strongest key profile correlation (0..1): how tonal it is
    double centroid_hz = 0;        ///< spectral centroid, mean over frames with sound (brightness)
    double rolloff_hz = 0;         ///< frequency under which 95% of the spectrum's energy lies, mean
    double flux = 0;               ///< spectral flux per frame relative to the frame's magnitude, mean
};

/// "C", "C#", ... "B".
std::string_view key_name(int key);

/// Measures `samples` (mono, [-1, 1]) at `sample_rate` (8,000..96,000 Hz). An excerpt shorter than
/// about 3 s gives loudness -70 and no key: the libraries need that much. Throws InputError for an
/// empty excerpt or a bad rate.
AudioFeatures measure_audio(std::span<const float> samples, int sample_rate);

}  // namespace dangpli
