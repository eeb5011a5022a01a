#include "dangpli/third_party_logs.hpp"

#include <cstdlib>

extern "C" {
#include <libavutil/log.h>
}
#include <opencv2/core/utils/logger.hpp>

namespace dangpli {

void set_third_party_logs(bool shown) {
    // OpenCV writes its info and debug lines to standard output, where a program's results go, so
    // shown means its warnings and errors (stderr); more only when the user asks OpenCV itself.
    if (!shown)
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    else if (std::getenv("OPENCV_LOG_LEVEL") == nullptr)
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_WARNING);
    if (!shown) ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", /*overwrite=*/0);  // -8 is AV_LOG_QUIET
    av_log_set_level(shown ? AV_LOG_INFO : AV_LOG_QUIET);
}

}  // namespace dangpli
