#pragma once
// The rule every command keeps for the files it writes: an output never replaces an input of the
// same run, nor another output of it. Checked before any work, so that nothing is written.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dangpli::cli {

/// A path from the command line and the option or argument that named it (for the message).
struct NamedPath {
    std::string option;
    std::filesystem::path path;
};

/// True when `a` and `b` are one file: the same device and inode where both exist (links and
/// other spellings of a path included), else the same weakly canonical path.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// Throws UsageError when an output is the same file as an input, or as another output, or is "-"
/// (which would be a file named "-", not standard output). Empty paths (an option not given) are skipped.
void refuse_outputs_over_inputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs);

/// The files a model is read from, each named by `option`: the model, its card beside it and, for an
/// ensemble card, every member with its card. A card that cannot be read adds only itself (loading
/// the model reports what is wrong with it). None for an empty path.
std::vector<NamedPath> model_files(const std::string& option, const std::filesystem::path& model);

/// The face detectors' model files that can be found (MTCNN's six, YuNet's), named as the face
/// detector's: a run that detects faces may load each (mtcnn+yunet loads both).
std::vector<NamedPath> detector_model_files();

/// The files of the playlist store at `db`: the database and the journal or WAL SQLite keeps beside it.
std::vector<NamedPath> store_files(const std::filesystem::path& db);

/// Refuses, before any long work, an output path whose folder does not exist (no folder is made for a
/// typo) or that names a folder. Throws WriteError naming the option and the path.
void check_output_path(std::string_view option, const std::filesystem::path& path);

/// Throws UsageError when an output lies inside `folder` where that is a folder (a class-folder
/// dataset: a file written there would become one of its inputs). Nothing when it is a file.
void refuse_outputs_inside(const std::vector<NamedPath>& outputs, const NamedPath& folder);

/// The same rule for many outputs at once (`analyze --annotate`): throws UsageError naming the
/// first of `outputs` that is one of `inputs`. Compares file identities through one sorted set, so
/// thousands of images cost one stat each, not one per pair.
void refuse_outputs_over_inputs(std::string_view option, const std::vector<std::filesystem::path>& outputs,
                                const std::vector<std::string>& inputs);

}  // namespace dangpli::cli
