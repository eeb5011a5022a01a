// FaceDetector::refine() and FaceTracker on real photos placed on 640x480 frames and moved a few
// pixels per frame, as a webcam sees a user: the track follows, is lost when the face goes, and the
// full cascade runs only when it must.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"
#include "dangpli/face_tracker.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "dangpli/main_face_reader.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::kFacesDir;

namespace {

MtcnnDetector& shared_detector() {
    static MtcnnDetector detector;
    return detector;
}

// A photo scaled by `scale`, as the part of the scene it covers.
cv::Mat photo(const std::string& name, double scale) {
    const cv::Mat img = cv::imread((kFacesDir / name).string(), cv::IMREAD_COLOR);
    REQUIRE_MESSAGE(!img.empty(), "cannot read " << name);
    cv::Mat scaled;
    cv::resize(img, scaled, {}, scale, scale, cv::INTER_AREA);
    return scaled;
}

// A 640x480 frame: a plain wall with `person` pasted with its top-left corner at `at` (clipped).
cv::Mat frame_with(const cv::Mat& person, cv::Point at) {
    cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(120, 130, 140));
    const cv::Rect where = cv::Rect(at, person.size()) & cv::Rect(0, 0, frame.cols, frame.rows);
    person(where - at).copyTo(frame(where));
    return frame;
}

cv::Mat empty_frame() { return {480, 640, CV_8UC3, cv::Scalar(120, 130, 140)}; }

cv::Mat noise_frame() {
    cv::Mat noise(480, 640, CV_8UC3);
    cv::randu(noise, 0, 255);
    return noise;
}

// The portraits, scaled so that the face is 120-200 px as in front of a webcam, and where they start.
struct Sitter {
    std::string name;
    double scale;
    cv::Point start;
};
const std::vector<Sitter> kSitters{{"neutral.jpeg", 0.4, {120, 40}}, {"happy-baby.jpeg", 0.5, {40, 20}}};

// Where the photo is in frame i: a slow drift with a wobble, a few pixels per frame.
cv::Point position(const Sitter& s, int i) { return s.start + cv::Point(3 * i + (i % 3), 2 * i - (i % 2)); }

// A selection that takes a newcomer for the main face at once: for the tests of tracking itself.
const MainFaceTrackerOptions kAtOnce{0.3f, 3.0, 0.0};

// A FaceTracker fed a 30 fps stream: frame n is taken at n / 30 s.
struct Stream {
    FaceTracker tracker;
    int frames = 0;
    TrackedFrame next(const cv::Mat& frame) { return tracker.next(frame, frames++ / 30.0); }
};

float mean_landmark_distance(const Face& a, const Face& b) {
    float sum = 0;
    for (std::size_t p = 0; p < a.landmarks.size(); ++p) sum += static_cast<float>(cv::norm(a.landmarks[p] - b.landmarks[p]));
    return sum / static_cast<float>(a.landmarks.size());
}

}  // namespace

TEST_CASE("refine() follows a face moving a few pixels per frame, as a full detection finds it") {
    for (const auto& sitter : kSitters) {
        CAPTURE(sitter.name);
        const cv::Mat person = photo(sitter.name, sitter.scale);
        const auto first = shared_detector().detect(frame_with(person, position(sitter, 0)));
        REQUIRE(first.size() == 1);
        cv::Rect2f previous = first.front().box;
        for (int i = 1; i <= 20; ++i) {
            CAPTURE(i);
            const cv::Mat frame = frame_with(person, position(sitter, i));
            const auto refined = shared_detector().refine(frame, previous);
            const auto full = shared_detector().detect(frame);
            REQUIRE(refined.has_value());
            REQUIRE_FALSE(full.empty());  // the face first; now and then a small false positive too
            CHECK(refined->score > shared_detector().options().mtcnn.onet_threshold);
            CHECK(intersection_over_union(refined->box, full.front().box) > 0.7f);
            CHECK(mean_landmark_distance(*refined, full.front()) < 0.06f * full.front().box.width);
            // it moved with the face, not stayed where it was
            const cv::Point2f moved = position(sitter, i) - position(sitter, 0);
            const cv::Point2f centre_shift = (refined->box.tl() + refined->box.br()) * 0.5f -
                                             (first.front().box.tl() + first.front().box.br()) * 0.5f;
            CHECK(cv::norm(centre_shift - moved) < 0.1 * static_cast<double>(full.front().box.width));
            previous = refined->box;
        }
    }
}

