#pragma once
// Walking a folder the user named for the files a command reads (analyze's images, scan's songs).

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace dangpli::cli {

/// A file a walk found, or a place it could not look into.
struct WalkEntry {
    std::filesystem::path path;
    std::string problem;  ///< empty for a file; else one line starting with the path
};

/// The files under `dir` whose names `wanted` accepts, and one problem for each folder (or entry) that
/// cannot be read, sorted by path so that a problem stands where its files would have been. Depth
/// first; hidden entries (a name starting with '.') are passed over, as a file manager does. A folder
/// that cannot be read (permissions, a name longer than the system allows) is named and the walk
/// goes on through its siblings, never passed over in silence. Links to folders are
/// followed; a folder reached again (a link back up, a second link to it) is walked once, so a loop
/// ends and no file is read twice. A FIFO, device, broken link or unreadable file named as `wanted`
/// likes is kept, so that its reader refuses it by name.
std::vector<WalkEntry> walk_folder(const std::filesystem::path& dir,
                                   const std::function<bool(const std::filesystem::path&)>& wanted);

}  // namespace dangpli::cli
