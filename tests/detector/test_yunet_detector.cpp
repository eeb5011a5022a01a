// YunetDetector on real photos: its faces, its landmarks against MTCNN's on the same faces (the
// aligner's template was calibrated on MTCNN's), bad inputs, copies and threads, the factory.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"
#include "detector_photos.hpp"
#include "face_eval.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::kDlibFacesDir;
using dangpli::test::kFacesDir;
using dangpli::test::kSharedDir;
using dangpli::test::kSharedFaces;
using dangpli::test::load;

namespace {

YunetDetector& yunet() { return test::shared_yunet(); }
MtcnnDetector& mtcnn() { return test::shared_mtcnn(); }

float distance(cv::Point2f a, cv::Point2f b) { return static_cast<float>(cv::norm(a - b)); }

// The mean of the five landmarks' distances between two detections of one face, as a fraction of
// the distance between the reference's eyes. A swapped pair (eyes or mouth corners) adds about 0.4.
float landmark_gap(const Face& reference, const Face& other) {
    const auto at = [&](Landmark l) { return reference.landmarks[static_cast<std::size_t>(l)]; };
    const float eyes = distance(at(Landmark::LeftEye), at(Landmark::RightEye));
    float sum = 0;
    for (std::size_t k = 0; k < 5; ++k) sum += distance(reference.landmarks[k], other.landmarks[k]);
    return sum / 5 / eyes;
}

Face with_swapped(Face f, Landmark a, Landmark b) {
    std::swap(f.landmarks[static_cast<std::size_t>(a)], f.landmarks[static_cast<std::size_t>(b)]);
    return f;
}

// The same faces found by both detectors: each MTCNN face with the YuNet face whose box overlaps it most.
std::vector<std::pair<Face, Face>> same_faces(const cv::Mat& image) {
    std::vector<std::pair<Face, Face>> pairs;
    const auto others = yunet().detect(image);
    for (const Face& m : mtcnn().detect(image)) {
        const Face* best = nullptr;
        float best_iou = 0.3f;  // YuNet's boxes are taller than MTCNN's squares: a loose match
        for (const Face& y : others)
            if (float iou = intersection_over_union(m.box, y.box); iou > best_iou) best = &y, best_iou = iou;
        if (best != nullptr) pairs.emplace_back(m, *best);
    }
    return pairs;
}

}  // namespace

TEST_CASE("YuNet finds the one face in each portrait and five in the group photo, scores in [0, 1]") {
    for (const auto& [photo, count] : kSharedFaces) {
        const std::string& name = photo;  // clang 14 cannot capture a structured binding (CAPTURE)
        CAPTURE(name);
        const auto faces = yunet().detect(load(kFacesDir / name));
        CHECK(faces.size() == count);
        for (std::size_t i = 1; i < faces.size(); ++i) CHECK(faces[i - 1].score >= faces[i].score);
        for (const auto& f : faces) {
            CHECK(f.score >= yunet().options().yunet.score_threshold);
            CHECK(f.score <= 1.0f);
            CHECK(f.box.width > 20);
        }
    }
}

TEST_CASE("YuNet's landmarks are MTCNN's on the same faces, in Landmark order") {
    // Real photos: the shared portraits and group, and dlib's (faces of 37 to 90 pixels).
    std::vector<std::filesystem::path> photos;
    for (const auto& [name, count] : kSharedFaces) photos.push_back(kFacesDir / name);
    for (const auto& img : eval::read_dlib_faces(kDlibFacesDir)) photos.push_back(img.path);
    std::vector<float> gaps;
    for (const auto& path : photos) {
        CAPTURE(path.filename().string());
        for (const auto& [m, y] : same_faces(load(path))) {
            const float gap = landmark_gap(m, y);
            CHECK(gap < 0.4f);  // the same face: its points within 0.4 eye distances on average
            // the order is ours: swapping either pair puts the points further from MTCNN's
            CHECK(gap < landmark_gap(m, with_swapped(y, Landmark::LeftEye, Landmark::RightEye)));
            CHECK(gap < landmark_gap(m, with_swapped(y, Landmark::MouthLeft, Landmark::MouthRight)));
            gaps.push_back(gap);
        }
    }
    REQUIRE(gaps.size() >= 40);
    std::sort(gaps.begin(), gaps.end());
    MESSAGE(gaps.size() << " faces compared; landmark gap (mean of five, in MTCNN's inter-ocular distances): median "
                        << gaps[gaps.size() / 2] << ", worst " << gaps.back());
    CHECK(gaps[gaps.size() / 2] < 0.15f);
}

