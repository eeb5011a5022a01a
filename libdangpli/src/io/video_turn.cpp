#include "dangpli/video_turn.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <cmath>
#include <cstdint>
#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

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

VideoTurn::VideoTurn(int clockwise_degrees) : degrees_(((clockwise_degrees % 360) + 360) % 360) {
    if (degrees_ % 90 != 0) degrees_ = 0;
}

VideoTurn VideoTurn::of_file(const std::filesystem::path& video) {
    AVFormatContext* opened = nullptr;
    if (avformat_open_input(&opened, video.c_str(), nullptr, nullptr) < 0) return VideoTurn{};
    const std::unique_ptr<AVFormatContext*, void (*)(AVFormatContext**)> close(&opened, avformat_close_input);
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
        const AVStream& stream = *opened->streams[i];
        if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO || (stream.disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
        const std::int32_t* matrix = display_matrix(stream);
        if (matrix == nullptr) return VideoTurn{};
        // As ffmpeg's own autorotate reads it (fftools' get_rotation): the matrix turns counterclockwise.
        const double counterclockwise = av_display_rotation_get(matrix);
        if (!std::isfinite(counterclockwise)) return VideoTurn{};
        const long clockwise = std::lround(-counterclockwise);
        const long quarter = std::lround(static_cast<double>(clockwise) / 90.0) * 90;
        return std::labs(clockwise - quarter) <= 1 ? VideoTurn(static_cast<int>(quarter % 360)) : VideoTurn{};
    }
    return VideoTurn{};
}

cv::Mat VideoTurn::upright(const cv::Mat& frame) const {
    if (degrees_ == 0 || frame.empty()) return frame;
    cv::Mat turned;
    cv::rotate(frame, turned,
               degrees_ == 90 ? cv::ROTATE_90_CLOCKWISE : degrees_ == 180 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE);
    return turned;
}

bool open_video_unturned(cv::VideoCapture& capture, const std::filesystem::path& video) {
    if (!capture.open(video.string(), cv::CAP_FFMPEG) || !capture.isOpened()) return false;
    capture.set(cv::CAP_PROP_ORIENTATION_AUTO, 0);  // false on an OpenCV that never turns: nothing to undo
    return true;
}

}  // namespace dangpli
