#pragma once
// The log lines of the libraries underneath (OpenCV, FFmpeg, libjpeg, libpng) are theirs, not
// ours: hidden unless `dangpli --verbose`, so that a user sees one line per problem, our own.

namespace dangpli::cli {

/// Shows (`verbose`) or hides the libraries' own log lines for the rest of the run: OpenCV's
/// logger (its warnings and errors, or the level the user set in OPENCV_LOG_LEVEL), FFmpeg's
/// (through OpenCV's OPENCV_FFMPEG_LOGLEVEL, unless the user set it, and through
/// set_audio_decoder_logs() for `playlist scan`), and the warnings libjpeg and libpng print to
/// stderr while OpenCV decodes. Call before any image or video is opened; not thread-safe.
void set_library_logs(bool verbose);

}  // namespace dangpli::cli
