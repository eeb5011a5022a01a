#include "dangpli/model_files.hpp"

#include <cstdlib>
#include <string>

#include "dangpli/data_dirs.hpp"
#include "dangpli/error.hpp"

namespace dangpli {

std::vector<std::filesystem::path> model_search_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("DANGPLI_MODEL_DIR"); env != nullptr && *env != '\0') {
        // The benches measure another model by this variable: a typo in it measured the bundled model
        // under the other's name.
        std::error_code ec;
        if (!std::filesystem::is_directory(env, ec))
            throw ModelError(std::string("DANGPLI_MODEL_DIR names ") + env + ", which is no folder");
        dirs.emplace_back(env);
    }
    // An installed program's own models come before the trees it was built from, which may be
    // gone or newer; a program in the build tree has no installed data dir next to it.
    const auto installed = installed_data_dir();
    if (installed) dirs.push_back(*installed / "models");
    dirs.emplace_back(DANGPLI_BUILD_MODEL_DIR);
    dirs.emplace_back(std::filesystem::path(DANGPLI_SOURCE_DATA_DIR) / "models");
    if (!installed) dirs.push_back(std::filesystem::path(DANGPLI_INSTALL_DATA_DIR) / "models");
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
