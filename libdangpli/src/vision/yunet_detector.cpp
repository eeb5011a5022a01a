#include "dangpli/yunet_detector.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <string>

#include <fmt/core.h>
#include <opencv2/dnn/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect/face.hpp>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/model_files.hpp"
#include "detector_checks.hpp"

namespace dangpli {

namespace {

// One row of cv::FaceDetectorYN's output: x, y, w, h, five (x, y) landmarks, score.
constexpr int kRowLength = 15;
constexpr int kFirstLandmarkColumn = 4;
constexpr int kScoreColumn = 14;

// YuNet's anchors span faces of 10 to 256 pixels of its input, and on larger faces it finds
// parts of them. The frame is scaled so that the smallest face searched (smallest_face_searched())
// becomes kSmallestFace (a face it still finds well; never scaled up). Where the frame could hold a face larger than kSplitFace at that
// scale, a second pass kCoarserBy times smaller (1/16 of the pixels) takes the faces from
// kSplitFace up (48 pixels and more there), and the first keeps only those below: each size is
// read where YuNet reads it well (a split at 128 lost a 130-pixel baby face in the coarse pass).
constexpr double kSmallestFace = 16.0;
constexpr double kSplitFace = 192.0;
constexpr double kCoarserBy = 4.0;
// The network's five poolings need this many pixels a side; smaller inputs are padded.
constexpr int kSmallestInput = 64;
// OpenCV 4.6's YuNet returns boxes of infinite or huge size on inputs about 20 times wider than tall
// (1280x64 and 3200x96 do, 1600x128 and 2048x256 do not): inputs are padded to at most 8:1 either way.
constexpr int kMostElongatedInput = 8;

// YuNet's landmark k is our landmark kToLandmark[k]. The model names the subject's right eye
// first, which is the eye on the image's left: its order is Landmark's (checked against MTCNN
// on real photos by tests/detector).
// Its points are not moved towards MTCNN's: on upscaled FER2013 faces YuNet puts the mouth about 2 of 48
// pixels higher and the eyes closer (bench/calibrate_fer_framing TRAIN 1500 yunet against mtcnn), but on
// real photos about a third of that, and moving them by the FER offset took the real photos' landmark
// gap to MTCNN (tests/detector) from a median 0.105 to 0.134 eye distances (session 27).
constexpr std::array<Landmark, 5> kToLandmark{Landmark::LeftEye, Landmark::RightEye, Landmark::Nose,
                                              Landmark::MouthLeft, Landmark::MouthRight};

void check_options(const FaceDetectorOptions& options) {
    detection::check_common_options(options);
    const YunetOptions& o = options.yunet;
    if (!(o.score_threshold >= 0 && o.score_threshold <= 1))
        throw InputError("YuNet options: score_threshold must be in [0, 1]");
    if (!(o.nms_threshold > 0 && o.nms_threshold <= 1)) throw InputError("YuNet options: nms_threshold must be in (0, 1]");
    if (o.top_k < 1) throw InputError("YuNet options: top_k must be >= 1");
}

cv::Mat to_bgr(const cv::Mat& image) {
    if (image.channels() == 3) return image;
    cv::Mat bgr;
    cv::cvtColor(image, bgr, image.channels() == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_BGRA2BGR);
    return bgr;
}

// A row whose numbers are finite and whose box has an area and its centre on the (unpadded) input: a
// safety net under the padding above, so that no such box reaches a caller.
bool plausible_row(const float* row, cv::Size input) {
    for (int k = 0; k < kRowLength; ++k)
        if (!std::isfinite(row[k])) return false;
    const float cx = row[0] + row[2] / 2, cy = row[1] + row[3] / 2;
    return row[2] > 0 && row[3] > 0 && cx >= 0 && cy >= 0 && cx < static_cast<float>(input.width) &&
           cy < static_cast<float>(input.height);
}

// Gray levels' standard deviation below which a box holds nothing to read. A black frame or a
// covered lens (1920x1080 and larger) gave YuNet's coarse pass a 0.81-0.87 "face" larger than the
// frame, which the classifier read as angry 0.59; a dark real face still varies by far more.
constexpr double kFlattestFace = 2.0;

// True where the box of `row` holds (within the unpadded `input` of `size`) no variation at all.
bool flat_box(const cv::Mat& input, cv::Size size, const float* row) {
    const cv::Rect box = cv::Rect(cv::Point(static_cast<int>(std::floor(row[0])), static_cast<int>(std::floor(row[1]))),
                                  cv::Point(static_cast<int>(std::ceil(row[0] + row[2])), static_cast<int>(std::ceil(row[1] + row[3])))) &
                         cv::Rect(cv::Point(0, 0), size);
    if (box.area() <= 0) return true;
    cv::Scalar mean, deviation;
    cv::meanStdDev(input(box), mean, deviation);
    return std::max({deviation[0], deviation[1], deviation[2]}) < kFlattestFace;
}

// A row of the network's output, found on an image scaled by (sx, sy), in the original's pixels.
Face face_from_row(const float* row, float sx, float sy) {
    Face face;
    face.box = cv::Rect2f(row[0] / sx, row[1] / sy, row[2] / sx, row[3] / sy);
    for (std::size_t k = 0; k < kToLandmark.size(); ++k) {
        const float* xy = row + kFirstLandmarkColumn + 2 * k;
        face.landmarks[static_cast<std::size_t>(kToLandmark[k])] = cv::Point2f(xy[0] / sx, xy[1] / sy);
    }
    face.score = std::clamp(row[kScoreColumn], 0.0f, 1.0f);
    return face;
}

// Greedy NMS across the passes (within a pass the network's own NMS has run): best score first.
std::vector<Face> suppress_overlaps(std::vector<Face> faces, float max_iou) {
    std::stable_sort(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.score > b.score; });
    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    for (const auto& f : faces) boxes.emplace_back(f.box), scores.push_back(f.score);
    std::vector<int> kept;
    cv::dnn::NMSBoxes(boxes, scores, 0.0f, max_iou, kept);
    std::sort(kept.begin(), kept.end());  // indices into the sorted faces: best first again
    std::vector<Face> out;
    for (int i : kept) out.push_back(faces[static_cast<std::size_t>(i)]);
    return out;
}

}  // namespace

