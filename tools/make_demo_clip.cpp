// Makes the quick start's demo clip from the project's own example photos: each face held for a
// few seconds with a slow drift and zoom (as a webcam's picture moves), cross-faded into the next,
// and a short gap without a face, so that `dangpli live` has something to follow on a machine
// without a camera. Usage: make_demo_clip OUT.avi [--fps N] PHOTO...   (default 15 fps)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace {

constexpr double kHoldSeconds = 9.0;
constexpr double kFadeSeconds = 0.6;
constexpr double kGapSeconds = 4.0;
const cv::Size kFrame(640, 480);

// The photo filling the frame, zoomed by `zoom` and shifted by (dx, dy) pixels.
cv::Mat framed(const cv::Mat& photo, double zoom, double dx, double dy) {
    const double cover = std::max(double(kFrame.width) / photo.cols, double(kFrame.height) / photo.rows) * zoom;
    cv::Mat m = (cv::Mat_<double>(2, 3) << cover, 0, (kFrame.width - photo.cols * cover) / 2 + dx, 0, cover,
                 (kFrame.height - photo.rows * cover) / 2 + dy);
    cv::Mat out;
    cv::warpAffine(photo, out, m, kFrame, cv::INTER_LINEAR, cv::BORDER_REFLECT);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: make_demo_clip OUT.avi [--fps N] PHOTO...\n");
        return 2;
    }
    double fps = 15.0;
    int first_photo = 2;
    if (std::string(argv[2]) == "--fps" && argc > 4) {
        fps = std::atof(argv[3]);
        first_photo = 4;
    }
    if (!(fps > 0.0 && fps <= 120.0)) {
        std::fprintf(stderr, "make_demo_clip: --fps %s: expected a rate in (0, 120]\n", argv[3]);
        return 2;
    }
    std::vector<cv::Mat> photos;
    for (int i = first_photo; i < argc; ++i) {
        photos.push_back(cv::imread(argv[i], cv::IMREAD_COLOR));
        if (photos.back().empty()) {
            std::fprintf(stderr, "make_demo_clip: %s: cannot read this image\n", argv[i]);
            return 3;
        }
    }
    const std::string out = argv[1];
    cv::VideoWriter writer(out, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, kFrame);
    if (!writer.isOpened()) {
        std::fprintf(stderr, "make_demo_clip: %s: cannot write a video here\n", out.c_str());
        return 3;
    }
    const int hold = static_cast<int>(kHoldSeconds * fps), fade = static_cast<int>(kFadeSeconds * fps);
    cv::Mat previous;
    for (std::size_t p = 0; p < photos.size(); ++p) {
        if (p == photos.size() - 1 && p > 0) {  // a gap before the last face: "no face in sight"
            cv::Mat empty(kFrame, CV_8UC3, cv::Scalar(70, 80, 90));
            for (int i = 0; i < static_cast<int>(kGapSeconds * fps); ++i) writer.write(empty);
            previous = empty;
        }
        for (int i = 0; i < hold; ++i) {
            const double s = double(i) / hold;
            cv::Mat frame = framed(photos[p], 1.0 + 0.08 * s, 12.0 * std::sin(6.0 * s), 6.0 * std::cos(4.0 * s));
            if (i < fade && !previous.empty()) cv::addWeighted(frame, double(i) / fade, previous, 1.0 - double(i) / fade, 0, frame);
            writer.write(frame);
            if (i == hold - 1) previous = frame;
        }
    }
    writer.release();
    return 0;
}
