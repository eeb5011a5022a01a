// MtcnnDetector on real photos: accuracy, landmark order, bad inputs, copies and threads.
#include <doctest/doctest.h>

#include <fmt/core.h>

#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/mtcnn_detector.hpp"
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

MtcnnDetector& default_detector() { return test::shared_mtcnn(); }

void check_landmarks_upright(const Face& f) {
    using L = Landmark;
    const auto& p = f.landmarks;
    auto at = [&](L l) { return p[static_cast<std::size_t>(l)]; };
    CHECK(at(L::LeftEye).x < at(L::RightEye).x);
    CHECK(at(L::MouthLeft).x < at(L::MouthRight).x);
    CHECK(at(L::MouthLeft).y > at(L::LeftEye).y);
    CHECK(at(L::MouthRight).y > at(L::RightEye).y);
    CHECK(at(L::Nose).y > std::min(at(L::LeftEye).y, at(L::RightEye).y));
    CHECK(at(L::Nose).y < std::max(at(L::MouthLeft).y, at(L::MouthRight).y));
    cv::Rect2f grown(f.box.x - 0.1f * f.box.width, f.box.y - 0.1f * f.box.height, 1.2f * f.box.width,
                     1.2f * f.box.height);
    for (const auto& q : p) CHECK(grown.contains(q));
}

}  // namespace

TEST_CASE("finds the one face in each portrait and five in the group photo") {
    for (const auto& [photo, count] : kSharedFaces) {
        const std::string& name = photo;  // clang 14 cannot capture a structured binding (CAPTURE)
        CAPTURE(name);
        const auto faces = default_detector().detect(load(kFacesDir / name));
        CHECK(faces.size() == count);
        for (std::size_t i = 1; i < faces.size(); ++i) CHECK(faces[i - 1].score >= faces[i].score);
        for (const auto& f : faces) {
            CHECK(f.score > 0.7f);
            CHECK(f.score <= 1.0f);
            CHECK(f.box.width > 20);
        }
    }
}

TEST_CASE("landmarks come in Landmark order on upright faces") {
    for (const auto& [photo, count] : kSharedFaces) {
        const std::string& name = photo;  // clang 14 cannot capture a structured binding (CAPTURE)
        CAPTURE(name);
        for (const auto& f : default_detector().detect(load(kFacesDir / name)))
            check_landmarks_upright(f);
    }
}

TEST_CASE("dlib's annotated photos: recall >= 0.95 at IoU 0.4 with at most 2 false positives") {
    const auto images = eval::read_dlib_faces(kDlibFacesDir);
    REQUIRE(images.size() == 9);
    eval::MatchCounts total;
    for (const auto& img : images) {
        const auto faces = default_detector().detect(load(img.path));
        const auto m = eval::match(img.faces, eval::boxes_of(faces));
        MESSAGE(img.path.filename().string() << ": " << m.found << "/" << m.truth << ", " << m.false_positives
                                            << " false positives");
        total += m;
    }
    CHECK(total.truth == 43);
    CHECK(static_cast<double>(total.found) / total.truth >= 0.95);
    CHECK(total.false_positives <= 2);
}

TEST_CASE("gray, BGR and BGRA inputs give the same faces") {
    const cv::Mat bgr = load(kSharedDir / "data/faces/group.jpeg");
    cv::Mat bgra, gray;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    const auto a = default_detector().detect(bgr);
    const auto b = default_detector().detect(bgra);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].box == b[i].box);
    CHECK(default_detector().detect(gray).size() >= 3);  // the nets were trained on colour: some faces go
    cv::Mat portrait_gray;
    cv::cvtColor(load(kSharedDir / "data/faces/neutral.jpeg"), portrait_gray, cv::COLOR_BGR2GRAY);
    CHECK(default_detector().detect(portrait_gray).size() == 1);
    // a non-continuous ROI works too
    const cv::Mat roi = bgr(cv::Rect(0, 0, bgr.cols / 2, bgr.rows));
    CHECK_NOTHROW((void)default_detector().detect(roi));
}

TEST_CASE("no faces in a flat image - a tiny image is fine") {
    CHECK(default_detector().detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 120, 30))).empty());
    CHECK(default_detector().detect(cv::Mat(5, 5, CV_8UC1, cv::Scalar(0))).empty());
}