std::filesystem::path YunetDetector::find_model() { return find_model_file(kModelFile); }

struct YunetDetector::Impl {
    std::filesystem::path model;
    FaceDetectorOptions options;
    std::mutex mutex;
    cv::Ptr<cv::FaceDetectorYN> net;

    Impl(std::filesystem::path m, FaceDetectorOptions o) : model(std::move(m)), options(o), net(load()) {}

    cv::Ptr<cv::FaceDetectorYN> load() const;
    std::vector<Face> run(const cv::Mat& bgr);
    std::vector<Face> run_at(const cv::Mat& bgr, double scale);
};

cv::Ptr<cv::FaceDetectorYN> YunetDetector::Impl::load() const {
    const auto fail = [&](const std::string& why) {
        return ModelError(fmt::format("{}: not a YuNet model OpenCV {} can run ({}); expected {}", model.string(),
                                      CV_VERSION, why, kModelFile));
    };
    // Said as every model file is: "PATH: no such file", "...: not a regular file (a directory)", too large.
    if (model.empty()) throw ModelError("no YuNet model named (an empty path)");
    try {
        check_input_file(model, input_limits::kModel, "a YuNet model");
    } catch (const InputError& e) {
        throw ModelError(e.what());
    }
    const YunetOptions& o = options.yunet;
    try {
        auto loaded = cv::FaceDetectorYN::create(model.string(), "", cv::Size(kSmallestInput, kSmallestInput), o.score_threshold,
                                                 o.nms_threshold, o.top_k);
        if (loaded.empty()) throw fail("nothing loaded");
        // a model that loads but is not YuNet fails on its first frame: find that out now
        cv::Mat rows;
        loaded->detect(cv::Mat(kSmallestInput, kSmallestInput, CV_8UC3, cv::Scalar::all(0)), rows);
        if (!rows.empty() && (rows.type() != CV_32F || rows.cols != kRowLength)) throw fail("unexpected output");
        return loaded;
    } catch (const cv::Exception& e) {
        throw fail(e.err);  // err: without the source line and newline
    }
}

