#pragma once
// Ground truth for detector accuracy: dlib's annotated example photos (imglab XML) and a greedy
// IoU matcher. Header-only so that bench/bench_detect.cpp can include it too.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/core/types.hpp>

#include "dangpli/face.hpp"

namespace dangpli::eval {

struct AnnotatedImage {
    std::filesystem::path path;
    std::vector<cv::Rect2f> faces;
};

/// Reads <image file='...'> <box top left width height/> entries of a dlib imglab XML file.
/// Boxes marked ignore='1' are skipped (dlib's convention); the example files have none.
inline std::vector<AnnotatedImage> read_dlib_xml(const std::filesystem::path& xml) {
    std::ifstream in(xml);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    static const std::regex image_re(R"(<image\s+file='([^']+)'[^>]*>([\s\S]*?)</image>)");
    static const std::regex box_re(R"(<box\s+top='(-?\d+)'\s+left='(-?\d+)'\s+width='(\d+)'\s+height='(\d+)'([^>]*)/?>)");
    std::vector<AnnotatedImage> out;
    for (std::sregex_iterator it(text.begin(), text.end(), image_re), end; it != end; ++it) {
        AnnotatedImage img{xml.parent_path() / (*it)[1].str(), {}};
        const std::string body = (*it)[2].str();
        for (std::sregex_iterator b(body.begin(), body.end(), box_re); b != end; ++b) {
            if ((*b)[5].str().find("ignore='1'") != std::string::npos) continue;
            img.faces.emplace_back(std::stof((*b)[2].str()), std::stof((*b)[1].str()), std::stof((*b)[3].str()),
                                   std::stof((*b)[4].str()));
        }
        out.push_back(std::move(img));
    }
    return out;
}

/// All 9 photos / 43 faces of dlib's examples/faces (training.xml + testing.xml).
inline std::vector<AnnotatedImage> read_dlib_faces(const std::filesystem::path& dir) {
    auto all = read_dlib_xml(dir / "training.xml");
    auto test = read_dlib_xml(dir / "testing.xml");
    all.insert(all.end(), test.begin(), test.end());
    return all;
}

inline float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.0f;
}

struct MatchCounts {
    int truth = 0, found = 0, false_positives = 0;
    MatchCounts& operator+=(const MatchCounts& o) {
        truth += o.truth, found += o.found, false_positives += o.false_positives;
        return *this;
    }
};

/// Greedy one-to-one matching, best IoU first: a detection matches at most one true face.
inline MatchCounts match(const std::vector<cv::Rect2f>& truth, const std::vector<cv::Rect2f>& detected,
                         float min_iou = 0.4f) {
    struct Pair { float iou; std::size_t t, d; };
    std::vector<Pair> pairs;
    for (std::size_t t = 0; t < truth.size(); ++t)
        for (std::size_t d = 0; d < detected.size(); ++d)
            if (float v = iou(truth[t], detected[d]); v >= min_iou) pairs.push_back({v, t, d});
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.iou > b.iou; });
    std::vector<bool> t_used(truth.size()), d_used(detected.size());
    MatchCounts m;
    m.truth = static_cast<int>(truth.size());
    for (const auto& p : pairs) {
        if (t_used[p.t] || d_used[p.d]) continue;
        t_used[p.t] = d_used[p.d] = true;
        ++m.found;
    }
    m.false_positives = static_cast<int>(detected.size()) - m.found;
    return m;
}

inline std::vector<cv::Rect2f> boxes_of(const std::vector<Face>& faces) {
    std::vector<cv::Rect2f> out;
    for (const auto& f : faces) out.push_back(f.box);
    return out;
}

}  // namespace dangpli::eval