TEST_CASE("bad images throw InputError with a clear message") {
    auto& d = default_detector();
    auto message = [&](const cv::Mat& m) {
        try {
            (void)d.detect(m);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("(no InputError)");
    };
    CHECK(message(cv::Mat()).find("empty") != std::string::npos);
    CHECK(message(cv::Mat(100, 100, CV_16UC3)).find("8-bit") != std::string::npos);
    CHECK(message(cv::Mat(100, 100, CV_32FC3)).find("8-bit") != std::string::npos);
    CHECK(message(cv::Mat(100, 100, CV_8UC2)).find("channels") != std::string::npos);

    FaceDetectorOptions small;
    small.max_pixels = 100 * 100;
    MtcnnDetector limited(MtcnnModelPaths::find(), small);
    CHECK_NOTHROW((void)limited.detect(cv::Mat(100, 100, CV_8UC3, cv::Scalar(0))));
    CHECK_THROWS_AS((void)limited.detect(cv::Mat(100, 101, CV_8UC3, cv::Scalar(0))), InputError);
    small.min_face_size = 6;  // the first pyramid level would be 4x the image
    MtcnnDetector upscaling(MtcnnModelPaths::find(), small);
    CHECK_THROWS_AS((void)upscaling.detect(cv::Mat(80, 80, CV_8UC3, cv::Scalar(0))), InputError);
}

TEST_CASE("bad options and model files are reported") {
    FaceDetectorOptions o;
    o.mtcnn.pyramid_factor = 1.0f;
    CHECK_THROWS_AS(MtcnnDetector(MtcnnModelPaths::find(), o), InputError);
    o = {};
    o.mtcnn.onet_threshold = 1.5f;
    CHECK_THROWS_AS(MtcnnDetector(MtcnnModelPaths::find(), o), InputError);
    o = {};
    o.min_face_size = 0;
    CHECK_THROWS_AS(MtcnnDetector(MtcnnModelPaths::find(), o), InputError);

    dangpli::test::TempDir tmp;
    CHECK_THROWS_AS(MtcnnDetector(MtcnnModelPaths::in_dir(tmp.path())), ModelError);
    auto paths = MtcnnModelPaths::find();
    paths.onet_caffemodel = tmp / "det3.caffemodel";
    dangpli::test::write_file(paths.onet_caffemodel, "not a model");
    CHECK_THROWS_AS(MtcnnDetector(paths, {}), ModelError);
    paths = MtcnnModelPaths::find();
    paths.onet_prototxt = paths.rnet_prototxt;  // a real net, but the wrong one
    paths.onet_caffemodel = paths.rnet_caffemodel;
    CHECK_THROWS_AS(MtcnnDetector(paths, {}), ModelError);
}

TEST_CASE("min_face_size: a larger minimum skips the small faces") {
    FaceDetectorOptions o;
    o.min_face_size = 200;
    MtcnnDetector big(MtcnnModelPaths::find(), o);
    // 2008_004176.jpg: seven faces of 37 pixels
    CHECK(big.detect(load(kDlibFacesDir / "2008_004176.jpg")).empty());
    CHECK(big.options().min_face_size == 200);
}

TEST_CASE("copies detect independently on several threads, with the same results") {
    const cv::Mat img = load(kSharedDir / "data/faces/group.jpeg");
    const auto expected = default_detector().detect(img);
    MtcnnDetector original;
    std::vector<MtcnnDetector> copies(3, original);
    MtcnnDetector moved = std::move(copies.back());
    copies.pop_back();
    copies.push_back(std::move(moved));
    std::vector<std::vector<Face>> got(copies.size() + 1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < copies.size(); ++t)
        threads.emplace_back([&, t] { got[t] = copies[t].detect(img); });
    // the shared one from a second thread as well: serialised by its mutex, never a data race
    threads.emplace_back([&] { got.back() = original.detect(img); });
    for (auto& th : threads) th.join();
    for (const auto& g : got) {
        REQUIRE(g.size() == expected.size());
        for (std::size_t i = 0; i < g.size(); ++i) CHECK(g[i].box == expected[i].box);
    }
}
