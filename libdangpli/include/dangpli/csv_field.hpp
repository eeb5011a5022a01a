#pragma once
/// \file
/// csv_field(): one field of a CSV line, quoted when it must be (RFC 4180), for every CSV the
/// library and its programs write.

#include <string>
#include <string_view>

namespace dangpli {

/// `text` as one CSV field: quoted, with its quotes doubled, when it holds a comma, a quote or a
/// line break, or begins or ends with a space or tab (readers such as the playlist importer trim
/// unquoted fields); as it is otherwise.
std::string csv_field(std::string_view text);

}  // namespace dangpli
