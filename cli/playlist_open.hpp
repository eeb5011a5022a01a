#pragma once
// Opening the playlist store for a command: where the database and the default playlists live.
// Other commands (live) open the store the same way.

#include <filesystem>
#include <optional>
#include <vector>

#include "dangpli/playlist_store.hpp"

namespace dangpli::cli {

/// The folder of the default playlists: $DANGPLI_DATA_DIR/playlists when that variable is set
/// (and nothing else then), else the installation's share/dangpli/playlists (installed_data_dir()),
/// else the source tree's data/playlists. nullopt when none exists.
std::optional<std::filesystem::path> default_playlists_dir();

/// The default playlists that opening the store at `db` reads: all of them for a store that has
/// not taken them yet (a new one), none when it has or `import_defaults` is false. A command checks
/// its outputs against them (a trace written over happy.yaml would break every later new store).
std::vector<std::filesystem::path> playlists_read_on_open(const std::filesystem::path& db, bool import_defaults);

/// What a command does with the store.
enum class StoreUse {
    ReadWrite,  ///< it writes (import, add, live, ...)
    ReadOnly,   ///< it only reads (list, export, history, stats)
};

/// Opens the store at `db` (default_store_path() if empty). On first use, that is when the default
/// playlists were never imported into this store, imports them (once, even with several processes).
/// A command that only reads still works on a store it cannot write (mode 0444, a read-only folder
/// or medium): the store is then opened read-only, as it is. It throws StoreError for an explicit
/// `db` in a folder that does not exist rather than create the folder (only the default store's folders
/// are made). A writer throws StoreError at once for a store it cannot write, before any work.
PlaylistStore open_playlist_store(const std::filesystem::path& db, bool import_defaults = true,
                                  StoreUse use = StoreUse::ReadWrite);

}  // namespace dangpli::cli
