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
    bool sound = false, cover = false;
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
        const AVStream& stream = *opened->streams[i];
        if (stream.codecpar->codec_type == AVMEDIA_TYPE_AUDIO) sound = true;
        if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
        if ((stream.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) return MediaContent::Video;
        cover = true;
    }
    if (cover) return MediaContent::CoverPicture;
    return sound ? MediaContent::SoundOnly : MediaContent::Unknown;
}

}  // namespace dangpli
