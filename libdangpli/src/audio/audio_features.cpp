// Feeding one excerpt through aubio, libebur128 and qm-dsp, hop by hop; the means over frames
// are the only arithmetic of our own.
#include "dangpli/audio_features.hpp"

#include <aubio/aubio.h>
#include <ebur128.h>
#include <fmt/format.h>

#include <dsp/keydetection/GetKeyMode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include "dangpli/error.hpp"

namespace dangpli {
namespace {

// aubio's beat tracker is tuned for hops of about 11.6 ms (512 samples at 44.1 kHz): its tempo
// preference is counted in hops, so another hop length moves the tempi it favours.
uint_t hop_for(int rate) { return rate >= 32000 ? 512 : 256; }

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { if (p) Free(p); }
};
using Vec = std::unique_ptr<fvec_t, Deleter<fvec_t, del_fvec>>;
using Spectrum = std::unique_ptr<cvec_t, Deleter<cvec_t, del_cvec>>;
using Tempo = std::unique_ptr<aubio_tempo_t, Deleter<aubio_tempo_t, del_aubio_tempo>>;
using Onset = std::unique_ptr<aubio_onset_t, Deleter<aubio_onset_t, del_aubio_onset>>;
using PhaseVocoder = std::unique_ptr<aubio_pvoc_t, Deleter<aubio_pvoc_t, del_aubio_pvoc>>;
using Descriptor = std::unique_ptr<aubio_specdesc_t, Deleter<aubio_specdesc_t, del_aubio_specdesc>>;

template <typename P>
P checked(P p, const char* what) {
    if (!p) throw Error(fmt::format("aubio could not set up its {}", what));
    return p;
}

// Tempo, onsets and spectral shape share one pass over the hops.
void measure_rhythm_and_spectrum(std::span<const float> samples, int rate, AudioFeatures& f) {
    const auto sr = static_cast<uint_t>(rate);
    const uint_t step = hop_for(rate), beat_window = 2 * step, spectrum_window = 4 * step;
    Tempo tempo = checked(Tempo(new_aubio_tempo("default", beat_window, step, sr)), "tempo tracker");
    Onset onset = checked(Onset(new_aubio_onset("default", beat_window, step, sr)), "onset detector");
    PhaseVocoder pvoc = checked(PhaseVocoder(new_aubio_pvoc(spectrum_window, step)), "phase vocoder");
    Descriptor centroid = checked(Descriptor(new_aubio_specdesc("centroid", spectrum_window)), "centroid");
    Descriptor rolloff = checked(Descriptor(new_aubio_specdesc("rolloff", spectrum_window)), "rolloff");
    Descriptor flux = checked(Descriptor(new_aubio_specdesc("specflux", spectrum_window)), "flux");
    Vec hop(new_fvec(step)), out(new_fvec(1)), value(new_fvec(1));
    Spectrum grain(new_cvec(spectrum_window));
    if (!hop || !out || !value || !grain) throw Error("out of memory for aubio's buffers");

    const double bin_hz = static_cast<double>(rate) / spectrum_window;
    double centroid_sum = 0, rolloff_sum = 0, flux_sum = 0;
    std::size_t onsets = 0, sounding = 0;
    for (std::size_t at = 0; at + step <= samples.size(); at += step) {
        std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(at), step, hop->data);
        aubio_tempo_do(tempo.get(), hop.get(), out.get());
        aubio_onset_do(onset.get(), hop.get(), out.get());
        if (out->data[0] > 0) ++onsets;
        aubio_pvoc_do(pvoc.get(), hop.get(), grain.get());
        double magnitude = 0;
        for (uint_t i = 0; i < grain->length; ++i) magnitude += static_cast<double>(grain->norm[i]);
        aubio_specdesc_do(flux.get(), grain.get(), value.get());
        const auto frame_flux = static_cast<double>(value->data[0]);
        if (magnitude < 1e-3) continue;  // silence has no brightness
        ++sounding;
        aubio_specdesc_do(centroid.get(), grain.get(), value.get());
        centroid_sum += static_cast<double>(value->data[0]) * bin_hz;
        aubio_specdesc_do(rolloff.get(), grain.get(), value.get());
        rolloff_sum += static_cast<double>(value->data[0]) * bin_hz;
        flux_sum += frame_flux / magnitude;
    }
    f.tempo_bpm = static_cast<double>(aubio_tempo_get_bpm(tempo.get()));
    f.beat_confidence = static_cast<double>(aubio_tempo_get_confidence(tempo.get()));
    f.onset_rate = f.seconds > 0 ? static_cast<double>(onsets) / f.seconds : 0.0;
    if (sounding > 0) {
        f.centroid_hz = centroid_sum / static_cast<double>(sounding);
        f.rolloff_hz = rolloff_sum / static_cast<double>(sounding);
        f.flux = flux_sum / static_cast<double>(sounding);
    }
}

