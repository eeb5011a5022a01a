#pragma once
// Where `dangpli live` gets its frames: a camera, a video file or a folder of images, each frame
// with a time in seconds (the camera's wall clock, the video's own timestamps, or index / fps).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/videoio.hpp>

#include "dangpli/video_clock.hpp"
#include "dangpli/video_turn.hpp"

namespace dangpli::cli {

struct Frame {
    cv::Mat image;
    double time = 0.0;  ///< seconds since the source started
};

class FrameSource {
public:
    /// A camera by index. Throws InputError if it cannot be opened after `retries` tries 2 s apart.
    static FrameSource camera(int index, int retries = 3);
    /// A video file, a folder of images (sorted by name, played at `fps`), or one still photo (a
    /// single frame, read like `analyze` reads it). Throws InputError
    /// naming the path if it cannot be opened, holds no images, or not one frame of it can be read
    /// (a cut video that FFmpeg opens but cannot decode): before the run makes anything.
    static FrameSource file(const std::filesystem::path& path, double fps = 30.0);

    /// The next frame; nullopt at the end of a file. An image of a folder that cannot be read is
    /// named on stderr and skipped, and so is a damaged part of a video that decodes again within
    /// kMostDamagedFrames frames; a video that breaks off short of 90% of the length it
    /// declares throws InputError naming the time. A camera that stops delivering is reopened
    /// (with a message on stderr) up to `retries` times before this throws InputError.
    std::optional<Frame> next();

    bool is_live() const { return camera_index_.has_value(); }
    std::string describe() const { return description_; }

private:
    FrameSource() = default;
    bool reopen_camera();
    std::optional<Frame> read_file_frame();
    std::optional<Frame> read_past_damage();
    bool read_video_frame(cv::Mat& image);  // false at the end or a frame FFmpeg cannot decode
    void say_damage_note();                 // a damaged part's note, held back until the video went on
    double video_frame_time(bool after_lost_frames = false);  // the frame just read, in seconds; never back in time

    // How many undecodable frames in a row a video may have before the rest counts as lost.
    static constexpr int kMostDamagedFrames = 250;

    std::optional<Frame> first_;  // a file's first frame, read when it is opened

    cv::VideoCapture capture_;
    VideoTurn turn_;  // a video's frames are turned upright as its players show them
    std::optional<int> camera_index_;
    int retries_ = 3;
    std::vector<std::filesystem::path> images_;
    std::size_t next_image_ = 0;
    double fps_ = 30.0;
    double camera_start_ = -1.0;
    VideoClock clock_{0.0};  // a video's frames' seconds, from their stamps
    std::string description_;
    std::string damage_note_;  // a damaged part skipped, said once the video goes on after it
    double damage_time_ = 0.0;
};

}  // namespace dangpli::cli
