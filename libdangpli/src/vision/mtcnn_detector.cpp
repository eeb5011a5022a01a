#include "dangpli/mtcnn_detector.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <string>

#include <fmt/core.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/model_files.hpp"
#include "detector_checks.hpp"
#include "mtcnn_geometry.hpp"
#include "mtcnn_input.hpp"

namespace dangpli {

using mtcnn::Candidate;
using mtcnn::Overlap;

MtcnnModelPaths MtcnnModelPaths::find() {
    return {find_model_file("mtcnn/det1.prototxt"), find_model_file("mtcnn/det1.caffemodel"),
            find_model_file("mtcnn/det2.prototxt"), find_model_file("mtcnn/det2.caffemodel"),
            find_model_file("mtcnn/det3.prototxt"), find_model_file("mtcnn/det3.caffemodel")};
}

MtcnnModelPaths MtcnnModelPaths::in_dir(const std::filesystem::path& dir) {
    return {dir / "det1.prototxt", dir / "det1.caffemodel", dir / "det2.prototxt",
            dir / "det2.caffemodel", dir / "det3.prototxt", dir / "det3.caffemodel"};
}

namespace {

// Caps a batch so that a photo with thousands of candidates cannot ask for gigabytes at once.
constexpr int kMaxBatch = 128;

struct NetFiles {
    std::filesystem::path prototxt, caffemodel;
    std::vector<uchar> prototxt_bytes, caffemodel_bytes;
    std::vector<std::string> outputs;  // the blobs we read, in the order detect() expects them
};

std::vector<uchar> read_bytes(const std::filesystem::path& path) {
    std::string text;
    try {
        text = read_input_file(path, input_limits::kModel, "a model file");
    } catch (const InputError& e) {
        throw ModelError(fmt::format("cannot read MTCNN model file {}", e.what()));
    }
    std::vector<uchar> bytes(text.begin(), text.end());
    if (bytes.empty()) throw ModelError(fmt::format("MTCNN model file {} is empty", path.string()));
    return bytes;
}

NetFiles load_files(std::filesystem::path prototxt, std::filesystem::path caffemodel,
                    std::vector<std::string> outputs) {
    NetFiles f{std::move(prototxt), std::move(caffemodel), {}, {}, std::move(outputs)};
    f.prototxt_bytes = read_bytes(f.prototxt);
    f.caffemodel_bytes = read_bytes(f.caffemodel);
    return f;
}

cv::dnn::Net make_net(const NetFiles& f) {
    cv::dnn::Net net;
    try {
        net = cv::dnn::readNetFromCaffe(f.prototxt_bytes, f.caffemodel_bytes);
    } catch (const cv::Exception& e) {
        throw ModelError(fmt::format("{} / {}: not a Caffe model OpenCV can load: {}", f.prototxt.string(),
                                     f.caffemodel.string(), e.err));  // err: without the source line and newline
    }
    for (const auto& name : f.outputs)
        if (net.empty() || net.getLayerId(name) < 0)
            throw ModelError(fmt::format("{}: no layer '{}'; is this the MTCNN model it should be?",
                                         f.prototxt.string(), name));
    return net;
}

void check_options(const FaceDetectorOptions& options) {
    detection::check_common_options(options);
    const MtcnnOptions& o = options.mtcnn;
    auto fail = [](const char* what) { throw InputError(std::string("MTCNN options: ") + what); };
    if (!(o.pyramid_factor > 0 && o.pyramid_factor < 1)) fail("pyramid_factor must be in (0, 1)");
    for (float t : {o.pnet_threshold, o.rnet_threshold, o.onet_threshold})
        if (!(t >= 0 && t <= 1)) fail("stage thresholds must be in [0, 1]");
    for (float t : {o.nms_scale, o.nms_pyramid, o.nms_refine, o.nms_output})
        if (!(t > 0 && t <= 1)) fail("NMS thresholds must be in (0, 1]");
}

Candidate square_around(const cv::Rect2f& box) {
    std::vector<Candidate> one(1);
    one[0].x1 = box.x, one[0].y1 = box.y, one[0].x2 = box.x + box.width, one[0].y2 = box.y + box.height;
    mtcnn::make_square(one);
    return one[0];
}

void shift(Candidate& c, float dx, float dy) {
    c.x1 += dx, c.x2 += dx, c.y1 += dy, c.y2 += dy;
    for (auto& p : c.landmarks) p += cv::Point2f(dx, dy);
}

// How far O-Net's regression moved a box: the larger of the centre's shift and the change of
// side, as a fraction of the crop's side.
float moved_fraction(const Candidate& crop, const Candidate& found) {
    const float side = crop.width();
    const float dx = (found.x1 + found.x2 - crop.x1 - crop.x2) / 2, dy = (found.y1 + found.y2 - crop.y1 - crop.y2) / 2;
    const float dside = std::max(found.width(), found.height()) - side;
    return std::max({std::abs(dx), std::abs(dy), std::abs(dside)}) / side;
}

// Beyond this move the crop was off-centre enough that O-Net is asked again on the corrected one.
constexpr float kRefineAgainAbove = 0.05f;

}  // namespace

struct MtcnnDetector::Impl {
    // the model bytes are immutable and shared by copies; each copy parses its own nets from them
    std::shared_ptr<const std::array<NetFiles, 3>> files;
    FaceDetectorOptions options;
    std::mutex mutex;
    cv::dnn::Net pnet, rnet, onet;

