// Framing augmentations: each changes pixels when enabled, and when all are off the views (and the
// generator's state) are exactly what they were before the options existed.
#include <doctest/doctest.h>

#include <opencv2/core.hpp>

#include "augment.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "face_batches.hpp"
#include "support.hpp"
#include "doctest_checks.hpp"  // last: after libtorch's glog

using namespace dangpli;
using namespace dangpli::training;

namespace {

cv::Mat a_face() {
    static const auto faces = to_face_set(load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest), 1);
    return faces.faces[0];
}

// A view with no geometric or photometric randomness except `framing`.
std::vector<float> view_with(const FramingAugment& framing, uint64_t seed = 5) {
    AugmentOptions o;
    o.max_rotation_deg = o.max_scale_change = o.max_shift_px = 0;
    o.horizontal_flip = false;
    o.max_brightness = o.max_contrast_change = 0;
    o.framing = framing;
    std::mt19937_64 rng(seed);
    std::vector<float> out(44 * 44);
    random_view(a_face(), 44, o, rng, out.data());
    return out;
}

float max_difference(const std::vector<float>& a, const std::vector<float>& b) {
    float worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

}  // namespace

TEST_CASE("with the framing effects off, a view is the plain centre view and draws nothing extra") {
    auto off = view_with({});
    std::vector<float> centre(44 * 44);
    centre_view(a_face(), 44, centre.data());
    CHECK(max_difference(off, centre) == 0.0f);

    // Default options: the generator advances exactly as many draws as without the framing fields.
    AugmentOptions defaults;
    std::mt19937_64 a(9), b(9);
    std::vector<float> out(44 * 44);
    random_view(a_face(), 44, defaults, a, out.data());
    for (int i = 0; i < 7; ++i) (void)b();  // rotation, scale, dx, dy, flip, contrast, brightness
    CHECK(a() == b());
}

TEST_CASE("each framing effect changes pixels when enabled") {
    const auto off = view_with({});
    FramingAugment blur;
    blur.blur_probability = 1.0f;
    CHECK(max_difference(view_with(blur), off) > 0.01f);
    FramingAugment gamma;
    gamma.gamma_min = gamma.gamma_max = 1.5f;
    CHECK(max_difference(view_with(gamma), off) > 0.05f);
    FramingAugment jpeg;
    jpeg.jpeg_probability = 1.0f;
    jpeg.jpeg_quality_min = jpeg.jpeg_quality_max = 20;
    CHECK(max_difference(view_with(jpeg), off) > 0.01f);
    CHECK(view_with(jpeg, 3) == view_with(jpeg, 3));  // deterministic for a seed

    FramingAugment never = jpeg;
    never.jpeg_probability = 0.0f;
    CHECK(max_difference(view_with(never), off) == 0.0f);
}

TEST_CASE("framing options out of range are refused") {
    FramingAugment bad;
    bad.blur_probability = 1.5f;
    CHECK_THROWS_AS(validate(bad), InputError);
    bad = {};
    bad.gamma_min = 2.0f;
    bad.gamma_max = 1.0f;
    CHECK_THROWS_AS(validate(bad), InputError);
    CHECK_NOTHROW(validate(FramingAugment{}));
}
