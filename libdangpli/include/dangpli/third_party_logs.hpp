#pragma once
/// \file
/// The log lines of the libraries underneath libdangpli (OpenCV, and FFmpeg both directly and under
/// OpenCV's video reader) are theirs, not the caller's: a failure reaches the caller as one
/// dangpli exception whose message names the file, while OpenCV would also print "[ERROR:0@2.6]
/// global net_impl.cpp ..." lines and FFmpeg "[mp3float @ 0x...] Could not update timestamps".
/// The `dangpli` program and the Python module hide them unless asked; a C++ program decides here.

namespace dangpli {

/// Shows (`shown`, each library's own default) or hides OpenCV's and FFmpeg's log lines for the
/// rest of the process. Hiding sets OpenCV's log level to silent (unless the user set
/// OPENCV_LOG_LEVEL), FFmpeg's to quiet, and OPENCV_FFMPEG_LOGLEVEL (read when OpenCV's FFmpeg
/// backend first opens a video, which sets FFmpeg's level again) unless the user set it: call it
/// before the first video is opened. Showing sets OpenCV's level to warnings and errors (unless
/// OPENCV_LOG_LEVEL is set) and FFmpeg's to "info". Global to the process; not thread-safe.
/// Not covered: libprotobuf's parse errors on a damaged Caffe model, libjpeg's and libpng's
/// warnings, which those libraries print themselves.
void set_third_party_logs(bool shown);

}  // namespace dangpli
