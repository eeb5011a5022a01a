// Decoding through FFmpeg: libavformat demuxes, libavcodec decodes, libswresample mixes down to
// mono float at the analysis rate. Everything here is glue around those three.
#include "dangpli/audio_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libswresample/swresample.h>
}

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string_view>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"

namespace dangpli {
namespace {

// Decoded samples past this many times full scale are no sound (see decode()'s check).
constexpr float kLoudestSample = 4.0f;

std::string av_message(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

struct FormatCloser {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecFreer {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct ResamplerFreer {
    void operator()(SwrContext* c) const { swr_free(&c); }
};
struct PacketFreer {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFreer {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};

std::string tag(const AVFormatContext& format, const AVStream& stream, const char* key) {
    // Containers keep tags on the file (mp3, mp4) or on the stream (ogg, opus).
    for (AVDictionary* dict : {format.metadata, stream.metadata})
        if (const AVDictionaryEntry* e = av_dict_get(dict, key, nullptr, 0); e && e->value && *e->value) return e->value;
    return {};
}

// The file's declared length in seconds, or 0 when neither stream nor container says.
double declared_seconds(const AVFormatContext& format, const AVStream& stream) {
    if (stream.duration > 0 && stream.time_base.den > 0) return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
    if (format.duration > 0) return static_cast<double>(format.duration) / AV_TIME_BASE;
    return 0.0;
}

// A WAV file's length as its data chunk declares it, or 0 when it cannot tell (not RIFF WAVE, no
// data chunk, no constant bit rate, or a streaming writer's placeholder size). FFmpeg clips a data
// chunk that runs past the end of the file, and then declares only what is there.
double wav_declared_seconds(const std::filesystem::path& path, const AVStream& stream) {
    const std::int64_t bytes_per_second = stream.codecpar->bit_rate / 8;
    if (bytes_per_second <= 0) return 0.0;
    std::ifstream in(path, std::ios::binary);
    auto little_endian = [](const unsigned char* p) {
        return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
    };
    unsigned char head[12];
    if (!in.read(reinterpret_cast<char*>(head), 12) || std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return 0.0;
    for (int chunk = 0; chunk < 64 && in.read(reinterpret_cast<char*>(head), 8); ++chunk) {
        const std::uint32_t size = little_endian(head + 4);
        if (std::memcmp(head, "data", 4) == 0)
            return size == 0 || size >= 0xFFFFF000u ? 0.0 : static_cast<double>(size) / static_cast<double>(bytes_per_second);
        in.seekg(static_cast<std::streamoff>(size) + (size & 1u), std::ios::cur);
    }
    return 0.0;
}

// Whether an Ogg file (Vorbis, Opus, FLAC in Ogg) ends with the page that ends its stream (header
// flag 4, end of stream). A file cut short ends inside a page or after one without that flag, and
// FFmpeg then decodes, and declares, only the pages before the cut: the length check cannot see it.
// A page: "OggS", version 0, flags, ..., 27 header bytes in all, then a segment table.
bool ogg_ends_its_stream(const std::filesystem::path& path) {
    constexpr std::size_t kLargestPage = 27 + 255 + 255 * 255;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const auto size = static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0));
    const std::size_t start = size > kLargestPage ? size - kLargestPage : 0;
    std::string tail(size - start, '\0');
    in.seekg(static_cast<std::streamoff>(start));
    if (!in.read(tail.data(), static_cast<std::streamsize>(tail.size()))) return true;  // unreadable: not our verdict
    for (std::size_t at = tail.rfind("OggS"); at != std::string::npos; at = at ? tail.rfind("OggS", at - 1) : std::string::npos) {
        if (at + 27 > tail.size() || tail[at + 4] != 0) continue;
        const std::size_t segments = static_cast<unsigned char>(tail[at + 26]);
        if (at + 27 + segments > tail.size()) continue;
        std::size_t end = at + 27 + segments;
        for (std::size_t i = 0; i < segments; ++i) end += static_cast<unsigned char>(tail[at + 27 + i]);
        if (end == tail.size()) return (static_cast<unsigned char>(tail[at + 5]) & 0x04) != 0;
    }
    return false;
}

class Decoder {
public:
    Decoder(const std::filesystem::path& path, const AudioDecodeOptions& options) : path_(path), options_(options) {}
    ~Decoder() { av_channel_layout_uninit(&input_layout_); }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    DecodedAudio run() {
        open();
        DecodedAudio audio;
        audio.sample_rate = options_.sample_rate;
        const AVStream& stream = *format_->streams[stream_index_];
        audio.title = tag(*format_, stream, "title");
        audio.artist = tag(*format_, stream, "artist");
        audio.album = tag(*format_, stream, "album");
        const double declared = declared_seconds(*format_, stream);
        if (declared > longest()) too_long(declared);
        decode_all(audio.samples);
        if (audio.samples.empty()) fail("holds no audio samples");
        const bool wav = std::string_view(format_->iformat->name) == "wav";
        const double meant = std::max(declared, wav ? wav_declared_seconds(path_, stream) : 0.0);
        if (meant > 1.0 && audio.seconds() < 0.9 * meant)
            fail(fmt::format("truncated or damaged: {:.1f} s of the {:.1f} s its header declares", audio.seconds(), meant));
        // Damaged MP3 frames decode to garbage far past full scale (a peak of 97000, +77 LUFS): the
        // song's mood would be read from noise. A real master peaks near 1 (a little over, clipped).
        float peak = 0.0f;
        for (const float sample : audio.samples) peak = std::max(peak, std::abs(sample));
        if (!(peak <= kLoudestSample))
            fail(fmt::format("damaged: it decodes to samples {:.0f} times full scale (garbage, not sound)", peak));
        if (std::string_view(format_->iformat->name) == "ogg" && !ogg_ends_its_stream(path_))
            fail(fmt::format("truncated: the file ends before its Ogg stream does ({:.1f} s of audio before the cut)",
                             audio.seconds()));
        return audio;
    }

private:
    [[noreturn]] void fail(std::string_view why) const { throw DataError(fmt::format("{}: {}", path_.string(), why)); }
    // An encoder pads a song's end (an MP3's or AAC's last frame): a song cut to 20 minutes lasts
    // 1200.04 s, and was refused as "1200 s long, more than the 1200 s a song may be".
    double longest() const { return options_.max_seconds + 1.0; }
    [[noreturn]] void too_long(double seconds) const {
        fail(fmt::format("{:.1f} s long, more than the {:.0f} s a song may be", seconds, options_.max_seconds));
    }

    void open() {
        if (std::error_code ec; std::filesystem::is_regular_file(path_, ec) && std::filesystem::file_size(path_, ec) == 0)
            fail("empty file (zero bytes), not a song");
        AVFormatContext* raw = nullptr;
        if (int rc = avformat_open_input(&raw, path_.c_str(), nullptr, nullptr); rc < 0) {
            // An error of the file system is not a verdict on the file's content.
            if (rc == AVERROR(EACCES) || rc == AVERROR(ENOENT) || rc == AVERROR(EISDIR) || rc == AVERROR(ENAMETOOLONG))
                fail(fmt::format("cannot open ({})", av_message(rc)));
            fail(fmt::format("not an audio file ({})", av_message(rc)));
        }
        format_.reset(raw);
        if (int rc = avformat_find_stream_info(format_.get(), nullptr); rc < 0)
            fail(fmt::format("not an audio file ({})", av_message(rc)));
        const AVCodec* codec = nullptr;
        stream_index_ = av_find_best_stream(format_.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
        if (stream_index_ < 0 || !codec) fail("not an audio file (no audio stream FFmpeg can decode)");
        codec_.reset(avcodec_alloc_context3(codec));
        if (!codec_) throw Error("out of memory for an audio decoder");
        const AVStream& stream = *format_->streams[stream_index_];
        if (avcodec_parameters_to_context(codec_.get(), stream.codecpar) < 0 || avcodec_open2(codec_.get(), codec, nullptr) < 0)
            fail(fmt::format("cannot open its {} decoder", codec->name));
    }

    void open_resampler(AVFrame& frame) {
        SwrContext* raw = nullptr;
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        if (swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, options_.sample_rate, &frame.ch_layout,
                                static_cast<AVSampleFormat>(frame.format), frame.sample_rate, 0, nullptr) < 0 ||
            swr_init(raw) < 0) {
            swr_free(&raw);
            fail("its sample format cannot be converted");
        }
        resampler_.reset(raw);
    }

    void convert(const AVFrame* frame, std::vector<float>& out) {
        const int in = frame ? frame->nb_samples : 0;
        const int room = swr_get_out_samples(resampler_.get(), in);
        if (room <= 0) return;
        const std::size_t at = out.size();
        out.resize(at + static_cast<std::size_t>(room));
        auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + at);
        const int got = swr_convert(resampler_.get(), &dst, room,
                                    frame ? const_cast<const std::uint8_t**>(frame->extended_data) : nullptr, in);
        if (got < 0) fail(fmt::format("cannot be resampled ({})", av_message(got)));
        out.resize(at + static_cast<std::size_t>(got));
        if (static_cast<double>(out.size()) > longest() * options_.sample_rate)
            too_long(static_cast<double>(out.size()) / options_.sample_rate);
    }

    void drain(std::vector<float>& out) {
        for (;;) {
            int rc = avcodec_receive_frame(codec_.get(), frame_.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) damaged(out, rc);
            // A stream may change its layout or rate midway (some radio rips): start over.
            if (!resampler_ || frame_->sample_rate != input_rate_ ||
                av_channel_layout_compare(&frame_->ch_layout, &input_layout_) != 0) {
                if (resampler_) convert(nullptr, out);
                open_resampler(*frame_);
                input_rate_ = frame_->sample_rate;
                av_channel_layout_uninit(&input_layout_);
                av_channel_layout_copy(&input_layout_, &frame_->ch_layout);
            }
            convert(frame_.get(), out);
            av_frame_unref(frame_.get());
        }
    }

    [[noreturn]] void damaged(const std::vector<float>& out, int rc) const {
        fail(fmt::format("damaged after {:.1f} s ({})", static_cast<double>(out.size()) / options_.sample_rate, av_message(rc)));
    }

    void decode_all(std::vector<float>& out) {
        std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
        frame_.reset(av_frame_alloc());
        if (!packet || !frame_) throw Error("out of memory for audio frames");
        int rc = 0;
        while ((rc = av_read_frame(format_.get(), packet.get())) >= 0) {
            if (packet->stream_index == stream_index_) {
                int sent = avcodec_send_packet(codec_.get(), packet.get());
                // A damaged packet in the middle is skipped, as players do; the length check catches losses.
                if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_INVALIDDATA) damaged(out, sent);
                drain(out);
            }
            av_packet_unref(packet.get());
        }
        if (rc != AVERROR_EOF) damaged(out, rc);
        avcodec_send_packet(codec_.get(), nullptr);
        drain(out);
        if (resampler_) convert(nullptr, out);
    }

    std::filesystem::path path_;
    AudioDecodeOptions options_;
    std::unique_ptr<AVFormatContext, FormatCloser> format_;
    std::unique_ptr<AVCodecContext, CodecFreer> codec_;
    std::unique_ptr<SwrContext, ResamplerFreer> resampler_;
    std::unique_ptr<AVFrame, FrameFreer> frame_;
    int stream_index_ = -1;
    int input_rate_ = 0;
    AVChannelLayout input_layout_{};
};

}  // namespace

DecodedAudio decode_audio(const std::filesystem::path& path, const AudioDecodeOptions& options) {
    if (options.sample_rate < 8000 || options.sample_rate > 192000 || !(options.max_seconds > 0))
        throw InputError(fmt::format("bad decode options: rate {} Hz, at most {} s", options.sample_rate, options.max_seconds));
    check_input_file(path, input_limits::kSong, "a song");
    return Decoder(path, options).run();
}

void set_audio_decoder_logs(bool verbose) { av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_QUIET); }

}  // namespace dangpli