TEST_CASE("YuNet on dlib's annotated photos: recall >= 0.9 at IoU 0.4 with at most 2 false positives") {
    const auto images = eval::read_dlib_faces(kDlibFacesDir);
    REQUIRE(images.size() == 9);
    eval::MatchCounts total;
    for (const auto& img : images) total += eval::match(img.faces, eval::boxes_of(yunet().detect(load(img.path))));
    MESSAGE("YuNet: " << total.found << "/" << total.truth << ", " << total.false_positives << " false positives");
    CHECK(total.truth == 43);
    CHECK(static_cast<double>(total.found) / total.truth >= 0.9);
    CHECK(total.false_positives <= 2);
}

TEST_CASE("YuNet: gray, BGRA and ROI inputs; no faces in a flat or tiny image") {
    const cv::Mat bgr = load(kSharedDir / "data/faces/group.jpeg");
    cv::Mat bgra, gray;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    const auto a = yunet().detect(bgr);
    const auto b = yunet().detect(bgra);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].box == b[i].box);
    CHECK(yunet().detect(gray).size() >= 3);
    const cv::Mat roi = bgr(cv::Rect(0, 0, bgr.cols / 2, bgr.rows));
    CHECK_NOTHROW((void)yunet().detect(roi));
    CHECK(yunet().detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 120, 30))).empty());
    CHECK(yunet().detect(cv::Mat(5, 5, CV_8UC1, cv::Scalar(0))).empty());
    // A black frame from 1920x1080 up gave a "face" larger than the frame (score 0.81), read as angry.
    for (const cv::Size size : {cv::Size(1920, 1080), cv::Size(4032, 3024), cv::Size(3024, 4032)}) {
        cv::Mat dark(size, CV_8UC3, cv::Scalar::all(0));
        CHECK_MESSAGE(yunet().detect(dark).empty(), size);
        cv::randn(dark, cv::Scalar::all(2), cv::Scalar::all(0.5));  // a pocket's sensor noise
        CHECK_MESSAGE(yunet().detect(dark).empty(), size);
    }
    // A real face on a large black background is still found.
    cv::Mat portrait(3024, 4032, CV_8UC3, cv::Scalar::all(0));
    cv::Mat face = load(kSharedDir / "data/faces/neutral.jpeg");
    cv::resize(face, face, cv::Size(), 900.0 / face.rows, 900.0 / face.rows, cv::INTER_AREA);
    face.copyTo(portrait(cv::Rect(cv::Point(2800, 1800), face.size())));
    cv::cvtColor(portrait, portrait, cv::COLOR_BGR2GRAY);
    CHECK(yunet().detect(portrait).size() == 1);
}

TEST_CASE("YuNet: bad images, options and model files are reported") {
    CHECK_THROWS_AS((void)yunet().detect(cv::Mat()), InputError);
    CHECK_THROWS_AS((void)yunet().detect(cv::Mat(100, 100, CV_32FC3)), InputError);
    CHECK_THROWS_AS((void)yunet().detect(cv::Mat(100, 100, CV_8UC2)), InputError);
    FaceDetectorOptions small;
    small.max_pixels = 100 * 100;
    const YunetDetector limited(YunetDetector::find_model(), small);
    CHECK_NOTHROW((void)limited.detect(cv::Mat(100, 100, CV_8UC3, cv::Scalar(0))));
    CHECK_THROWS_AS((void)limited.detect(cv::Mat(100, 101, CV_8UC3, cv::Scalar(0))), InputError);

    FaceDetectorOptions o;
    o.yunet.score_threshold = 1.5f;
    CHECK_THROWS_AS(YunetDetector(YunetDetector::find_model(), o), InputError);
    o = {};
    o.min_face_size = 0;
    CHECK_THROWS_AS(YunetDetector(YunetDetector::find_model(), o), InputError);

    dangpli::test::TempDir tmp;
    CHECK_THROWS_WITH_AS(YunetDetector(tmp / "missing.onnx"), doctest::Contains("missing.onnx: no such file"), ModelError);
    // Said as every other model file is (it was a bare "cannot read YuNet model file").
    CHECK_THROWS_WITH_AS(YunetDetector(tmp.path()), doctest::Contains("not a regular file (a directory)"), ModelError);
    CHECK_THROWS_WITH_AS(YunetDetector(""), "no YuNet model named (an empty path)", ModelError);
    CHECK_THROWS_WITH_AS(YunetDetector("/dev/zero"), doctest::Contains("a character device"), ModelError);
    dangpli::test::write_file(tmp / "broken.onnx", "not a model");
    CHECK_THROWS_AS(YunetDetector(tmp / "broken.onnx"), ModelError);
    // a real ONNX model, but not YuNet
    CHECK_THROWS_AS(YunetDetector(dangpli::test::kSourceDir / "models/emotion/fer-resnet.onnx"), ModelError);
}

