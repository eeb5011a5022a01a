// The committed emotion model through EmotionClassifier on real PublicTest faces, and the errors
// a user gets for broken models, cards and crops.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "dangpli/class_balance.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/evaluation.hpp"
#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;

namespace {

const std::vector<Fer2013Sample>& public_test() {
    static const auto samples =
        load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    return samples;
}

// Copies the committed model and its card into `dir`, with `edit` applied to the card text.
std::filesystem::path copy_model(const TempDir& dir, const std::function<std::string(std::string)>& edit = {}) {
    const auto model = test::kSourceDir / "models/emotion/fer-resnet.onnx";
    std::filesystem::copy_file(model, dir / "m.onnx");
    auto card = test::read_file(ModelCard::card_path_for(model));
    test::write_file(dir / "m.yaml", edit ? edit(card) : card);
    return dir / "m.onnx";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("the bundled model scores near its card on every 8th PublicTest face") {
    const auto classifier = EmotionClassifier::load_default();
    REQUIRE(classifier.card().reported_accuracy > 0.0);
    std::vector<cv::Mat> faces;
    std::vector<Emotion> truth;
    for (std::size_t i = 0; i < public_test().size(); i += 8) {
        faces.push_back(public_test()[i].image);
        truth.push_back(public_test()[i].label);
    }
    const auto scores = classifier.classify(faces);
    REQUIRE(scores.size() == faces.size());
    std::size_t correct = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) correct += scores[i].emotion == truth[i];
    const double accuracy = static_cast<double>(correct) / static_cast<double>(faces.size());
    MESSAGE("accuracy on ", faces.size(), " faces: ", accuracy, ", card: ", classifier.card().reported_accuracy);
    CHECK(accuracy == doctest::Approx(classifier.card().reported_accuracy).epsilon(0.0).scale(1.0).epsilon(0.05));
}

TEST_CASE("scores are probabilities, batch and single calls agree, and TTA views are averaged") {
    const auto classifier = EmotionClassifier::load_default();
    std::vector<cv::Mat> faces{public_test()[0].image, public_test()[100].image, public_test()[2000].image};
    const auto batch = classifier.classify(faces);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        float sum = 0.0f;
        for (float p : batch[i].probabilities) {
            CHECK(p >= 0.0f);
            sum += p;
        }
        CHECK(sum == doctest::Approx(1.0f).epsilon(1e-4));
        const auto single = classifier.classify(faces[i]);
        CHECK(single.emotion == batch[i].emotion);
        CHECK(single.confidence == doctest::Approx(batch[i].confidence).epsilon(1e-5));
        CHECK(batch[i].confidence == batch[i][batch[i].emotion]);
    }
    // A mirrored face under mirror-TTA gives the same scores as the face itself.
    cv::Mat mirrored;
    cv::flip(faces[1], mirrored, 1);
    const auto a = classifier.classify(faces[1], TestTimeAugmentation::Mirror);
    const auto b = classifier.classify(mirrored, TestTimeAugmentation::Mirror);
    for (Emotion e : kAllEmotions) CHECK(a[e] == doctest::Approx(b[e]).epsilon(1e-4));
    // BGR input is converted; a copy classifies like the original.
    cv::Mat bgr;
    cv::cvtColor(faces[2], bgr, cv::COLOR_GRAY2BGR);
    const auto copy = classifier;
    CHECK(copy.classify(bgr).emotion == batch[2].emotion);
    CHECK(classifier.classify(faces[2], TestTimeAugmentation::TenCrop).confidence > 0.0f);
}

TEST_CASE("augmentation names round-trip and each says its views per face") {
    CHECK(test_time_augmentation_names() == std::vector<std::string>{"single", "mirror", "ten-crop"});
    for (const auto& name : test_time_augmentation_names()) {
        const auto tta = parse_test_time_augmentation(name);
        REQUIRE(tta.has_value());
        CHECK(to_string(*tta) == name);
    }
    CHECK_FALSE(parse_test_time_augmentation("five-crop").has_value());
    CHECK(views_per_face(TestTimeAugmentation::Single) == 1);
    CHECK(views_per_face(TestTimeAugmentation::Mirror) == 2);
    CHECK(views_per_face(TestTimeAugmentation::TenCrop) == 10);
}

