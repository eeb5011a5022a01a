#pragma once
// One YAML file, one document: yaml-cpp's Load reads the first document of a stream and drops the
// rest without a word, so every reader of a YAML file (playlists, model cards, live's config) asks
// here whether more follow. yaml-cpp 0.7 (Debian 12's) also reads a ',' where a document should
// start as an empty document, dropping the rest, and its LoadAll loops on it for ever while its
// memory grows: nothing here calls LoadAll, and load_yaml_document refuses the stray ','.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace dangpli {

/// A key given twice in one YAML map, which yaml-cpp reads as one of its values in silence.
struct RepeatedYamlKey {
    std::string key;             ///< the key's name
    std::size_t line = 0;        ///< 1-based, of the second use
    std::size_t first_line = 0;  ///< 1-based, of the first
};

/// The first key of `map` given again; none when each is given once (or `map` is no map).
std::optional<RepeatedYamlKey> repeated_yaml_key(const YAML::Node& map);

/// YAML::Load(text), refusing (with a YAML::ParserException, as Load's own errors) a flow
/// indicator where a document starts, which Load would read as an empty file.
YAML::Node load_yaml_document(std::string_view text);

/// The line (1-based) where a YAML document after the first of `text` holds content (after a
/// "---" or "..."), or 0 when nothing follows the first document but empty ones.
std::size_t second_yaml_document_line(std::string_view text);

}  // namespace dangpli
