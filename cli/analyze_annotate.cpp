#include "analyze_annotate.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/core.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

std::vector<fs::path> annotation_names(const std::vector<fs::path>& names, const fs::path& dir) {
    std::vector<fs::path> out;
    std::set<std::string> taken;
    for (const auto& p : names) {
        if (p.empty()) {  // an input that is not read (a folder without images) has no copy
            out.emplace_back();
            continue;
        }
        std::string ext = p.extension().string();
        const std::string lower = ascii_lower(ext);
        std::string stem = p.stem().string();
        if (ext.empty() || !cv::haveImageWriter("x" + ext) || lower == ".pgm" || lower == ".pbm") {
            // A kind OpenCV cannot write (HEIC), or one that cannot hold the coloured drawing (gray PGM,
            // 1-bit PBM): the copy keeps the old extension in its name, "IMG_1.heic.png", so that it can
            // never replace another photo of the folder ("IMG_1.png").
            stem += ext;
            ext = lower == ".pgm" || lower == ".pbm" ? ".ppm" : ".png";
        }
        // A name held by something other than a file (a FIFO would block the write, a device swallow
        // it) is passed over, as a name already given is.
        const auto unusable = [&](const std::string& candidate) {
            std::error_code ec;
            const auto status = fs::status(dir / candidate, ec);
            return taken.count(candidate) != 0 || (fs::exists(status) && !fs::is_regular_file(status));
        };
        const std::string folder = p.parent_path().empty() ? "" : p.parent_path().string() + "/";
        std::string name = folder + stem + ext;
        for (int k = 2; unusable(name); ++k) name = fmt::format("{}{}-{}{}", folder, stem, k, ext);
        taken.insert(name);
        out.push_back(dir / name);
    }
    return out;
}

cv::Mat draw_faces(const cv::Mat& image, const std::vector<AnalyzedFace>& faces) {
    cv::Mat out = image.clone();
    // lines and text grow with the image so that they stay visible on large photos
    const int thick = std::max(1, std::min(image.cols, image.rows) / 300);
    const double font = std::max(0.4, std::min(image.cols, image.rows) / 900.0);
    static const std::array<cv::Scalar, 5> kColours{cv::Scalar(255, 0, 0), cv::Scalar(0, 0, 255),
                                                    cv::Scalar(0, 255, 255), cv::Scalar(255, 0, 255),
                                                    cv::Scalar(255, 255, 0)};
    for (const auto& analyzed : faces) {
        const Face& f = analyzed.face;
        const cv::Rect box(cv::Point(cvRound(f.box.x), cvRound(f.box.y)),
                           cv::Point(cvRound(f.box.x + f.box.width), cvRound(f.box.y + f.box.height)));
        cv::rectangle(out, box, cv::Scalar(0, 255, 0), thick);
        for (std::size_t i = 0; i < f.landmarks.size(); ++i)
            cv::circle(out, cv::Point(cvRound(f.landmarks[i].x), cvRound(f.landmarks[i].y)), 2 * thick,
                       kColours[i], cv::FILLED);
        const auto label = fmt::format("{} {:.2f}", to_string(analyzed.emotion.emotion), analyzed.emotion.confidence);
        int baseline = 0;
        const cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, font, thick, &baseline);
        // Above the box where it fits, else below it, so that faces at the top keep a readable label.
        const int y = box.y - 4 * thick >= text.height ? box.y - 4 * thick : box.y + box.height + text.height + 4 * thick;
        cv::putText(out, label, cv::Point(std::max(box.x, 0), y),
                    cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 255, 0), thick);
    }
    return out;
}

void write_annotated_image(const fs::path& path, const cv::Mat& image) {
    // Encoded in memory, then written by the one writer: whole or not at all, links and modes kept.
    std::vector<uchar> bytes;
    bool encoded = false;
    try {
        encoded = cv::imencode(path.extension().string(), image, bytes);
    } catch (const cv::Exception&) {
        encoded = false;  // reported below with the path, like a false return
    }
    if (!encoded) throw Error(fmt::format("{}: cannot encode the annotated image", path.string()));
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);  // a failure is the write's, said with its path
    write_output_file(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

}  // namespace dangpli::cli
