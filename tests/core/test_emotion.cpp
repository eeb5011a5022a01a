#include <doctest/doctest.h>

#include "dangpli/emotion.hpp"
#include "dangpli/error.hpp"
#include "dangpli/model_files.hpp"

using namespace dangpli;

TEST_CASE("emotion names follow the FER2013 label order and parse back") {
    CHECK(label_of(Emotion::Angry) == 0);
    CHECK(label_of(Emotion::Neutral) == 6);
    for (Emotion e : kAllEmotions) CHECK(parse_emotion(to_string(e)) == e);
    CHECK(parse_emotion("HAPPY") == Emotion::Happy);
    CHECK(parse_emotion("Surprised") == Emotion::Surprise);
    CHECK_FALSE(parse_emotion("bored").has_value());
    CHECK_FALSE(parse_emotion("").has_value());
}

TEST_CASE("a value that is no label is named \"?\", never read past the names") {
    CHECK(to_string(static_cast<Emotion>(42)) == "?");
    CHECK(to_string(static_cast<Emotion>(kEmotionCount)) == "?");
}

TEST_CASE("a missing model file names itself and the folders searched") {
    try {
        (void)find_model_file("no/such.model");
        FAIL("expected ModelError");
    } catch (const ModelError& e) {
        std::string what = e.what();
        CHECK(what.find("no/such.model") != std::string::npos);
        CHECK(what.find("looked in") != std::string::npos);
    }
    CHECK(std::filesystem::exists(find_model_file("mtcnn/det1.caffemodel")));
}
