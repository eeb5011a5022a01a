#pragma once
// One YAML file, one document: yaml-cpp's Load reads the first document of a stream and drops the
// rest without a word, so every reader of a YAML file (playlists, model cards, live's config) reads
// it through load_yaml_document, which says whether more follow. yaml-cpp 0.7 (Debian 12's) also
// reads a ',' where a document should start as an empty document, dropping the rest, and its LoadAll
// loops on it for ever while its memory grows: nothing here calls LoadAll, and the ',' is refused.

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
    std::string key;             ///< the key's name, after the keys of the maps it is in ("input.width")
    std::size_t line = 0;        ///< 1-based, of the second use
    std::size_t first_line = 0;  ///< 1-based, of the first

    /// "'KEY' again (first at line N)", the words after "FILE:LINE: " in every reader's error;
    /// `where` goes after "again" (" in one song").
    std::string message(std::string_view where = {}) const;
};

/// A key given again in `node` or in any map within it (its own keys first, then each value's, in
/// file order); none when each is given once. Each map or list is walked once, however many aliases
/// name it (a billion laughs, a node nested in itself).
std::optional<RepeatedYamlKey> repeated_yaml_key(const YAML::Node& node);

/// YAML::Load(text), with one walk of the documents for what Load would drop in silence. Throws
/// YAML::Exception: Load's own syntax errors, and a stray flow indicator (',') where a document
/// starts, which Load would read as an empty file. Sets `second_document_line` to the 1-based line
/// where a document after the first holds content (after a "---" or "..."; a syntax error there
/// counts), or 0 when nothing follows the first document but empty ones: the caller names it.
YAML::Node load_yaml_document(std::string_view text, std::size_t& second_document_line);

}  // namespace dangpli
