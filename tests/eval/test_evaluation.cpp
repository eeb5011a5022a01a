// evaluate() on real PublicTest faces against the bundled model's own one-by-one answers.
#include <doctest/doctest.h>

#include <stdexcept>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/evaluation.hpp"
#include "public_faces.hpp"

using namespace dangpli;

namespace {

struct Fixture {
    EmotionClassifier classifier = EmotionClassifier::load_default();
    std::vector<Fer2013Sample> samples = test::public_test_faces(5);
    ConfusionMatrix expected;
    Fixture() {
        const auto predicted = test::predictions(classifier, samples);
        for (std::size_t i = 0; i < samples.size(); ++i) expected.add(samples[i].label, predicted[i]);
    }
};

}  // namespace

TEST_CASE("one or two threads and any batch size give the matrix of the one-by-one answers") {
    Fixture f;
    REQUIRE(f.samples.size() == 35);
    for (int threads : {1, 2}) {
        for (std::size_t batch : {std::size_t{1}, std::size_t{8}, std::size_t{64}}) {
            CAPTURE(threads);
            CAPTURE(batch);
            EvaluationOptions options;
            options.threads = threads;
            options.batch_size = batch;
            CHECK(evaluate(f.classifier, f.samples, options) == f.expected);
        }
    }
}

TEST_CASE("progress runs on the calling thread from 0 to all and a throwing callback stops the work") {
    Fixture f;
    std::vector<std::size_t> seen;
    const auto caller = std::this_thread::get_id();
    EvaluationOptions options;
    options.threads = 2;
    options.batch_size = 4;
    options.progress = [&](std::size_t done, std::size_t total) {
        CHECK(std::this_thread::get_id() == caller);
        CHECK(total == f.samples.size());
        seen.push_back(done);
    };
    CHECK(evaluate(f.classifier, f.samples, options) == f.expected);
    REQUIRE(seen.size() >= 2);
    CHECK(seen.front() == 0);
    CHECK(seen.back() == f.samples.size());
    CHECK(std::is_sorted(seen.begin(), seen.end()));

    options.progress = [](std::size_t done, std::size_t) {
        if (done > 0) throw std::runtime_error("stop here");
    };
    CHECK_THROWS_WITH(evaluate(f.classifier, f.samples, options), "stop here");
}

TEST_CASE("faces of another size are resized to the model's face size") {
    Fixture f;
    auto big = f.samples;
    // A 2x nearest-neighbour enlargement shrinks back exactly (INTER_AREA averages equal pixels).
    for (auto& s : big) cv::resize(s.image, s.image, {}, 2.0, 2.0, cv::INTER_NEAREST);
    EvaluationOptions options;
    options.threads = 2;
    CHECK(evaluate(f.classifier, big, options) == f.expected);
}

TEST_CASE("no samples give an empty matrix and an empty image is refused with its origin") {
    Fixture f;
    CHECK(evaluate(f.classifier, {}).total() == 0);
    auto broken = f.samples;
    broken[7].image = cv::Mat();
    broken[7].origin = "faces.csv:9";
    CHECK_THROWS_WITH_AS(evaluate(f.classifier, broken), doctest::Contains("faces.csv:9"), InputError);
}
