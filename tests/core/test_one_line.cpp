// one_line(): any text as one line of a message, safe to print: what users give can be anything.
#include <doctest/doctest.h>

#include <string>

#include "dangpli/error.hpp"

using dangpli::one_line;

TEST_CASE("one_line shows control characters and bytes that are no UTF-8 as escapes, characters as they are") {
    CHECK(one_line("a\nb\tc\x1b[31m") == "a\\nb\\tc\\x1B[31m");
    CHECK(one_line("당플리 😀 é") == "당플리 😀 é");
    // A Latin-1 file name printed raw showed as garbage (or broke a UTF-8 terminal's next characters).
    CHECK(one_line("bad\xff\xfelatin.jpeg") == "bad\\xFF\\xFElatin.jpeg");
    CHECK(one_line("cut \xed\x95") == "cut \\xED\\x95");           // a sequence cut short
    CHECK(one_line("\xc0\xaf overlong") == "\\xC0\\xAF overlong");  // an overlong '/'
    CHECK(one_line("\xed\xa0\x80") == "\\xED\\xA0\\x80");           // a surrogate
    const std::string long_text(2000, 'x');
    CHECK(one_line(long_text, 100).size() == 100);
}
