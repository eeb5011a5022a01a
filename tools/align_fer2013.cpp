// Re-cuts every FER2013 face the way `analyze` and `live` cut a face before classifying it: the
// 48x48 face is scaled up onto a camera-like frame, found by the product's detector and cropped by
// its aligner. The output is a FER2013 CSV with the same rows in the same order (so FER+ votes
// still line up row for row); a face the detector misses keeps FER2013's own crop. Each row draws
// its frame from a generator seeded by its index, so the output is the same on any number of threads.
// Usage: align_fer2013 IN.csv[.gz] OUT.csv [LIMIT] [THREADS=all usable]
#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "dangpli/error.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/parallel_in_order.hpp"
#include "fer_on_frame.hpp"
#include "fer_rows.hpp"

namespace {

void append_row(std::string& csv, const dangpli::tools::FerRow& row, const cv::Mat& face) {
    csv += std::to_string(dangpli::label_of(row.sample.label));
    csv += ',';
    for (int y = 0; y < face.rows; ++y)
        for (int x = 0; x < face.cols; ++x) {
            if (y || x) csv += ' ';
            csv += std::to_string(face.at<std::uint8_t>(y, x));
        }
    csv += ',';
    csv += dangpli::to_string(row.split);
    csv += '\n';
}

// A whole number >= 0 from the command line, or nullopt.
std::optional<std::size_t> count_argument(std::string_view text) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: align_fer2013 IN.csv[.gz] OUT.csv [LIMIT=0: all rows] [THREADS=all cores]\n");
        return 2;
    }
    const auto limit = argc > 3 ? count_argument(argv[3]) : std::optional<std::size_t>(0);
    const auto threads = argc > 4 ? count_argument(argv[4]) : std::optional<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
    if (!limit || !threads || *threads == 0) {
        std::fprintf(stderr, "align_fer2013: %s '%s': expected a whole number%s\n", limit ? "THREADS" : "LIMIT",
                     argv[limit ? 4 : 3], limit ? " > 0" : " >= 0");
        return 2;
    }
    const std::string in = argv[1], out = argv[2];
    std::error_code ec;
    if (std::filesystem::equivalent(in, out, ec)) {  // an output never replaces its input
        std::fprintf(stderr, "align_fer2013: %s: the output would replace the input\n", out.c_str());
        return 2;
    }
    auto rows = dangpli::tools::load_fer_rows(in);
    if (*limit > 0 && rows.size() > *limit) rows.resize(*limit);

    struct Recut {
        cv::Mat face;
        bool found = false;
    };
    // Faces of 120 to 240 pixels, as a webcam shows a face at arm's length; a frame just large
    // enough keeps the detector's pyramid (most of the cost) small.
    const dangpli::FaceAligner aligner(48);  // const and thread-safe
    auto recut = [&](const dangpli::MtcnnDetector& detector, std::size_t i) {
        std::mt19937 rng(static_cast<std::mt19937::result_type>(i + 1));
        cv::theRNG().state = i + 1;  // the frame's texture comes from OpenCV's (per-thread) generator
        const double scale = std::uniform_real_distribution<double>(2.5, 5.0)(rng);
        const auto frame = dangpli::tools::fer_face_on_frame(rows[i].sample.image, scale, {400, 300}, rng);
        const auto faces = detector.detect(frame);
        if (faces.empty()) return Recut{rows[i].sample.image, false};
        return Recut{aligner.align(frame, faces.front()), true};
    };
    std::string csv = "emotion,pixels,Usage\n";
    csv.reserve(rows.size() * 9000);
    std::size_t found = 0;
    dangpli::parallel_in_order(dangpli::MtcnnDetector{}, rows.size(), static_cast<std::ptrdiff_t>(*threads), recut, [&](std::size_t i, const Recut& r) {
        found += r.found ? 1 : 0;
        append_row(csv, rows[i], r.face);
        if ((i + 1) % 2000 == 0) std::fprintf(stderr, "%zu of %zu rows, %zu faces found\n", i + 1, rows.size(), found);
    });
    dangpli::write_output_file(out, csv);
    fmt::print("{}: {} rows, {} ({:.1f}%) re-cut by the detector and aligner, the rest FER2013's own crop\n", out,
               rows.size(), found, 100.0 * static_cast<double>(found) / static_cast<double>(std::max<std::size_t>(1, rows.size())));
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "align_fer2013: %s\n", e.what());
    return 3;
}
