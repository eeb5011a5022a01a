// TextLineReader on real files: plain, gzip (written by the gzip tool), a gzip cut short, a corrupt one.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "dangpli/error.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/text_lines.hpp"
#include "support.hpp"

using namespace dangpli;
using test::TempDir;

namespace {

std::vector<std::string> all_lines(const std::filesystem::path& p) {
    TextLineReader reader(p);
    std::vector<std::string> lines;
    for (std::string line; reader.next(line);) lines.push_back(line);
    return lines;
}

std::string many_lines() {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "row " + std::to_string(i) + ",some text to compress\r\n";
    return text;
}

}  // namespace

TEST_CASE("plain and gzip files give the same lines, without their line breaks") {
    TempDir dir;
    test::write_file(dir / "a.csv", many_lines());
    REQUIRE(std::system(("gzip -k " + test::shell_quote((dir / "a.csv").string())).c_str()) == 0);
    const auto plain = all_lines(dir / "a.csv");
    REQUIRE(plain.size() == 20000);
    CHECK(plain.back() == "row 19999,some text to compress");
    CHECK(all_lines(dir / "a.csv.gz") == plain);
    test::write_file(dir / "no-break.txt", "one\ntwo");
    CHECK(all_lines(dir / "no-break.txt") == std::vector<std::string>{"one", "two"});
    CHECK(trim_line("  x y \r\n") == "x y");
}

TEST_CASE("a gzip file cut short or corrupt is an error naming the file, never a shorter file") {
    TempDir dir;
    test::write_file(dir / "a.csv", many_lines());
    REQUIRE(std::system(("gzip " + test::shell_quote((dir / "a.csv").string())).c_str()) == 0);
    const std::string whole = test::read_file(dir / "a.csv.gz");
    test::write_file(dir / "cut.csv.gz", whole.substr(0, whole.size() / 2));
    try {
        all_lines(dir / "cut.csv.gz");
        FAIL("a cut file was read to its end");
    } catch (const DataError& e) {
        CHECK(std::string(e.what()).find("cut.csv.gz:") != std::string::npos);
        CHECK(std::string(e.what()).find("ends early") != std::string::npos);
    }
    std::string corrupt = whole;
    for (std::size_t i = corrupt.size() / 3; i < corrupt.size() / 3 + 64; ++i) corrupt[i] = static_cast<char>(~corrupt[i]);
    test::write_file(dir / "bad.csv.gz", corrupt);
    CHECK_THROWS_AS(all_lines(dir / "bad.csv.gz"), DataError);
    CHECK_THROWS_AS(TextLineReader(dir / "missing.csv"), DataError);

    // Through the FER2013 reader: a dataset cut short is refused, not evaluated as a smaller one.
    const std::string dataset = test::read_file(test::kSharedDir / "data/fer2013/fer2013_train_publictest.csv.gz");
    test::write_file(dir / "fer.csv.gz", dataset.substr(0, 400000));
    CHECK_THROWS_AS(load_fer2013(dir / "fer.csv.gz", Fer2013Split::Training), DataError);
}
