#include "dangpli/video_turn.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <cmath>
#include <cstdint>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "media_header.hpp"

namespace dangpli {
namespace {

const std::int32_t* display_matrix(const AVStream& stream) {
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)  // FFmpeg 6.1 moved it to the codec parameters
    const AVPacketSideData* data = av_packet_side_data_get(stream.codecpar->coded_side_data,
                                                           stream.codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX);
    return data != nullptr && data->size >= 9 * sizeof(std::int32_t) ? reinterpret_cast<const std::int32_t*>(data->data)
                                                                     : nullptr;
#else
    std::size_t size = 0;
    const std::uint8_t* data = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    return data != nullptr && size >= 9 * sizeof(std::int32_t) ? reinterpret_cast<const std::int32_t*>(data) : nullptr;
#endif
}

}  // namespace

VideoTurn VideoTurn::of_display_matrix(const std::int32_t matrix[9]) {
    // As ffmpeg's autorotate (fftools: get_rotation() and the filters it inserts): the matrix turns
    // counterclockwise; its signs tell a mirror from a turn.
    const double counterclockwise = av_display_rotation_get(matrix);
    if (!std::isfinite(counterclockwise)) return {};
    double theta = -std::round(counterclockwise);
    theta -= 360.0 * std::floor(theta / 360.0 + 0.9 / 360.0);
    if (std::fabs(theta - 90.0) < 1.0) return VideoTurn(matrix[3] > 0 ? Step::Transpose : Step::Clockwise);
    if (std::fabs(theta - 270.0) < 1.0) return VideoTurn(matrix[3] < 0 ? Step::AntiTranspose : Step::Counterclockwise);
    if (std::fabs(theta - 180.0) < 1.0) {
        const bool left_right = matrix[0] < 0, up_down = matrix[4] < 0;
        return VideoTurn(left_right && up_down ? Step::Half
                         : left_right          ? Step::MirrorLeftRight
                         : up_down             ? Step::MirrorUpDown
                                               : Step::None);
    }
    if (std::fabs(theta) < 1.0 && matrix[4] < 0) return VideoTurn(Step::MirrorUpDown);
    return {};
}

VideoTurn VideoTurn::of_file(const std::filesystem::path& video) {
    const detail::MediaHeader opened = detail::open_media_header(video);
    if (!opened) return VideoTurn{};
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
        const AVStream& stream = *opened->streams[i];
        if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO || detail::is_cover_picture(stream)) continue;
        const std::int32_t* matrix = display_matrix(stream);
        return matrix != nullptr ? of_display_matrix(matrix) : VideoTurn{};
    }
    return VideoTurn{};
}

cv::Mat VideoTurn::upright(const cv::Mat& frame) const {
    if (step_ == Step::None || frame.empty()) return frame;
    cv::Mat out;
    switch (step_) {
    case Step::Clockwise: cv::rotate(frame, out, cv::ROTATE_90_CLOCKWISE); break;
    case Step::Half: cv::rotate(frame, out, cv::ROTATE_180); break;
    case Step::Counterclockwise: cv::rotate(frame, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    case Step::MirrorLeftRight: cv::flip(frame, out, 1); break;
    case Step::MirrorUpDown: cv::flip(frame, out, 0); break;
    case Step::Transpose: cv::transpose(frame, out); break;  // ffmpeg's cclock_flip
    case Step::AntiTranspose:                                // ffmpeg's clock_flip
        cv::transpose(frame, out);
        cv::flip(out, out, -1);
        break;
    case Step::None: return frame;
    }
    return out;
}

bool open_video_unturned(cv::VideoCapture& capture, const std::filesystem::path& video) {
    if (!capture.open(video.string(), cv::CAP_FFMPEG) || !capture.isOpened()) return false;
    capture.set(cv::CAP_PROP_ORIENTATION_AUTO, 0);  // false on an OpenCV that never turns: nothing to undo
    return true;
}

}  // namespace dangpli
