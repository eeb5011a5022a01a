#include "mtcnn_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dangpli::mtcnn {

float Candidate::area() const { return std::max(0.0f, width()) * std::max(0.0f, height()); }

float overlap(const Candidate& a, const Candidate& b, Overlap mode) {
    const float iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
    const float ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
    if (iw <= 0 || ih <= 0) return 0.0f;
    const float inter = iw * ih;
    const float denom = mode == Overlap::Union ? a.area() + b.area() - inter : std::min(a.area(), b.area());
    return denom > 0 ? inter / denom : 0.0f;
}

std::vector<Candidate> nms(std::vector<Candidate> boxes, float threshold, Overlap mode) {
    // stable: equal scores keep their input order, so results do not depend on the sort's whims
    std::stable_sort(boxes.begin(), boxes.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<Candidate> kept;
    std::vector<bool> dropped(boxes.size(), false);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        if (dropped[i]) continue;
        kept.push_back(boxes[i]);
        for (std::size_t j = i + 1; j < boxes.size(); ++j)
            if (!dropped[j] && overlap(boxes[i], boxes[j], mode) > threshold) dropped[j] = true;
    }
    return kept;
}

void apply_regression(std::vector<Candidate>& boxes) {
    for (auto& b : boxes) {
        const float w = b.width(), h = b.height();
        b.x1 += b.reg[0] * w;
        b.y1 += b.reg[1] * h;
        b.x2 += b.reg[2] * w;
        b.y2 += b.reg[3] * h;
        b.reg = {};
    }
}

void make_square(std::vector<Candidate>& boxes) {
    for (auto& b : boxes) {
        const float side = std::max(b.width(), b.height());
        const float cx = (b.x1 + b.x2) / 2, cy = (b.y1 + b.y2) / 2;
        b.x1 = cx - side / 2;
        b.y1 = cy - side / 2;
        b.x2 = b.x1 + side;
        b.y2 = b.y1 + side;
    }
}

cv::Rect snap_to_pixels(Candidate& box) {
    const int x = static_cast<int>(std::lround(box.x1));
    const int y = static_cast<int>(std::lround(box.y1));
    const int w = std::max(1, static_cast<int>(std::lround(box.width())));
    const int h = std::max(1, static_cast<int>(std::lround(box.height())));
    box.x1 = static_cast<float>(x);
    box.y1 = static_cast<float>(y);
    box.x2 = static_cast<float>(x + w);
    box.y2 = static_cast<float>(y + h);
    return {x, y, w, h};
}

std::vector<double> pyramid_scales(int width, int height, double min_face, double factor) {
    std::vector<double> scales;
    const double first = kPnetCell / min_face;
    double min_side = std::min(width, height) * first;
    for (double scale = first; min_side >= kPnetCell; scale *= factor, min_side *= factor) scales.push_back(scale);
    return scales;
}

cv::Size scaled_size(int width, int height, double scale) {
    return {static_cast<int>(std::ceil(width * scale)), static_cast<int>(std::ceil(height * scale))};
}

std::vector<Candidate> pnet_candidates(const cv::Mat& prob, const cv::Mat& reg, double scale, float threshold) {
    CV_Assert(prob.dims == 4 && reg.dims == 4 && prob.size[1] == 2 && reg.size[1] == 4);
    CV_Assert(prob.size[2] == reg.size[2] && prob.size[3] == reg.size[3]);
    const int rows = prob.size[2], cols = prob.size[3];
    const float* face = prob.ptr<float>(0, 1);
    std::array<const float*, 4> offsets{reg.ptr<float>(0, 0), reg.ptr<float>(0, 1), reg.ptr<float>(0, 2),
                                        reg.ptr<float>(0, 3)};
    std::vector<Candidate> out;
    for (int i = 0; i < rows; ++i) {      // i: x (the blob is transposed)
        for (int j = 0; j < cols; ++j) {  // j: y
            const auto k = static_cast<std::size_t>(i) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(j);
            if (face[k] <= threshold) continue;
            Candidate c;
            c.x1 = static_cast<float>(kPnetStride * i / scale);
            c.y1 = static_cast<float>(kPnetStride * j / scale);
            c.x2 = static_cast<float>((kPnetStride * i + kPnetCell) / scale);
            c.y2 = static_cast<float>((kPnetStride * j + kPnetCell) / scale);
            c.score = face[k];
            for (std::size_t r = 0; r < 4; ++r) c.reg[r] = offsets[r][k];
            out.push_back(c);
        }
    }
    return out;
}

void set_landmarks(Candidate& box, const float* ten) {
    for (std::size_t p = 0; p < 5; ++p)
        box.landmarks[p] = {box.x1 + ten[p] * box.width(), box.y1 + ten[p + 5] * box.height()};
}

}  // namespace dangpli::mtcnn
