#pragma once
// Songs made by sox for the audio tests, with known properties, and encoders (ffmpeg) for the
// formats a user's library holds.

#include <filesystem>
#include <string>

namespace dangpli::test {

/// 30 s of loud, fast, plucked major chords (C F G C, eight hits a second... two per beat at
/// 140 BPM), compressed to about -7 LUFS: the mapping should find it energetic and positive.
std::filesystem::path make_energetic_major_song(const std::filesystem::path& dir);
/// 30 s of soft, slow triangle-wave minor chords (Am Dm E Am, three seconds each, fading in and
/// out) at about -30 LUFS: calm and negative.
std::filesystem::path make_slow_minor_song(const std::filesystem::path& dir);
/// `seconds` of clicks at `bpm` (a short 1 kHz tick each beat) over a faint pink-noise floor.
std::filesystem::path make_click_track(const std::filesystem::path& dir, double bpm, double seconds = 20);
/// `seconds` of digital silence.
std::filesystem::path make_silence(const std::filesystem::path& dir, double seconds = 10);

/// The two songs above, made once per test run in a folder of their own (removed at exit).
struct TwoSongs {
    std::filesystem::path energetic_major;  ///< make_energetic_major_song()
    std::filesystem::path slow_minor;       ///< make_slow_minor_song()
};
const TwoSongs& two_songs();

/// Encodes `wav` to `extension` (mp3, m4a, ogg, opus, flac) with ffmpeg, tagging title and artist;
/// returns the new file's path (beside the WAV). Fails the test if ffmpeg fails.
std::filesystem::path encode(const std::filesystem::path& wav, const std::string& extension,
                             const std::string& title = "", const std::string& artist = "");

}  // namespace dangpli::test