TEST_CASE("refine() loses the track on a frame without the face") {
    const cv::Mat person = photo("neutral.jpeg", 0.4);
    const auto found = shared_detector().detect(frame_with(person, {120, 40}));
    REQUIRE(found.size() == 1);
    const cv::Rect2f box = found.front().box;
    CHECK_FALSE(shared_detector().refine(empty_frame(), box).has_value());
    CHECK_FALSE(shared_detector().refine(noise_frame(), box).has_value());
    // the face far away from the box: nothing where the box is
    CHECK_FALSE(shared_detector().refine(frame_with(person, {120 + 300, 40}), box).has_value());
    // a box wholly outside the image
    CHECK_FALSE(shared_detector().refine(frame_with(person, {120, 40}), {-500, -500, 100, 100}).has_value());
}

TEST_CASE("refine() checks its inputs like detect()") {
    const cv::Rect2f box(100, 100, 80, 80);
    CHECK_THROWS_AS((void)shared_detector().refine(cv::Mat(), box), InputError);
    CHECK_THROWS_AS((void)shared_detector().refine(cv::Mat(480, 640, CV_32FC3), box), InputError);
    CHECK_THROWS_AS((void)shared_detector().refine(empty_frame(), {100, 100, 0, 80}), InputError);
    CHECK_THROWS_AS((void)shared_detector().refine(empty_frame(), {NAN, 100, 80, 80}), InputError);
}

TEST_CASE("FaceTracker runs the full cascade only every redetect_every frames while it tracks") {
    const Sitter& sitter = kSitters.front();
    const cv::Mat person = photo(sitter.name, sitter.scale);
    Stream tracker{FaceTracker(shared_detector().clone(), {10, kAtOnce, 3})};
    for (int i = 0; i < 35; ++i) {
        CAPTURE(i);
        const cv::Mat frame = frame_with(person, position(sitter, i));
        const auto got = tracker.next(frame);
        CHECK(got.full_detection == (i % 10 == 0));
        CHECK(got.new_person == (i == 0));
        REQUIRE(got.main.has_value());
        REQUIRE(*got.main < got.faces.size());
        const auto full = shared_detector().detect(frame);
        REQUIRE_FALSE(full.empty());  // the face first; now and then a small false positive too
        CHECK(got.faces.size() == (got.full_detection ? full.size() : 1u));
        CHECK(intersection_over_union(got.faces[*got.main].box, full.front().box) > 0.7f);
    }
}