TEST_CASE("bad crops are refused, an empty batch gives no scores") {
    const auto classifier = EmotionClassifier::load_default();
    CHECK(classifier.classify(std::vector<cv::Mat>{}).empty());
    CHECK_THROWS_WITH_AS(classifier.classify(cv::Mat(40, 40, CV_8UC1, cv::Scalar(0))),
                         doctest::Contains("40x40"), InputError);
    CHECK_THROWS_AS(classifier.classify(cv::Mat()), InputError);
    CHECK_THROWS_AS(classifier.classify(cv::Mat(48, 48, CV_32FC1, cv::Scalar(0))), InputError);
}

TEST_CASE("broken models and cards name the file and what is wrong") {
    TempDir dir;
    SUBCASE("corrupt ONNX") {
        auto model = copy_model(dir);
        test::write_file(model, "this is not a protobuf");
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("m.onnx"), ModelError);
    }
    SUBCASE("a card copied beside another network, naming its own (two networks under one name)") {
        auto model = copy_model(dir);  // m.yaml says model: fer-resnet.onnx
        CHECK_NOTHROW(EmotionClassifier{model});  // that file is gone: m.onnx was renamed with its card
        std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet-wide.onnx", dir / "fer-resnet.onnx");
        const std::string expected = "describes " + (dir / "fer-resnet.onnx").string() + " (model: fer-resnet.onnx)";
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains(expected.c_str()), ModelError);
    }
    SUBCASE("missing card") {
        auto model = copy_model(dir);
        std::filesystem::remove(dir / "m.yaml");
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("m.yaml"), ModelError);
    }
    SUBCASE("unknown label") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "disgust", "boredom"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("boredom"), ModelError);
    }
    SUBCASE("fewer labels than outputs") {
        // (the prior, one share per label, would be refused first: it goes too)
        auto model = copy_model(dir, [](std::string c) {
            return replace(replace(c, ", neutral]", "]"), ", 0.17294]", "]");
        });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("7 outputs"), ModelError);
    }
    SUBCASE("wrong channel count") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "channels: 1", "channels: 3"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("m.onnx"), ModelError);
    }
    SUBCASE("an input size other than the graph declares (the network ran on it, reading worse)") {
        auto model = copy_model(dir, [](std::string c) {
            return replace(replace(c, "width: 44", "width: 48"), "height: 44", "height: 48");
        });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model},
                             doctest::Contains("m.onnx: the network takes 44x44 pixels but its card says 48x48"),
                             ModelError);
    }
    SUBCASE("face size below the input size") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "face_size: 48", "face_size: 40"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("face_size"), ModelError);
    }
    SUBCASE("an optional field of the wrong type") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "face_size: 48", "face_size: [48]"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("face_size"), ModelError);
    }
    SUBCASE("an unknown output kind") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "kind: probabilities", "kind: scores"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("output.kind"), ModelError);
    }
    SUBCASE("a stray ',' before the card (yaml-cpp read an empty card, or hung)") {
        auto model = copy_model(dir, [](std::string c) { return "," + c; });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("m.yaml:1: not valid YAML: a stray ','"),
                             ModelError);
    }
    SUBCASE("a key given twice (yaml-cpp read one of the two in silence)") {
        auto model = copy_model(dir, [](std::string c) { return c + "name: another\n"; });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("'name' again (first at line"), ModelError);
    }
    SUBCASE("a key given twice in a map within the card (the first was read, the second not even checked)") {
        auto model = copy_model(dir, [](std::string c) { return replace(c, "input:\n", "input:\n  width: abc\n"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("'input.width' again (first at line"),
                             ModelError);
    }
    SUBCASE("the walk for repeated keys passes each aliased node once: a billion laughs, a node inside itself") {
        auto model = copy_model(dir, [](std::string c) {
            c += "laughs0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
            for (int i = 1; i < 12; ++i) {  // 10^12 leaves, were each alias walked again
                c += "laughs" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
                for (int k = 0; k < 10; ++k) c += (k ? ", *l" : "*l") + std::to_string(i - 1);
                c += "]\n";
            }
            return c + "itself: &self {again: *self}\n";
        });
        CHECK_NOTHROW(EmotionClassifier{model});
        std::ofstream(model.parent_path() / "m.yaml", std::ios::app) << "last: {x: 1, x: 2}\n";
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("'last.x' again"), ModelError);
    }
}

