#include "dangpli/model_files.hpp"

#include <cstdlib>
#include <string>

#include "dangpli/error.hpp"

#ifndef DANGPLI_INSTALL_MODEL_DIR
#define DANGPLI_INSTALL_MODEL_DIR "/usr/local/share/dangpli/models"
#endif

namespace dangpli {

std::vector<std::filesystem::path> model_search_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("DANGPLI_MODEL_DIR"); env != nullptr && *env != '\0')
        dirs.emplace_back(env);
    dirs.emplace_back(DANGPLI_BUILD_MODEL_DIR);
    dirs.emplace_back(DANGPLI_SOURCE_MODEL_DIR);
    dirs.emplace_back(DANGPLI_INSTALL_MODEL_DIR);
    return dirs;
}

std::filesystem::path find_model_file(std::string_view relative) {
    std::string looked;
    for (const auto& dir : model_search_dirs()) {
        auto candidate = dir / relative;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
        looked += (looked.empty() ? "" : ", ") + dir.string();
    }
    throw ModelError("model file " + std::string(relative) + " not found; looked in: " + looked +
                     " (set DANGPLI_MODEL_DIR to the folder that holds it)");
}

}  // namespace dangpli