TEST_CASE("FaceTracker falls back to full detection when the face jumps away or disappears") {
    const cv::Mat person = photo("neutral.jpeg", 0.4);
    FaceTrackerOptions options;
    options.selection = kAtOnce;
    options.selection.forget_after_s = 3.5 / 30;  // three frames of the stream
    options.search_every = 1;
    Stream tracker{FaceTracker(shared_detector().clone(), options)};
    const cv::Point left(20, 40), right(300, 60);
    CHECK(tracker.next(frame_with(person, left)).full_detection);
    CHECK_FALSE(tracker.next(frame_with(person, left + cv::Point(2, 1))).full_detection);

    SUBCASE("a jump: detected at once, and the same person's face only after forget_after_s (three frames)") {
        for (int i = 0; i < 3; ++i) {
            const auto got = tracker.next(frame_with(person, right));
            CHECK(got.full_detection);
            CHECK(got.faces.size() == 1);
            CHECK_FALSE(got.main.has_value());  // the main face may be hidden; not someone else yet
        }
        const auto got = tracker.next(frame_with(person, right));
        CHECK(got.full_detection);
        CHECK(got.main == 0u);
        CHECK(got.new_person);
        // and it is tracked from there
        const auto tracked = tracker.next(frame_with(person, right + cv::Point(2, 2)));
        CHECK_FALSE(tracked.full_detection);
        CHECK(tracked.main == 0u);
        CHECK_FALSE(tracked.new_person);
    }
    SUBCASE("gone for a moment: full detections find nothing, and the user comes back as the same person") {
        for (const auto& frame : {empty_frame(), noise_frame()}) {
            const auto got = tracker.next(frame);
            CHECK(got.full_detection);
            CHECK(got.faces.empty());
            CHECK_FALSE(got.main.has_value());
        }
        const auto back = tracker.next(frame_with(person, left + cv::Point(3, 2)));
        CHECK(back.full_detection);
        CHECK(back.main == 0u);
        CHECK_FALSE(back.new_person);
        CHECK_FALSE(tracker.next(frame_with(person, left + cv::Point(4, 2))).full_detection);
    }
    SUBCASE("gone for longer than forget_after_s: whoever comes next is a new person") {
        for (int i = 0; i < 5; ++i) CHECK(tracker.next(empty_frame()).full_detection);
        const cv::Mat other = photo("happy-baby.jpeg", 0.5);
        const auto got = tracker.next(frame_with(other, {40, 20}));
        CHECK(got.full_detection);
        CHECK(got.main == 0u);
        CHECK(got.new_person);
    }
    SUBCASE("reset(): the next frame is a full detection of a new person") {
        tracker.tracker.reset();
        const auto got = tracker.next(frame_with(person, left + cv::Point(3, 2)));
        CHECK(got.full_detection);
        CHECK(got.new_person);
    }
}

TEST_CASE("FaceTracker on a group photo follows the face a full detection would choose, and only it") {
    const cv::Mat group = photo("group.jpeg", 0.5);  // 640x427: five faces of about 40-60 px
    Stream tracker{FaceTracker(shared_detector().clone(), {5, kAtOnce, 3})};
    MainFaceTracker reference(kAtOnce);
    for (int i = 0; i < 12; ++i) {
        CAPTURE(i);
        const cv::Mat frame = frame_with(group, {i % 4, 20 + i % 3});
        const auto got = tracker.next(frame);
        const auto all = shared_detector().detect(frame);
        const auto expected = reference.select(all, i / 30.0);
        REQUIRE(expected.index.has_value());
        REQUIRE(got.main.has_value());
        CHECK(got.faces.size() == (got.full_detection ? all.size() : 1u));
        CHECK(intersection_over_union(got.faces[*got.main].box, all[*expected.index].box) > 0.7f);
    }
}

TEST_CASE("MainFaceReader counts the faces in sight between full detections too") {
    // The tracker follows only the main face between full detections; a room of two read "faces: 1"
    // on 29 frames of 30 and "faces: 2" on the full detections.
    const cv::Mat group = photo("group.jpeg", 0.5);  // five faces
    MainFaceReaderOptions options;
    options.tracking = {5, kAtOnce, 3};
    MainFaceReader reader(shared_detector().clone(), EmotionClassifier::load_default(), options);
    const std::size_t in_sight = shared_detector().detect(frame_with(group, {0, 20})).size();
    REQUIRE(in_sight >= 3u);
    for (int i = 0; i < 8; ++i) {
        CAPTURE(i);
        const auto read = reader.read(frame_with(group, {i % 4, 20 + i % 3}), i / 30.0);
        REQUIRE(read.main_face.has_value());
        CHECK(read.faces >= in_sight - 1);  // a full detection may miss one of the small faces
    }
    CHECK(reader.read(empty_frame(), 8 / 30.0).faces == 0u);
}

