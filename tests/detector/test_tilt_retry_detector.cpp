// TiltRetryDetector: the inner detector's faces where it finds any; where it finds none, the faces
// it finds in the image turned both ways, mapped back onto the image.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fallback_detector.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "dangpli/tilt_retry_detector.hpp"
#include "detector_photos.hpp"
#include "support.hpp"

using namespace dangpli;

namespace {

std::unique_ptr<FaceDetector> pair_of_detectors() {
    return std::make_unique<FallbackDetector>(std::make_unique<MtcnnDetector>(), std::make_unique<YunetDetector>());
}

// The photo turned by `degrees` about its centre on a canvas that holds it, and where a point goes.
struct Turned {
    cv::Mat image;
    cv::Mat m;
    cv::Point2f where(cv::Point2f p) const {
        std::vector<cv::Point2f> moved;
        cv::transform(std::vector<cv::Point2f>{p}, moved, m);
        return moved.front();
    }
};

// angry.jpg at a webcam frame's height (640 rows, from 1920): the retry detects three times per
// image, and on the full photo's turned canvas (2308 pixels square) these cases took minutes under ASan.
cv::Mat webcam_sized_angry_face() {
    const cv::Mat photo = test::load(test::kSharedDir / "data/faces/angry.jpg");
    cv::Mat small;
    cv::resize(photo, small, {}, 1.0 / 3, 1.0 / 3, cv::INTER_AREA);
    return small;
}

Turned turn(const cv::Mat& photo, double degrees) {
    Turned t;
    const cv::Point2d centre(photo.cols / 2.0, photo.rows / 2.0);
    t.m = cv::getRotationMatrix2D(centre, degrees, 1.0);
    const int side = static_cast<int>(std::ceil(std::hypot(photo.cols, photo.rows)));
    t.m.at<double>(0, 2) += side / 2.0 - centre.x;
    t.m.at<double>(1, 2) += side / 2.0 - centre.y;
    cv::warpAffine(photo, t.image, t.m, cv::Size(side, side), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar::all(128));
    return t;
}

}  // namespace

TEST_CASE("a head tilted past what the detectors take upright is found turned, its landmarks on the face") {
    const cv::Mat photo = webcam_sized_angry_face();
    const auto upright = pair_of_detectors()->detect(photo);
    REQUIRE(upright.size() == 1);
    const Face& face = upright.front();

    // Angles, either way, at which the pair misses this face.
    for (const double degrees : {60.0, 70.0, -65.0}) {
        CAPTURE(degrees);
        const Turned tilted = turn(photo, degrees);
        REQUIRE(pair_of_detectors()->detect(tilted.image).empty());  // the pair alone misses it

        const TiltRetryDetector retry(pair_of_detectors(), 40.0f);
        const auto found = retry.detect(tilted.image);
        REQUIRE(found.size() == 1);
        // Each landmark lands where the upright face's went, within a tenth of the face's size.
        const float tolerance = 0.1f * face.box.width;
        for (std::size_t i = 0; i < face.landmarks.size(); ++i) {
            CAPTURE(i);
            CHECK(cv::norm(found.front().landmarks[i] - tilted.where(face.landmarks[i])) < tolerance);
        }
        const cv::Point2f centre(found.front().box.x + found.front().box.width / 2,
                                 found.front().box.y + found.front().box.height / 2);
        const cv::Point2f expected = tilted.where({face.box.x + face.box.width / 2, face.box.y + face.box.height / 2});
        CHECK(cv::norm(centre - expected) < 2 * tolerance);
        // The tracker's refine() keeps the turned face where the inner detector loses it.
        const auto followed = retry.refine(tilted.image, found.front().box);
        REQUIRE(followed.has_value());
        CHECK(intersection_over_union(followed->box, found.front().box) > 0.7f);
    }
}

TEST_CASE("on a large image the turned look runs on a shrunk copy, and its faces come back in the image's pixels") {
    const cv::Mat photo = webcam_sized_angry_face();
    const Face face = pair_of_detectors()->detect(photo).at(0);
    FaceDetectorOptions o;
    o.min_face_fraction = 1.0f / 16.0f;  // the default 1/64 would shrink only images over 1280 pixels a side
    o.tilt_retry_degrees = 0.0f;
    const auto pair = [&o] { return make_face_detector(kMtcnnThenYunet, o); };  // upright only
    FaceDetectorOptions with_retry = o;
    with_retry.tilt_retry_degrees = 40.0f;
    int checked = 0;
    for (const double degrees : {60.0, 65.0, 70.0, -65.0}) {
        CAPTURE(degrees);
        const Turned tilted = turn(photo, degrees);
        cv::Mat big;  // twice the size: a face from 1/16 of its shorter side up is searched for, on a copy 1/5 as large
        cv::resize(tilted.image, big, {}, 2.0, 2.0, cv::INTER_CUBIC);
        REQUIRE(smallest_face_searched(o, big.cols, big.rows) > 4.0f * o.min_face_size);
        if (!pair()->detect(big).empty()) continue;  // only where the pair alone misses it is the turned look tried
        // As the factory makes it: the turned canvas searched without the fraction.
        const auto found = make_face_detector(kMtcnnThenYunet, with_retry)->detect(big);
        REQUIRE(found.size() == 1);
        const float tolerance = 2 * 0.1f * face.box.width;
        for (std::size_t i = 0; i < face.landmarks.size(); ++i) {
            CAPTURE(i);
            CHECK(cv::norm(found.front().landmarks[i] - 2.0f * tilted.where(face.landmarks[i])) < tolerance);
        }
        CHECK(found.front().box.width == doctest::Approx(2 * face.box.width).epsilon(0.25));
        ++checked;
    }
    CHECK(checked >= 2);
}

