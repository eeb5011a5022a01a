#include "dangpli/media_content.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

#include <memory>

namespace dangpli {

MediaContent media_content_of(const std::filesystem::path& file) {
    AVFormatContext* opened = nullptr;
    if (avformat_open_input(&opened, file.c_str(), nullptr, nullptr) < 0) return MediaContent::Unknown;
    const std::unique_ptr<AVFormatContext*, void (*)(AVFormatContext**)> close(&opened, avformat_close_input);
    bool sound = false, cover = false, video = false;
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
        const AVStream& stream = *opened->streams[i];
        if (stream.codecpar->codec_type == AVMEDIA_TYPE_AUDIO) sound = true;
        if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
        // A cover marked as one, or a video stream of one frame (some taggers store the cover so).
        if ((stream.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0 || stream.nb_frames == 1) cover = true;
        else video = true;
    }
    if (video || (cover && !sound)) return MediaContent::Video;
    if (cover) return MediaContent::CoverPicture;
    return sound ? MediaContent::SoundOnly : MediaContent::Unknown;
}

}  // namespace dangpli