// One pass of the network on `bgr` scaled by `scale`; the faces in `bgr`'s pixels.
std::vector<Face> YunetDetector::Impl::run_at(const cv::Mat& bgr, double scale) {
    const cv::Size size(std::max(1, static_cast<int>(std::lround(bgr.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(bgr.rows * scale))));
    cv::Mat input = bgr;
    if (size != bgr.size()) cv::resize(bgr, input, size, 0, 0, cv::INTER_AREA);
    const int padded_cols = std::max({input.cols, kSmallestInput, input.rows / kMostElongatedInput});
    const int padded_rows = std::max({input.rows, kSmallestInput, padded_cols / kMostElongatedInput});
    if (padded_cols != input.cols || padded_rows != input.rows)
        cv::copyMakeBorder(input, input, 0, padded_rows - input.rows, 0, padded_cols - input.cols,
                           cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::Mat rows;
    {
        std::lock_guard lock(mutex);
        net->setInputSize(input.size());  // the network runs at each frame's own size
        net->detect(input, rows);
    }
    const auto sx = static_cast<float>(size.width) / static_cast<float>(bgr.cols);
    const auto sy = static_cast<float>(size.height) / static_cast<float>(bgr.rows);
    std::vector<Face> faces;
    for (int r = 0; r < rows.rows; ++r)
        if (plausible_row(rows.ptr<float>(r), size) && !flat_box(input, size, rows.ptr<float>(r)))
            faces.push_back(face_from_row(rows.ptr<float>(r), sx, sy));
    return faces;
}

std::vector<Face> YunetDetector::Impl::run(const cv::Mat& bgr) {
    const auto smallest = static_cast<double>(smallest_face_searched(options, bgr.cols, bgr.rows));
    const double fine = std::min(1.0, kSmallestFace / smallest);
    std::vector<Face> faces = run_at(bgr, fine);
    const double split = kSplitFace / fine;  // in the frame's pixels
    const auto side = [](const Face& f) { return static_cast<double>(std::max(f.box.width, f.box.height)); };
    if (std::min(bgr.cols, bgr.rows) > split) {
        std::erase_if(faces, [&](const Face& f) { return side(f) >= split; });
        for (const Face& f : run_at(bgr, fine / kCoarserBy))
            if (side(f) >= split) faces.push_back(f);
        // a face near the split may be found by both passes
        faces = suppress_overlaps(std::move(faces), options.yunet.nms_threshold);
    } else {
        std::stable_sort(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.score > b.score; });
    }
    std::erase_if(faces, [&](const Face& f) { return static_cast<double>(std::max(f.box.width, f.box.height)) < smallest; });
    return faces;
}

YunetDetector::YunetDetector(const std::filesystem::path& model, FaceDetectorOptions options) {
    check_options(options);
    impl_ = std::make_unique<Impl>(model, options);
}

YunetDetector::YunetDetector(const YunetDetector& other)
    : FaceDetector(other), impl_(std::make_unique<Impl>(other.impl_->model, other.impl_->options)) {}

YunetDetector& YunetDetector::operator=(const YunetDetector& other) {
    if (this != &other) impl_ = std::make_unique<Impl>(other.impl_->model, other.impl_->options);
    return *this;
}

YunetDetector::YunetDetector(YunetDetector&&) noexcept = default;
YunetDetector& YunetDetector::operator=(YunetDetector&&) noexcept = default;
YunetDetector::~YunetDetector() = default;

std::unique_ptr<FaceDetector> YunetDetector::clone() const { return std::make_unique<YunetDetector>(*this); }

const FaceDetectorOptions& YunetDetector::options() const { return impl_->options; }

std::vector<Face> YunetDetector::detect(const cv::Mat& image) const {
    detection::check_image(image, impl_->options.max_pixels);
    return impl_->run(to_bgr(image));
}

}  // namespace dangpli
