#pragma once
/// \file
/// What a media file holds for a reader of faces, from its container's header (FFmpeg; nothing is
/// decoded). A song given where a video is wanted opens in OpenCV as its cover picture: one frame,
/// then what read as a video that "breaks off at 0.0 s". Telling it apart names the mistake.

#include <filesystem>

namespace dangpli {

/// The kinds of content media_content_of() tells apart.
enum class MediaContent {
    Unknown,       ///< no regular file (missing, a folder, a FIFO: never opened), FFmpeg cannot open it, holds no stream it knows, or reads it as a picture or text (image2, GIF)
    Video,         ///< at least one video stream that is not a cover picture
    CoverPicture,  ///< sound with only a cover picture (a song's album art: an attached picture, or a one-frame video stream)
    SoundOnly,     ///< sound and no picture at all
};

/// The content of `file`, read from its container's header.
MediaContent media_content_of(const std::filesystem::path& file);

}  // namespace dangpli
