// Names and numbers read the same in a Turkish locale as in C: a program that calls setlocale() (a GUI toolkit,
// Python at start-up) got std::tolower('I') == 'I', so "IMG_1.HEIC" was no image, "SURPRISE" no emotion.
#include <doctest/doctest.h>

#include <cctype>
#include <clocale>
#include <cstdlib>
#include <string>

#include "dangpli/ascii_text.hpp"
#include "dangpli/class_balance.hpp"
#include "dangpli/emotion.hpp"
#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/shell_word.hpp"
#include "support.hpp"

namespace {

// The process's locale for one scope: a Turkish one, built here (no system has every locale installed).
class TurkishLocale {
public:
    explicit TurkishLocale(const dangpli::test::TempDir& dir) {
        const auto built = dangpli::test::run_command("localedef -i tr_TR -f UTF-8 " +
                                                      dangpli::test::shell_quote((dir / "tr_TR.UTF-8").string()));
        INFO(built.err);
        REQUIRE(built.exit_code <= 1);  // 1: warnings only, the locale is written
        ::setenv("LOCPATH", dir.path().c_str(), 1);
        REQUIRE(std::setlocale(LC_ALL, "tr_TR.UTF-8") != nullptr);
    }
    ~TurkishLocale() {
        std::setlocale(LC_ALL, "C");
        ::unsetenv("LOCPATH");
    }
    TurkishLocale(const TurkishLocale&) = delete;
    TurkishLocale& operator=(const TurkishLocale&) = delete;
};

}  // namespace

TEST_CASE("ASCII letters are lowered and told apart whatever the locale; other bytes stay as they are") {
    dangpli::test::TempDir dir;
    TurkishLocale turkish(dir);
    // What made the bug: this locale's tolower leaves the capital I alone.
    CHECK(std::tolower('I') != 'i');
    CHECK(dangpli::ascii_lower("IMG_0001.HEIC") == "img_0001.heic");
    CHECK(dangpli::ascii_lower("SURPRISE 한글 É") == "surprise 한글 É");
    CHECK(dangpli::is_ascii_alnum('Z'));
    CHECK(!dangpli::is_ascii_alnum('\xC3'));
    CHECK(dangpli::is_ascii_space('\t'));
    CHECK(!dangpli::is_ascii_space('\xA0'));
    for (const char* name : {"IMG_0001.HEIC", "scan.TIFF", "x.TIF", "p.AVIF", "p.HEIF", "A.JPG"}) {
        CAPTURE(name);
        CHECK(dangpli::has_image_extension(name));
    }
    CHECK(dangpli::parse_emotion("SURPRISE") == dangpli::Emotion::Surprise);
    CHECK(dangpli::parse_emotion("DISGUSTED") == dangpli::Emotion::Disgust);
    CHECK(dangpli::shell_word("IMG_1.HEIC") == "IMG_1.HEIC");
}

TEST_CASE("numbers in the library's messages are written with a point whatever the locale") {
    // std::to_string follows the locale: "got 2,500000" in a program that set a Turkish or German one.
    dangpli::test::TempDir dir;
    TurkishLocale turkish(dir);
    REQUIRE(std::to_string(2.5).find(',') != std::string::npos);  // what made the bug
    CHECK_THROWS_WITH(dangpli::check_class_balance(2.5f), "class balance must be between 0 and 1, got 2.5");
    dangpli::EmotionAggregatorOptions options;
    options.window_s = -1.5;
    CHECK_THROWS_WITH(dangpli::EmotionAggregator{options}, doctest::Contains("got -1.5"));
}
