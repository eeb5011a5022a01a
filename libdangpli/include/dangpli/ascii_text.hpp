#pragma once
/// \file
/// Letters, digits and spaces as ASCII defines them, whatever the process's locale: file extensions,
/// emotion names and keywords read the same in a program that called setlocale() (every GUI
/// toolkit, Python at start-up) as in the C locale. In a Turkish locale std::tolower('I') is not 'i',
/// so "IMG_1.HEIC" was no image and "SURPRISE" no emotion; in a Latin-1 locale std::isalnum(0xE9) holds.

#include <string>
#include <string_view>

namespace dangpli {

/// Whether `c` is one of A to Z.
constexpr bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
/// Whether `c` is one of A to Z or a to z.
constexpr bool is_ascii_alpha(char c) { return is_ascii_upper(c) || (c >= 'a' && c <= 'z'); }
/// Whether `c` is one of 0 to 9.
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
/// Whether `c` is an ASCII letter or digit.
constexpr bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
/// Whether `c` is a space, tab, newline, vertical tab, form feed or carriage return.
constexpr bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
/// `c` lowered where it is one of A to Z; any other byte as it is.
constexpr char ascii_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

/// `text` with its ASCII capitals lowered; every other byte (UTF-8 included) as it is.
inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

}  // namespace dangpli
