#pragma once
// Songs made by sox for the audio tests, with known properties, and encoders (ffmpeg) for the
// formats a user's library holds.

#include <filesystem>
#include <string>

namespace dangpli::test {

/// The pace of a synthetic song.
enum class Pace {
    FastLoud,  ///< plucked chords, 4.7 hits a second, compressed to about -7 LUFS
    SlowSoft,  ///< triangle-wave chords, three seconds each, fading in and out, about -40 LUFS
};
/// The mode of a synthetic song's chords.
enum class Mode {
    Major,  ///< C F G C
    Minor,  ///< Am Dm E Am (E major: the leading tone G# makes it A minor, not C major)
};
/// 30 s of I-IV-V-I chords at `pace` in `mode`, as a 16-bit mono WAV; the fast minor one is also
/// overdriven (a harsh, angry sound). Named after both.
std::filesystem::path make_song(const std::filesystem::path& dir, Pace pace, Mode mode);
/// `seconds` of clicks at `bpm` (a short 1 kHz tick each beat) over a faint pink-noise floor.
std::filesystem::path make_click_track(const std::filesystem::path& dir, double bpm, double seconds = 20);
/// `seconds` of digital silence.
std::filesystem::path make_silence(const std::filesystem::path& dir, double seconds = 10);

/// One song of each quadrant of the mood plane, made once per test run in a folder of their own.
struct FourSongs {
    std::filesystem::path energetic_major;  ///< happy: aroused and positive
    std::filesystem::path energetic_minor;  ///< angry: aroused and negative
    std::filesystem::path slow_minor;       ///< sad: calm and negative
    std::filesystem::path slow_major;       ///< calm and positive
};
const FourSongs& four_songs();

/// Encodes `wav` to `extension` (mp3, m4a, ogg, opus, flac) with ffmpeg, tagging title, artist and
/// album (an empty one is left out); returns the new file's path (beside the WAV). Fails the test if
/// ffmpeg fails.
std::filesystem::path encode(const std::filesystem::path& wav, const std::string& extension,
                             const std::string& title = "", const std::string& artist = "",
                             const std::string& album = "");

}  // namespace dangpli::test
