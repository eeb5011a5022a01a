// make_batch_photos OUT_DIR [COUNT=64]: COUNT 640x480 JPEG photos for bench/batch_throughput.sh,
// made from dlib's annotated example photos and the shared face photos (letterboxed, cycled).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <fmt/core.h>
#include <opencv2/imgcodecs.hpp>

#include "letterbox.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: make_batch_photos OUT_DIR [COUNT=64]\n");
        return 2;
    }
    const fs::path out = argv[1];
    const int count = argc > 2 ? std::atoi(argv[2]) : 64;
    std::vector<cv::Mat> frames;
    for (const fs::path& dir : {fs::path(DANGPLI_DLIB_FACES_DIR), fs::path(DANGPLI_SHARED_DIR) / "data/faces"}) {
        std::vector<fs::path> photos;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".jpg" || e.path().extension() == ".jpeg") photos.push_back(e.path());
        std::sort(photos.begin(), photos.end());
        for (const auto& p : photos) frames.push_back(dangpli::bench::letterbox(cv::imread(p.string())));
    }
    if (frames.empty() || count < 1) {
        fmt::print(stderr, "make_batch_photos: no photos found, or COUNT < 1\n");
        return 3;
    }
    fs::create_directories(out);
    for (int i = 0; i < count; ++i) {
        const auto path = out / fmt::format("photo-{:04}.jpg", i);
        if (!cv::imwrite(path.string(), frames[static_cast<std::size_t>(i) % frames.size()])) {
            fmt::print(stderr, "make_batch_photos: cannot write {}\n", path.string());
            return 7;
        }
    }
    fmt::print("{} photos of 640x480 from {} distinct frames in {}\n", count, frames.size(), out.string());
    return 0;
}