TEST_CASE("YuNet: min_face_size drops the small faces") {
    FaceDetectorOptions o;
    o.min_face_size = 200;
    const YunetDetector big(YunetDetector::find_model(), o);
    // 2008_004176.jpg: seven faces of 37 pixels
    CHECK(big.detect(load(kDlibFacesDir / "2008_004176.jpg")).empty());
    CHECK_FALSE(yunet().detect(load(kDlibFacesDir / "2008_004176.jpg")).empty());
}

TEST_CASE("YuNet clones detect independently on several threads, with the same results") {
    const cv::Mat img = load(kSharedDir / "data/faces/group.jpeg");
    const auto expected = yunet().detect(img);
    std::vector<std::unique_ptr<FaceDetector>> clones;
    for (int i = 0; i < 3; ++i) clones.push_back(yunet().clone());
    std::vector<std::vector<Face>> got(clones.size() + 1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < clones.size(); ++t) threads.emplace_back([&, t] { got[t] = clones[t]->detect(img); });
    threads.emplace_back([&] { got.back() = yunet().detect(img); });  // the shared one: calls take turns
    for (auto& th : threads) th.join();
    for (const auto& g : got) {
        REQUIRE(g.size() == expected.size());
        for (std::size_t i = 0; i < g.size(); ++i) CHECK(g[i].box == expected[i].box);
    }
}

TEST_CASE("the default refine() re-finds a face near its last box, and loses it when it is gone") {
    const cv::Mat photo = load(kSharedDir / "data/faces/neutral.jpeg");
    cv::Mat frame(std::max(480, photo.rows + 40), std::max(640, photo.cols + 80), CV_8UC3, cv::Scalar::all(40));
    photo.copyTo(frame(cv::Rect(20, 20, photo.cols, photo.rows)));
    const auto first = yunet().detect(frame);
    REQUIRE(first.size() == 1);
    cv::Mat moved(frame.size(), frame.type(), cv::Scalar::all(40));
    photo.copyTo(moved(cv::Rect(50, 30, photo.cols, photo.rows)));  // the face moved 30 px right, 10 down
    const auto refined = yunet().refine(moved, first.front().box);
    REQUIRE(refined.has_value());
    const auto full = yunet().detect(moved);
    REQUIRE(full.size() == 1);
    CHECK(intersection_over_union(refined->box, full.front().box) > 0.9f);
    CHECK(landmark_gap(full.front(), *refined) < 0.1f);
    CHECK_FALSE(yunet().refine(cv::Mat(frame.size(), frame.type(), cv::Scalar::all(40)), first.front().box));
    CHECK_THROWS_AS((void)yunet().refine(frame, {10, 10, 0, 50}), InputError);
}

TEST_CASE("make_face_detector makes every detector face_detector_names() lists, MTCNN first") {
    const auto names = face_detector_names();
    REQUIRE(names.size() == 3);  // mtcnn, yunet, and the pair mtcnn+yunet
    CHECK(names.front() == MtcnnDetector::kName);
    for (const auto& name : names) CHECK(make_face_detector(name)->name() == name);
    FaceDetectorOptions o;
    o.min_face_size = 33;
    CHECK(make_face_detector(YunetDetector::kName, o)->options().min_face_size == 33);
    try {
        (void)make_face_detector("haar");
        FAIL("no error for an unknown detector");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("mtcnn, yunet") != std::string::npos);
    }
}
