#include "folder_walk.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include "natural_order.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {
namespace {

using FolderId = std::pair<dev_t, ino_t>;

void walk(const fs::path& dir, const std::function<bool(const fs::path&)>& wanted, std::vector<WalkEntry>& found,
          std::set<FolderId>& walked) {
    auto cannot_read = [&](const fs::path& where, const std::error_code& ec) {
        found.push_back({where, where.string() + ": cannot read the directory: " + ec.message()});
    };
    // A folder reached again, through a link back up (a loop) or a second link, is walked once: its
    // files are read under the first path, in sorted order.
    if (struct stat info{}; ::stat(dir.c_str(), &info) == 0 && !walked.insert({info.st_dev, info.st_ino}).second) return;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return cannot_read(dir, ec);
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        entries.push_back(*it);
    }
    if (ec) cannot_read(dir, ec);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return natural_path_less(a.path(), b.path()); });
    for (const fs::directory_entry& entry : entries) {
        std::error_code entry_ec;
        (void)entry.symlink_status(entry_ec);
        if (entry_ec) {  // e.g. a name past PATH_MAX: say so rather than guess what it was
            cannot_read(entry.path(), entry_ec);
            continue;
        }
        // Hidden entries are not the user's files: a USB stick's .Trash-1000 holds songs they deleted,
        // macOS leaves a ._name companion beside every file, .thumbnails holds small copies of photos.
        if (entry.path().filename().string().starts_with('.')) continue;
        // A link to a folder is followed like the folder (a photo library linked in); a broken link
        // named as `wanted` likes is kept, so that its reader names it.
        if (entry.is_directory(entry_ec)) walk(entry.path(), wanted, found, walked);
        else if (wanted(entry.path())) found.push_back({entry.path(), {}});
    }
}

}  // namespace

std::vector<WalkEntry> walk_folder(const fs::path& dir, const std::function<bool(const fs::path&)>& wanted) {
    std::vector<WalkEntry> found;
    std::set<FolderId> walked;
    walk(dir, wanted, found, walked);
    std::stable_sort(found.begin(), found.end(), [](const WalkEntry& a, const WalkEntry& b) { return natural_path_less(a.path, b.path); });
    return found;
}

}  // namespace dangpli::cli
