#pragma once
/// \file
/// VideoTurn: the turn a video player gives a file's frames to show them upright (a phone's portrait
/// clip is stored sideways, with a display matrix that says so). OpenCV's own turning cannot be relied
/// on: 4.6 turns +-90 degrees the wrong way, which shows the face upside down (opencv#22088), and 4.11
/// stopped turning by default (opencv#26795). So a reader opens the video with OpenCV's turning off
/// (open_video_unturned()) and turns each frame by what FFmpeg's own tools read from the file.

#include <cstdint>
#include <filesystem>

#include <opencv2/core/mat.hpp>

namespace cv {
class VideoCapture;
}

namespace dangpli {

/// What shows a video's frames upright: a quarter turn, a half turn or a mirror (a front camera's
/// "mirror" setting), or nothing.
class VideoTurn {
public:
    /// The turn of `video`'s first video stream, read from its container with FFmpeg (its header
    /// only, nothing decoded). None for a file without one, one FFmpeg cannot open, or a turn that
    /// is not a multiple of 90 degrees.
    static VideoTurn of_file(const std::filesystem::path& video);

    /// The turn a display matrix (3x3, 16.16 and 2.30 fixed point, as FFmpeg keeps it) asks for, read
    /// as ffmpeg's own autorotate reads it: a mirror is a mirror, not a half turn.
    static VideoTurn of_display_matrix(const std::int32_t matrix[9]);

    /// No turn.
    VideoTurn() = default;

    /// Whether frames are changed at all.
    bool turns() const { return step_ != Step::None; }

    /// `frame` turned upright (the same Mat when there is no turn).
    cv::Mat upright(const cv::Mat& frame) const;

private:
    enum class Step { None, Clockwise, Half, Counterclockwise, MirrorLeftRight, MirrorUpDown, Transpose, AntiTranspose };
    explicit VideoTurn(Step step) : step_(step) {}
    Step step_ = Step::None;
};

/// Opens `video` with OpenCV's FFmpeg reader (and no other: a file FFmpeg cannot read would fall
/// through to GStreamer, and to gphoto2, which scans the USB bus for cameras) and turns its turning
/// off, so that VideoTurn::upright() turns each frame once. False when it cannot be opened.
bool open_video_unturned(cv::VideoCapture& capture, const std::filesystem::path& video);

}  // namespace dangpli
