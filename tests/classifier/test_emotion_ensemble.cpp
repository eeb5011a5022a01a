// Ensembles of emotion models (a card listing `members`) on real PublicTest faces: the reading is
// the mean of the members' own, and a broken ensemble card names the file and what is wrong.
#include <doctest/doctest.h>

#include <opencv2/imgproc.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/fer2013.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;

namespace {

std::vector<cv::Mat> some_public_faces() {
    const auto samples = load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    std::vector<cv::Mat> faces;
    for (std::size_t i = 0; i < samples.size(); i += 300) faces.push_back(samples[i].image);
    return faces;
}

// Copies a committed model and its card into `dir` as NAME.onnx / NAME.yaml.
void copy_member(const TempDir& dir, const std::string& model, const std::string& name) {
    const auto from = test::kSourceDir / "models/emotion" / (model + ".onnx");
    std::filesystem::copy_file(from, dir / (name + ".onnx"));
    auto card = test::read_file(ModelCard::card_path_for(from));
    card.replace(card.find("model: "), card.find('\n', card.find("model: ")) - card.find("model: "),
                 "model: " + name + ".onnx");
    test::write_file(dir / (name + ".yaml"), card);
}

std::filesystem::path write_ensemble(const TempDir& dir, const std::string& members) {
    test::write_file(dir / "ens.yaml", "name: two\narchitecture: ensemble\nmembers: " + members + "\n");
    return dir / "ens.yaml";
}

}  // namespace

TEST_CASE("an ensemble reads each face as the mean of its members' probabilities") {
    TempDir dir;
    copy_member(dir, "fer-resnet", "a");
    copy_member(dir, "m3-resnet", "b");
    const EmotionClassifier ensemble(write_ensemble(dir, "[a.onnx, b.onnx]"));
    const EmotionClassifier a(dir / "a.onnx"), b(dir / "b.onnx");
    CHECK(ensemble.card().name == "two");
    CHECK(ensemble.card().model_file == dir / "ens.yaml");
    CHECK(ensemble.face_size() == a.face_size());

    const auto faces = some_public_faces();
    REQUIRE(faces.size() >= 10);
    std::size_t differs_from_a = 0;
    for (const auto tta : {TestTimeAugmentation::Single, TestTimeAugmentation::Mirror}) {
        const auto both = ensemble.classify(faces, tta);
        const auto from_a = a.classify(faces, tta), from_b = b.classify(faces, tta);
        for (std::size_t i = 0; i < faces.size(); ++i) {
            for (Emotion e : kAllEmotions)
                CHECK(both[i][e] == doctest::Approx((from_a[i][e] + from_b[i][e]) / 2).epsilon(1e-5));
            CHECK(both[i].confidence == both[i][both[i].emotion]);
            differs_from_a += std::abs(both[i][Emotion::Happy] - from_a[i][Emotion::Happy]) > 1e-3f;
        }
    }
    CHECK(differs_from_a > 0);  // the members disagree, so the mean is neither of them

    // The prior balance divides by is the members' mean; a copy reads as the original.
    REQUIRE(ensemble.card().training_prior.has_value());
    for (std::size_t k = 0; k < kEmotionCount; ++k)
        CHECK((*ensemble.card().training_prior)[k] ==
              doctest::Approx(((*a.card().training_prior)[k] + (*b.card().training_prior)[k]) / 2));
    const auto copy = ensemble;
    cv::Mat bgr;
    cv::cvtColor(faces[3], bgr, cv::COLOR_GRAY2BGR);
    CHECK(copy.classify(bgr)[Emotion::Sad] == doctest::Approx(ensemble.classify(faces[3])[Emotion::Sad]).epsilon(1e-5));
}

TEST_CASE("analyze's bundled model is an ensemble of ten found by its card") {
    const auto card = EmotionClassifier::bundled_model_file(kDefaultAnalyzerModel);
    CHECK(card.extension() == ".yaml");
    const auto classifier = load_analyzer_classifier();
    CHECK(classifier.card().name == kDefaultAnalyzerModel);
    CHECK(ModelCard::load(card).members.size() == 10);
    CHECK(classifier.card().training_prior.has_value());  // analyze's balance needs it
}

TEST_CASE("broken ensemble cards name the file and what is wrong") {
    TempDir dir;
    copy_member(dir, "fer-resnet", "a");
    SUBCASE("a missing member") {
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[a.onnx, gone.onnx]")},
                             doctest::Contains("ens.yaml: member gone.onnx: "), ModelError);
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[a.onnx, gone.onnx]")},
                             doctest::Contains("gone.onnx: no such model file"), ModelError);
    }
    SUBCASE("a single model named by a file that is not there, or by a folder, is named itself, not its card") {
        CHECK_THROWS_WITH_AS(EmotionClassifier{dir / "typo.onnx"}, ((dir / "typo.onnx").string() + ": no such model file").c_str(),
                             ModelError);
        CHECK_THROWS_WITH_AS(EmotionClassifier{dir.path()},
                             (dir.path().string() + ": a folder, not a model (give an .onnx file or its .yaml card)").c_str(),
                             ModelError);
    }
    SUBCASE("no members") {
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[]")}, doctest::Contains("members"), ModelError);
    }
    SUBCASE("a member that is not an ONNX model") {
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[a.yaml]")}, doctest::Contains("a.yaml"),
                             ModelError);
        // A member whose network file is garbage, with its card: named with the ensemble that lists it.
        copy_member(dir, "fer-resnet", "junk");
        test::write_file(dir / "junk.onnx", "not a model");
        const auto junk_member = (dir / "ens.yaml").string() + ": member junk.onnx: ";
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[a.onnx, junk.onnx]")},
                             doctest::Contains(junk_member.c_str()), ModelError);
        CHECK_THROWS_WITH_AS(EmotionClassifier{std::filesystem::path()}, "no model named (an empty path)", ModelError);
    }
    SUBCASE("a model and members both") {
        test::write_file(dir / "ens.yaml", "name: x\nmodel: a.onnx\nmembers: [a.onnx]\n");
        CHECK_THROWS_WITH_AS(EmotionClassifier{dir / "ens.yaml"}, doctest::Contains("not both"), ModelError);
    }
    SUBCASE("members that read faces of different sizes") {
        copy_member(dir, "m3-resnet", "b");
        auto card = test::read_file(dir / "b.yaml");
        card.replace(card.find("face_size: 48"), 13, "face_size: 52");
        test::write_file(dir / "b.yaml", card);
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[a.onnx, b.onnx]")},
                             doctest::Contains("52-pixel"), ModelError);
    }
    SUBCASE("an ensemble inside an ensemble") {
        test::write_file(dir / "inner.yaml", "name: inner\nmembers: [a.onnx]\n");
        std::filesystem::copy_file(dir / "a.onnx", dir / "inner.onnx");
        CHECK_THROWS_WITH_AS(EmotionClassifier{write_ensemble(dir, "[inner.onnx]")},
                             doctest::Contains("itself an ensemble"), ModelError);
    }
}