    Impl(std::shared_ptr<const std::array<NetFiles, 3>> f, FaceDetectorOptions o)
        : files(std::move(f)), options(o), pnet(make_net((*files)[0])), rnet(make_net((*files)[1])),
          onet(make_net((*files)[2])) {}

    std::vector<Candidate> run_pnet(const cv::Mat& rgb_t, int width, int height);
    std::vector<Candidate> run_stage(cv::dnn::Net& net, const NetFiles& f, const cv::Mat& rgb_t,
                                     std::vector<Candidate> boxes, int side, float threshold, bool landmarks);
    std::optional<Candidate> run_onet_on(const cv::Mat& image, Candidate square);
};

std::vector<Candidate> MtcnnDetector::Impl::run_pnet(const cv::Mat& rgb_t, int width, int height) {
    const auto scales = mtcnn::pyramid_scales(width, height,
                                              static_cast<double>(smallest_face_searched(options, width, height)),
                                              static_cast<double>(options.mtcnn.pyramid_factor));
    std::vector<Candidate> all;
    std::vector<cv::Mat> outs;
    for (double scale : scales) {
        const cv::Size level = mtcnn::scaled_size(width, height, scale);
        cv::Mat resized;  // transposed: rows = level width
        cv::resize(rgb_t, resized, cv::Size(level.height, level.width), 0, 0, cv::INTER_LINEAR);
        cv::Mat blob = mtcnn::make_blob(1, resized.rows, resized.cols);
        mtcnn::fill_blob(resized, blob, 0);
        pnet.setInput(blob);
        pnet.forward(outs, (*files)[0].outputs);
        auto found = mtcnn::pnet_candidates(outs[1], outs[0], scale, options.mtcnn.pnet_threshold);
        found = mtcnn::nms(std::move(found), options.mtcnn.nms_scale, Overlap::Union);
        all.insert(all.end(), found.begin(), found.end());
    }
    all = mtcnn::nms(std::move(all), options.mtcnn.nms_pyramid, Overlap::Union);
    mtcnn::apply_regression(all);
    mtcnn::make_square(all);
    return all;
}

std::vector<Candidate> MtcnnDetector::Impl::run_stage(cv::dnn::Net& net, const NetFiles& f, const cv::Mat& rgb_t,
                                                     std::vector<Candidate> boxes, int side, float threshold,
                                                     bool landmarks) {
    std::vector<Candidate> kept;
    std::vector<cv::Mat> outs;
    const int total = static_cast<int>(boxes.size());
    for (int start = 0; start < total; start += kMaxBatch) {
        const int n = std::min(kMaxBatch, total - start);
        cv::Mat blob = mtcnn::make_blob(n, side, side);
        for (int k = 0; k < n; ++k) {
            const cv::Rect r = mtcnn::snap_to_pixels(boxes[static_cast<std::size_t>(start + k)]);
            mtcnn::fill_blob_with_crop(rgb_t, r, blob, k);
        }
        net.setInput(blob);
        net.forward(outs, f.outputs);  // [regression, (landmarks,) probability]
        const cv::Mat& reg = outs.front();
        const cv::Mat& prob = outs.back();
        for (int k = 0; k < n; ++k) {
            Candidate c = boxes[static_cast<std::size_t>(start + k)];
            c.score = prob.ptr<float>(k)[1];
            if (c.score <= threshold) continue;
            std::copy_n(reg.ptr<float>(k), 4, c.reg.begin());
            if (landmarks) mtcnn::set_landmarks(c, outs[1].ptr<float>(k));
            kept.push_back(c);
        }
    }
    return kept;
}

// O-Net on one square crop, converting only the crop's pixels (not the whole frame) to the nets'
// layout; the box comes back regressed, with landmarks, or nullopt below the O-Net threshold.
std::optional<Candidate> MtcnnDetector::Impl::run_onet_on(const cv::Mat& image, Candidate square) {
    const cv::Rect crop = mtcnn::snap_to_pixels(square);
    const cv::Rect inside = crop & cv::Rect(0, 0, image.cols, image.rows);
    if (inside.empty()) return std::nullopt;
    const auto dx = static_cast<float>(inside.x), dy = static_cast<float>(inside.y);
    shift(square, -dx, -dy);  // into the cut-out's coordinates; what lies outside it is outside the image
    auto kept = run_stage(onet, (*files)[2], mtcnn::to_rgb_transposed(image(inside)), {square}, mtcnn::kOnetSide,
                          options.mtcnn.onet_threshold, true);
    if (kept.empty()) return std::nullopt;
    mtcnn::apply_regression(kept);
    shift(kept.front(), dx, dy);
    return kept.front();
}

MtcnnDetector::MtcnnDetector(const MtcnnModelPaths& paths, FaceDetectorOptions options) {
    check_options(options);
    auto files = std::make_shared<std::array<NetFiles, 3>>(std::array<NetFiles, 3>{
        load_files(paths.pnet_prototxt, paths.pnet_caffemodel, {"conv4-2", "prob1"}),
        load_files(paths.rnet_prototxt, paths.rnet_caffemodel, {"conv5-2", "prob1"}),
        load_files(paths.onet_prototxt, paths.onet_caffemodel, {"conv6-2", "conv6-3", "prob1"})});
    impl_ = std::make_unique<Impl>(std::move(files), options);
}

MtcnnDetector::MtcnnDetector(const MtcnnDetector& other)
    : FaceDetector(other), impl_(std::make_unique<Impl>(other.impl_->files, other.impl_->options)) {}

MtcnnDetector& MtcnnDetector::operator=(const MtcnnDetector& other) {
    if (this != &other) impl_ = std::make_unique<Impl>(other.impl_->files, other.impl_->options);
    return *this;
}

MtcnnDetector::MtcnnDetector(MtcnnDetector&&) noexcept = default;
MtcnnDetector& MtcnnDetector::operator=(MtcnnDetector&&) noexcept = default;
MtcnnDetector::~MtcnnDetector() = default;

std::unique_ptr<FaceDetector> MtcnnDetector::clone() const { return std::make_unique<MtcnnDetector>(*this); }

const FaceDetectorOptions& MtcnnDetector::options() const { return impl_->options; }

std::vector<Face> MtcnnDetector::detect(const cv::Mat& image) const {
    const FaceDetectorOptions& o = impl_->options;
    detection::check_image(image, o.max_pixels);
    const double first_scale =
        mtcnn::kPnetCell / static_cast<double>(smallest_face_searched(o, image.cols, image.rows));
    const double level_pixels = first_scale * first_scale * image.cols * image.rows;
    if (level_pixels > static_cast<double>(o.max_pixels))
        throw InputError(fmt::format("face detection: with min_face_size {} px the {}x{} image is scaled to {:.0f} "
                                     "pixels, more than max_pixels {}; raise min_face_size",
                                     o.min_face_size, image.cols, image.rows, level_pixels, o.max_pixels));

    const cv::Mat rgb_t = mtcnn::to_rgb_transposed(image);
    std::lock_guard lock(impl_->mutex);
    auto boxes = impl_->run_pnet(rgb_t, image.cols, image.rows);
    if (!boxes.empty()) {
        boxes = impl_->run_stage(impl_->rnet, (*impl_->files)[1], rgb_t, std::move(boxes), mtcnn::kRnetSide, o.mtcnn.rnet_threshold, false);
        boxes = mtcnn::nms(std::move(boxes), o.mtcnn.nms_refine, Overlap::Union);
        mtcnn::apply_regression(boxes);
        mtcnn::make_square(boxes);
    }
    if (!boxes.empty()) {
        boxes = impl_->run_stage(impl_->onet, (*impl_->files)[2], rgb_t, std::move(boxes), mtcnn::kOnetSide, o.mtcnn.onet_threshold, true);
        mtcnn::apply_regression(boxes);
        boxes = mtcnn::nms(std::move(boxes), o.mtcnn.nms_output, Overlap::Min);  // sorted by score
    }

    std::vector<Face> faces;
    faces.reserve(boxes.size());
    for (const auto& b : boxes) faces.push_back({cv::Rect2f(b.x1, b.y1, b.width(), b.height()), b.score, b.landmarks});
    return faces;
}

std::optional<Face> MtcnnDetector::refine(const cv::Mat& image, const cv::Rect2f& previous) const {
    detection::check_image(image, impl_->options.max_pixels);
    detection::check_previous_box(previous);
    std::lock_guard lock(impl_->mutex);
    const Candidate first_crop = square_around(previous);
    auto found = impl_->run_onet_on(image, first_crop);
    if (!found) return std::nullopt;
    if (moved_fraction(first_crop, *found) > kRefineAgainAbove) {
        const cv::Rect2f moved(found->x1, found->y1, found->width(), found->height());
        // the second look, on a crop centred on the face, has the better box and landmarks
        if (auto again = impl_->run_onet_on(image, square_around(moved))) found = again;
    }
    return Face{cv::Rect2f(found->x1, found->y1, found->width(), found->height()), found->score, found->landmarks};
}

}  // namespace dangpli
