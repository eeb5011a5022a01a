#include "dangpli/media_content.hpp"

#include "media_header.hpp"

namespace dangpli {

MediaContent media_content_of(const std::filesystem::path& file) {
    const detail::MediaHeader opened = detail::open_media_header(file);
    if (!opened) return MediaContent::Unknown;
    bool sound = false, cover = false, video = false;
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
        const AVStream& stream = *opened->streams[i];
        if (stream.codecpar->codec_type == AVMEDIA_TYPE_AUDIO) sound = true;
        if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
        if (detail::is_cover_picture(stream)) cover = true;
        else video = true;
    }
    if (video || (cover && !sound)) return MediaContent::Video;
    if (cover) return MediaContent::CoverPicture;
    return sound ? MediaContent::SoundOnly : MediaContent::Unknown;
}

}  // namespace dangpli
