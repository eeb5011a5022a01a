#include "live_source.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/core.h>

#include "dangpli/error.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/live_trace.hpp"
#include "dangpli/media_content.hpp"
#include "monotonic_seconds.hpp"
#include "natural_order.hpp"
#include "stderr_line.hpp"

namespace dangpli::cli {

FrameSource FrameSource::camera(int index, int retries) {
    FrameSource s;
    s.camera_index_ = index;
    s.retries_ = retries;
    s.description_ = fmt::format("camera {}", index);
    if (!s.reopen_camera())
        throw InputError(fmt::format("camera {} could not be opened (is it connected, and free? try --camera N "
                                     "or --source FILE)", index));
    return s;
}

bool FrameSource::reopen_camera() {
    for (int attempt = 0; attempt <= retries_; ++attempt) {
        if (attempt > 0) {
            tell("dangpli: camera {} not available, retrying in 2 s ({} of {})\n", *camera_index_,
                 attempt, retries_);
            std::this_thread::sleep_for(std::chrono::seconds(2));
        }
        capture_.release();
        // V4L2, the webcams' interface on Linux: the default order tries gphoto2 too, which scans
        // the USB bus (slow for a missing camera, and it leaks what it finds).
        if (capture_.open(*camera_index_, cv::CAP_V4L2) && capture_.isOpened()) return true;
    }
    return false;
}

namespace {

// Whether the file starts like a video container FFmpeg reads: MP4/MOV (ftyp, not a HEIF photo's),
// AVI, Matroska/WebM, Ogg, FLV. (FFmpeg opens anything named .jpg as a picture sequence, so an open
// proves nothing.)
bool starts_like_video_container(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char head[12] = {};
    if (!in.read(head, sizeof head)) return false;
    const std::string_view h(head, sizeof head);
    return h.substr(4, 4) == "ftyp" || (h.starts_with("RIFF") && h.substr(8, 4) == "AVI ") ||
           h.starts_with("\x1A\x45\xDF\xA3") || h.starts_with("OggS") || h.starts_with("FLV");
}

}  // namespace

FrameSource FrameSource::file(const std::filesystem::path& path, double fps) {
    FrameSource s;
    s.fps_ = fps;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        for (const auto& entry : std::filesystem::directory_iterator(path))
            if (!entry.is_directory() && has_image_extension(entry.path())) s.images_.push_back(entry.path());
        std::sort(s.images_.begin(), s.images_.end(), natural_path_less);  // f1, f2, ..., f10
        if (s.images_.empty()) throw InputError(path.string() + ": no images in this folder");
        s.description_ = fmt::format("{} ({} images at {} fps)", path.string(), s.images_.size(), fps);
        s.first_ = s.read_file_frame();
        if (!s.first_) throw InputError(path.string() + ": not one of its images could be read");
        return s;
    }
    // A still photo is read as analyze reads it (a cut file is refused, not shown in part): one frame.
    // Told from a video by its content, as analyze does: a photo named .mp4, a video named .heic. A
    // file named like an image that is neither gets the image reader's reason ("empty file", "not an
    // image"), not the video reader's.
    // (A raw MJPEG stream starts like a JPEG too: its name says it is a video.)
    const bool mjpeg = path.extension() == ".mjpeg" || path.extension() == ".mjpg";
    if (std::filesystem::is_regular_file(path, ec) && !mjpeg &&
        (starts_like_image_file(path) || (has_image_extension(path) && !starts_like_video_container(path)))) {
        s.images_ = {path};
        s.next_image_ = 1;
        s.first_ = Frame{read_image_file(path), 0.0};
        s.description_ = path.string() + " (a still photo)";
        return s;
    }
    // A video has no size limit (it is streamed), but a FIFO or device must not block the open.
    check_input_file(path, std::numeric_limits<std::uintmax_t>::max(), "a video");
    if (std::filesystem::file_size(path, ec) == 0 && !ec)
        throw InputError(path.string() + ": empty file (zero bytes), not a video");
    // A song opens as its cover picture, one frame of a "video" that then broke off at 0.0 s.
    const MediaContent content = media_content_of(path);
    if (content == MediaContent::CoverPicture || content == MediaContent::SoundOnly)
        throw InputError(path.string() + (content == MediaContent::SoundOnly ? ": sound only" : ": sound and a cover picture") +
                         ", no video (songs go in with 'dangpli playlist add' or 'scan')");
    if (!open_video_unturned(s.capture_, path))
        throw InputError(path.string() + (starts_like_video_container(path)
                                              ? ": a video that cannot be opened (cut short, still being written, or damaged?)"
                                              : ": not a video OpenCV can read"));
    s.turn_ = VideoTurn::of_file(path);  // a phone's portrait clip is stored sideways
    s.clock_ = VideoClock(s.capture_.get(cv::CAP_PROP_FPS));
    s.description_ = path.string();
    s.first_ = s.read_file_frame();
    if (!s.first_) throw InputError(path.string() + ": not one frame could be read (a cut or damaged video?)");
    return s;
}

