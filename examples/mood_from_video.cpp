// Reads a webcam, a video file or an image sequence and prints the mood once per second.
//   mood_from_video            the first webcam
//   mood_from_video clip.mp4   a video, on its frames' own clock (their time stamps), as fast as it decodes
//   mood_from_video 'frames/%03d.jpg' --fps 10   numbered images, taken as frames at 10 fps
// A camera is on the wall clock; --fps sets the clock of images that carry no time of their own.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <opencv2/videoio.hpp>

#include <dangpli/dangpli.hpp>
#include <dangpli/video_clock.hpp>

constexpr const char* kUsage = "usage: mood_from_video [CAMERA|VIDEO|'frames/%03d.jpg' [--fps N]]\n";

int main(int argc, char** argv) {
    std::string source = argc > 1 ? argv[1] : "0";
    if (source.starts_with("-")) {
        std::fputs(kUsage, stderr);
        return source == "-h" || source == "--help" ? 0 : 2;
    }
    double fps = 0.0;  // 0: the source's own clock
    if (argc == 4 && std::string(argv[2]) == "--fps") {
        fps = std::atof(argv[3]);
        if (!(fps > 0.0 && fps <= 1000.0)) {
            std::fprintf(stderr, "--fps must be in (0, 1000], got '%s'\n", argv[3]);
            return 2;
        }
    } else if (argc > 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    try {
        cv::VideoCapture capture;
        const bool is_camera = source.find_first_not_of("0123456789") == std::string::npos;
        // A file's frames are turned upright here, as its players show them (a phone's portrait clip).
        const dangpli::VideoTurn turn = is_camera ? dangpli::VideoTurn{} : dangpli::VideoTurn::of_file(source);
        is_camera ? capture.open(std::stoi(source)) : dangpli::open_video_unturned(capture, source);
        if (!capture.isOpened()) {
            std::fprintf(stderr, "%s: cannot open this camera or video\n", source.c_str());
            return 3;
        }
        // The live loop's vision half: the main face tracked (full detection only now and then),
        // aligned and read, as `dangpli live` does it.
        dangpli::MainFaceReader reader(std::make_unique<dangpli::MtcnnDetector>(), dangpli::EmotionClassifier::load_default());
        // The mood is the highest mean probability over the last 2 s of face; a new mood must lead
        // the current one by 0.1 for 1 s to take over, so a talking face's odd frames cannot flip it.
        dangpli::EmotionAggregator aggregator;

        // A file's frames are timed by their stamps (a 10 fps clip is 10 s long, not 3), through
        // VideoClock, which steps over the stamps' gaps and breaks; a camera by the wall clock.
        dangpli::VideoClock clock(fps > 0.0 ? fps : capture.get(cv::CAP_PROP_FPS));
        const auto started = std::chrono::steady_clock::now();
        cv::Mat frame;
        long frame_index = 0;
        long next_report_second = 1;
        while (capture.read(frame)) {
            double seconds = 0.0;
            if (fps > 0.0)
                seconds = static_cast<double>(frame_index++) / fps;
            else if (is_camera)
                seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            else
                seconds = clock.next(capture.get(cv::CAP_PROP_POS_MSEC) / 1000.0);
            const dangpli::TraceFrame main = reader.read(turn.upright(frame), seconds);
            if (main.new_person) aggregator.reset();
            if (main.scores)
                aggregator.push(seconds, *main.scores, dangpli::frame_weight(*main.main_face));
            if (seconds + 1e-9 >= static_cast<double>(next_report_second)) {
                const auto& mood = aggregator.mood();
                if (mood.emotion)
                    std::printf("%lds: %s (%.2f%s)\n", next_report_second,
                                std::string(dangpli::to_string(*mood.emotion)).c_str(), mood.confidence,
                                mood.clear ? "" : ", unclear");
                else
                    std::printf("%lds: no mood yet (%.1f s of face)\n", next_report_second, mood.seconds);
                std::fflush(stdout);
                ++next_report_second;
            }
        }
        return 0;
    } catch (const dangpli::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
