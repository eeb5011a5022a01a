#pragma once
/// \file
/// shell_word(): a path or value as one word of a /bin/sh command line, for the commands the
/// library and its programs show the user to paste back.

#include <string>
#include <string_view>

namespace dangpli {

/// `text` as one shell word: as it is when it holds only characters the shell takes literally
/// (letters, digits and `_./-+:@%,=`), else in single quotes, each quote in it written '\''.
std::string shell_word(std::string_view text);

}  // namespace dangpli