std::optional<Frame> FrameSource::next() {
    if (first_) return std::exchange(first_, std::nullopt);
    if (camera_index_) {
        Frame f;
        while (!capture_.read(f.image) || f.image.empty()) {
            tell("dangpli: camera {} stopped delivering frames\n", *camera_index_);
            if (!reopen_camera())
                throw InputError(fmt::format("camera {} disappeared and could not be reopened", *camera_index_));
        }
        if (camera_start_ < 0) camera_start_ = monotonic_seconds();
        f.time = monotonic_seconds() - camera_start_;
        return f;
    }
    return read_file_frame();
}

std::optional<Frame> FrameSource::read_file_frame() {
    Frame f;
    if (!images_.empty()) {
        // One bad image must not end a run: it is named once and skipped; its slot on the
        // folder's clock stays empty so that the others keep their times.
        while (next_image_ < images_.size()) {
            const auto& p = images_[next_image_];
            f.time = static_cast<double>(next_image_++) / fps_;
            try {
                f.image = read_image_file(p);  // a cut or oversized image is refused, never shown in part
                return f;
            } catch (const InputError& e) {
                tell("dangpli: {}; skipped\n", e.what());
            }
        }
        return std::nullopt;
    }
    if (!read_video_frame(f.image)) return read_past_damage();
    f.time = video_frame_time();
    // The video went on for a second after the damage: it was a damaged part, not where a cut file
    // breaks off (its decoder still hands out the frames it holds).
    if (f.time - damage_time_ >= 1.0) say_damage_note();
    return f;
}

void FrameSource::say_damage_note() {
    if (!damage_note_.empty()) tell("{}\n", std::exchange(damage_note_, {}));
}

bool FrameSource::read_video_frame(cv::Mat& image) {
    if (!capture_.read(image) || image.empty()) return false;
    image = turn_.upright(image);
    return true;
}

double FrameSource::video_frame_time(bool after_lost_frames) {
    // A stream without time stamps (raw MJPEG, a JPEG named .mp4) reads as garbage (-3.7e17 s); the frames a
    // decoder hands out after B-frames read as 0; the clock steps over those and over breaks in the stamps.
    // To whole microseconds: OpenCV's milliseconds come as 566.99999999999989, which a trace printed so.
    return clock_.next(std::round(capture_.get(cv::CAP_PROP_POS_MSEC) * 1000.0) / 1e6, after_lost_frames);
}

std::optional<Frame> FrameSource::read_past_damage() {
    // read() is false at the end and at a packet FFmpeg cannot decode alike; the frame count the
    // container declares (an estimate in some: a little slack) tells them apart.
    const double declared = capture_.get(cv::CAP_PROP_FRAME_COUNT);
    const double at = capture_.get(cv::CAP_PROP_POS_FRAMES);
    if (!(declared > 0) || at + 2 >= declared) {
        say_damage_note();
        return std::nullopt;
    }
    Frame f;
    for (int tries = 0; tries < kMostDamagedFrames; ++tries) {
        if (read_video_frame(f.image)) {
            f.time = video_frame_time(/*after_lost_frames=*/true);
            if (damage_note_.empty()) {
                damage_note_ = fmt::format("dangpli: {}: a damaged part before {:.1f} s could not be decoded; skipped",
                                           description_, f.time);
                damage_time_ = f.time;
            }
            return f;
        }
    }
    // Nothing more decodes. Past 90% of its length (as for a song), the rest is taken as frames lost
    // to damage on the way; short of it the file was cut. Judged by time: a variable-frame-rate
    // video without a frame index (Matroska, WebM) declares its duration times its highest rate,
    // far more frames than it holds, while count / rate is its duration either way.
    const double fps = capture_.get(cv::CAP_PROP_FPS);
    const double declared_seconds = fps > 0 ? declared / fps : 0.0;
    const double frame_seconds = fps > 0 ? 1.0 / fps : 0.0;
    if (!(declared_seconds > 0) || clock_.latest_stamp() + frame_seconds >= 0.9 * declared_seconds) return std::nullopt;
    throw InputError(fmt::format("{}: the video breaks off at {:.1f} s of the {:.1f} s it declares (cut or damaged)",
                                 description_, clock_.last_time(), declared_seconds));
}

}  // namespace dangpli::cli
