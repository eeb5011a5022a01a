#pragma once
/// \file
/// shell_word(): a path or value as one word of a /bin/sh command line, for the commands the
/// library and its programs show the user to paste back.

#include <string>
#include <string_view>

namespace dangpli {

/// `text` as one shell word: as it is when it holds only characters the shell takes literally
/// (letters, digits and the punctuation _ . / - + : @ % , =), else in single quotes, each single
/// quote in it written as a quote that closes, an escaped quote and a quote that reopens.
std::string shell_word(std::string_view text);

}  // namespace dangpli
