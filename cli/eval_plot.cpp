#include "eval_plot.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <fmt/core.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace dangpli::cli {

namespace {

constexpr int kCell = 96;
constexpr int kLeft = 150;    // row labels and the rotated "true"
constexpr int kTop = 84;      // title lines
constexpr int kRight = 120;   // colour bar and its ticks
constexpr int kBottom = 96;   // column labels and "predicted"
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
const cv::Scalar kInk{40, 40, 40};
const cv::Scalar kWhite{255, 255, 255};

// Matplotlib's "Blues" stops (RGB), white to dark blue: light cells read as "few", and the dark
// diagonal of a good model stands out.
cv::Scalar ramp(double v) {
    static constexpr std::array<std::array<double, 3>, 5> kStops{
        {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}}};
    v = std::clamp(v, 0.0, 1.0) * (kStops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(v), kStops.size() - 2);
    const double t = v - static_cast<double>(i);
    std::array<double, 3> rgb{};
    for (std::size_t c = 0; c < 3; ++c) rgb[c] = kStops[i][c] * (1.0 - t) + kStops[i + 1][c] * t;
    return {rgb[2], rgb[1], rgb[0]};
}

// Draws `text` centred on `centre`.
void centred(cv::Mat& img, const std::string& text, cv::Point centre, double scale, cv::Scalar colour,
             int thickness = 1) {
    int baseline = 0;
    const auto size = cv::getTextSize(text, kFont, scale, thickness, &baseline);
    cv::putText(img, text, {centre.x - size.width / 2, centre.y + size.height / 2}, kFont, scale, colour, thickness,
                cv::LINE_AA);
}

// Draws `text` turned 90 degrees counter-clockwise, centred on `centre` (the y-axis title).
void vertical(cv::Mat& img, const std::string& text, cv::Point centre, double scale) {
    int baseline = 0;
    const auto size = cv::getTextSize(text, kFont, scale, 2, &baseline);
    cv::Mat strip(size.height + baseline + 8, size.width + 8, CV_8UC3, kWhite);
    cv::putText(strip, text, {4, size.height + 4}, kFont, scale, kInk, 2, cv::LINE_AA);
    cv::rotate(strip, strip, cv::ROTATE_90_COUNTERCLOCKWISE);
    strip.copyTo(img(cv::Rect(centre.x - strip.cols / 2, centre.y - strip.rows / 2, strip.cols, strip.rows)));
}

void draw_colour_bar(cv::Mat& img, int x, int y, int height) {
    constexpr int kWidth = 22;
    for (int i = 0; i < height; ++i)
        cv::line(img, {x, y + i}, {x + kWidth, y + i}, ramp(1.0 - static_cast<double>(i) / (height - 1)));
    cv::rectangle(img, {x, y, kWidth + 1, height}, kInk);
    for (int pct : {0, 25, 50, 75, 100}) {
        const int ty = y + height - 1 - (height - 1) * pct / 100;
        cv::line(img, {x + kWidth, ty}, {x + kWidth + 5, ty}, kInk);
        cv::putText(img, fmt::format("{}%", pct), {x + kWidth + 9, ty + 5}, kFont, 0.45, kInk, 1, cv::LINE_AA);
    }
}

}  // namespace

cv::Mat draw_confusion_heatmap(const EvalReport& r) {
    const auto& m = r.matrix;
    constexpr int n = static_cast<int>(kEmotionCount);
    cv::Mat img(kTop + n * kCell + kBottom, kLeft + n * kCell + kRight, CV_8UC3, kWhite);

    centred(img, fmt::format("{} on FER2013 {}  (tta {})", r.model, r.split, r.tta), {img.cols / 2, 26}, 0.7, kInk, 2);
    centred(img, fmt::format("n = {}   accuracy {:.2f}%   macro F1 {:.3f}   (rows: share of each true class)",
                             m.total(), 100.0 * m.accuracy(), m.macro_f1()),
            {img.cols / 2, 58}, 0.5, kInk);

    for (int t = 0; t < n; ++t) {
        const auto truth = kAllEmotions[static_cast<std::size_t>(t)];
        const auto row = m.row_total(truth);
        for (int p = 0; p < n; ++p) {
            const auto count = m.count(truth, kAllEmotions[static_cast<std::size_t>(p)]);
            const cv::Rect cell(kLeft + p * kCell, kTop + t * kCell, kCell, kCell);
            const cv::Point centre(cell.x + kCell / 2, cell.y + kCell / 2);
            if (row == 0) {
                cv::rectangle(img, cell, {225, 225, 225}, cv::FILLED);
                centred(img, "-", centre, 0.6, kInk);
                continue;
            }
            const double share = static_cast<double>(count) / static_cast<double>(row);
            cv::rectangle(img, cell, ramp(share), cv::FILLED);
            if (count == 0) {  // a quiet "0" keeps the eye on the cells that matter
                centred(img, "0", centre, 0.55, {170, 170, 170});
                continue;
            }
            // White text on the darker half of the ramp, dark text on the light half.
            const cv::Scalar text = share > 0.45 ? kWhite : kInk;
            const std::string pct = share < 0.005 ? "<1%" : fmt::format("{:.0f}%", 100.0 * share);  // never "0%" for a count
            centred(img, pct, {centre.x, centre.y - 10}, 0.75, text, 2);
            centred(img, fmt::format("({})", count), {centre.x, centre.y + 18}, 0.5, text);
        }
    }
    // Thin grid lines keep neighbouring pale cells apart; the diagonal (correct answers) is framed.
    for (int i = 0; i <= n; ++i) {
        cv::line(img, {kLeft, kTop + i * kCell}, {kLeft + n * kCell, kTop + i * kCell}, {200, 200, 200});
        cv::line(img, {kLeft + i * kCell, kTop}, {kLeft + i * kCell, kTop + n * kCell}, {200, 200, 200});
    }
    for (int i = 0; i < n; ++i)
        cv::rectangle(img, cv::Rect(kLeft + i * kCell, kTop + i * kCell, kCell, kCell), kInk, 2);

    for (int i = 0; i < n; ++i) {
        const std::string name(to_string(kAllEmotions[static_cast<std::size_t>(i)]));
        const auto support = m.row_total(kAllEmotions[static_cast<std::size_t>(i)]);
        int baseline = 0;
        const auto size = cv::getTextSize(name, kFont, 0.6, 1, &baseline);
        const int y = kTop + i * kCell + kCell / 2;
        cv::putText(img, name, {kLeft - 10 - size.width, y}, kFont, 0.6, kInk, 1, cv::LINE_AA);
        const std::string n_text = fmt::format("n={}", support);
        const auto n_size = cv::getTextSize(n_text, kFont, 0.42, 1, &baseline);
        cv::putText(img, n_text, {kLeft - 10 - n_size.width, y + 20}, kFont, 0.42, {110, 110, 110}, 1, cv::LINE_AA);
        centred(img, name, {kLeft + i * kCell + kCell / 2, kTop + n * kCell + 18}, 0.6, kInk);
    }
    centred(img, "predicted", {kLeft + n * kCell / 2, kTop + n * kCell + 62}, 0.75, kInk, 2);
    vertical(img, "true", {24, kTop + n * kCell / 2}, 0.75);
    draw_colour_bar(img, kLeft + n * kCell + 28, kTop, n * kCell);
    return img;
}

}  // namespace dangpli::cli