TEST_CASE("a card saying the model outputs logits gets a softmax over them") {
    TempDir dir;
    const EmotionClassifier probabilities(copy_model(dir));
    TempDir dir2;
    const EmotionClassifier logits(copy_model(dir2, [](std::string c) { return replace(c, "kind: probabilities", "kind: logits"); }));
    const cv::Mat face = public_test().at(3).image;
    const auto p = probabilities.classify(face);
    const auto q = logits.classify(face);
    // Taking the probabilities for logits: q = softmax(p), which sums to 1 and keeps the order.
    float sum = 0.0f, denominator = 0.0f;
    for (float v : q.probabilities) sum += v;
    for (float v : p.probabilities) denominator += std::exp(v);
    CHECK(sum == doctest::Approx(1.0f).epsilon(1e-5));
    CHECK(q.emotion == p.emotion);
    for (std::size_t k = 0; k < p.probabilities.size(); ++k)
        CHECK(q.probabilities[k] == doctest::Approx(std::exp(p.probabilities[k]) / denominator).epsilon(1e-4));
}

TEST_CASE("class balance divides by the card's training prior and reads more of the rare classes") {
    const auto classifier = EmotionClassifier::load_default();
    REQUIRE(classifier.card().training_prior);
    const ClassPrior& prior = *classifier.card().training_prior;
    float total = 0.0f;
    for (float share : prior) total += share;
    CHECK(total == doctest::Approx(1.0f).epsilon(1e-4));
    CHECK(prior[label_of(Emotion::Disgust)] < prior[label_of(Emotion::Happy)]);

    // Scores equal to the prior are what the model says of a face it knows nothing about: fully
    // balanced, every emotion is equally likely; weight 0 changes nothing.
    EmotionScores uninformed;
    uninformed.probabilities = prior;
    const auto even = rebalanced(uninformed, prior, 1.0f);
    for (float p : even.probabilities) CHECK(p == doctest::Approx(1.0f / 7).epsilon(1e-4));
    const auto face = classifier.classify(public_test().at(3).image);
    CHECK(rebalanced(face, prior, 0.0f).probabilities == face.probabilities);
    const auto half = rebalanced(face, prior, 0.5f);
    CHECK(half.confidence == half[half.emotion]);
    CHECK(half[Emotion::Disgust] / half[Emotion::Happy] > face[Emotion::Disgust] / face[Emotion::Happy]);
    CHECK_THROWS_AS(rebalanced(face, prior, 1.5f), InputError);
    CHECK_THROWS_AS(rebalanced(face, prior, std::nanf("")), InputError);

    // On real faces: more of them read disgust (the rarest class) and mean recall rises.
    std::vector<Fer2013Sample> every_4th;
    for (std::size_t i = 0; i < public_test().size(); i += 4) every_4th.push_back(public_test()[i]);
    EvaluationOptions as_is, balanced;
    balanced.balance = 0.75f;
    const auto before = evaluate(classifier, every_4th, as_is);
    const auto after = evaluate(classifier, every_4th, balanced);
    CHECK(after.column_total(Emotion::Disgust) > before.column_total(Emotion::Disgust));
    CHECK(after.metrics(Emotion::Disgust).recall > before.metrics(Emotion::Disgust).recall);
}

TEST_CASE("a card's training prior is checked: one positive share per label") {
    TempDir dir;
    const std::string line = "training_prior: [0.13915, 0.01519, 0.14271, 0.25131, 0.16824, 0.11045, 0.17294]";
    SUBCASE("too few shares") {
        auto model = copy_model(dir, [&](std::string c) { return replace(c, line, "training_prior: [0.5, 0.5]"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("2 shares for 7 labels"), ModelError);
    }
    SUBCASE("a share of zero") {
        auto model = copy_model(dir, [&](std::string c) { return replace(c, line, "training_prior: [1, 0, 1, 1, 1, 1, 1]"); });
        CHECK_THROWS_WITH_AS(EmotionClassifier{model}, doctest::Contains("positive"), ModelError);
    }
    SUBCASE("counts instead of shares are normalised") {
        auto model = copy_model(dir, [&](std::string c) { return replace(c, line, "training_prior: [1, 1, 1, 1, 1, 1, 2]"); });
        const EmotionClassifier classifier{model};
        CHECK((*classifier.card().training_prior)[label_of(Emotion::Neutral)] == doctest::Approx(0.25f));
    }
    SUBCASE("no prior: none to balance by") {
        auto model = copy_model(dir, [&](std::string c) { return replace(c, line, ""); });
        CHECK_FALSE(EmotionClassifier{model}.card().training_prior);
    }
}
