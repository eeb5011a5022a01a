#pragma once
/// \file
/// Decoding a song file (mp3, ogg/opus, flac, wav, m4a/aac: whatever FFmpeg reads) to mono
/// samples at one fixed rate, with the title, artist and album its tags name.

#include <filesystem>
#include <string>
#include <vector>

namespace dangpli {

/// A decoded song: mono samples in [-1, 1] at `sample_rate`.
struct DecodedAudio {
    std::vector<float> samples;  ///< mono, the channels averaged
    int sample_rate = 0;         ///< samples per second
    std::string title;           ///< from the file's tags; empty when it has none
    std::string artist;          ///< from the file's tags; empty when it has none
    std::string album;           ///< from the file's tags; empty when it has none
    /// Seconds of audio decoded.
    double seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

/// How decode_audio() reads a file.
struct AudioDecodeOptions {
    int sample_rate = 22050;         ///< the rate of the samples returned (the analysis works at 22,050 Hz)
    double max_seconds = 20 * 60.0;  ///< a song longer by over a second (an encoder's padding) is refused (its samples would not fit the budget)
};

/// Decodes the first audio stream of `path`. Throws InputError for a file that is not there or
/// not a regular file (see input_file.hpp) and DataError, one line starting with the path, for a
/// file that is not audio ("not an audio file (...)"), has no audio stream, holds no samples,
/// is damaged or truncated (less than 90% of the length its header declares), or is longer than
/// `options.max_seconds`.
DecodedAudio decode_audio(const std::filesystem::path& path, const AudioDecodeOptions& options = {});

/// Shows (`verbose`) or hides FFmpeg's own log lines (hidden is FFmpeg level "quiet"; shown is
/// its default, "info"). Global to the process; not thread-safe. set_third_party_logs()
/// (third_party_logs.hpp) does this and the same for OpenCV.
void set_audio_decoder_logs(bool verbose);

}  // namespace dangpli
