// csv_field(): the one CSV quoting of the library and the CLI, read back by the playlist importer.
#include <doctest/doctest.h>

#include <string>

#include "dangpli/csv_field.hpp"
#include "dangpli/playlist_io.hpp"

using namespace dangpli;

TEST_CASE("csv_field leaves plain text alone and quotes what a reader would misread") {
    CHECK(csv_field("Spring Day") == "Spring Day");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("carriage\rreturn") == "\"carriage\rreturn\"");
    CHECK(csv_field(" padded") == "\" padded\"");
    CHECK(csv_field("tabbed\t") == "\"tabbed\t\"");
}

TEST_CASE("every field csv_field writes reads back as itself through the playlist CSV reader") {
    const std::string titles[] = {"plain", "comma, inside", "\"quoted\"", "line\nbreak", "봄날"};
    for (const std::string& title : titles) {
        CAPTURE(title);
        const std::string text = "title,artist,emotion\n" + csv_field(title) + ",BTS,happy\n";
        const auto entries = parse_playlist(text, PlaylistFormat::Csv);
        REQUIRE(entries.size() == 1);
        CHECK(entries[0].title == title);
    }
}