TEST_CASE("redetect_every = 1 is detect() and MainFaceTracker on every frame") {
    const cv::Mat person = photo("happy-baby.jpeg", 0.5);
    Stream tracker{FaceTracker(shared_detector().clone(), {1, kAtOnce, 1})};
    MainFaceTracker reference(kAtOnce);
    std::vector<cv::Mat> frames;
    for (int i = 0; i < 4; ++i) frames.push_back(frame_with(person, {40 + 3 * i, 20 + i}));
    frames.push_back(empty_frame());
    frames.push_back(frame_with(person, {60, 30}));
    frames.push_back(frame_with(person, {300, 120}));  // a jump
    for (std::size_t i = 0; i < frames.size(); ++i) {
        CAPTURE(i);
        const auto got = tracker.next(frames[i]);
        const auto all = shared_detector().detect(frames[i]);
        const auto expected = reference.select(all, static_cast<double>(i) / 30.0);
        CHECK(got.full_detection);
        REQUIRE(got.faces.size() == all.size());
        for (std::size_t f = 0; f < all.size(); ++f) CHECK(got.faces[f].box == all[f].box);
        CHECK(got.main == expected.index);
        CHECK(got.new_person == expected.new_person);
    }
}

TEST_CASE("no face in sight: the full cascade runs on every search_every-th frame, and a face that comes in is found") {
    FaceTrackerOptions options;
    options.selection = kAtOnce;
    options.search_every = 3;
    Stream tracker{FaceTracker(shared_detector().clone(), options)};
    std::vector<bool> searched;
    for (int i = 0; i < 7; ++i) {
        const auto got = tracker.next(empty_frame());
        searched.push_back(got.full_detection);
        CHECK(got.faces.empty());
        CHECK_FALSE(got.main.has_value());
    }
    CHECK(searched == std::vector<bool>{true, false, false, true, false, false, true});
    const cv::Mat person = photo("neutral.jpeg", 0.4);
    bool found = false;
    for (int i = 0; i < 3 && !found; ++i) found = tracker.next(frame_with(person, {30, 30})).main.has_value();
    CHECK(found);
}

TEST_CASE("no face for away_after_s: the search slows to every away_search_every-th frame; a face brings it back") {
    FaceTrackerOptions options;
    options.selection = kAtOnce;
    options.search_every = 3;
    options.away_after_s = 2.0;  // 60 frames at 30 fps
    options.away_search_every = 6;
    Stream tracker{FaceTracker(shared_detector().clone(), options)};
    std::vector<int> searched;
    for (int i = 0; i < 120; ++i)
        if (tracker.next(empty_frame()).full_detection) searched.push_back(i);
    // every 3rd frame up to the first search at or after 2 s (frame 60), every 6th after it
    std::vector<int> expected;
    for (int i = 0; i <= 60; i += 3) expected.push_back(i);
    for (int i = 66; i < 120; i += 6) expected.push_back(i);
    CHECK(searched == expected);
    // a face that comes in is found within away_search_every frames, and the pace is back to 3
    const cv::Mat person = photo("neutral.jpeg", 0.4);
    int frames_to_find = 0;
    while (frames_to_find < 6 && !tracker.next(frame_with(person, {30, 30})).main.has_value()) ++frames_to_find;
    CHECK(frames_to_find < 6);
    std::vector<bool> after;
    for (int i = 0; i < 7; ++i) after.push_back(tracker.next(empty_frame()).full_detection);
    CHECK(std::count(after.begin(), after.end(), true) >= 2);
}

TEST_CASE("a face that stays is confirmed after confirm_after_s, and is tracked from the first frame") {
    const Sitter& sitter = kSitters.front();
    const cv::Mat person = photo(sitter.name, sitter.scale);
    FaceTrackerOptions options;  // confirm_after_s 0.4: 12 frames at 30 fps
    REQUIRE(options.selection.confirm_after_s == doctest::Approx(0.4));
    Stream tracker{FaceTracker(shared_detector().clone(), options)};
    for (int i = 0; i < 16; ++i) {
        CAPTURE(i);
        const auto got = tracker.next(frame_with(person, position(sitter, i)));
        CHECK(got.full_detection == (i == 0));
        CHECK(got.main == 0u);
        CHECK(got.new_person == (i == 0));
        CHECK(got.confirmed == (i >= 12));
    }
}

