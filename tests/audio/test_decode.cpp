// decode_audio() on real encoded files: each format a library holds, and the files it must refuse.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "dangpli/audio_decoder.hpp"
#include "dangpli/error.hpp"
#include "support.hpp"
#include "synth_songs.hpp"

using namespace dangpli;
using test::TempDir;

namespace {

std::string message_of(const std::filesystem::path& path) {
    try {
        decode_audio(path);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("every format decodes to mono 22,050 Hz of the song's length, with its tags") {
    TempDir dir;
    const auto wav = test::make_song(dir.path(), test::Pace::SlowSoft, test::Mode::Minor);
    for (const std::string ext : {"wav", "flac", "ogg", "opus", "mp3", "m4a"}) {
        CAPTURE(ext);
        const auto file = ext == "wav" ? wav : test::encode(wav, ext, "Rainy Day", "가수");
        const DecodedAudio audio = decode_audio(file);
        CHECK(audio.sample_rate == 22050);
        CHECK(audio.seconds() == doctest::Approx(30.0).epsilon(0.01));
        float peak = 0;
        for (float s : audio.samples) peak = std::max(peak, std::abs(s));
        CHECK(peak > 0.005f);
        CHECK(peak <= 1.01f);
        if (ext != "wav") {
            CHECK(audio.title == "Rainy Day");
            CHECK(audio.artist == "가수");
        }
    }
}

TEST_CASE("a file that is not a whole song is refused with one line naming it") {
    TempDir dir;
    const auto wav = test::make_song(dir.path(), test::Pace::SlowSoft, test::Mode::Minor);

    const auto empty = dir / "empty.mp3";
    test::write_file(empty, "");
    const auto text = dir / "notes.mp3";
    test::write_file(text, std::string(4096, 'x') + "this is not audio\n");
    // The first fifth of a FLAC file: its header still declares 30 s.
    const auto flac = test::encode(wav, "flac");
    const auto cut = dir / "cut.flac";
    {
        const std::string whole = test::read_file(flac);
        test::write_file(cut, whole.substr(0, whole.size() / 5));
    }
    // The first half of a WAV file: its data chunk still declares 30 s (FFmpeg says only what is left).
    const auto cut_wav = dir / "cut.wav";
    {
        const std::string whole = test::read_file(wav);
        test::write_file(cut_wav, whole.substr(0, whole.size() / 2));
    }
    // Ogg Vorbis and Opus cut in half, inside a page or right after one: FFmpeg declares only the pages before
    // the cut, but the last page does not end the stream (header flag 4).
    std::vector<std::pair<std::filesystem::path, const char*>> refused{
        {empty, "empty file (zero bytes)"}, {text, "not an audio file"}, {cut, "truncated"}, {cut_wav, "truncated"}};
    for (const std::string ext : {"ogg", "opus"}) {
        const std::string whole = test::read_file(test::encode(wav, ext));
        const auto half = dir / ("cut." + ext);
        test::write_file(half, whole.substr(0, whole.size() / 2));
        refused.emplace_back(half, "truncated: the file ends before its Ogg stream does");
        const auto page_cut = dir / ("page-cut." + ext);
        test::write_file(page_cut, whole.substr(0, whole.find("OggS", whole.size() / 2)));
        refused.emplace_back(page_cut, "truncated: the file ends before its Ogg stream does");
    }
    for (const auto& [file, why] : refused) {
        const std::string m = message_of(file);
        CAPTURE(m);
        CHECK(m.rfind(file.string() + ": ", 0) == 0);
        CHECK(m.find(why) != std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
    }
    CHECK(message_of(dir / "missing.mp3").find("no such file") != std::string::npos);

    AudioDecodeOptions short_limit;
    short_limit.max_seconds = 10;
    CHECK_THROWS_WITH_AS(decode_audio(wav, short_limit), doctest::Contains("more than the 10 s a song may be"), DataError);
    // Half a second past the limit is an encoder's padding of a song cut to it (a 20-minute mp3 lasts 1200.04 s).
    AudioDecodeOptions padded;
    padded.max_seconds = decode_audio(wav).seconds() - 0.5;
    CHECK_NOTHROW(decode_audio(wav, padded));
}

TEST_CASE("an MP3 whose frames decode to garbage far past full scale is refused as damaged") {
    // Damaged frames decoded to a peak of 97000 (+77 LUFS), and the song was tagged by that noise.
    TempDir dir;
    const auto mp3 = test::encode(test::make_song(dir.path(), test::Pace::SlowSoft, test::Mode::Minor), "mp3");
    std::string bytes = test::read_file(mp3);
    std::mt19937 random(5);
    for (int i = 0; i < 400; ++i)
        bytes[5000 + random() % (bytes.size() - 6000)] = static_cast<char>(random() % 256);
    const auto damaged = dir / "damaged.mp3";
    test::write_file(damaged, bytes);
    // Whatever the damage decodes to, no sample reaches the song's mood from beyond 4x full scale.
    const std::string message = message_of(damaged);
    if (message.empty()) {
        float peak = 0;
        for (float s : decode_audio(damaged).samples) peak = std::max(peak, std::abs(s));
        CHECK(peak <= 4.0f);
    } else {
        CHECK(message.find("damaged.mp3: damaged: it decodes to samples") != std::string::npos);
    }
    CHECK(message_of(mp3).empty());
}
