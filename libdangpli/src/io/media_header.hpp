#pragma once
// A media file's container header, read with FFmpeg (nothing decoded): one way to open it for the
// readers that only look at its streams (media_content_of(), VideoTurn::of_file()).

extern "C" {
#include <libavformat/avformat.h>
}

#include <filesystem>
#include <memory>

namespace dangpli::detail {

struct CloseMediaHeader {
    void operator()(AVFormatContext* opened) const { avformat_close_input(&opened); }
};
using MediaHeader = std::unique_ptr<AVFormatContext, CloseMediaHeader>;

/// The header of `file`; null where FFmpeg cannot open it, or it is no regular file (FFmpeg would
/// wait for ever on a FIFO's writer).
inline MediaHeader open_media_header(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) return nullptr;
    AVFormatContext* opened = nullptr;
    if (avformat_open_input(&opened, file.c_str(), nullptr, nullptr) < 0) return nullptr;
    return MediaHeader(opened);
}

/// A video stream that is a song's cover: marked as an attached picture, or of one frame (some
/// taggers store the cover so).
inline bool is_cover_picture(const AVStream& stream) {
    return (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0 || stream.nb_frames == 1;
}

}  // namespace dangpli::detail
