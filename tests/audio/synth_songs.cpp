#include "synth_songs.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "dangpli/audio_decoder.hpp"
#include "support.hpp"

namespace dangpli::test {
namespace {

// FFmpeg's own log lines would bury doctest's report; `dangpli` hides them the same way.
[[maybe_unused]] const bool kQuietDecoder = (set_audio_decoder_logs(false), true);

void sh(const std::string& script) {
    const auto r = run_command("bash -c " + shell_quote("set -e; " + script));
    INFO(script);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

// A chord of `notes` (sox note names) of one `type` (pluck, triangle...) as a mono 16-bit WAV.
std::string chord(const std::string& out, const std::string& type, double seconds, const std::string& notes) {
    return fmt::format("n=$(echo {notes} | wc -w); spec=''; for x in {notes}; do spec=\"$spec {type} $x\"; done; "
                       "sox -n -r 44100 -c $n -t wav - synth {seconds} $spec | sox - -b 16 {out} remix -; ",
                       fmt::arg("notes", notes), fmt::arg("type", type), fmt::arg("seconds", seconds),
                       fmt::arg("out", shell_quote(out)));
}

}  // namespace

std::filesystem::path make_song(const std::filesystem::path& dir, Pace pace, Mode mode) {
    const bool fast = pace == Pace::FastLoud, minor = mode == Mode::Minor;
    const auto out = dir / fmt::format("{}-{}.wav", fast ? "fast" : "slow", minor ? "minor" : "major");
    // I, IV, V: in C major, or in A minor with a major V.
    const char* chords[2][2][3] = {
        {{"C4 E4 G4", "F4 A4 C5", "G3 B3 D4"}, {"A3 C4 E4", "D4 F4 A4", "E3 G#3 B3"}},
        {{"C4 E4 G4 C5", "F4 A4 C5 F5", "G4 B4 D5 G5"}, {"A3 C4 E4 A4", "D4 F4 A4 D5", "E3 G#3 B3 E4"}}};
    std::string s = "cd " + shell_quote(dir.string()) + "; export SOX_OPTS=-V1; ";
    for (int i = 0; i < 3; ++i) {
        const std::string name = fmt::format("chord{}.wav", i);
        s += chord(name, fast ? "pluck" : "triangle", fast ? 0.2 : 3.0, chords[fast][minor][i]);
        s += fast ? fmt::format("sox {} part{}.wav pad 0 0.014; ", name, i)
                  : fmt::format("sox {} part{}.wav fade t 1 3 1.2; ", name, i);
    }
    // Fast: four hits of each chord; slow: one each.
    s += fast ? "sox part0.wav part0.wav part0.wav part0.wav part1.wav part1.wav part1.wav part1.wav part2.wav part2.wav "
                "part2.wav part2.wav part0.wav part0.wav part0.wav part0.wav bar.wav; "
              : "sox part0.wav part1.wav part2.wav part0.wav bar.wav; ";
    const std::string finish = fast ? fmt::format("repeat 9 {}compand 0.005,0.05 -70,-70,-40,-8,0,-2 0 -90 0.005 norm -0.5",
                                                  minor ? "overdrive 10 " : "")
                                    : "repeat 2 norm -30";
    s += fmt::format("sox bar.wav {} {} trim 0 30; rm chord?.wav part?.wav bar.wav", shell_quote(out.string()), finish);
    sh(s);
    return out;
}

std::filesystem::path make_click_track(const std::filesystem::path& dir, double bpm, double seconds) {
    const auto out = dir / fmt::format("clicks-{:.0f}.wav", bpm);
    const double beat = 60.0 / bpm;
    // Over a faint noise floor, as any recording has: aubio passes over onsets in digital silence.
    sh(fmt::format("cd {dir}; sox -n -r 22050 -b 16 tick.wav synth 0.02 sine 1000 fade t 0 0.02 0.015 pad 0 {rest}; "
                   "sox tick.wav ticks.wav repeat {n} trim 0 {seconds}; "
                   "sox -n -r 22050 -b 16 floor.wav synth {seconds} pinknoise vol 0.003; "
                   "sox -m ticks.wav floor.wav {out}; rm tick.wav ticks.wav floor.wav",
                   fmt::arg("dir", shell_quote(dir.string())), fmt::arg("rest", beat - 0.02),
                   fmt::arg("out", shell_quote(out.string())), fmt::arg("n", static_cast<int>(seconds / beat) + 1),
                   fmt::arg("seconds", seconds)));
    return out;
}

std::filesystem::path make_silence(const std::filesystem::path& dir, double seconds) {
    const auto out = dir / "silence.wav";
    sh(fmt::format("sox -n -r 22050 -b 16 {} trim 0 {}", shell_quote(out.string()), seconds));
    return out;
}

const FourSongs& four_songs() {
    static TempDir dir;
    static const FourSongs songs{make_song(dir.path(), Pace::FastLoud, Mode::Major),
                                 make_song(dir.path(), Pace::FastLoud, Mode::Minor),
                                 make_song(dir.path(), Pace::SlowSoft, Mode::Minor),
                                 make_song(dir.path(), Pace::SlowSoft, Mode::Major)};
    return songs;
}

std::filesystem::path encode(const std::filesystem::path& wav, const std::string& extension, const std::string& title,
                             const std::string& artist, const std::string& album) {
    auto out = wav;
    out.replace_extension(extension);
    std::string meta;
    if (!title.empty()) meta += " -metadata title=" + shell_quote(title);
    if (!artist.empty()) meta += " -metadata artist=" + shell_quote(artist);
    if (!album.empty()) meta += " -metadata album=" + shell_quote(album);
    sh(fmt::format("ffmpeg -nostdin -loglevel error -y -i {}{} {}", shell_quote(wav.string()), meta,
                   shell_quote(out.string())));
    return out;
}

}  // namespace dangpli::test
