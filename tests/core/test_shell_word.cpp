// shell_word(): what /bin/sh reads back is the text itself.
#include <doctest/doctest.h>

#include "dangpli/shell_word.hpp"
#include "support.hpp"

using dangpli::shell_word;

TEST_CASE("a shell word is the text itself when plain, and reads back as the text through /bin/sh when quoted") {
    CHECK(shell_word("/work/runs/l1") == "/work/runs/l1");
    CHECK(shell_word("run-2,lr=0.05") == "run-2,lr=0.05");
    CHECK(shell_word("my run") == "'my run'");
    CHECK(shell_word("") == "''");
    for (const std::string text : {"my run", "it's", "$(rm -rf x) `y` \"z\"", "a\\b", "*?[", "Hangul 한글", ""}) {
        CAPTURE(text);
        const auto echoed = dangpli::test::run_command("printf %s " + shell_word(text));
        CHECK(echoed.exit_code == 0);
        CHECK(echoed.out == text);
    }
}
