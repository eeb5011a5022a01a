#include "dangpli/data_dirs.hpp"

#include <dlfcn.h>

#include <array>
#include <system_error>
#include <vector>

namespace dangpli {
namespace {

// The folders of the files that may hold this code: the shared library (dladdr names it) and the
// program itself (dladdr would give argv[0] for it, which may be relative to a changed directory).
std::vector<std::filesystem::path> code_locations() {
    std::vector<std::filesystem::path> dirs;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&installed_data_dir), &info) != 0 && info.dli_fname != nullptr) {
        std::filesystem::path object(info.dli_fname);
        if (object.is_absolute() && object.filename().string().find(".so") != std::string::npos)
            dirs.push_back(object.parent_path());
    }
    if (auto exe = running_program_dir()) dirs.push_back(*exe);
    return dirs;
}

}  // namespace

std::optional<std::filesystem::path> running_program_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    return exe.parent_path();
}

std::optional<std::filesystem::path> installed_data_dir() {
    std::error_code ec;
    for (const auto& dir : code_locations()) {
        for (const char* relative : std::array{DANGPLI_LIB_TO_DATA_DIR, DANGPLI_BIN_TO_DATA_DIR, DANGPLI_LIBEXEC_TO_DATA_DIR}) {
            auto candidate = (dir / relative).lexically_normal();
            if (std::filesystem::is_directory(candidate, ec)) return candidate;
        }
    }
    std::filesystem::path configured(DANGPLI_INSTALL_DATA_DIR);
    if (std::filesystem::is_directory(configured, ec)) return configured;
    return std::nullopt;
}

}  // namespace dangpli