TEST_CASE("smallest_face_searched: min_face_size, or min_face_fraction of the shorter side where that is more") {
    FaceDetectorOptions o;
    CHECK(smallest_face_searched(o, 640, 480) == 20.0f);
    CHECK(smallest_face_searched(o, 1280, 1280) == 20.0f);
    CHECK(smallest_face_searched(o, 4032, 3024) == doctest::Approx(47.25));
    CHECK(smallest_face_searched(o, 3024, 4032) == doctest::Approx(47.25));
    o.min_face_fraction = 0.0f;
    CHECK(smallest_face_searched(o, 4032, 3024) == 20.0f);
    for (const float bad : {-0.1f, 1.0f, std::nanf("")}) {
        o.min_face_fraction = bad;
        CHECK_THROWS_WITH_AS(YunetDetector(YunetDetector::find_model(), o),
                             doctest::Contains("min_face_fraction must be in [0, 1)"), InputError);
    }
}

TEST_CASE("where the inner detector finds a face, exactly its faces; nothing where there is none") {
    const cv::Mat group = test::load(test::kSharedDir / "data/faces/group.jpeg");
    const TiltRetryDetector retry(pair_of_detectors(), 40.0f);
    const auto inner = pair_of_detectors()->detect(group);
    const auto found = retry.detect(group);
    REQUIRE(found.size() == inner.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        CHECK(found[i].box == inner[i].box);
        CHECK(found[i].landmarks == inner[i].landmarks);
    }
    CHECK(retry.name() == "mtcnn+yunet");
    CHECK(retry.clone()->detect(group).size() == inner.size());
    CHECK(retry.detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(90))).empty());
    CHECK_THROWS_AS((void)retry.detect(cv::Mat()), InputError);
}

TEST_CASE("the factory adds the retry unless the options turn it off; bad angles are refused") {
    FaceDetectorOptions options;
    CHECK(options.tilt_retry_degrees == 30.0f);
    CHECK(options.tilt_retry_every == 1);
    CHECK(dynamic_cast<TiltRetryDetector*>(make_face_detector("mtcnn+yunet", options).get()) != nullptr);
    options.tilt_retry_degrees = 0;
    CHECK(dynamic_cast<TiltRetryDetector*>(make_face_detector("mtcnn+yunet", options).get()) == nullptr);
    for (const float bad : {-1.0f, 90.0f, NAN}) {
        options.tilt_retry_degrees = bad;
        CHECK_THROWS_AS((void)make_face_detector("yunet", options), InputError);
    }
    options.tilt_retry_degrees = 40;
    options.tilt_retry_every = 0;
    CHECK_THROWS_AS((void)make_face_detector("yunet", options), InputError);
    CHECK_THROWS_AS(TiltRetryDetector(nullptr, 40.0f), InputError);
    CHECK_THROWS_AS(TiltRetryDetector(pair_of_detectors(), 0.0f), InputError);
    CHECK_THROWS_AS(TiltRetryDetector(pair_of_detectors(), 40.0f, 0), InputError);
}

TEST_CASE("retry_every: a stream's empty frames look turned on every n-th miss only; refine() always") {
    const Turned tilted = turn(webcam_sized_angry_face(), 60.0);
    const TiltRetryDetector every_third(pair_of_detectors(), 40.0f, 3);
    std::vector<std::size_t> found;
    for (int call = 0; call < 7; ++call) found.push_back(every_third.detect(tilted.image).size());
    CHECK(found == std::vector<std::size_t>{1, 0, 0, 1, 0, 0, 1});
    const auto face = TiltRetryDetector(pair_of_detectors(), 40.0f).detect(tilted.image);
    REQUIRE(face.size() == 1);
    for (int call = 0; call < 3; ++call) CHECK(every_third.refine(tilted.image, face.front().box).has_value());
}

TEST_CASE("strips far wider than tall give no face off the image, with or without the turned look") {
    // OpenCV 4.6's YuNet returned boxes of infinite size on inputs about 20 times wider than tall, and
    // a turned look found stripes in the replicated edges: faces centred off the image.
    for (const auto& size : {cv::Size(4000, 60), cv::Size(4000, 100), cv::Size(2000, 12), cv::Size(60, 4000)}) {
        cv::Mat strip(size, CV_8UC1);
        for (int y = 0; y < strip.rows; ++y)
            for (int x = 0; x < strip.cols; ++x) strip.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(((x + y) * 7) % 256);
        for (const auto& name : face_detector_names()) {
            for (const float degrees : {0.0f, 30.0f}) {
                CAPTURE(size);
                CAPTURE(name);
                CAPTURE(degrees);
                FaceDetectorOptions options;
                options.tilt_retry_degrees = degrees;
                for (const Face& face : make_face_detector(name, options)->detect(strip)) {
                    CAPTURE(face.box);
                    CHECK(std::isfinite(face.box.x + face.box.y + face.box.width + face.box.height));
                    CHECK(cv::Rect2f(0, 0, static_cast<float>(size.width), static_cast<float>(size.height))
                              .contains({face.box.x + face.box.width / 2, face.box.y + face.box.height / 2}));
                }
            }
        }
    }
    // A side of 32767 pixels or more cannot be warped (aligned or turned): refused by name.
    const auto detector = make_face_detector("yunet", {});
    CHECK_THROWS_WITH_AS((void)detector->detect(cv::Mat(1, 40000, CV_8UC1, cv::Scalar(0))),
                         "face detection: the image is 40000x1 pixels; a side of 32767 or more is not read", InputError);
}
