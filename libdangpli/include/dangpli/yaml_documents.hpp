#pragma once
// One YAML file, one document: yaml-cpp's Load reads the first document of a stream and drops the
// rest without a word, so every reader of a YAML file (playlists, model cards, live's config) asks
// here whether more follow.

#include <cstddef>
#include <string_view>

namespace dangpli {

/// The line (1-based) where a YAML document after the first of `text` holds content (after a
/// "---" or "..."), or 0 when nothing follows the first document but empty ones.
std::size_t second_yaml_document_line(std::string_view text);

}  // namespace dangpli
