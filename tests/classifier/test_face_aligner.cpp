// FaceAligner on a real photo: a crop of the classifier's size with the eyes level, and arguments
// that cannot make a crop refused as InputError (not OpenCV's exception, nor a crop of nothing).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "dangpli/error.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "support.hpp"

using namespace dangpli;

TEST_CASE("the aligner crops a detected face; bad sizes and landmarks are refused in one line") {
    const cv::Mat photo = read_image_file(test::kFacesDir / "happy-baby.jpeg");
    const auto faces = MtcnnDetector().detect(photo);
    REQUIRE_FALSE(faces.empty());
    const FaceAligner aligner;
    const cv::Mat crop = aligner.align(photo, faces.front());
    CHECK(crop.rows == 48);
    CHECK(crop.cols == 48);
    CHECK(crop.type() == CV_8UC1);

    CHECK_THROWS_AS(FaceAligner(0), InputError);
    CHECK_THROWS_AS(FaceAligner(200000), InputError);  // tried to allocate 40 GB
    CHECK(FaceAligner(FaceAligner::kLargestOutputSize).output_size() == FaceAligner::kLargestOutputSize);

    for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), 1e30f}) {
        Face face = faces.front();
        face.landmarks[2].x = bad;
        CHECK_THROWS_AS(aligner.align(photo, face), InputError);
    }
}
