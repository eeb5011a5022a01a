#pragma once
// Where model files are found, for the build tree and for installed programs alike.

#include <filesystem>
#include <string_view>
#include <vector>

namespace dangpli {

/// The folders searched for models, in order: $DANGPLI_MODEL_DIR, the build tree's models/
/// (third-party models fetched by CMake), the source tree's models/ (our own emotion model),
/// and the installed data dir (<prefix>/share/dangpli/models).
std::vector<std::filesystem::path> model_search_dirs();

/// Finds `relative` (e.g. "mtcnn/det1.prototxt") in model_search_dirs().
/// Throws ModelError naming the file and every folder it looked in.
std::filesystem::path find_model_file(std::string_view relative);

}  // namespace dangpli
