// FallbackDetector: the first detector's faces exactly where it finds any, the second's where it
// finds none, and on gray photos the second's that the first missed; "mtcnn+yunet" from the factory
// is such a pair.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fallback_detector.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "detector_photos.hpp"
#include "face_eval.hpp"
#include "support.hpp"

using namespace dangpli;

namespace {

bool same_faces(const std::vector<Face>& a, const std::vector<Face>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].box != b[i].box || a[i].score != b[i].score || a[i].landmarks != b[i].landmarks) return false;
    return true;
}

// The photo in gray, kept as BGR (as a gray JPEG decodes).
cv::Mat gray_bgr(const cv::Mat& bgr) {
    cv::Mat gray, out;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
    return out;
}

bool contains(const std::vector<Face>& faces, const Face& f) {
    return std::any_of(faces.begin(), faces.end(), [&](const Face& g) { return same_faces({g}, {f}); });
}

}  // namespace

TEST_CASE("the first detector's faces where it finds any, the second's where it finds none") {
    const cv::Mat group = test::load(test::kSharedDir / "data/faces/group.jpeg");
    const auto mtcnn_faces = test::shared_mtcnn().detect(group);
    const auto yunet_faces = test::shared_yunet().detect(group);
    REQUIRE(!mtcnn_faces.empty());
    REQUIRE(!yunet_faces.empty());

    const FallbackDetector pair(std::make_unique<MtcnnDetector>(), std::make_unique<YunetDetector>());
    CHECK(pair.name() == "mtcnn+yunet");
    CHECK(same_faces(pair.detect(group), mtcnn_faces));
    CHECK(same_faces(pair.clone()->detect(group), mtcnn_faces));

    // A first detector that cannot find these faces (all smaller than its smallest face): YuNet's.
    FaceDetectorOptions huge;
    huge.min_face_size = 1000;
    REQUIRE(MtcnnDetector(MtcnnModelPaths::find(), huge).detect(group).empty());
    const FallbackDetector blind_first(std::make_unique<MtcnnDetector>(MtcnnModelPaths::find(), huge),
                                       std::make_unique<YunetDetector>());
    CHECK(same_faces(blind_first.detect(group), yunet_faces));
    CHECK(blind_first.options().min_face_size == 1000);  // the first's settings

    // Neither finds a face in a flat image; bad images are refused as by any detector.
    CHECK(pair.detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(90))).empty());
    CHECK_THROWS_AS((void)pair.detect(cv::Mat()), InputError);
    CHECK_THROWS_AS(FallbackDetector(nullptr, std::make_unique<YunetDetector>()), InputError);
}

TEST_CASE("refine(): the first detector's face, or the second's where the first rejects it") {
    const cv::Mat photo = test::load(test::kSharedDir / "data/faces/neutral.jpeg");
    const auto found = test::shared_yunet().detect(photo);
    REQUIRE(!found.empty());
    const cv::Rect2f box = found.front().box;
    const auto by_mtcnn = test::shared_mtcnn().refine(photo, box);
    const auto by_yunet = test::shared_yunet().refine(photo, box);
    REQUIRE(by_mtcnn.has_value());
    REQUIRE(by_yunet.has_value());

    const FallbackDetector pair(std::make_unique<MtcnnDetector>(), std::make_unique<YunetDetector>());
    const auto refined = pair.refine(photo, box);
    REQUIRE(refined.has_value());
    CHECK(same_faces({*refined}, {*by_mtcnn}));

    // An O-Net that accepts nothing: the track is kept by YuNet's refine().
    FaceDetectorOptions strict;
    strict.mtcnn.onet_threshold = 1.0f;
    auto rejecting = std::make_unique<MtcnnDetector>(MtcnnModelPaths::find(), strict);
    REQUIRE_FALSE(rejecting->refine(photo, box).has_value());
    const FallbackDetector kept(std::move(rejecting), std::make_unique<YunetDetector>());
    const auto followed = kept.refine(photo, box);
    REQUIRE(followed.has_value());
    CHECK(same_faces({*followed}, {*by_yunet}));
    // Nothing there for either: no face.
    CHECK_FALSE(kept.refine(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(90)), {100, 100, 80, 80}).has_value());
    // A box far outside the frame (finite, so taken) is searched for where it meets the frame: UB under
    // UBSan when its window did not fit an int.
    CHECK_FALSE(test::shared_yunet().refine(photo, {-1e30f, -1e30f, 3e30f, 3e30f}).has_value());
}

TEST_CASE("mtcnn+yunet from the factory takes MTCNN's thresholds; yunet does not") {
    CHECK(make_face_detector(kMtcnnThenYunet)->name() == kMtcnnThenYunet);
    CHECK(uses_mtcnn_thresholds("mtcnn"));
    CHECK(uses_mtcnn_thresholds(kMtcnnThenYunet));
    CHECK_FALSE(uses_mtcnn_thresholds("yunet"));
}

TEST_CASE("on a gray photo the pair keeps MTCNN's faces and adds YuNet's that MTCNN missed") {
    const FallbackDetector pair(std::make_unique<MtcnnDetector>(), std::make_unique<YunetDetector>());
    const cv::Mat group = gray_bgr(test::load(test::kSharedDir / "data/faces/group.jpeg"));
    const auto by_mtcnn = test::shared_mtcnn().detect(group);
    REQUIRE(!by_mtcnn.empty());
    REQUIRE(by_mtcnn.size() < 5);  // the five people, in gray: what this case is about
    const auto found = pair.detect(group);
    CAPTURE(by_mtcnn.size());
    CHECK(found.size() > by_mtcnn.size());
    for (const Face& f : by_mtcnn) CHECK(contains(found, f));  // MTCNN's faces exactly
    for (std::size_t i = 1; i < found.size(); ++i) CHECK(found[i - 1].score >= found[i].score);
    for (std::size_t i = 0; i < found.size(); ++i)  // no face twice
        for (std::size_t j = i + 1; j < found.size(); ++j) CHECK(intersection_over_union(found[i].box, found[j].box) <= 0.3f);
    cv::Mat one_channel;
    cv::cvtColor(group, one_channel, cv::COLOR_BGR2GRAY);
    CHECK(same_faces(pair.detect(one_channel), found));

    // dlib's annotated photos in gray: every face, no false one (MTCNN alone misses some).
    eval::MatchCounts pair_counts, mtcnn_counts;
    for (const auto& img : eval::read_dlib_faces(test::kDlibFacesDir)) {
        const cv::Mat gray = gray_bgr(test::load(img.path));
        pair_counts += eval::match(img.faces, eval::boxes_of(pair.detect(gray)));
        mtcnn_counts += eval::match(img.faces, eval::boxes_of(test::shared_mtcnn().detect(gray)));
    }
    MESSAGE("gray dlib photos: pair " << pair_counts.found << ", MTCNN " << mtcnn_counts.found << " of " << pair_counts.truth);
    CHECK(mtcnn_counts.found < pair_counts.truth);
    CHECK(pair_counts.found == pair_counts.truth);
    CHECK(pair_counts.false_positives == 0);

    // A colour photo with its top third in gray is still colour: MTCNN's faces only.
    cv::Mat banded = test::load(test::kSharedDir / "data/faces/group.jpeg");
    const cv::Rect band(0, 0, banded.cols, banded.rows / 3);
    gray_bgr(banded(band)).copyTo(banded(band));
    CHECK(same_faces(pair.detect(banded), test::shared_mtcnn().detect(banded)));
}