void measure_loudness(std::span<const float> samples, int rate, AudioFeatures& f) {
    std::unique_ptr<ebur128_state, void (*)(ebur128_state*)> state(
        ebur128_init(1, static_cast<unsigned long>(rate), EBUR128_MODE_I | EBUR128_MODE_LRA),
        [](ebur128_state* s) { ebur128_destroy(&s); });
    if (!state || ebur128_add_frames_float(state.get(), samples.data(), samples.size()) != EBUR128_SUCCESS)
        throw Error("libebur128 could not measure the loudness");
    double lufs = -HUGE_VAL, range = 0;
    ebur128_loudness_global(state.get(), &lufs);
    ebur128_loudness_range(state.get(), &range);
    f.loudness_lufs = std::isfinite(lufs) ? std::max(lufs, -70.0) : -70.0;
    f.loudness_range_lu = std::isfinite(range) ? range : 0.0;
}

// qm-dsp 1.7's GetKeyMode::process() turns two static key profiles in place (it restores them
// before it returns), so two threads inside it at once read each other's half-turned profiles.
std::mutex g_key_profiles_mutex;

// GetKeyMode decimates by a fixed 8 and reads chroma four octaves up from about 110 Hz, to about
// 2 kHz: below about 32 kHz its decimated signal cannot hold that top octave. At the analysis rate
// (22,050 Hz) one bar of C major came out B or E major in 5-15 s excerpts, C major from 20 s. It is
// fed at 44.1 kHz or more: linear interpolation by a whole factor, harmless below 2 kHz, where the
// chroma is read.
constexpr int kKeyDetectorRate = 44100;

// GetKeyMode reports its 24 key profile correlations (12 major from C, then 12 minor) after each
// block; their mean over the excerpt is the excerpt's key profile.
void measure_key(std::span<const float> samples, int rate, AudioFeatures& f) {
    const int factor = (kKeyDetectorRate + rate - 1) / rate;
    GetKeyMode keys(rate * factor, 440.0f, 10, 10);
    const std::size_t block = keys.getBlockSize(), step = keys.getHopSize(), up = static_cast<std::size_t>(factor);
    const std::size_t upsampled = samples.empty() ? 0 : (samples.size() - 1) * up + 1;
    std::vector<double> frame(block);
    std::array<double, 24> strength{};
    std::size_t blocks = 0;
    for (std::size_t at = 0; at + block <= upsampled; at += step) {
        for (std::size_t j = 0; j < block; ++j) {
            const std::size_t i = (at + j) / up, phase = (at + j) % up;
            const double w = static_cast<double>(phase) / factor;
            const double here = samples[i];
            frame[j] = phase == 0 ? here : (1 - w) * here + w * static_cast<double>(samples[i + 1]);
        }
        const double* s = nullptr;
        {
            const std::lock_guard lock(g_key_profiles_mutex);
            keys.process(frame.data());
            s = keys.getKeyStrengths();
        }
        for (std::size_t k = 0; k < strength.size(); ++k) strength[k] += std::isfinite(s[k]) ? s[k] : 0.0;
        ++blocks;
    }
    if (blocks == 0) return;
    for (double& s : strength) s /= static_cast<double>(blocks);
    const auto best_major = std::max_element(strength.begin(), strength.begin() + 12);
    const auto best_minor = std::max_element(strength.begin() + 12, strength.end());
    f.minor = *best_minor > *best_major;
    f.key = static_cast<int>((f.minor ? best_minor - strength.begin() - 12 : best_major - strength.begin()));
    f.mode_strength = *best_major - *best_minor;
    f.key_clarity = std::max(*best_major, *best_minor);
}

}  // namespace

std::string_view key_name(int key) {
    static constexpr std::array<std::string_view, 12> kNames{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    return kNames[static_cast<std::size_t>(((key % 12) + 12) % 12)];
}

AudioFeatures measure_audio(std::span<const float> samples, int sample_rate) {
    if (samples.empty()) throw InputError("no samples to measure");
    if (sample_rate < 8000 || sample_rate > 96000) throw InputError(fmt::format("bad sample rate {} Hz", sample_rate));
    AudioFeatures f;
    f.seconds = static_cast<double>(samples.size()) / sample_rate;
    measure_rhythm_and_spectrum(samples, sample_rate, f);
    measure_loudness(samples, sample_rate, f);
    measure_key(samples, sample_rate, f);
    return f;
}

}  // namespace dangpli
