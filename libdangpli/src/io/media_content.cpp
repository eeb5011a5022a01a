#include "dangpli/media_content.hpp"

#include <string_view>

#include "media_header.hpp"

namespace dangpli {

namespace {

// Demuxers that take any file named like a picture or text for one (image2 by its name alone: "not a
// PNG" in text.png), and GIF's, whose stills and animations are images to a user: none is a video.
bool reads_pictures_or_text(std::string_view demuxer) {
    return demuxer == "image2" || demuxer == "tty" || demuxer == "gif" || demuxer.ends_with("_pipe");
}

}  // namespace

MediaContent media_content_of(const std::filesystem::path& file) {
    const detail::MediaHeader opened = detail::open_media_header(file);
    if (!opened || reads_pictures_or_text(opened->iformat->name)) return MediaContent::Unknown;
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
