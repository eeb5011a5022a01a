#pragma once
/// \file
/// Where model files are found, for the build tree and for installed programs alike.

#include <filesystem>
#include <string_view>
#include <vector>

namespace dangpli {

/// The folders searched for models, in order: $DANGPLI_MODEL_DIR when set; the installation's
/// `share/dangpli/models` (see installed_data_dir()); the build tree's `models/` (third-party
/// models fetched by CMake); the source tree's `models/` (our own emotion model); and, when no
/// installation was found beside the program, the configured prefix's `share/dangpli/models`.
/// Code that has an explicit model path (EmotionClassifier's constructor, MtcnnModelPaths::in_dir)
/// needs none of these. Thread-safe; throws ModelError for a DANGPLI_MODEL_DIR that is no folder.
std::vector<std::filesystem::path> model_search_dirs();

/// Finds `relative` (e.g. "mtcnn/det1.prototxt") in model_search_dirs(), first match wins.
/// Throws ModelError naming the file and every folder it looked in.
std::filesystem::path find_model_file(std::string_view relative);

}  // namespace dangpli
