// CPU seconds `playlist scan` spends per song: decoding (FFmpeg), the song's features (aubio,
// libebur128, qm-dsp key), and its structural segments with their features, on one core.
// Usage: bench_song_scan [SONG_FILE...]
//        (without files: sox makes a 30 s clip and a 4-minute song in a temp folder; needs sox)
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <unistd.h>

#include "dangpli/audio_decoder.hpp"
#include "dangpli/song_analysis.hpp"

namespace {

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Plucked major chords, 30 s; the same four times over with a soft minor drone between, 4 min.
std::vector<std::string> make_songs(const std::filesystem::path& dir) {
    const std::string d = dir.string();
    const std::string script = fmt::format(
        "set -e; cd '{}'; export SOX_OPTS=-V1; "
        "sox -n -r 44100 -c 3 -t wav - synth 0.2 pluck C4 pluck E4 pluck G4 | sox - -b 16 c.wav remix -; "
        "sox c.wav cp.wav pad 0 0.014; sox cp.wav clip.wav repeat 140 norm -1 trim 0 30; "
        "sox -n -r 44100 -c 3 -t wav - synth 30 triangle A3 triangle C4 triangle E4 | sox - -b 16 drone.wav remix - norm -20; "
        "sox clip.wav drone.wav clip.wav drone.wav clip.wav drone.wav clip.wav drone.wav song.wav; "
        "ffmpeg -nostdin -loglevel error -y -i clip.wav clip.mp3; ffmpeg -nostdin -loglevel error -y -i song.wav song.mp3",
        d);
    if (std::system(("bash -c \"" + script + "\"").c_str()) != 0) return {};
    return {d + "/clip.mp3", d + "/song.mp3"};
}

}  // namespace

int main(int argc, char** argv) {
    dangpli::set_audio_decoder_logs(false);
    std::vector<std::string> files(argv + 1, argv + argc);
    std::filesystem::path temp;
    if (files.empty()) {
        temp = std::filesystem::temp_directory_path() / fmt::format("dangpli-bench-scan-{}", ::getpid());
        std::filesystem::create_directories(temp);
        files = make_songs(temp);
        if (files.empty()) {
            fmt::print(stderr, "bench_song_scan: could not make the songs (sox and ffmpeg needed)\n");
            return 1;
        }
    }
    fmt::print("| file | audio s | decode | song features | segments (+features) | total | CPU s per 30 s of audio |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const std::string& file : files) {
        const double t0 = cpu_seconds();
        const dangpli::DecodedAudio audio = dangpli::decode_audio(file);
        const double t1 = cpu_seconds();
        dangpli::SongAnalysisOptions song_only;
        song_only.segments = false;
        (void)dangpli::analyse_song(audio, song_only);
        const double t2 = cpu_seconds();
        const dangpli::SongAnalysis full = dangpli::analyse_song(audio);
        const double t3 = cpu_seconds();
        const double segments = (t3 - t2) - (t2 - t1);
        const double total = (t1 - t0) + (t3 - t2);
        fmt::print("| {} | {:.0f} | {:.3f} | {:.3f} | {:.3f} ({} segments) | {:.3f} | {:.3f} |\n",
                   std::filesystem::path(file).filename().string(), audio.seconds(), t1 - t0, t2 - t1, segments,
                   full.segments.size(), total, total / audio.seconds() * 30.0);
    }
    if (!temp.empty()) std::filesystem::remove_all(temp);
}