TEST_CASE("a face seen on one frame is never confirmed, and the empty room's search stays slow") {
    FaceTrackerOptions options;
    options.search_every = 3;
    options.away_after_s = 2.0;
    options.away_search_every = 6;
    const cv::Mat person = photo("neutral.jpeg", 0.4);
    auto searches_after_a_flash = [&](const MainFaceTrackerOptions& selection) {
        options.selection = selection;
        Stream tracker{FaceTracker(shared_detector().clone(), options)};
        for (int i = 0; i < 120; ++i) (void)tracker.next(empty_frame());  // away since frame 60
        const auto flash = tracker.next(frame_with(person, {30, 30}));    // frame 120 is searched
        CHECK(flash.full_detection);
        CHECK(flash.main == 0u);
        CHECK(flash.new_person);
        std::vector<int> searched;
        bool confirmed = flash.confirmed;
        for (int i = 121; i < 150; ++i) {
            const auto got = tracker.next(empty_frame());
            if (got.full_detection) searched.push_back(i);
            confirmed = confirmed || got.confirmed;
        }
        return std::pair{searched, confirmed};
    };
    const auto [searched, confirmed] = searches_after_a_flash({});
    CHECK_FALSE(confirmed);
    CHECK(searched == std::vector<int>{121, 127, 133, 139, 145});  // the lost track, then the away pace
    // Confirmed at once, the same flash ends the away pace.
    const auto [searched_at_once, confirmed_at_once] = searches_after_a_flash(kAtOnce);
    CHECK(confirmed_at_once);
    CHECK(searched_at_once == std::vector<int>{121, 124, 127, 130, 133, 136, 139, 142, 145, 148});
}

TEST_CASE("FaceTracker: bad options throw, the detector is the one given") {
    CHECK_THROWS_AS(FaceTracker(shared_detector().clone(), {0, {}, 1}), InputError);
    CHECK_THROWS_AS(FaceTracker(shared_detector().clone(), {30, {}, 0}), InputError);
    CHECK_THROWS_AS(FaceTracker(shared_detector().clone(), {-3, {}, 1}), InputError);
    CHECK_THROWS_AS(FaceTracker(shared_detector().clone(), {30, {}, 3, 10.0, 0}), InputError);
    CHECK_THROWS_AS(FaceTracker(shared_detector().clone(), {30, {}, 3, -1.0, 6}), InputError);
    CHECK_THROWS_AS(FaceTracker(nullptr), InputError);
    FaceDetectorOptions options;
    options.min_face_size = 60;
    const FaceTracker tracker(std::make_unique<MtcnnDetector>(MtcnnModelPaths::find(), options));
    CHECK(tracker.detector().options().min_face_size == 60);
}

TEST_CASE("FaceTracker with YuNet: its default refine() follows the moving face between full detections") {
    const YunetDetector yunet;
    int full_missed = 0;
    for (const auto& sitter : kSitters) {
        CAPTURE(sitter.name);
        const cv::Mat person = photo(sitter.name, sitter.scale);
        Stream tracker{FaceTracker(yunet.clone(), {10, kAtOnce, 3})};
        for (int i = 0; i < 25; ++i) {
            CAPTURE(i);
            const cv::Mat frame = frame_with(person, position(sitter, i));
            const auto got = tracker.next(frame);
            CHECK(got.full_detection == (i % 10 == 0));  // never lost in between
            REQUIRE(got.main.has_value());
            const auto full = yunet.detect(frame);
            if (full.empty()) {  // the whole frame's pass may miss a face the window around it holds
                ++full_missed;
                continue;
            }
            const Face& main = got.faces[*got.main];
            CHECK(intersection_over_union(main.box, full.front().box) > 0.7f);
            CHECK(mean_landmark_distance(main, full.front()) < 0.08f * full.front().box.width);
        }
    }
    CHECK(full_missed <= 2);
}
