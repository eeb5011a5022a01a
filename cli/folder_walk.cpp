#include "folder_walk.hpp"

#include <algorithm>
#include <system_error>

namespace fs = std::filesystem;

namespace dangpli::cli {
namespace {

void walk(const fs::path& dir, const std::function<bool(const fs::path&)>& wanted, std::vector<WalkEntry>& found) {
    auto cannot_read = [&](const fs::path& where, const std::error_code& ec) {
        found.push_back({where, where.string() + ": cannot read the directory: " + ec.message()});
    };
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return cannot_read(dir, ec);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::error_code entry_ec;
        const fs::file_status own = it->symlink_status(entry_ec);
        if (entry_ec) {  // e.g. a name past PATH_MAX: say so rather than guess what it was
            cannot_read(it->path(), entry_ec);
            continue;
        }
        if (fs::is_directory(own)) walk(it->path(), wanted, found);
        else if (!it->is_directory(entry_ec) && wanted(it->path())) found.push_back({it->path(), {}});
    }
    if (ec) cannot_read(dir, ec);
}

}  // namespace

std::vector<WalkEntry> walk_folder(const fs::path& dir, const std::function<bool(const fs::path&)>& wanted) {
    std::vector<WalkEntry> found;
    walk(dir, wanted, found);
    std::stable_sort(found.begin(), found.end(), [](const WalkEntry& a, const WalkEntry& b) { return a.path < b.path; });
    return found;
}

}  // namespace dangpli::cli
