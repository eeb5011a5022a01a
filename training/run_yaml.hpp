#pragma once
// The YAML files of a training run folder (config.yaml, state.yaml, init/model.yaml) are written by
// `dangpli train`, but a person may edit them: they are read like every other YAML input, bounded in
// size and through load_yaml_document, so a stray ',' cannot hang a resume and a second document
// is named, not dropped.

#include <filesystem>
#include <string_view>

namespace YAML {
class Node;
}

namespace dangpli::training {

/// The one YAML document of the run file at `path` (`what` names it in messages, e.g. "a training
/// run's config"). Throws DataError "path:line: ..." for a syntax error or a second document, and
/// InputError for a file that cannot be read or is too large.
YAML::Node load_run_yaml(const std::filesystem::path& path, std::string_view what);

}  // namespace dangpli::training
